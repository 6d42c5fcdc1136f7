"""Live demo cases: 聊城市城市管理局's officers at work, driven through the engine.

Each scenario registers a case with `case_register` and takes it step by step with `case_act`
(and `evidence_add`) as the demo personas, under the platform clock set back to the day each step
was taken, then leaves it waiting at a chosen step: so the inbox of every role holds something,
one case nears the 90-day decision limit (行政处罚法第六十条), one has passed it, one party has not
paid within 15 days (第六十七条), and two cases are closed. Nothing is written around the services:
every refusal of a guard would stop the demo.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from cases.models import Case
from cases.services.evidence import evidence_add
from cases.services.preservations import (
    preservation_approve,
    preservation_carry_out,
    preservation_request,
)
from cases.services.steps import case_act, case_register
from law.calendar import SHANGHAI, WorkingCalendar
from law.validators import make_credit_code, make_id_card
from orgs.models import User
from procedure.engine import END
from procedure.general import GENERAL
from zhifa import clock

UNIT = "371500-cgj"
STAFF = ("handler1", "handler2", "chief", "legal", "director")

# Working days between a step and the one before it, in the usual rhythm of a case.
GAPS: dict[str, int] = {
    "lead_approve": 1,
    "filing_request": 1,
    "filing_review": 1,
    "filing_approve": 1,
    "investigation": 8,
    "investigation_report": 3,
    "investigation_review": 2,
    "legal_review": 3,
    "penalty_approve": 2,
    "notice_issue": 1,
    "notice_response": 3,
    "notice_review": 1,
    "decision_approve": 1,
    "decision_issue": 1,
    "delivery": 2,
    "execution": 5,
    "closing_approve": 2,
    "simple_execute": 0,
    "simple_record": 2,
}
STEPS = list(GENERAL.codes)


@dataclass(frozen=True)
class Scenario:
    key: str
    clue: str
    fact: str  # what the party did, as the report and the decision state it
    matter: str
    party: dict[str, str]
    place: str
    until: str  # the step the case waits at; END for a closed case
    filed_days_ago: int = 0  # 立案 that many calendar days ago (0: see started_days_ago)
    started_days_ago: int = 0  # 案源登记 that many working days ago
    handler: str = "handler1"
    fine: str = "0"
    circumstance: str = "ordinary"
    warning: bool = False
    procedure: str = "general"
    gaps: dict[str, int] = field(default_factory=dict)

    @property
    def co_handler(self) -> str:
        return "handler2" if self.handler == "handler1" else "handler1"

    @property
    def waiting_for(self) -> str | None:
        """The persona whose inbox holds the case (None when closed)."""
        if self.until == END:
            return None
        step = GENERAL.step(self.until)
        role = next(iter(step.roles))
        return {
            "section_chief": "chief",
            "legal_reviewer": "legal",
            "deputy_director": "director",
        }.get(role.value, self.handler)


def _person(n: int, name: str, born: str) -> dict[str, str]:
    number = make_id_card(f"371502{born}{n:03d}")
    return {
        "kind": "person",
        "name": name,
        "id_number": number,
        "address": f"聊城市东昌府区柳园路{n}号",
        "phone": f"1396350{n:04d}",
    }


def _org(n: int, name: str, rep: str) -> dict[str, str]:
    return {
        "kind": "organisation",
        "name": name,
        "id_number": make_credit_code(f"91371500MA3D{n:05d}"),
        "address": f"聊城市东昌府区东昌路{n * 3}号",
        "legal_rep": rep,
        "phone": f"0635-83{n:05d}",
    }


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "lead",
        "群众举报：振兴路某小区外墙、电线杆多处张贴小广告",
        "在振兴路某小区外墙、电线杆上张贴小广告",
        "CG-0002",
        _person(11, "孙立军", "19880306"),
        "东昌府区振兴路",
        "lead_approve",
        started_days_ago=1,
    ),
    Scenario(
        "filing_request",
        "夜间巡查发现在禁止区域内露天烧烤食品",
        "在禁止区域内露天烧烤食品",
        "CG-0018",
        _person(12, "赵海波", "19910721"),
        "东昌府区站前街",
        "filing_request",
        started_days_ago=2,
    ),
    Scenario(
        "filing_approve",
        "渣土运输车辆未密闭，沿途遗撒",
        "运输渣土的车辆未采取密闭措施，沿途遗撒",
        "CG-0016",
        _org(13, "聊城市鑫通渣土运输有限公司", "钱国栋"),
        "东昌府区花园路与建设路路口",
        "filing_approve",
        started_days_ago=4,
    ),
    Scenario(
        "investigation",
        "巡查发现某公司未经批准开挖人行道铺设管线",
        "未经批准开挖光岳路人行道铺设管线",
        "CG-0008",
        _org(14, "聊城市恒达管道工程有限公司", "李振国"),
        "东昌府区光岳路",
        "investigation",
        filed_days_ago=6,
    ),
    Scenario(
        "decision_overdue",
        "投诉举报：某饭店油烟直排，未安装油烟净化设施",
        "经营的饭店未安装油烟净化设施，油烟直排",
        "CG-0017",
        _org(15, "聊城市味之源餐饮管理有限公司", "周丽"),
        "东昌府区兴华路",
        "investigation_report",
        filed_days_ago=96,
        fine="25000.00",
    ),
    Scenario(
        "investigation_review",
        "燃气公司报告：某酒店擅自改装户内燃气管道",
        "擅自改装其经营酒店的户内燃气管道",
        "CG-0020",
        _org(16, "聊城市金悦酒店管理有限公司", "吴建华"),
        "东昌府区湖南路",
        "investigation_review",
        filed_days_ago=22,
        handler="handler2",
        fine="40000.00",
    ),
    Scenario(
        "legal_review",
        "巡查发现在人行天桥护栏上悬挂广告条幅",
        "在东昌路人行天桥护栏上悬挂广告条幅",
        "CG-0009",
        _org(17, "聊城市华宇广告传媒有限公司", "郑晓东"),
        "东昌府区东昌路人行天桥",
        "legal_review",
        filed_days_ago=25,
        fine="10000.00",
    ),
    Scenario(
        "penalty_approve",
        "巡查发现个人在河道旁随意倾倒生活垃圾",
        "在古运河西岸随意倾倒生活垃圾",
        "CG-0013",
        _person(18, "刘春生", "19760412"),
        "东昌府区古运河西岸",
        "penalty_approve",
        filed_days_ago=26,
        fine="300.00",
    ),
    Scenario(
        "notice_response",
        "某烧烤店在禁止时段占道露天烧烤",
        "在禁止时段占用卫育路人行道露天烧烤",
        "CG-0018",
        _org(19, "聊城市老街坊餐饮有限公司", "冯雪梅"),
        "东昌府区卫育路",
        "notice_response",
        filed_days_ago=29,
        fine="8000.00",
    ),
    Scenario(
        "decision_approaching",
        "运输砂石车辆未采取密闭措施，造成道路遗撒",
        "运输砂石的车辆未采取密闭措施，造成建设路路面遗撒",
        "CG-0016",
        _org(20, "聊城市顺发建材有限公司", "陈永刚"),
        "东昌府区建设路",
        "decision_approve",
        filed_days_ago=87,
        fine="10000.00",
        gaps={"investigation": 25, "legal_review": 6},
    ),
    Scenario(
        "delivery",
        "巡查发现某施工单位擅自占用城市道路堆放建材",
        "未经批准占用昌润路人行道堆放建材",
        "CG-0008",
        _org(21, "聊城市安泰建筑工程有限公司", "韩振华"),
        "东昌府区昌润路",
        "delivery",
        filed_days_ago=38,
        fine="8000.00",
    ),
    Scenario(
        "payment_overdue",
        "群众举报：某公司擅自挖掘城市道路铺设线缆",
        "未经批准挖掘新华路路面铺设线缆",
        "CG-0008",
        _org(22, "聊城市瑞丰通信工程有限公司", "唐明远"),
        "东昌府区新华路",
        "execution",
        filed_days_ago=72,
        fine="12000.00",
    ),
    Scenario(
        "closing_approve",
        "巡查发现个人在绿地内随意倾倒生活垃圾",
        "在人民公园东侧绿地内随意倾倒生活垃圾",
        "CG-0013",
        _person(23, "马国庆", "19690908"),
        "东昌府区人民公园东侧",
        "closing_approve",
        filed_days_ago=62,
        fine="200.00",
        circumstance="lighter",
    ),
    Scenario(
        "closed",
        "投诉举报：某火锅店油烟净化设施不正常使用，超标排放油烟",
        "经营的火锅店油烟净化设施不正常使用，超标排放油烟",
        "CG-0017",
        _org(24, "聊城市蜀香源餐饮有限公司", "杨静怡"),
        "东昌府区柳园路",
        END,
        filed_days_ago=80,
        fine="25000.00",
    ),
    Scenario(
        "closed_simple",
        "巡查发现在路灯杆上张贴小广告",
        "在柳园路路灯杆上张贴小广告",
        "CG-0002",
        _person(25, "徐子健", "19990115"),
        "东昌府区柳园路",
        END,
        started_days_ago=12,
        warning=True,
        procedure="simple",
    ),
)


# A real (if plain) picture for the evidence: a 160×120 PNG of a grey wall with a white notice.
def _png() -> bytes:
    width, height = 160, 120
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            paper = 50 <= x <= 110 and 30 <= y <= 90
            line = paper and y % 10 == 0 and 58 <= x <= 102
            shade = (40, 40, 40) if line else (245, 245, 235) if paper else (150, 150, 140)
            row += bytes(shade)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


class _Days:
    """Working days back and forth from today, never past the last working day up to today."""

    def __init__(self, cal: WorkingCalendar, today: dt.date) -> None:
        self.cal = cal
        self.today = today
        self.last_day = self.back(today, 0)

    def back(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day before `day` (n = 0: `day` itself or the one before it)."""
        while n > 0 or not self.cal.is_working_day(day):
            day -= dt.timedelta(days=1)
            if self.cal.is_working_day(day):
                n -= 1
        return day

    def forward(self, day: dt.date, n: int) -> dt.date:
        while n > 0 and day < self.last_day:
            day += dt.timedelta(days=1)
            if self.cal.is_working_day(day):
                n -= 1
        return min(day, self.last_day)


@dataclass(frozen=True)
class _Action:
    day: dt.date
    scenario: int
    index: int  # the step's place in the scenario
    step: str  # a step code, or "register"


def _plan(n: int, s: Scenario, days: _Days) -> list[_Action]:
    """The days a scenario's steps were taken."""
    if s.procedure == "simple":
        day = days.back(days.today, s.started_days_ago)
        record = days.forward(day, GAPS["simple_record"])
        return [
            _Action(day, n, 0, "register"),
            _Action(day, n, 1, "simple_decide"),
            _Action(day, n, 2, "simple_execute"),
            _Action(record, n, 3, "simple_record"),
        ]
    if s.filed_days_ago:
        # 立案 on that day (the limits depend on it), or on the working day just before it.
        filed = days.today - dt.timedelta(days=s.filed_days_ago)
        working = days.back(filed, 0)
        filed = working if (filed - working).days <= 2 else filed
        day = days.back(filed, 4)
    else:
        day = days.back(days.today, s.started_days_ago)
    out = [_Action(day, n, 0, "register")]
    stop = len(STEPS) if s.until == END else STEPS.index(s.until)
    for i, code in enumerate(STEPS[1:stop], start=1):
        day = days.forward(day, s.gaps.get(code, GAPS[code]))
        out.append(_Action(day, n, i, code))
    return out


def _moments(actions: list[_Action], now: dt.datetime) -> list[dt.datetime]:
    """A time for each action (sorted by day): from 09:00 a quarter of an hour apart; today's
    squeezed before now."""
    out: list[dt.datetime] = []
    now = now.astimezone(SHANGHAI)
    for a in actions:
        start = dt.datetime.combine(a.day, dt.time(9, 0), tzinfo=SHANGHAI)
        out.append(max(start, out[-1] + dt.timedelta(minutes=15)) if out else start)
    late = [i for i, m in enumerate(out) if m >= now - dt.timedelta(minutes=1)]
    for k, i in enumerate(late):
        out[i] = now - dt.timedelta(seconds=10 * (len(late) + 1 - k))
    return out


def _payloads(
    s: Scenario, staff: dict[str, User], case: Case, on: dt.date
) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """(persona, decision, data) of each step of the general procedure for this scenario."""
    handler, co = staff[s.handler], staff[s.co_handler]
    day = on.isoformat()
    party = case.parties.get()
    penalties: list[dict[str, str]] = [{"type": "fine", "amount": s.fine}]
    if s.warning:
        penalties = [{"type": "warning"}]
    name = party.name
    return {
        "lead_approve": ("chief", "file", {"opinion": "线索属实，属于本机关管辖，同意立案调查"}),
        "filing_request": (
            s.handler,
            "submit",
            {
                "matter_code": s.matter,
                "co_handler": co.username,
                "summary": s.clue,
            },
        ),
        "filing_review": ("chief", "approve", {"opinion": "符合立案条件，同意"}),
        "filing_approve": ("director", "approve", {"opinion": "批准立案"}),
        "investigation": (
            s.handler,
            "submit",
            {
                "records": [
                    {
                        "kind": "inspection",
                        "title": "现场检查笔录",
                        "place": s.place,
                        "officers": [handler.pk, co.pk],
                        "content": f"经现场检查，{name}{s.fact}，已拍照取证",
                    },
                    {
                        "kind": "inquiry",
                        "title": "询问笔录",
                        "place": "聊城市城市管理局",
                        "officers": [handler.pk, co.pk],
                        "content": f"{name}对违法事实予以承认",
                    },
                ]
            },
        ),
        "investigation_report": (
            s.handler,
            "submit",
            {
                "facts": f"经查，{name}{s.fact}，事实清楚，证据确凿",
                "basis": "见权责事项所列处罚依据",
                "proposals": [
                    {
                        "party": party.index,
                        "outcome": "penalty",
                        "penalties": penalties,
                        "circumstance": s.circumstance,
                    }
                ],
            },
        ),
        "investigation_review": ("chief", "approve", {"opinion": "事实清楚，证据充分，同意"}),
        "legal_review": (
            "legal",
            "approve",
            {"opinion": "执法主体合法，事实清楚，证据确凿，适用依据正确，程序合法，裁量适当"},
        ),
        "penalty_approve": ("director", "approve", {"opinion": "同意拟处罚意见"}),
        "notice_issue": (s.handler, "submit", {"served_on": day}),
        "notice_response": (
            s.handler,
            "submit",
            {
                "responses": [
                    {
                        "party": party.index,
                        "kind": "statement",
                        "statement": "已认识到错误，已整改完毕，请求从轻处罚",
                    }
                ]
            },
        ),
        "notice_review": (
            "chief",
            "reject",
            {"opinion": "当事人所述整改情况属实，但拟处罚已在裁量基准内，不予采纳"},
        ),
        "decision_approve": ("director", "approve", {"opinion": "同意作出处罚决定"}),
        "decision_issue": (
            s.handler,
            "submit",
            {
                "decisions": [
                    {
                        "party": party.index,
                        "outcome": "penalty",
                        "penalties": penalties,
                        "facts": f"经查，{name}{s.fact}",
                        "basis": "见权责事项所列处罚依据",
                        "performance": "自收到本决定书之日起十五日内缴至指定银行",
                    }
                ]
            },
        ),
        "delivery": (
            s.handler,
            "submit",
            {
                "deliveries": [
                    {
                        "party": party.index,
                        "method": "direct",
                        "delivered_on": day,
                        "receiver": party.legal_rep or name,
                    }
                ]
            },
        ),
        "execution": (
            s.handler,
            "submit",
            {
                "executions": [
                    {"party": party.index, "kind": "paid", "paid_on": day, "amount": s.fine}
                ]
            },
        ),
        "closing_approve": ("chief", "approve", {"opinion": "处罚决定已执行完毕，同意结案"}),
    }


def _register(s: Scenario, staff: dict[str, User], day: dt.date) -> Case:
    return case_register(
        actor=staff[s.handler],
        procedure=s.procedure,
        source="complaint" if "举报" in s.clue or "投诉" in s.clue else "patrol",
        clue=s.clue,
        discovered_on=day,
        act_on=day - dt.timedelta(days=0 if s.procedure == "simple" else 2),
        place=s.place,
        matter_code=s.matter if s.procedure == "simple" else None,
        parties=[s.party],
    )


def _simple_payload(s: Scenario, step: str) -> tuple[str, str, dict[str, Any]]:
    if step == "simple_decide":
        data = {
            "certificate_shown": True,
            "facts": f"{s.party['name']}{s.fact}",
            "basis": "《城市市容和环境卫生管理条例》第三十四条第（二）项",
            "place": s.place,
            "penalties": [{"type": "warning"}],
            "delivered_on_spot": True,
        }
        return s.handler, "submit", data
    if step == "simple_execute":
        return s.handler, "submit", {"kind": "none"}
    return "chief", "approve", {"opinion": "已备案"}


def _act(s: Scenario, staff: dict[str, User], case: Case, a: _Action) -> Case:
    if a.step == "investigation" and not case.evidence.exists():
        evidence_add(
            case_id=case.pk,
            actor=staff[s.handler],
            kind="photo",
            title="现场照片",
            content=_png(),
            filename="现场照片.png",
            content_type="image/png",
        )
    if s.procedure == "simple":
        persona, decision, data = _simple_payload(s, a.step)
    else:
        persona, decision, data = _payloads(s, staff, case, a.day)[a.step]
    return case_act(
        case_id=case.pk, actor=staff[persona], step=a.step, decision=decision, data=data
    )


def live_cases_present() -> bool:
    return Case.objects.filter(
        unit__code=UNIT.upper(), clue__in=[s.clue for s in SCENARIOS], imported=False
    ).exists()


def live_cases_load(*, cal: WorkingCalendar) -> list[Case]:
    """Drive every scenario, the steps of all of them in the order of their days (so the case
    numbers follow the filing dates). The caller holds the transaction."""
    staff = {k: User.objects.get(username=f"{UNIT}-{k}") for k in STAFF}
    days = _Days(cal, clock.today())
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
    keys = [s.key for s in SCENARIOS]
    _preserve_evidence(cases[keys.index("investigation")], staff)
    return [cases[n] for n in range(len(SCENARIOS))]


def _preserve_evidence(case: Case, staff: dict[str, User]) -> None:
    """The case under investigation keeps evidence today (行政处罚法第五十六条): approved by the
    head, carried out by its two officers, its 7 working days running."""
    officer = case.handler
    item = preservation_request(
        case_id=case.pk,
        actor=officer,
        items=[
            {"name": "管线铺设施工机具（小型挖掘机）", "quantity": "1台", "note": "现场停放"},
            {"name": "待铺设PE管材", "quantity": "12根", "note": "直径110毫米"},
        ],
        reason="当事人正在回填沟槽，开挖现场和施工机具可能灭失或者以后难以取得",
    )
    preservation_approve(
        case_id=case.pk,
        actor=staff["director"],
        preservation_id=item.pk,
        approved=True,
        opinion="同意先行登记保存",
    )
    preservation_carry_out(
        case_id=case.pk, actor=officer, preservation_id=item.pk, on=clock.today()
    )
