"""The five statistics forms of seed 004's appendix, as data: columns in printed order and the
two-row header (groups spanning columns, single columns spanning both rows).

Pure: no Django imports. The selectors fill them; the stats command and the views render them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from law.penalties import PENALTY_LABELS, PenaltyType


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    wan: bool = False  # an amount in 万元 (exact Decimal, up to 6 decimals)


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    columns: tuple[Column, ...]


@dataclass(frozen=True, slots=True)
class FormSpec:
    code: str
    title: str  # "聊城市{year}年…" is built from the region name and the period
    header: tuple[Column | Group, ...]
    reported: bool = False  # 填报 by the units (the platform cannot count it)

    @property
    def columns(self) -> tuple[Column, ...]:
        out: list[Column] = []
        for h in self.header:
            out.extend(h.columns if isinstance(h, Group) else (h,))
        return tuple(out)


PENALTY_TYPE_COLUMNS = tuple(Column(f"type_{t.value}", PENALTY_LABELS[t]) for t in PenaltyType)

PENALTY = FormSpec(
    "penalty",
    "行政处罚情况统计表",
    (
        Group(
            "行政处罚实施数量",
            (
                Column("filed", "立案数量"),
                Column("closed", "结案数量"),
                *PENALTY_TYPE_COLUMNS,
                Column("amount", "罚没金额(万元)", wan=True),
            ),
        ),
        Group(
            "被行政复议诉讼数量",
            (
                Column("reconsidered", "被行政复议数量"),
                Column("reconsideration_corrected", "被行政复议纠错数量"),
                Column("litigated", "被行政诉讼数量"),
                Column("litigation_lost", "行政诉讼败诉数量"),
            ),
        ),
        Column("transferred", "移送司法机关数量"),
    ),
)

MEASURE_COLUMNS = (
    Column("m_seal_up", "查封场所、设施或者财物(件)"),
    Column("m_seize", "扣押财物(件)"),
    Column("m_freeze", "冻结存款、汇款(件)"),
    Column("m_other", "其他行政强制措施(件)"),
)
ENFORCEMENT_COLUMNS = (
    Column("e_surcharge", "加处罚款或者滞纳金(件)"),
    Column("e_transfer_funds", "划拨存款、汇款(件)"),
    Column("e_auction", "拍卖或者依法处理查封、扣押的场所、设施或者财物(件)"),
    Column("e_restore", "排除妨碍、恢复原状(件)"),
    Column("e_substitute", "代履行(件)"),
    Column("e_other", "其他强制执行(件)"),
)

COERCION = FormSpec(
    "coercion",
    "行政强制情况统计表",
    (
        Group("行政强制措施实施数量", (*MEASURE_COLUMNS, Column("measures_total", "合计(件)"))),
        Group(
            "行政强制执行实施数量",
            (
                *ENFORCEMENT_COLUMNS,
                Column("enforcements_total", "合计(件)"),
                Column("e_court", "申请法院强制执行数量(件)"),
            ),
        ),
        Column("total", "合计(件)"),
    ),
)

INSPECTION = FormSpec(
    "inspection", "行政检查情况统计表", (Column("inspections", "行政检查实施次数"),)
)

PERMIT = FormSpec(
    "permit",
    "行政许可情况统计表",
    (
        Group(
            "行政许可实施数量",
            (
                Column("accepted", "受理数量"),
                Column("granted", "许可数量"),
                Column("refused", "不予许可数量"),
            ),
        ),
        Column("revoked", "撤销许可数量"),
    ),
    reported=True,
)

LEVY = FormSpec(
    "levy",
    "行政征收征用情况统计表",
    (
        Group(
            "行政征收数量",
            (
                Column("fees", "行政收费(次)"),
                Column("fee_amount", "行政收费数额(万元)", wan=True),
                Column("expropriations", "土地、房屋征收数量(件)"),
            ),
        ),
        Column("requisitions", "行政征用数量(件)"),
    ),
    reported=True,
)

FORMS: dict[str, FormSpec] = {f.code: f for f in (PERMIT, PENALTY, COERCION, LEVY, INSPECTION)}

WAN = Decimal(10_000)
WAN_PLACES = Decimal("0.000001")


def report_errors(
    form: str, values: dict[str, str]
) -> tuple[dict[str, int | Decimal], dict[str, list[str]]]:
    """Parse and check one unit's 填报 of the 许可 or 征收征用 form against the table's own
    identities; returns the parsed values and Chinese errors by field (empty = accepted): a
    cell's under ``values.<column>``, a column not in the form under ``values``, a form that is
    not reported under ``form``.

    - every cell is a non-negative whole number, except 万元 amounts (≥ 0, at most 6 decimals);
    - 行政许可: 许可数量 + 不予许可数量 ≤ 受理数量 (a decision answers an accepted application;
      the seed's rows hold it, 5 of 9 with equality), the reason on 受理数量;
    - 行政征收征用: 行政收费数额 > 0 exactly when 行政收费次数 > 0, the reason on 行政收费数额.
    """
    spec = FORMS[form]
    if not spec.reported:
        return {}, {"form": [f"{spec.title}由平台根据案件数据统计，无需填报"]}
    errors: dict[str, list[str]] = {}
    parsed: dict[str, int | Decimal] = {}
    unknown = sorted(set(values) - {c.key for c in spec.columns})
    if unknown:
        errors["values"] = [f"未知的栏目：{'、'.join(unknown)}"]
    for col in spec.columns:
        field = f"values.{col.key}"
        raw = str(values.get(col.key, "")).strip()
        if raw == "":
            errors[field] = [f"“{col.label}”不能为空"]
            continue
        if col.wan:
            try:
                amount = Decimal(raw)
            except ArithmeticError:
                errors[field] = [f"“{col.label}”应为数字"]
                continue
            if not amount.is_finite() or amount < 0:
                errors[field] = [f"“{col.label}”不能为负数"]
            elif amount != amount.quantize(WAN_PLACES):
                errors[field] = [f"“{col.label}”最多保留六位小数"]
            else:
                parsed[col.key] = amount
        elif not raw.isascii() or not raw.isdigit():
            errors[field] = [f"“{col.label}”应为不小于0的整数"]
        else:
            parsed[col.key] = int(raw)
    if errors:
        return parsed, errors
    if form == "permit":
        if int(parsed["granted"]) + int(parsed["refused"]) > int(parsed["accepted"]):
            errors["values.accepted"] = ["许可数量与不予许可数量之和不能大于受理数量"]
    elif (int(parsed["fees"]) > 0) != (Decimal(parsed["fee_amount"]) > 0):
        errors["values.fee_amount"] = ["行政收费次数与行政收费数额应当同时为0或同时大于0"]
    return parsed, errors
