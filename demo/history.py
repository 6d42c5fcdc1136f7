"""Demo history: what a city that switched to the platform brings with it and has done since.

`history_load` fills a fresh demo database so that every page shows content, only through the
platform's own code paths:

1. the previous year and the current year up to yesterday as ``zhifa.case/1`` and
   ``zhifa.inspection/1`` records (deterministic, seeded), imported by
   ``exchange.load.import_lines`` like any city's old-system data. The records use the demo's
   units (their real regions, so each row of the forms fills) and the 权责清单's matters, fines
   inside the matter's 裁量基准 (a few deliberately outside it, a few decided late or decided on
   the spot above the Art. 51 limits, so the irregularity rules find something);
2. 填报 of the 行政许可 and 行政征收征用 forms by the units' section chiefs (``report_submit``);
3. a handful of live cases of 聊城市城市管理局, driven through the engine (``case_register`` /
   ``case_act``) by the demo personas under a clock set back in time, left at various steps;
4. the deadline worker's pass, the irregularity scan, two supervision items sent to units (one
   answered) and a 案卷评查 drawn at random and partly scored.

Each part detects whether it is present already, so loading twice changes nothing. The imported
records carry old-system numbers (``聊城管罚立字〔2025〕第0001号``), a series apart from the
platform's own (``聊城管罚立〔2026〕1号``), so the two never collide.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from catalog.services import DATA_DIR as CATALOG_DIR
from demo.demo import GIVEN, SURNAMES
from law.calendar import CalendarNotCovered
from law.validators import make_credit_code, make_id_card
from orgs.services import DATA_DIR

DEFAULT_SIZE = 3000  # cases of the previous year; the current year to date pro rata
SOURCE = "演示历史数据"
CGJ = "371500-CGJ"
SUPERVISOR = "371500-sfj-supervisor"

# Each row of the forms: 市直 and the eight counties, weighted roughly like the seed's 2022 table
# without its two outliers.
REGION_WEIGHTS = {
    "371500": 20,
    "371502": 14,
    "371503": 8,
    "371581": 11,
    "371525": 10,
    "371522": 10,
    "371521": 10,
    "371524": 7,
    "371526": 10,
}


@dataclass(frozen=True)
class Domain:
    city_unit: str  # unit code suffix at city level
    county_unit: str  # … and in a county
    weight: int
    person_share: float  # share of cases against a 公民
    industries: tuple[str, ...]


DOMAINS: dict[str, Domain] = {
    "城管": Domain(
        "CGJ", "ZHZF", 28, 0.6, ("商贸", "餐饮管理", "建筑工程", "装饰工程", "广告传媒")
    ),
    "市场监管": Domain("SCJG", "SCJG", 30, 0.35, ("食品", "商贸", "超市", "医药", "电器")),
    "交通运输": Domain("JTJ", "JTJ", 20, 0.7, ("物流", "运输", "货运")),
    "生态环境": Domain("SHJ", "SHJ", 8, 0.1, ("化工", "建材", "机械制造", "纺织")),
    "水利": Domain("SLJ", "SLJ", 8, 0.5, ("建筑工程", "农业开发", "砂石")),
    "商务": Domain("SWJ", "SWJ", 6, 0.1, ("健身服务", "教育咨询", "美容美发", "商贸")),
}
BRANDS = "鑫源 恒通 华宇 金达 顺发 瑞丰 宏达 信诚 安泰 众合 永盛 天成 嘉禾 润泽 鼎盛 万利 昌隆 兴业"
MORE_GIVEN = ("晓燕", "国华", "玉梅", "俊杰", "淑珍", "建军", "丽华", "文涛", "秀兰", "海龙")
SOURCES = (
    ("patrol", 40),
    ("complaint", 25),
    ("random_inspection", 12),
    ("monitoring", 10),
    ("referred", 6),
    ("assigned", 4),
    ("other", 3),
)


def _load(path: str, base: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((base / path).read_text(encoding="utf-8"))
    return rows


def _weekday(rng: random.Random, year: int) -> dt.date:
    while True:
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        if day.weekday() < 5:
            return day


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):f}"


def _round_into(rng: random.Random, lo: Decimal, hi: Decimal) -> Decimal:
    """A round figure inside [lo, hi] (fines are decided in round amounts)."""
    step = Decimal(10) if hi <= 2000 else Decimal(100) if hi <= 50_000 else Decimal(1000)
    first = max(math.ceil(lo / step), 1)
    last = math.floor(hi / step)
    if last < first:
        return hi.quantize(Decimal("0.01"))
    return step * rng.randint(first, last)


def _matter_weight(m: Mapping[str, Any]) -> float:
    if m["code"] == "JT-0001":
        return 12.0  # 治超: by far the most frequent case of a 交通运输局
    band = m.get("legal_band")
    top = Decimal(band["max"]) if band else None
    weight = 3.0 if top is None and not m.get("multiple") else 1.0
    if top is not None:
        weight = 4.0 if top <= 5000 else 2.0 if top <= 50_000 else 1.0
    return weight * (0.4 if m.get("major") else 1.0)


def _party_kind(rng: random.Random, m: Mapping[str, Any], domain: Domain) -> str:
    name = str(m["name"])
    types = set(m["penalty_types"])
    if "（个人）" in name or "restrict_practice" in types or "焚烧秸秆" in name:
        return "person"
    if "单位" in name or "企业" in name or "排污" in name:
        return "organisation"
    return "person" if rng.random() < domain.person_share else "organisation"


@dataclass
class _People:
    """Invented parties: names and check-digit-valid numbers, reused now and then (repeat
    offenders are what the case search and the party history are for)."""

    rng: random.Random
    regions: dict[str, str]
    persons: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    orgs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    serial: int = 0

    def person(self, region: str) -> tuple[str, str]:
        pool = self.persons.setdefault(region, [])
        if pool and self.rng.random() < 0.08:
            return self.rng.choice(pool)
        self.serial += 1
        rng = self.rng
        given = GIVEN + list(MORE_GIVEN)
        name = rng.choice(SURNAMES) + rng.choice(given)
        birth = dt.date(1958, 1, 1) + dt.timedelta(days=rng.randrange(365 * 42))
        area = "371502" if region == "371500" else region  # the city's own district
        number = make_id_card(f"{area}{birth:%Y%m%d}{self.serial % 1000:03d}")
        pool.append((name, number))
        return pool[-1]

    def org(self, region: str, domain: Domain) -> tuple[str, str]:
        pool = self.orgs.setdefault(region, [])
        if pool and self.rng.random() < 0.1:
            return self.rng.choice(pool)
        self.serial += 1
        rng = self.rng
        name = f"{self.regions[region]}{rng.choice(BRANDS.split())}{rng.choice(domain.industries)}"
        name += "有限公司" if rng.random() < 0.85 else "经营部"
        number = make_credit_code(f"91{region}MA{self.serial % 10_000_000:07d}")
        pool.append((name, number))
        return pool[-1]


def _penalties(
    rng: random.Random, m: Mapping[str, Any], outside: bool
) -> tuple[list[dict[str, str]], bool]:
    """The penalty items of one decision (types the matter allows, fines inside its band); with
    `outside`, a fine above the band when there is one (the flag returned says so)."""
    types = list(m["penalty_types"])
    if "fine" not in types:
        choice = rng.choice(types)
        if choice in ("confiscate_gains", "confiscate_property"):
            return [{"type": choice, "amount": f"{rng.randint(5, 200) * 100}.00"}], False
        return [{"type": choice}], False
    items: list[dict[str, str]] = []
    if "warning" in types and rng.random() < 0.3:
        items.append({"type": "warning"})
        if rng.random() < 0.7:
            return items, False
    bands, legal, multiple = m.get("bands"), m.get("legal_band"), m.get("multiple")
    outside = outside and bool(bands)
    if bands:
        circumstance = rng.choices(("lighter", "ordinary", "heavier"), (35, 50, 15))[0]
        band = bands[circumstance]
        lo, hi = Decimal(band["min"]), Decimal(band["max"])
        fine = _round_into(rng, lo, hi)
        if outside:
            top = max(Decimal(b["max"]) for b in bands.values())
            fine = (top * Decimal("1.3")).quantize(Decimal(1))
    elif legal:
        lo, hi = Decimal(legal["min"]), Decimal(legal["max"])
        if m["code"] == "JT-0001" and rng.random() < 0.85:
            hi = min(hi, Decimal(5000))  # most overloads are small
        fine = _round_into(rng, lo, hi)
    elif multiple:
        base = Decimal(rng.choice((2000, 5000, 8000, 12_000, 20_000, 50_000)))
        low = Decimal(str(multiple["min"])) or Decimal(str(multiple["max"])) / 5
        factor = low + (Decimal(str(multiple["max"])) - low) * Decimal(rng.random())
        fine = _round_into(rng, base * low, max(base * factor, base * low))
    else:
        fine = Decimal(rng.choice((200, 300, 500, 1000, 2000, 3000, 5000)))
    items.append({"type": "fine", "amount": _money(fine)})
    for extra, share in (
        ("confiscate_gains", 0.12),
        ("confiscate_property", 0.08),
        ("suspend_business", 0.03),
        ("revoke_permit", 0.01),
        ("close", 0.005),
    ):
        if extra in types and rng.random() < share:
            item = {"type": extra}
            if extra.startswith("confiscate"):
                item["amount"] = f"{rng.randint(2, 300) * 100}.00"
            items.append(item)
    return items, outside


def _simple_allowed(items: list[dict[str, str]], kind: str) -> bool:
    """行政处罚法第五十一条: a warning, or a fine up to 200 元 (公民) / 3,000 元 (组织)."""
    if any(i["type"] not in ("warning", "fine") for i in items):
        return False
    fine = sum((Decimal(i["amount"]) for i in items if i["type"] == "fine"), Decimal(0))
    return fine <= (200 if kind == "person" else 3000)


@dataclass
class _Case:
    """One generated case before numbering (dates may still lie past the cut-off)."""

    unit: dict[str, str]
    short: str
    simple: bool
    matter: dict[str, str]
    source: str
    filed: dt.date
    decided: dt.date | None
    closed: dt.date | None
    transferred: dt.date | None
    party: dict[str, Any]
    outcome: str
    penalties: list[dict[str, str]]
    reconsideration: dict[str, Any] | None
    litigation: dict[str, Any] | None
    measures: list[tuple[str, dt.date]]
    enforcements: list[tuple[str, dt.date]]


def _year_cases(
    year: int, size: int, units: dict[str, dict[str, Any]], matters: list[dict[str, Any]]
) -> Iterator[_Case]:
    rng = random.Random(f"zhifa-demo-history:{year}:{size}")
    regions = {r["code"]: r["name"] for r in _load("regions.json", DATA_DIR)}
    people = _People(rng, regions)
    region_codes, region_weights = zip(*REGION_WEIGHTS.items(), strict=True)
    domain_names = list(DOMAINS)
    domain_weights = [DOMAINS[d].weight for d in domain_names]
    sources, source_weights = zip(*SOURCES, strict=True)
    # Irregularities the scan is to find, a fixed share whatever the size: each falls on the next
    # case it fits (行政处罚法第六十条, 第三十四条, 第五十一条).
    owed = {"late": 0, "outside": 0, "onsite": 0}
    for i in range(size):
        owed["late"] += i % 150 == 7
        owed["outside"] += i % 250 == 31
        owed["onsite"] += i % 500 == 53
        region = rng.choices(region_codes, region_weights)[0]
        name = rng.choices(domain_names, domain_weights)[0]
        domain = DOMAINS[name]
        code = f"{region}-{domain.city_unit if region == '371500' else domain.county_unit}"
        unit = units[code]
        filed = _weekday(rng, year)
        usable = [
            m
            for m in matters
            if m["domain"] == name
            and code in m.get("implementing_units", [])
            and m["penalty_types"]
            and (not m.get("valid_from") or dt.date.fromisoformat(m["valid_from"]) <= filed)
            and (not m.get("valid_until") or filed <= dt.date.fromisoformat(m["valid_until"]))
        ]
        matter = rng.choices(usable, [_matter_weight(m) for m in usable])[0]
        kind = _party_kind(rng, matter, domain)
        pname, number = people.person(region) if kind == "person" else people.org(region, domain)
        items, outside = _penalties(rng, matter, owed["outside"] > 0)
        r = rng.random()
        lenient = bool(matter.get("lenient"))
        if (lenient and r < 0.25) or r < 0.03:
            outcome, items = "no_penalty", []
        elif name in ("市场监管", "生态环境") and r < 0.05:
            outcome, items = "transfer", []  # 涉嫌犯罪，移送公安机关
        else:
            outcome = "penalty"
            owed["outside"] -= outside
        simple = outcome == "penalty" and _simple_allowed(items, kind) and rng.random() < 0.75
        if (
            owed["onsite"]
            and outcome == "penalty"
            and kind == "person"
            and not simple
            and [i["type"] for i in items] == ["fine"]
            and Decimal(items[0]["amount"]) <= 1000
        ):
            simple = True  # decided on the spot above the 200 元 limit
            owed["onsite"] -= 1
        payable = any(i["type"] in ("fine", "confiscate_gains") for i in items)
        transferred = None
        measures: list[tuple[str, dt.date]] = []
        enforcements: list[tuple[str, dt.date]] = []
        if simple:
            decided: dt.date = filed
            closed: dt.date | None = filed + dt.timedelta(days=rng.randint(0, 3))
        else:
            late = owed["late"] > 0 and outcome == "penalty"
            owed["late"] -= late
            days = rng.randint(95, 140) if late else int(rng.triangular(10, 85, 35))
            decided = filed + dt.timedelta(days=days)
            closed = decided + dt.timedelta(
                days=rng.randint(6, 40) if payable else rng.randint(2, 15)
            )
            if outcome == "transfer":
                transferred = decided
            elif payable and rng.random() < 0.03:
                # Not paid: 申请人民法院强制执行 after the time for review and suit (行政强制法
                # 第五十三条); the case stays open until the court acts.
                closed = None
                enforcements.append(("court", decided + dt.timedelta(days=rng.randint(100, 150))))
            elif payable and rng.random() < 0.025:
                when = decided + dt.timedelta(days=rng.randint(16, 40))
                enforcements.append(("surcharge", when))
                closed = max(closed, when)
            measure = {
                "市场监管": (0.04, ("seize", "seize", "seal_up")),
                "生态环境": (0.08, ("seal_up", "seal_up", "seize")),
                "城管": (0.02, ("seal_up",)),
                "交通运输": (0.04, ("seize",)),
            }.get(name)
            if measure and rng.random() < measure[0]:
                mtype = rng.choice(measure[1])
                if name == "市场监管" and rng.random() < 0.05:
                    mtype = "freeze"
                measures.append((mtype, filed + dt.timedelta(days=rng.randint(0, 2))))
                if rng.random() < 0.08:
                    enforcements.append(("auction", decided + dt.timedelta(days=30)))
            if name == "城管" and rng.random() < 0.03:
                etype = "substitute" if rng.random() < 0.25 else "restore"
                enforcements.append((etype, decided + dt.timedelta(days=rng.randint(15, 60))))
            if payable and rng.random() < 0.003:
                enforcements.append(("transfer_funds", decided + dt.timedelta(days=45)))
        reconsideration = litigation = None
        if outcome == "penalty" and not simple:
            if rng.random() < 0.015:
                result = rng.choices(("upheld", "corrected", None), (80, 15, 5))[0]
                filed_on = decided + dt.timedelta(days=rng.randint(10, 55))
                reconsideration = {"filed_on": filed_on, "result": result}
            elif rng.random() < 0.007:
                result = rng.choices(("upheld", "corrected", None), (70, 10, 20))[0]
                filed_on = decided + dt.timedelta(days=rng.randint(30, 170))
                litigation = {"filed_on": filed_on, "result": result}
        yield _Case(
            unit={"code": code, "name": unit["name"], "region": unit["region"]},
            short=unit.get("short") or unit["name"],
            simple=simple,
            matter={"code": matter["code"], "name": matter["name"]},
            source=rng.choices(sources, source_weights)[0],
            filed=filed,
            decided=decided,
            closed=closed,
            transferred=transferred,
            party={"kind": kind, "name": pname, "id_number": number},
            outcome=outcome,
            penalties=items,
            reconsideration=reconsideration,
            litigation=litigation,
            measures=measures,
            enforcements=enforcements,
        )


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def history_records(*, first_year: int, until: dt.date, size: int) -> list[dict[str, Any]]:
    """The exchange records of the demo history: `size` cases a year (the same ones for the same
    year and size), from `first_year` through `until` (nothing dated after it), then the
    inspections. Pure and deterministic: the tests recompute the forms from it."""
    units = {u["code"]: u for u in _load("units.json", DATA_DIR)}
    matters = _load("matters.json", CATALOG_DIR)
    cases: list[_Case] = []
    for year in range(first_year, until.year + 1):
        for c in _year_cases(year, size, units, matters):
            if c.filed > until:
                continue
            if c.decided is not None and c.decided > until:
                c.decided = c.closed = c.transferred = None
                c.reconsideration = c.litigation = None
            if c.closed is not None and c.closed > until:
                c.closed = None
            for review in ("reconsideration", "litigation"):
                r = getattr(c, review)
                if r is not None and r["filed_on"] > until:
                    setattr(c, review, None)
            c.measures = [(t, on) for t, on in c.measures if on <= until]
            c.enforcements = [(t, on) for t, on in c.enforcements if on <= until]
            cases.append(c)
    # Old-system numbers: per unit and year, in the order of filing / deciding.
    cases.sort(key=lambda c: c.filed)
    case_no: dict[int, str] = {}
    decision_no: dict[int, str] = {}
    counters: dict[tuple[str, str, int], int] = {}

    def number(key: tuple[str, str, int]) -> int:
        counters[key] = counters.get(key, 0) + 1
        return counters[key]

    for i, c in enumerate(cases):
        if c.simple:
            continue
        n = number((c.unit["code"], "filed", c.filed.year))
        case_no[i] = f"{c.short}罚立字〔{c.filed.year}〕第{n:04d}号"
    for i, c in sorted(enumerate(cases), key=lambda p: (p[1].decided or dt.date.max, p[0])):
        if c.decided is None:
            continue
        label = "当罚决" if c.simple else "罚决" if c.outcome == "penalty" else "不罚决"
        if c.outcome == "transfer":
            label = "移送"
        n = number((c.unit["code"], label, c.decided.year))
        decision_no[i] = f"{c.short}{label}字〔{c.decided.year}〕第{n:04d}号"
        if c.simple:
            case_no[i] = decision_no[i]
    records: list[dict[str, Any]] = []
    for i, c in enumerate(cases):
        decision = None
        if c.decided is not None:
            decision = {
                "no": decision_no[i],
                "decided_on": _day(c.decided),
                "outcome": c.outcome,
                "penalties": c.penalties,
                "reconsideration": _review(c.reconsideration),
                "litigation": _review(c.litigation),
            }
        records.append(
            {
                "schema": "zhifa.case/1",
                "unit": c.unit,
                "case_no": case_no[i],  # a simple case is decided the day it is filed
                "procedure": "simple" if c.simple else "general",
                "matter": c.matter,
                "source": c.source,
                "filed_on": _day(c.filed),
                "closed_on": _day(c.closed),
                "transferred_on": _day(c.transferred),
                "parties": [{**c.party, "decision": decision}],
                "coercive_measures": [{"type": t, "on": _day(on)} for t, on in c.measures],
                "enforcements": [{"type": t, "on": _day(on)} for t, on in c.enforcements],
            }
        )
    records.extend(_inspections(first_year, until, size, units))
    return records


def _review(r: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if r is None else {"filed_on": _day(r["filed_on"]), "result": r["result"]}


def _inspections(
    first_year: int, until: dt.date, size: int, units: dict[str, dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    agencies = [u for u in units.values() if u["kind"] in ("agency", "township")]
    regions = {r["code"]: r["name"] for r in _load("regions.json", DATA_DIR)}
    for year in range(first_year, until.year + 1):
        rng = random.Random(f"zhifa-demo-inspections:{year}:{size}")
        people = _People(rng, regions)
        rows = []
        for _ in range(max(size // 8, 10)):
            unit = rng.choice(agencies)
            on = _weekday(rng, year)
            if on > until:
                continue
            targets = []
            for _t in range(1 if rng.random() < 0.8 else 2):
                domain = DOMAINS["市场监管"]
                name, number = people.org(unit["region"], domain)
                targets.append({"kind": "organisation", "name": name, "id_number": number})
            rows.append((on, unit, targets))
        rows.sort(key=lambda r: r[0])
        counters: dict[str, int] = {}
        for on, unit, targets in rows:
            counters[unit["code"]] = counters.get(unit["code"], 0) + 1
            short = unit.get("short") or unit["name"]
            yield {
                "schema": "zhifa.inspection/1",
                "unit": {"code": unit["code"], "name": unit["name"], "region": unit["region"]},
                "inspection_no": f"{short}检字〔{year}〕第{counters[unit['code']]:04d}号",
                "on": on.isoformat(),
                "kind": rng.choices(
                    ("random", "routine", "special", "complaint", "other"), (40, 35, 15, 8, 2)
                )[0],
                "targets": targets,
                "result": rng.choices(("no_problem", "problem_found", "case_filed"), (70, 25, 5))[
                    0
                ],
            }


# --- loading: import, 填报, live cases, worker, scan, items, 案卷评查 -------------------------

COUNTIES = tuple(code for code in REGION_WEIGHTS if code != "371500")
PERMIT_UNITS = (
    "371500-XZSP",
    "371500-JTJ",
    "371500-SHJ",
    "371500-SLJ",
    *(f"{c}-SCJG" for c in COUNTIES),
    *(f"{c}-JTJ" for c in COUNTIES),
)
LEVY_UNITS = ("371500-ZRZY", "371500-ZJJ", "371500-CGJ", *(f"{c}-ZHZF" for c in COUNTIES))


@dataclass
class HistorySummary:
    first_year: int
    until: dt.date
    present: bool = False  # the history was there already: nothing imported this time
    cases: int = 0
    inspections: int = 0
    reports: int = 0
    live: int = 0
    live_note: str = ""
    items: int = 0
    drawn: int = 0
    matters: int = 0

    def line(self) -> str:
        imported = (
            "历史数据已存在，未重复导入"
            if self.present
            else f"导入{self.first_year}年1月1日至{self.until:%Y年%m月%d日}"
            f"案件{self.cases}件、行政检查{self.inspections}次"
        )
        live = self.live_note or f"聊城市城市管理局在办及已结演示案件{self.live}件"
        return (
            f"演示历史：{imported}；{live}；填报{self.reports}份；"
            f"监督事项{self.items}项；执法监督事项{self.matters}项；案卷评查抽取{self.drawn}件"
        )


def history_present() -> bool:
    """Imported records exist (the demo's or a city's own): never import the demo over them."""
    from cases.models import Case
    from inspections.models import Inspection

    return (
        Case.objects.filter(imported=True).exists()
        or Inspection.objects.filter(imported=True).exists()
    )


def history_load(*, size: int = DEFAULT_SIZE) -> HistorySummary:
    """Load every part of the demo history that is not there yet (see the module docstring)."""
    from deadlines.services import run_worker_once
    from demo.disclosure import publications_load
    from demo.oversight import oversight_demo_load
    from exchange.export import dump
    from exchange.load import import_lines
    from supervision.models import FormReport, Item
    from supervision.services import supervision_scan
    from zhifa import clock

    today = clock.today()
    summary = HistorySummary(first_year=today.year - 1, until=today - dt.timedelta(days=1))
    if history_present():
        summary.present = True
    else:
        records = history_records(first_year=summary.first_year, until=summary.until, size=size)
        report = import_lines(dump(records).splitlines(), source=SOURCE)
        summary.cases, summary.inspections = report.cases, report.inspections
    _reports(today)
    summary.reports = FormReport.objects.count()
    summary.live, summary.live_note = _live_cases()
    publications_load()  # 事后公示 of the live cases' decisions
    run_worker_once()  # the deadline worker's pass: approaching and overdue limits
    supervision_scan()
    _send_items()
    summary.items = Item.objects.count()
    summary.matters = oversight_demo_load()
    summary.drawn = _file_review(summary.first_year)
    return summary


def _chief(unit_code: str) -> Any:
    from orgs.models import User

    return User.objects.filter(username=f"{unit_code.lower()}-chief").first()


def _report_values(rng: random.Random, form: str, code: str, months: int) -> dict[str, str]:
    share = Decimal(months) / 12
    if form == "permit":
        scale = 12_000 if code.endswith("XZSP") else 3000 if code.startswith("371500") else 1500
        accepted = max(int(rng.randint(scale // 2, scale) * share), 1)
        refused = int(accepted * rng.uniform(0.01, 0.05))
        pending = int(accepted * rng.uniform(0, 0.03))
        revoked = rng.randint(0, max(accepted // 500, 1))
        return {
            "accepted": str(accepted),
            "granted": str(accepted - refused - pending),
            "refused": str(refused),
            "revoked": str(revoked),
        }
    fees = 0 if code.endswith("ZJJ") else max(int(rng.randint(200, 3000) * share), 1)
    amount = Decimal(rng.randint(500, 30_000)) / 100 * share if fees else Decimal(0)
    expropriations = {"ZRZY": (10, 60), "ZJJ": (5, 30)}.get(code.split("-")[1], (0, 0))
    return {
        "fees": str(fees),
        "fee_amount": f"{amount.quantize(Decimal('0.01')):f}",
        "expropriations": str(int(rng.randint(*expropriations) * share)),
        "requisitions": str(rng.randint(0, 2)),
    }


def _reports(today: dt.date) -> None:
    """填报 of the 行政许可 and 行政征收征用 forms by each unit's section chief: the previous year,
    and the current year through the last month ended."""
    from orgs.models import Unit
    from supervision.models import FormReport
    from supervision.services import report_submit

    periods = [(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31), 12)]
    if today.month > 1:
        periods.append(
            (
                dt.date(today.year, 1, 1),
                today.replace(day=1) - dt.timedelta(days=1),
                today.month - 1,
            )
        )
    units = {u.code: u for u in Unit.objects.filter(code__in=[*PERMIT_UNITS, *LEVY_UNITS])}
    for form, codes in (("permit", PERMIT_UNITS), ("levy", LEVY_UNITS)):
        for code in codes:
            unit, chief = units.get(code), _chief(code)
            if unit is None or chief is None:
                continue
            for start, end, months in periods:
                if FormReport.objects.filter(
                    unit=unit, form=form, period_start=start, period_end=end
                ).exists():
                    continue
                rng = random.Random(f"zhifa-demo-report:{form}:{code}:{start}:{end}")
                report_submit(
                    actor=chief,
                    unit=unit,
                    form=form,
                    period_start=start,
                    period_end=end,
                    values=_report_values(rng, form, code, months),
                )


def _live_cases() -> tuple[int, str]:
    """The live cases of 城管局, all or none; a note instead when they cannot be made."""
    from deadlines.services import working_calendar
    from demo.cases import SCENARIOS, live_cases_load, live_cases_present
    from procedure.engine import Refused

    if live_cases_present():
        return len(SCENARIOS), _enforcement_cases()
    try:
        with transaction.atomic():
            return len(live_cases_load(cal=working_calendar())), _enforcement_cases()
    except (Refused, CalendarNotCovered) as exc:
        # A year the holiday table does not cover yet (calendar_load) or a rule the scenarios
        # no longer meet: the rest of the demo stands without them.
        return 0, f"在办演示案件未能生成：{exc}"


def _enforcement_cases() -> str:
    """The 强制执行 demo cases (demo/enforcement.py), all or none: a note when they cannot be
    made, the rest of the demo standing without them."""
    from deadlines.services import working_calendar
    from demo.enforcement import enforcement_cases_load, enforcement_cases_present
    from procedure.engine import Refused

    if enforcement_cases_present():
        return ""
    try:
        with transaction.atomic():
            enforcement_cases_load(cal=working_calendar())
    except (Refused, CalendarNotCovered) as exc:
        return f"强制执行演示案件未能生成：{exc}"
    return ""


def _send_items() -> None:
    """Show the item workflow once: one 督办 answered by the unit, one 通报 awaiting its answer."""
    from orgs.models import User
    from supervision.models import Item
    from supervision.services import item_answer, item_send

    items = Item.objects.select_related("unit").order_by("pk")
    if not items.exists() or items.exclude(status=Item.Status.RAISED).exists():
        return
    supervisor = User.objects.filter(username=SUPERVISOR).first()
    if supervisor is None:
        return
    first = items.filter(unit__code=CGJ).first() or items.first()
    assert first is not None
    item_send(
        actor=supervisor,
        item_id=first.pk,
        kind=Item.Kind.SUPERVISE,
        note="请对该案重新审查，于整改期限内书面答复",
    )
    chief = _chief(first.unit.code)
    if chief is not None:
        item_answer(
            actor=chief,
            item_id=first.pk,
            answer="已组织承办人员重新审查该案并开展专题学习，今后严格按照法定期限和裁量基准办案",
        )
    second = items.exclude(unit=first.unit).filter(unit__region_id__in=COUNTIES).first()
    if second is not None:
        item_send(actor=supervisor, item_id=second.pk, kind=Item.Kind.NOTICE)


def _file_review(year: int) -> int:
    """A 案卷评查 of the previous year's closed cases, two a unit at random, scored and
    published."""
    from orgs.models import User
    from procedure.engine import Refused
    from supervision import standards
    from supervision.models import FileReview
    from supervision.review_services import (
        file_review_create,
        file_review_publish,
        file_review_score,
    )

    name = f"{year}年度行政处罚案卷评查"
    review = FileReview.objects.filter(name=name).first()
    if review is None:
        supervisor = User.objects.filter(username=SUPERVISOR).first()
        if supervisor is None:
            return 0
        try:
            review = file_review_create(
                actor=supervisor,
                name=name,
                method=FileReview.Method.RANDOM,
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                per_unit=2,
                seed=f"demo-{year}",
            )
        except Refused:
            return 0  # no closed case that year
        rng = random.Random(f"zhifa-demo-file-review:{year}")
        std = standards.standard(review.standard)
        for entry in review.cases.order_by("pk"):
            scores = {i.code: i.points - rng.choice((0, 0, 0, 1, 2)) for i in std.items}
            scores = {k: max(v, 0) for k, v in scores.items()}
            reasons = {
                i.code: "个别文书要素不全，扣分" for i in std.items if scores[i.code] < i.points
            }
            file_review_score(
                actor=supervisor,
                entry_id=entry.pk,
                scores=scores,
                reasons=reasons,
                remarks="卷宗完整，文书规范" if sum(scores.values()) >= 95 else "个别文书要素不全",
            )
        # Published, so the units read their results and the dashboard ranks them.
        file_review_publish(actor=supervisor, review_id=review.pk)
    return review.cases.count()
