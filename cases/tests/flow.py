"""Valid inputs for every step, so a test can bring a case to any step and then probe it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cases.models import Case
from cases.services.evidence import evidence_add
from cases.services.steps import case_act, case_register
from deadlines.models import Deadline
from ledger.models import Entry
from procedure.general import GENERAL
from zhifa import clock

PERSON_ID = "11010519491231002X"  # the check digit is valid (GB 11643)
ORG_CODE = "91350100M000100Y43"  # a valid 统一社会信用代码 check digit (GB 32100)

JPEG = b"\xff\xd8\xff\xe0" + b"photo-of-the-billboard" * 20


def register(org: Any, **overrides: Any) -> Case:
    today = clock.today()
    kwargs: dict[str, Any] = {
        "actor": org.handler,
        "source": "patrol",
        "clue": "巡查发现某商贸公司在建筑物外墙擅自设置大型户外广告牌",
        "discovered_on": today,
        "act_on": today - dt.timedelta(days=10),
        "place": "东昌府区柳园路",
        "parties": [
            {
                "kind": "organisation",
                "name": "聊城市某某商贸有限公司",
                "id_number": ORG_CODE,
                "address": "聊城市东昌府区柳园路1号",
                "legal_rep": "张某",
            },
        ],
    }
    kwargs.update(overrides)
    return case_register(**kwargs)


def fine(amount: str) -> list[dict[str, Any]]:
    return [{"type": "fine", "amount": amount}]


def payloads(org: Any, case: Case) -> dict[str, tuple[Any, str, dict[str, Any]]]:
    """(actor, decision, data) for each step, valid for a case with the parties of `register`."""
    today = clock.today().isoformat()
    parties = list(case.parties.all())
    both = [org.handler.pk, org.co_handler.pk]
    return {
        "lead_approve": (org.chief, "file", {"opinion": "线索属实，建议立案"}),
        "filing_request": (
            org.handler,
            "submit",
            {
                "matter_code": org.matter.code,
                "co_handler": org.co_handler.username,
                "summary": "涉嫌擅自设置大型户外广告设施",
            },
        ),
        "filing_review": (org.chief, "approve", {"opinion": "同意立案"}),
        "filing_approve": (org.director, "approve", {"opinion": "批准立案"}),
        "investigation": (
            org.co_handler,
            "submit",
            {
                "records": [
                    {
                        "kind": "inspection",
                        "title": "现场检查笔录",
                        "place": "柳园路",
                        "officers": both,
                        "content": "现场发现广告牌一块",
                    },
                    {
                        "kind": "inquiry",
                        "title": "询问笔录",
                        "place": "执法局",
                        "officers": both,
                        "content": "当事人承认未经批准设置",
                    },
                ]
            },
        ),
        "investigation_report": (
            org.handler,
            "submit",
            {
                "facts": "当事人未经批准擅自设置大型户外广告设施",
                "basis": "条例第三十六条",
                "proposals": [
                    {
                        "party": p.index,
                        "outcome": "penalty",
                        "penalties": fine("5000.00"),
                        "circumstance": "ordinary",
                    }
                    for p in parties
                ],
            },
        ),
        "investigation_review": (org.chief, "approve", {"opinion": "事实清楚"}),
        "legal_review": (org.legal, "approve", {"opinion": "主体合法，事实清楚，适用依据正确"}),
        "penalty_approve": (org.director, "approve", {"opinion": "同意"}),
        "notice_issue": (org.handler, "submit", {"served_on": today}),
        "notice_response": (
            org.handler,
            "submit",
            {
                "responses": [
                    {"party": p.index, "kind": "statement", "statement": "请求从轻处罚"}
                    for p in parties
                ]
            },
        ),
        "notice_review": (org.chief, "reject", {"opinion": "陈述理由不成立，不予采纳"}),
        "decision_approve": (org.director, "approve", {"opinion": "同意"}),
        "decision_issue": (
            org.handler,
            "submit",
            {
                "decisions": [
                    {
                        "party": p.index,
                        "outcome": "penalty",
                        "penalties": fine("5000.00"),
                        "facts": "经查，当事人擅自设置大型户外广告设施",
                        "basis": "条例第三十六条",
                        "performance": "自收到本决定书之日起十五日内缴至指定银行",
                    }
                    for p in parties
                ]
            },
        ),
        "delivery": (
            org.handler,
            "submit",
            {
                "deliveries": [
                    {
                        "party": p.index,
                        "method": "direct",
                        "delivered_on": today,
                        "receiver": "张某",
                    }
                    for p in parties
                ]
            },
        ),
        "execution": (
            org.handler,
            "submit",
            {
                "executions": [
                    {"party": p.index, "kind": "paid", "paid_on": today, "amount": "5000.00"}
                    for p in parties
                ]
            },
        ),
        "closing_approve": (org.chief, "approve", {"opinion": "同意结案"}),
    }


# Every step after 案源登记 (which `register` performs), in the order of the table.
ORDER = list(GENERAL.codes[1:])


def add_evidence(org: Any, case: Case) -> None:
    evidence_add(
        case_id=case.pk,
        actor=org.handler,
        kind="photo",
        title="广告牌现场照片",
        content=JPEG,
        filename="photo.jpg",
        content_type="image/jpeg",
    )


def act(org: Any, case: Case, step: str, **changes: Any) -> Case:
    actor, decision, data = payloads(org, case)[step]
    actor = changes.pop("actor", actor)
    decision = changes.pop("decision", decision)
    data = {**data, **changes}
    return case_act(case_id=case.pk, actor=actor, step=step, decision=decision, data=data)


def advance(org: Any, case: Case, until: str) -> Case:
    """Run every step from the current one up to (not including) `until` with valid input."""
    for step in ORDER[ORDER.index(case.step) :]:
        if step == until:
            break
        if step == "investigation" and not case.evidence.exists():
            add_evidence(org, case)
        case = act(org, case, step)
    return case


def written() -> tuple[int, int]:
    """What a refused step must leave as it was: the ledger's entries and the time limits (for
    `assert_refused(..., unchanged=written)`)."""
    return Entry.objects.count(), Deadline.objects.count()
