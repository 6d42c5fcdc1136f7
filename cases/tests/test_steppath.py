"""The step path (cases.steppath: one locked read, statements built once) writes what the ORM
path writes, step by step, for both procedures; a record moved under it sends the step to the ORM
path instead of forking the chain."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import hooks
from cases.models import Case, Decision, Evidence, Party, PenaltyItem, StepDraft
from cases.services.drafts import draft_save
from cases.services.steps import case_act, case_register
from cases.tests.flow import ORDER, PERSON_ID, add_evidence, payloads, register
from deadlines.models import Deadline
from ledger.models import Entry, Head
from ledger.services import StreamHead, StreamMoved, ledger_append, ledger_verify
from notices.models import Notice
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db

# What differs between two cases by construction: keys, clocks, hashes, 文号 serials.
_VOLATILE = {"id", "case_id", "party_id", "decision_id", "created_at", "updated_at", "at"}
_VOLATILE |= {"stream", "hash", "prev_hash", "file", "evidence_id"}
# The two cases' acts are a day apart: one act of one party is fined once (Art. 29).
_VOLATILE |= {"act_on"}
_SERIAL = re.compile(r"〔(\d{4})〕\d+号")


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return _SERIAL.sub(r"〔\1〕N号", value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in _VOLATILE}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def written(case_id: int) -> dict[str, Any]:
    """Every row the case has, in a form two cases' rows compare in."""
    rows: dict[str, Any] = {
        "case": list(Case.objects.filter(pk=case_id).values()),
        "parties": list(Party.objects.filter(case_id=case_id).order_by("index").values()),
        "decisions": list(Decision.objects.filter(case_id=case_id).order_by("id").values()),
        "items": list(
            PenaltyItem.objects.filter(decision__case_id=case_id).order_by("id").values()
        ),
        "evidence": list(Evidence.objects.filter(case_id=case_id).order_by("id").values()),
        "limits": list(Deadline.objects.filter(case_id=case_id).order_by("id").values()),
        "record": list(
            Entry.objects.filter(stream=f"case:{case_id}")
            .order_by("seq")
            .values("seq", "actor_id", "actor_name", "role", "action", "payload")
        ),
        "head": list(Head.objects.filter(stream=f"case:{case_id}").values("seq")),
        "notices": list(
            Notice.objects.filter(subject=f"case:{case_id}")
            .order_by("user_id", "kind", "occasion")
            .values("user_id", "kind", "occasion", "read_at")
        ),
    }
    return _plain(rows)


def _both(org: Any, step: str, fast: Case, orm: Case, **changes: Any) -> tuple[Case, Case]:
    actor, decision, data = payloads(org, fast)[step]
    decision = changes.pop("decision", decision)
    data = {**data, **changes}
    kwargs = {"actor": actor, "step": step, "decision": decision, "data": data}
    return (
        case_act(case_id=fast.pk, fast=True, **kwargs),
        case_act(case_id=orm.pk, fast=False, **kwargs),
    )


def _twin(org: Any) -> Case:
    """The same case for another act of the same party (a day earlier)."""
    return register(org, act_on=clock.today() - dt.timedelta(days=11))


def test_every_step_of_the_general_procedure_writes_the_same_rows_on_both_paths(org):
    fast, orm = register(org), _twin(org)
    assert written(fast.pk) == written(orm.pk)
    for step in ORDER:
        if step == "investigation":
            add_evidence(org, fast)
            add_evidence(org, orm)
        if step == "decision_approve":
            # A step sent back and taken again: the return's limits and record on both paths.
            fast, orm = _both(org, step, fast, orm, decision="return")
            assert written(fast.pk) == written(orm.pk), step
            fast, orm = _both(org, "notice_review", fast, orm)
        fast, orm = _both(org, step, fast, orm)
        assert written(fast.pk) == written(orm.pk), step
        assert fast.step == orm.step
    assert fast.status == Case.Status.CLOSED
    assert ledger_verify(stream=fast.stream) == [] == ledger_verify(stream=orm.stream)


def _simple(org: Any, days_ago: int = 0) -> Case:
    return case_register(
        actor=org.handler,
        procedure="simple",
        source="patrol",
        clue="当场发现",
        discovered_on=clock.today(),
        act_on=clock.today() - dt.timedelta(days=days_ago),
        matter_code=org.matter.code,
        parties=[{"kind": "person", "name": "李某", "id_number": PERSON_ID, "address": "某地"}],
    )


def test_every_step_of_the_simple_procedure_writes_the_same_rows_on_both_paths(org):
    fast, orm = _simple(org), _simple(org, days_ago=1)
    decide = {
        "certificate_shown": True,
        "facts": "店外乱设广告牌",
        "basis": "条例第三十六条",
        "place": "柳园路",
        "penalties": [{"type": "fine", "amount": "50.00"}],
        "delivered_on_spot": True,
    }
    steps = [
        ("simple_decide", org.handler, "submit", decide),
        (
            "simple_execute",
            org.handler,
            "submit",
            {"kind": "on_spot", "amount": "50.00", "receipt_no": "NO.0001"},
        ),
        ("simple_record", org.chief, "approve", {"opinion": "已备案"}),
    ]
    for step, actor, decision, data in steps:
        for case, path in ((fast, True), (orm, False)):
            case_act(
                case_id=case.pk, actor=actor, step=step, decision=decision, data=data, fast=path
            )
        assert written(fast.pk) == written(orm.pk), step
    assert Case.objects.get(pk=fast.pk).status == Case.Status.CLOSED


def test_a_refused_step_gives_the_same_reasons_on_both_paths_and_writes_nothing(org):
    fast, orm = register(org), _twin(org)
    before = written(fast.pk)
    # The 业务科长 passes every guard of 案源审查 but the outcome: an unknown decision.
    for case, path in ((fast, True), (orm, False)):
        assert_refused(
            lambda case=case, path=path: case_act(
                case_id=case.pk,
                actor=org.chief,
                step="lead_approve",
                decision="no-such-decision",
                data={"opinion": "同意"},
                fast=path,
            ),
            "no-such-decision",
        )
    assert written(fast.pk) == before == written(orm.pk)


def test_a_step_asked_of_a_case_that_does_not_exist_fails_as_the_orm_does(org):
    with pytest.raises(Case.DoesNotExist):
        case_act(case_id=987654, actor=org.chief, step="lead_approve", decision="file", data={})


@pytest.fixture
def record_moves_under_the_step() -> Iterator[list[str]]:
    """A module effect of 案源审查 that appends to the case's record itself, as the worker or a
    document can at any moment: the head moves after the step path read it."""
    seen: list[str] = []

    def interleave(case: Case, actor: Any, data: Any, outcome: Any) -> None:
        seen.append("effect")
        ledger_append(
            stream=case.stream,
            action="deadline_approaching",
            payload={"code": "test"},
            actor_id=None,
            actor_name="系统",
            role="system",
        )

    hooks.register_step_effect("lead_approve", interleave)
    yield seen
    hooks._EFFECTS["lead_approve"].remove(interleave)


def test_a_step_whose_record_moved_after_its_read_is_taken_again_and_the_chain_stays_whole(
    org, record_moves_under_the_step
):
    case = register(org)
    actor, decision, data = payloads(org, case)["lead_approve"]
    case = case_act(case_id=case.pk, actor=actor, step="lead_approve", decision=decision, data=data)
    # The first try (step path) rolled back when its head had moved; the second (ORM) landed.
    assert record_moves_under_the_step == ["effect", "effect"]
    actions = list(Entry.objects.filter(stream=case.stream).order_by("seq").values_list("action"))
    assert actions == [("lead_register",), ("deadline_approaching",), ("lead_approve",)]
    assert ledger_verify(stream=case.stream) == []
    assert case.step == "filing_request"


def test_an_entry_on_a_head_read_before_another_append_is_refused_as_moved(org):
    from django.db import transaction

    case = register(org)
    head = Head.objects.get(stream=case.stream)
    stale = StreamHead(head.seq, head.hash)
    entry: dict[str, Any] = {
        "actor_id": None,
        "actor_name": "系统",
        "role": "system",
        "payload": {},
    }
    with transaction.atomic():
        ledger_append(stream=case.stream, action="first", **entry)
        with pytest.raises(StreamMoved):
            ledger_append(stream=case.stream, action="second", head=stale, **entry)
    with transaction.atomic(), pytest.raises(StreamMoved):
        # A stream read as empty that has entries meanwhile.
        ledger_append(stream=case.stream, action="second", head=StreamHead.EMPTY, **entry)
    assert Entry.objects.filter(stream=case.stream, action="second").count() == 0
    assert ledger_verify(stream=case.stream) == []


def test_a_step_drops_its_draft_and_settles_the_actors_notices_and_without_them_writes_neither(
    org,
):
    case = register(org)  # the chief is told to approve the lead
    draft_save(case=case, step="lead_approve", user=org.chief, data={"opinion": "草稿"})
    approve = payloads(org, case)["lead_approve"]
    case = case_act(
        case_id=case.pk, actor=approve[0], step="lead_approve", decision=approve[1], data=approve[2]
    )
    assert not StepDraft.objects.filter(case=case).exists()
    assert Notice.objects.get(user=org.chief, subject=case.stream).read_at is not None

    # The handler has no notice of the case and no draft of the next step: no such statement.
    request = payloads(org, case)["filing_request"]
    with CaptureQueriesContext(connection) as ran:
        case_act(
            case_id=case.pk,
            actor=request[0],
            step="filing_request",
            decision=request[1],
            data=request[2],
        )
    touched = [q["sql"] for q in ran.captured_queries]
    assert not [q for q in touched if q.startswith("DELETE") and "stepdraft" in q], touched
    assert not [q for q in touched if q.startswith("UPDATE") and "notices_notice" in q], touched
