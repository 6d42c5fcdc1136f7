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
from cases.tests.flow import ORDER, ORG_CODE, PERSON_ID, add_evidence, advance, payloads, register
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


# --- the module reads at their steps: the statements against the ORM's reading -------------------


def _earlier_fines_by_orm(case: Case) -> dict[int, list[str]]:
    """What earlier_fines read through the ORM before it became two statements."""
    from django.db.models import Q

    if case.matter_id is None or case.act_on is None:
        return {}
    start, end = case.act_on, case.act_ended_on or case.act_on
    out: dict[int, list[str]] = {}
    for party in case.parties.all():
        if not party.id_number:
            continue
        numbers = (
            Decision.objects.filter(
                outcome=Decision.Outcome.PENALTY,
                party__id_number=party.id_number,
                case__matter_id=case.matter_id,
                items__type="fine",
                case__act_on__lte=end,
            )
            .filter(
                Q(case__act_ended_on__gte=start)
                | Q(case__act_ended_on__isnull=True, case__act_on__gte=start)
            )
            .exclude(case=case)
            .order_by("decided_on", "pk")
            .values_list("number", flat=True)
            .distinct()
        )
        found = [f"处罚决定书{n}" for n in numbers]
        if found:
            out[party.index] = found
    return out


def _payment_terms_by_orm(case: Case) -> dict[int, dict[str, Any]]:
    """What payment_terms read through the ORM before it became one statement."""
    from django.conf import settings

    from enforcement.selectors import deferral_of, schedule_of

    out: dict[int, dict[str, Any]] = {}
    for d in Decision.objects.filter(case=case).select_related("party").prefetch_related("reviews"):
        deferral = deferral_of(d)
        out[d.party.index] = {
            "pauses": [(r.filed_on, r.decided_on) for r in d.reviews.order_by("id")],
            "schedule": [(i.due, i.amount, i.paid_on) for i in schedule_of(deferral)],
            "approved_on": deferral.approved_on if deferral else None,
            "moves_due": bool(settings.ENFORCEMENT_DEFERRAL_MOVES_DUE),
        }
    return out


def test_earlier_fines_finds_what_the_orm_finds_whatever_the_dates_matter_outcome_and_items(org):
    from cases.selectors import earlier_fines

    act_on = clock.today() - dt.timedelta(days=10)
    first = advance(org, register(org), until="delivery")
    decision = first.decisions.get()
    second = advance(org, register(org, act_on=act_on - dt.timedelta(days=20)), until="delivery")
    # A third case of the same party, another of its parties without an ID number.
    case = register(
        org,
        parties=[
            {"kind": "organisation", "name": "甲公司", "id_number": ORG_CODE, "address": "某地"},
            {"kind": "person", "name": "乙某", "id_number": PERSON_ID, "address": "某地"},
            {"kind": "person", "name": "丙某", "id_number": PERSON_ID, "address": "某地"},
        ],
    )
    Party.objects.filter(case=case, index=2).update(id_number="", id_number_index="")
    case.matter_id = first.matter_id  # as 立案 sets it
    assert earlier_fines(case) == _earlier_fines_by_orm(case) != {}

    def same(**dates: Any) -> dict[int, list[str]]:
        for name, value in dates.items():
            setattr(case, name, value)
        found = earlier_fines(case)
        assert found == _earlier_fines_by_orm(case), dates
        return found

    day = dt.timedelta(days=1)
    assert len(same(act_on=act_on - 25 * day, act_ended_on=act_on)[0]) == 2
    same(act_on=act_on + day, act_ended_on=None)
    assert same(act_on=act_on - day, act_ended_on=act_on - day) == {}
    same(act_on=act_on, act_ended_on=None)
    Case.objects.filter(pk=second.pk).update(act_ended_on=act_on + 2 * day)
    assert len(same(act_on=act_on, act_ended_on=None)[0]) == 2
    PenaltyItem.objects.create(decision=decision, type="fine", amount=1)  # two fines: listed once
    assert len(same()[0]) == 2
    PenaltyItem.objects.filter(decision=decision).update(type="warning")
    assert len(same()[0]) == 1
    Decision.objects.filter(pk=second.decisions.get().pk).update(outcome="no_penalty")
    assert same() == {}
    Decision.objects.filter(pk=second.decisions.get().pk).update(outcome="penalty")
    Party.objects.filter(decision__case=second).update(id_number_index="0" * 64)
    assert same() == {}
    assert earlier_fines(first) == _earlier_fines_by_orm(first)
    case.matter_id = None
    assert same() == {}


def test_payment_terms_reads_what_the_orm_reads_with_reviews_and_deferrals(org):
    from cases.models import Review
    from enforcement.models import Deferral
    from enforcement.selectors import payment_terms

    case = advance(org, register(org), until="execution")
    decision = case.decisions.get()
    assert payment_terms(case) == _payment_terms_by_orm(case)
    today = clock.today()
    Review.objects.create(decision=decision, kind="reconsideration", filed_on=today)
    Review.objects.create(
        decision=decision, kind="litigation", filed_on=today, decided_on=today, result="upheld"
    )
    for n, (approved, schedule) in enumerate(
        [
            (today, [{"due": str(today), "amount": "2500"}]),
            (today, [{"due": str(today), "amount": "5000", "paid_on": str(today)}]),
            (today - dt.timedelta(days=1), [{"due": str(today), "amount": "1"}]),
        ]
    ):
        Deferral.objects.create(
            case=case,
            decision=decision,
            approved_by=org.director,
            approved_on=approved,
            reason=f"第{n}次",
            schedule=schedule,
            ends_on=today,
        )
    found = payment_terms(case)
    assert found == _payment_terms_by_orm(case)
    assert len(found[0]["pauses"]) == 2 and found[0]["schedule"][0][1] == 5000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_step_statements_are_prepared_from_their_second_run_the_orms_never(
    org,
):
    lock = re.compile(r"^SELECT .* FROM \"cases_case\" c JOIN .* FOR UPDATE", re.S)

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [s for (s,) in cursor.fetchall()]

    first = register(org)
    advance(org, first, "filing_request")  # lead_approve: the lock's first run
    assert not [s for s in prepared() if lock.match(s)]
    second = register(org)
    advance(org, second, "filing_request")  # its second run: now prepared
    ready = prepared()
    assert [s for s in ready if lock.match(s)]
    # Every prepared statement is one of the step path's, bound on the server ($1, …); the
    # ORM's queries (bound on the client, their values written in) are never among them.
    assert ready and all("$1" in s or "%s" not in s for s in ready)
    assert not [s for s in ready if "django_session" in s or '"orgs_user"."password"' in s]
