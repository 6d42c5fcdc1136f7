"""Demo cases at several stages of 强制执行: fines decided and served about seven months ago,
unpaid, then driven through the ENFORCEMENT table as the demo personas under the platform clock
set back to each day. They wait at: the party's statements (承办人), the review of them (业务科长),
the head's signature of a court application (分管局长), a suspension with its three-year alarm,
and one the court granted (counted in the 行政强制 form), whose 催告书 and 强制执行申请书 are
issued, and an instalment plan with one instalment missed (in the handler's inbox before the
plan's end). Every action goes through the services: a refusal stops the demo part (the caller
rolls it back)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any

from cases.models import Case
from demo.cases import (
    STAFF,
    UNIT,
    Scenario,
    _act,
    _Days,
    _moments,
    _org,
    _person,
    _plan,
    _register,
)
from documents.services import document_issue
from enforcement.models import EnforcementRecord
from enforcement.services import (
    deferral_approve,
    enforcement_act,
    enforcement_open,
    instalment_paid,
)
from law.calendar import SHANGHAI, WorkingCalendar
from orgs.models import User
from zhifa import clock

BASE = Scenario(
    "enf",
    "",
    "",
    "CG-0008",
    {},
    "东昌府区",
    "execution",
    filed_days_ago=240,
    fine="10000.00",
)
SCENARIOS: tuple[Scenario, ...] = (
    replace(
        BASE,
        key="enf_statement",
        clue="巡查发现某公司擅自占用城市道路堆放建筑材料（逾期未缴纳罚款）",
        fact="擅自占用光岳路人行道堆放建筑材料",
        party=_org(41, "聊城市恒信建材有限公司", "许志刚"),
        fine="7000.00",
    ),
    replace(
        BASE,
        key="enf_review",
        clue="群众举报某公司擅自挖掘城市道路（逾期未缴纳罚款）",
        fact="未经批准挖掘兴华路路面铺设管道",
        party=_org(42, "聊城市通达管道工程有限公司", "韩立新"),
    ),
    replace(
        BASE,
        key="enf_court_sign",
        clue="巡查发现个人擅自在道路上设置摊点（逾期未缴纳罚款）",
        fact="擅自在东关街人行道设置经营摊点",
        party=_person(43, "李金山", "19780312"),
        fine="7500.00",
    ),
    replace(
        BASE,
        key="enf_suspended",
        clue="巡查发现某公司擅自设置大型户外广告（逾期未缴纳罚款）",
        fact="擅自在建设路设置大型户外广告牌",
        party=_org(44, "聊城市星辰广告传媒有限公司", "周晓燕"),
        fine="8000.00",
    ),
    replace(
        BASE,
        key="enf_instalment",
        clue="巡查发现某餐馆占用人行道经营（分期缴纳罚款，逾期未缴一期）",
        fact="擅自占用古楼街人行道摆放桌椅经营",
        party=_org(46, "聊城市味源餐饮有限公司", "孙丽华"),
        fine="9000.00",
    ),
    replace(
        BASE,
        key="enf_court_granted",
        clue="群众举报某公司施工渣土沿途遗撒（逾期未缴纳罚款）",
        fact="运输渣土未密闭沿途遗撒",
        party=_org(45, "聊城市顺安运输有限公司", "高建国"),
        fine="9000.00",
    ),
)
NOTICE = {"obligation": "money", "manner": "到指定银行缴纳罚款及加处罚款", "rights_told": True}


def enforcement_cases_present() -> bool:
    return Case.objects.filter(clue__in=[s.clue for s in SCENARIOS], imported=False).exists()


def _at(day: dt.date, hour: int = 10) -> AbstractContextManager[None]:
    return clock.frozen_at(dt.datetime.combine(day, dt.time(hour, 0), SHANGHAI))


def _issue(day: dt.date, case: Case, who: User, r: EnforcementRecord, kind: str) -> None:
    """The record's document, issued as the handler would from the case page (the granted case
    shows its 催告书 and 强制执行申请书; the others offer theirs to issue)."""
    with _at(day, 11):
        document_issue(
            case_id=case.pk, kind=kind, party_index=None, actor=who, subject=("enforcement", r.pk)
        )


def _instalments(case: Case, handler: User, director: User, days: _Days, today: dt.date) -> None:
    """An approved plan of three instalments (行政处罚法第六十六条第二款): the first paid on its
    day, the second missed five working days ago, so the decision waits in the handler's
    enforcement inbox long before the plan's end."""
    decision = case.decisions.get()
    assert decision.payment_due is not None
    approved = decision.payment_due + dt.timedelta(days=3)
    first = approved + dt.timedelta(days=30)
    missed = days.back(today, 5)
    plan: list[Mapping[str, Any]] = [
        {"due": first.isoformat(), "amount": "3000.00"},
        {"due": missed.isoformat(), "amount": "3000.00"},
        {"due": (today + dt.timedelta(days=60)).isoformat(), "amount": "3000.00"},
    ]
    with _at(approved):
        deferral_approve(
            case_id=case.pk,
            actor=director,
            party=0,
            schedule=plan,
            reason="受周边道路施工影响营业收入下降，申请分三期缴纳",
        )
    with _at(first):
        paid_on = first.isoformat()
        instalment_paid(case_id=case.pk, actor=handler, party=0, instalment=1, paid_on=paid_on)


def _drive(
    case: Case, s: Scenario, staff: dict[str, User], days: _Days, today: dt.date
) -> EnforcementRecord | None:
    handler, chief, director = staff[s.handler], staff["chief"], staff["director"]
    if s.key == "enf_instalment":
        _instalments(case, handler, director, days, today)
        return None
    start = days.back(today, 20)
    term = start + dt.timedelta(days=2)

    def act(day: dt.date, who: User, decision: str, data: dict[str, Any]) -> EnforcementRecord:
        with _at(day):
            return enforcement_act(record_id=r.pk, actor=who, decision=decision, data=data)

    with _at(start):
        amount = str(case.decisions.get().total_amount)
        data = {**NOTICE, "amount": amount, "term_ends": term.isoformat()}
        r = enforcement_open(case_id=case.pk, actor=handler, party=0, data=data)
    r = act(start, handler, "serve", {"served_on": start.isoformat()})
    if s.key == "enf_court_granted":
        _issue(start, case, handler, r, "enforcement_notice")
    if s.key == "enf_statement":
        return r
    r = act(days.forward(start, 1), handler, "record", {"statement": "经营困难，请求延缓缴纳"})
    if s.key == "enf_review":
        return r
    r = act(days.forward(start, 2), chief, "reject", {"opinion": "未提出新的事实和理由，继续执行"})
    if s.key == "enf_suspended":
        data = {"ground": "hardship", "reason": "当事人停业，暂无履行能力"}
        return act(days.forward(start, 3), handler, "suspend", data)
    r = act(days.forward(start, 3), handler, "court", {})
    draft = days.forward(start, 12)
    court = {"court": "聊城市东昌府区人民法院", "materials_complete": True}
    r = act(draft, handler, "draft", court)
    if s.key == "enf_court_sign":
        return r
    r = act(draft, director, "sign", {"signed": True})
    _issue(draft, case, handler, r, "court_application")
    accepted = days.forward(draft, 2)
    r = act(accepted, handler, "accepted", {"on": accepted.isoformat()})
    ruled = days.forward(accepted, 5)
    return act(ruled, handler, "granted", {"on": ruled.isoformat()})


def enforcement_cases_load(*, cal: WorkingCalendar) -> list[EnforcementRecord | None]:
    """Drive each scenario's case to 执行 (its fine unpaid), then its enforcement to its stage.
    The caller holds the transaction."""
    staff = {k: User.objects.get(username=f"{UNIT}-{k}") for k in STAFF}
    today = clock.today()
    days = _Days(cal, today)
    actions = sorted(
        (a for n, s in enumerate(SCENARIOS) for a in _plan(n, s, days)),
        key=lambda a: (a.day, a.scenario, a.index),
    )
    cases: dict[int, Case] = {}
    for a, moment in zip(actions, _moments(actions, clock.now()), strict=True):
        s = SCENARIOS[a.scenario]
        with clock.frozen_at(moment):
            if a.step == "register":
                cases[a.scenario] = _register(s, staff, a.day)
            else:
                cases[a.scenario] = _act(s, staff, cases[a.scenario], a)
    return [_drive(cases[n], s, staff, days, today) for n, s in enumerate(SCENARIOS)]
