"""Parsing and validating the exchange format's lines into records (pure: no database).

``parse_line`` turns one line of ``zhifa.case/1`` or ``zhifa.inspection/1`` into a ``CaseRec`` or
``InspectionRec``; unknown fields are errors, and ``RecordError`` names the line and the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

from cases.models import Case
from coercion.models import CoerciveMeasure, Enforcement
from inspections.models import Inspection
from law.penalties import AMOUNT_TYPES, PenaltyType, validate_penalty_items
from law.reviews import Result as ReviewResult
from law.validators import credit_code_errors, id_card_errors
from procedure.vocab import CaseOutcome

CASE_SCHEMA = "zhifa.case/1"
INSPECTION_SCHEMA = "zhifa.inspection/1"

PROCEDURES = ("general", "simple")
PENALTY_CODES: dict[str, PenaltyType] = {t.value: t for t in PenaltyType}
PENALTY_CHOICES = tuple(PENALTY_CODES)
SOURCES = tuple(c.value for c in Case.Source)
PARTY_KINDS = ("person", "organisation", "other")
# The format's lists (../shared/exchange.md), spelled in the platform's own vocabularies.
OUTCOMES = tuple(
    o.value for o in (CaseOutcome.PENALTY, CaseOutcome.NO_PENALTY, CaseOutcome.TRANSFER)
)
REVIEW_RESULTS: tuple[str | None, ...] = (
    None,
    ReviewResult.UPHELD.value,
    ReviewResult.CORRECTED.value,
)
MEASURE_TYPES = tuple(c.value for c in CoerciveMeasure.Type)
ENFORCEMENT_TYPES = tuple(c.value for c in Enforcement.Type)
INSPECTION_KINDS = tuple(c.value for c in Inspection.Kind)
INSPECTION_RESULTS = tuple(c.value for c in Inspection.Result)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_TOTAL = Decimal("99999999999999.99")  # a decision's 罚没金额 column: 16 digits, 2 decimals
_AMOUNT = re.compile(r"\d{1,14}(\.\d{1,2})?")


_UNIT_FIELDS = frozenset({"code", "name", "region"})
_MATTER_FIELDS = frozenset({"code", "name"})
_PARTY_FIELDS = frozenset({"kind", "name", "id_number", "decision"})
_DECISION_FIELDS = frozenset(
    {"no", "decided_on", "outcome", "penalties", "reconsideration", "litigation"}
)
_TYPE = frozenset({"type"})
_AMOUNT_FIELD = frozenset({"amount"})
_REVIEW_FIELDS = frozenset({"filed_on", "result"})
_EVENT_FIELDS = frozenset({"type", "on"})
_INSPECTION_FIELDS = frozenset(
    {"schema", "unit", "inspection_no", "on", "kind", "targets", "result"}
)
_TARGET_FIELDS = frozenset({"kind", "name", "id_number"})


class RecordError(ValueError):
    """A line that cannot be imported: its line number, the field and why (Chinese)."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(f"第{line}行 {field}：{message}")
        self.line = line
        self.field = field
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a parser process, re-raised here
        return (RecordError, (self.line, self.field, self.message))


class _Bad(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message


# --- parsing one line ----------------------------------------------------------------------


def _obj(
    value: Any, path: str, required: frozenset[str], optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    if type(value) is dict and value.keys() == required:
        return value  # the usual line: exactly the fields it must have
    if not isinstance(value, dict):
        raise _Bad(path or "(记录)", "应为JSON对象")
    unknown = sorted(set(value) - required - optional)
    if unknown:
        raise _Bad(f"{path}.{unknown[0]}" if path else unknown[0], "未知字段")
    for name in sorted(required):
        if name not in value:
            raise _Bad(f"{path}.{name}" if path else name, "缺少必填字段")
    return value


def _str(value: Any, path: str, max_length: int, *, blank: bool = False) -> str:
    if not isinstance(value, str):
        raise _Bad(path, "应为字符串")
    text = value.strip()
    if not text and not blank:
        raise _Bad(path, "不能为空")
    if len(text) > max_length:
        raise _Bad(path, f"长度不能超过{max_length}个字符")
    if "\x00" in text:
        raise _Bad(path, "不能包含空字符（\\u0000）")  # no database stores it in text
    return text


def _date(value: Any, path: str, *, null: bool = False) -> dt.date | None:
    if value is None and null:
        return None
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise _Bad(path, "日期格式应为YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad(path, "日期无效") from None


def _code(value: Any, path: str, choices: tuple[str | None, ...]) -> Any:
    if value in choices:
        return value
    shown = "、".join(str(c) for c in choices if c is not None)
    raise _Bad(path, f"代码“{value}”无效，应为：{shown}")


def _amount(value: Any, path: str) -> Decimal:
    if not isinstance(value, str) or not _AMOUNT.fullmatch(value):
        raise _Bad(path, '金额应为以元为单位、最多两位小数的字符串，如"2000.00"')
    try:
        return Decimal(value)
    except InvalidOperation:
        raise _Bad(path, "金额无效") from None


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(path, "应为数组")
    return value


@dataclass(frozen=True, slots=True)
class UnitRef:
    code: str
    name: str
    region: str


@dataclass(slots=True)
class ReviewRec:
    filed_on: dt.date
    result: str | None


@dataclass(slots=True)
class DecisionRec:
    no: str
    decided_on: dt.date
    outcome: str
    penalties: list[tuple[PenaltyType, Decimal | None]]
    reconsideration: ReviewRec | None
    litigation: ReviewRec | None


@dataclass(slots=True)
class PartyRec:
    kind: str
    name: str
    id_number: str
    decision: DecisionRec | None


@dataclass(slots=True)
class CaseRec:
    line: int
    unit: UnitRef
    case_no: str
    procedure: str
    matter: tuple[str, str] | None
    source: str
    filed_on: dt.date
    closed_on: dt.date | None
    transferred_on: dt.date | None
    parties: list[PartyRec]
    measures: list[tuple[str, dt.date]]
    enforcements: list[tuple[str, dt.date]]


@dataclass(slots=True)
class InspectionRec:
    line: int
    unit: UnitRef
    inspection_no: str
    on: dt.date
    kind: str
    targets: list[tuple[str, str, str]]
    result: str


def _unit(value: Any) -> UnitRef:
    u = _obj(value, "unit", _UNIT_FIELDS)
    region = _str(u["region"], "unit.region", 6)
    if not re.fullmatch(r"\d{6}", region):
        raise _Bad("unit.region", "应为6位GB/T 2260行政区划代码")
    return UnitRef(_str(u["code"], "unit.code", 40), _str(u["name"], "unit.name", 100), region)


def _id_number(kind: str, value: Any, path: str) -> str:
    if kind == "other":
        if value is None:
            return ""
        return _str(value, path, 18, blank=True)
    number = _str(value, path, 18).upper()
    errors = id_card_errors(number) if kind == "person" else credit_code_errors(number)
    if errors:
        raise _Bad(path, errors[0])
    return number


def _review(value: Any, path: str) -> ReviewRec | None:
    if value is None:
        return None
    r = _obj(value, path, _REVIEW_FIELDS)
    filed = _date(r["filed_on"], f"{path}.filed_on")
    assert filed is not None
    return ReviewRec(filed, _code(r["result"], f"{path}.result", REVIEW_RESULTS))


def _decision(value: Any, path: str) -> DecisionRec | None:
    if value is None:
        return None
    d = _obj(value, path, _DECISION_FIELDS)
    outcome = _code(d["outcome"], f"{path}.outcome", OUTCOMES)
    penalties: list[tuple[PenaltyType, Decimal | None]] = []
    for i, raw in enumerate(_list(d["penalties"], f"{path}.penalties")):
        p_path = f"{path}.penalties[{i}]"
        p = _obj(raw, p_path, _TYPE, _AMOUNT_FIELD)
        ptype = PENALTY_CODES[_code(p["type"], f"{p_path}.type", PENALTY_CHOICES)]
        amount = p.get("amount")
        if ptype in AMOUNT_TYPES:
            if amount is None:
                raise _Bad(f"{p_path}.amount", "罚款、没收违法所得、没收非法财物应当填写金额")
            penalties.append((ptype, _amount(amount, f"{p_path}.amount")))
        elif amount is not None:
            raise _Bad(f"{p_path}.amount", f"处罚种类{ptype.value}不应填写金额")
        else:
            penalties.append((ptype, None))
    if outcome == "penalty":
        errors = validate_penalty_items(penalties)
        if errors:
            raise _Bad(f"{path}.penalties", errors[0])
        if sum(a for _, a in penalties if a is not None) > MAX_TOTAL:
            raise _Bad(f"{path}.penalties", "罚没金额合计超出可记录的范围（不超过14位整数）")
    elif penalties:
        raise _Bad(f"{path}.penalties", "不予处罚或移送的决定不应有处罚种类")
    decided = _date(d["decided_on"], f"{path}.decided_on")
    assert decided is not None
    return DecisionRec(
        no=_str(d["no"], f"{path}.no", 60),
        decided_on=decided,
        outcome=outcome,
        penalties=penalties,
        reconsideration=_review(d["reconsideration"], f"{path}.reconsideration"),
        litigation=_review(d["litigation"], f"{path}.litigation"),
    )


_CASE_FIELDS = frozenset({
    "schema", "unit", "case_no", "procedure", "matter", "source", "filed_on", "closed_on",
    "transferred_on", "parties", "coercive_measures", "enforcements",
})  # fmt: skip


def parse_case(obj: Any, line: int) -> CaseRec:
    c = _obj(obj, "", _CASE_FIELDS)
    matter = None
    if c["matter"] is not None:
        m = _obj(c["matter"], "matter", _MATTER_FIELDS)
        matter = (_str(m["code"], "matter.code", 40), _str(m["name"], "matter.name", 200))
    filed = _date(c["filed_on"], "filed_on")
    assert filed is not None
    closed = _date(c["closed_on"], "closed_on", null=True)
    if closed is not None and closed < filed:
        raise _Bad("closed_on", "结案日期早于立案日期")
    parties: list[PartyRec] = []
    for i, raw in enumerate(_list(c["parties"], "parties")):
        path = f"parties[{i}]"
        p = _obj(raw, path, _PARTY_FIELDS)
        kind = _code(p["kind"], f"{path}.kind", PARTY_KINDS)
        parties.append(
            PartyRec(
                kind=kind,
                name=_str(p["name"], f"{path}.name", 200),
                id_number=_id_number(kind, p["id_number"], f"{path}.id_number"),
                decision=_decision(p["decision"], f"{path}.decision"),
            )
        )
    if not parties:
        raise _Bad("parties", "至少应当有一个当事人")

    def events(key: str, choices: tuple[str, ...]) -> list[tuple[str, dt.date]]:
        out = []
        for i, raw in enumerate(_list(c[key], key)):
            e = _obj(raw, f"{key}[{i}]", _EVENT_FIELDS)
            on = _date(e["on"], f"{key}[{i}].on")
            assert on is not None
            out.append((_code(e["type"], f"{key}[{i}].type", choices), on))
        return out

    return CaseRec(
        line=line,
        unit=_unit(c["unit"]),
        case_no=_str(c["case_no"], "case_no", 60),
        procedure=_code(c["procedure"], "procedure", PROCEDURES),
        matter=matter,
        source=_code(c["source"], "source", SOURCES),
        filed_on=filed,
        closed_on=closed,
        transferred_on=_date(c["transferred_on"], "transferred_on", null=True),
        parties=parties,
        measures=events("coercive_measures", MEASURE_TYPES),
        enforcements=events("enforcements", ENFORCEMENT_TYPES),
    )


def parse_inspection(obj: Any, line: int) -> InspectionRec:
    r = _obj(obj, "", _INSPECTION_FIELDS)
    targets = []
    for i, raw in enumerate(_list(r["targets"], "targets")):
        path = f"targets[{i}]"
        t = _obj(raw, path, _TARGET_FIELDS)
        kind = _code(t["kind"], f"{path}.kind", PARTY_KINDS)
        targets.append(
            (
                kind,
                _str(t["name"], f"{path}.name", 200),
                _id_number(kind, t["id_number"], f"{path}.id_number"),
            )
        )
    on = _date(r["on"], "on")
    assert on is not None
    return InspectionRec(
        line=line,
        unit=_unit(r["unit"]),
        inspection_no=_str(r["inspection_no"], "inspection_no", 60),
        on=on,
        kind=_code(r["kind"], "kind", INSPECTION_KINDS),
        targets=targets,
        result=_code(r["result"], "result", INSPECTION_RESULTS),
    )


def parse_line(text: str, line: int) -> CaseRec | InspectionRec:
    """One line of the file, validated; RecordError names the line and the field."""
    try:
        obj = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise RecordError(line, "(JSON)", f"不是有效的JSON：{exc.msg}") from None
    try:
        if not isinstance(obj, dict):
            raise _Bad("(记录)", "应为JSON对象")
        schema = obj.get("schema")
        if schema == CASE_SCHEMA:
            return parse_case(obj, line)
        if schema == INSPECTION_SCHEMA:
            return parse_inspection(obj, line)
        raise _Bad("schema", f"应为{CASE_SCHEMA}或{INSPECTION_SCHEMA}")
    except _Bad as bad:
        raise RecordError(line, bad.field, bad.message) from None


Parsed = tuple[list[CaseRec | InspectionRec], str]


def _parse_batch(lines: list[tuple[int, str]], k: int = 0) -> Parsed:
    """Validate a batch and hash its lines (pure: runs in a parser process with --workers)."""
    recs = [parse_line(text, n) for n, text in lines]
    digest = hashlib.new("sm3")
    for _, text in lines:
        digest.update(text.encode("utf-8"))
        digest.update(b"\n")
    return recs, digest.hexdigest()
