"""Substantive rules of 行政处罚法 (2021) and 行政强制法 as pure functions.

Each rule is a :class:`Rule` record (code, article, summary) in :data:`ALL_RULES`; the functions
below cite it in their docstrings and Chinese messages. Amounts are ``Decimal`` in 元, dates
``datetime.date``. Time limits live in :mod:`law.limits`, penalty types in :mod:`law.penalties`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from law.calendar import add_months, add_years
from law.limits import LITIGATION, RECONSIDERATION, TIME_BAR, TIME_BAR_EXTENDED
from law.penalties import (
    PENALTY_LABELS,
    SEVERITY,
    PenaltyItem,
    PenaltyType,
    format_amount,
    party_kind_label,
    severity_rank,
)

__all__ = [
    "ALL_RULES",
    "CIRCUMSTANCE_LABELS",
    "HEARING_TYPES",
    "LITIGATION_ROUTE",
    "NON_SUSPENSION_NOTE",
    "ON_SPOT_COLLECTION_MAX",
    "RECONSIDERATION_ROUTE",
    "RULE_AMOUNT_BAND",
    "RULE_HEARING",
    "RULE_LATE_PAYMENT",
    "RULE_LEGAL_REVIEW",
    "RULE_MENTAL_CAPACITY",
    "RULE_MINORS",
    "RULE_MITIGATION",
    "RULE_NOT_HEAVIER",
    "RULE_NO_PENALTY",
    "RULE_NO_SUSPENSION",
    "RULE_ON_SPOT_COLLECTION",
    "RULE_REMEDIES",
    "RULE_SIMPLE_PROCEDURE",
    "RULE_SURCHARGE_CAP",
    "RULE_TIME_BAR",
    "SIMPLE_PROCEDURE_MAX_ORGANISATION",
    "SIMPLE_PROCEDURE_MAX_PERSON",
    "SIMPLE_PROCEDURE_TYPES",
    "Band",
    "Circumstance",
    "HearingThresholds",
    "MinorRule",
    "NoPenaltyFinding",
    "NoPenaltyOutcome",
    "Rule",
    "age_on",
    "amount_errors",
    "chinese_number",
    "hearing_right",
    "heavier_than_notified",
    "legal_review_required",
    "minor_rule",
    "no_penalty_grounds",
    "on_spot_collection_allowed",
    "simple_procedure_errors",
    "simple_procedure_max",
    "time_bar_expired",
    "time_bar_last_day",
]


@dataclass(frozen=True)
class Rule:
    """One statutory rule: a stable code, the article (``行政处罚法第五十一条``) and a summary."""

    code: str
    article: str
    summary: str


RULE_TIME_BAR = Rule(
    "time_bar",
    "行政处罚法第三十六条",
    "违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，"
    "延长至五年；从违法行为发生之日起计算，连续或者继续状态的从行为终了之日起计算",
)
RULE_MINORS = Rule(
    "minors",
    "行政处罚法第三十条",
    "不满十四周岁的未成年人有违法行为的，不予行政处罚，责令监护人加以管教；"
    "已满十四周岁不满十八周岁的，应当从轻或者减轻行政处罚",
)
RULE_MENTAL_CAPACITY = Rule(
    "mental_capacity",
    "行政处罚法第三十一条",
    "精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为的，不予行政处罚",
)
RULE_MITIGATION = Rule(
    "mitigation",
    "行政处罚法第三十二条",
    "当事人有法定情形之一的，应当从轻或者减轻行政处罚；减轻处罚是在法定最低限以下处罚",
)
RULE_AMOUNT_BAND = Rule(
    "amount_band",
    "行政处罚法第三十四条",
    "行政机关可以依法制定行政处罚裁量基准并向社会公布；罚款应当在法定幅度和裁量基准内确定",
)
RULE_NO_PENALTY = Rule(
    "no_penalty",
    "行政处罚法第三十三条",
    "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚；初次违法且危害后果轻微并及时"
    "改正的，可以不予行政处罚；当事人有证据足以证明没有主观过错的，不予行政处罚",
)
RULE_NOT_HEAVIER = Rule(
    "not_heavier",
    "行政处罚法第四十五条第二款",
    "行政机关不得因当事人陈述、申辩而给予更重的处罚；决定的处罚不得超出事先告知的范围"
    "（第四十四条、第六十二条）",
)
RULE_SIMPLE_PROCEDURE = Rule(
    "simple_procedure",
    "行政处罚法第五十一条",
    "违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款"
    "或者警告的行政处罚的，可以当场作出行政处罚决定",
)
RULE_ON_SPOT_COLLECTION = Rule(
    "on_spot_collection",
    "行政处罚法第六十八条、第六十九条",
    "当场作出决定，依法给予一百元以下罚款或者不当场收缴事后难以执行的，可以当场收缴；"
    "边远、水上、交通不便地区当事人到银行缴纳确有困难，经当事人提出的，可以当场收缴",
)
RULE_HEARING = Rule(
    "hearing",
    "行政处罚法第六十三条",
    "拟作出较大数额罚款、没收较大数额违法所得或较大价值非法财物、降低资质等级、吊销许可证件、"
    "责令停产停业、责令关闭、限制从业、其他较重的行政处罚等决定的，应当告知当事人有要求听证的权利",
)
RULE_LEGAL_REVIEW = Rule(
    "legal_review",
    "行政处罚法第五十八条",
    "涉及重大公共利益、经过听证程序、案情疑难复杂涉及多个法律关系或者法律法规规定的其他情形，"
    "作出决定前应当进行法制审核；未经法制审核或者审核未通过的，不得作出决定",
)
RULE_REMEDIES = Rule(
    "remedies",
    "行政处罚法第五十九条",
    "行政处罚决定书应当载明申请行政复议、提起行政诉讼的途径和期限",
)
RULE_LATE_PAYMENT = Rule(
    "late_payment",
    "行政处罚法第七十二条第一款第一项",
    "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额",
)
RULE_NO_SUSPENSION = Rule(
    "no_suspension",
    "行政处罚法第七十三条",
    "申请行政复议、提起行政诉讼的，行政处罚不停止执行（法律另有规定的除外）；"
    "加处罚款的数额在行政复议或者行政诉讼期间不予计算",
)
RULE_SURCHARGE_CAP = Rule(
    "surcharge_cap",
    "行政强制法第四十五条",
    "加处罚款或者滞纳金的标准应当告知当事人；加处罚款或者滞纳金的数额不得超出金钱给付义务的数额",
)

ALL_RULES: tuple[Rule, ...] = (
    RULE_TIME_BAR,
    RULE_MINORS,
    RULE_MENTAL_CAPACITY,
    RULE_MITIGATION,
    RULE_AMOUNT_BAND,
    RULE_NO_PENALTY,
    RULE_NOT_HEAVIER,
    RULE_SIMPLE_PROCEDURE,
    RULE_ON_SPOT_COLLECTION,
    RULE_HEARING,
    RULE_LEGAL_REVIEW,
    RULE_REMEDIES,
    RULE_LATE_PAYMENT,
    RULE_NO_SUSPENSION,
    RULE_SURCHARGE_CAP,
)

_CENT = Decimal("0.01")


# --- 第三十六条 追责时效 ----------------------------------------------------------------------


def time_bar_last_day(*, act_ended_on: date, extended: bool) -> date:
    """The last day on which the act can still be discovered (行政处罚法第三十六条).

    The period runs from the day after the act (or the end of a continuing act) and ends on the
    anniversary two — or, ``extended``, five — years later (民法典第二百零二条; 29 February →
    28 February).
    """
    limit = TIME_BAR_EXTENDED if extended else TIME_BAR
    return add_years(act_ended_on, limit.amount)


def time_bar_expired(*, act_ended_on: date, discovered_on: date, extended: bool) -> bool:
    """Whether the act is time-barred (行政处罚法第三十六条).

    ``act_ended_on``: the day of the act, or the day a continuing act ended. ``extended``: the
    matter concerns 公民生命健康安全 or 金融安全 and had harmful consequences (5 years). Discovered
    on the anniversary is still in time; the day after is barred.
    """
    return discovered_on > time_bar_last_day(act_ended_on=act_ended_on, extended=extended)


# --- 第五十一条 简易程序；第六十八、六十九条 当场收缴 ------------------------------------------

#: 行政处罚法第五十一条: 对公民处以二百元以下罚款 (以下 includes the figure).
SIMPLE_PROCEDURE_MAX_PERSON = Decimal("200")
#: 行政处罚法第五十一条: 对法人或者其他组织处以三千元以下罚款.
SIMPLE_PROCEDURE_MAX_ORGANISATION = Decimal("3000")
#: 行政处罚法第五十一条: only 罚款 or 警告 may be decided on the spot.
SIMPLE_PROCEDURE_TYPES: frozenset[PenaltyType] = frozenset({PenaltyType.WARNING, PenaltyType.FINE})

#: 行政处罚法第六十八条第一项: 依法给予一百元以下罚款的, may be collected on the spot.
ON_SPOT_COLLECTION_MAX = Decimal("100")


def simple_procedure_max(party_kind: str) -> Decimal:
    """The fine ceiling of 简易程序 for a party kind; 其他组织 (``other``) as an organisation."""
    party_kind_label(party_kind)
    if party_kind == "person":
        return SIMPLE_PROCEDURE_MAX_PERSON
    return SIMPLE_PROCEDURE_MAX_ORGANISATION


def simple_procedure_errors(*, party_kind: str, penalties: Sequence[PenaltyItem]) -> list[str]:
    """Why the penalties cannot be decided under 简易程序 (行政处罚法第五十一条); empty = allowed.

    Only 警告 and/or 罚款 within ¥200 for a 公民 or ¥3,000 for a 法人 or 其他组织. Amount syntax
    (missing, negative, decimals) is checked by :func:`law.penalties.validate_penalty_items`.
    """
    article = RULE_SIMPLE_PROCEDURE.article
    errors: list[str] = []
    if not penalties:
        return [f"简易程序应当给予警告或者罚款（{article}）"]
    ceiling = simple_procedure_max(party_kind)
    kind_label = "公民" if party_kind == "person" else "法人或者其他组织"
    fine_total = Decimal("0")
    for penalty_type, amount in penalties:
        if penalty_type not in SIMPLE_PROCEDURE_TYPES:
            errors.append(
                f"简易程序只能给予警告或者罚款，不能给予{PENALTY_LABELS[penalty_type]}（{article}）"
            )
        elif penalty_type is PenaltyType.FINE and amount is not None:
            fine_total += amount
    if fine_total > ceiling:
        errors.append(
            f"简易程序对{kind_label}的罚款不得超过{format_amount(ceiling)}元，"
            f"拟罚款{format_amount(fine_total)}元，应当适用普通程序（{article}）"
        )
    return errors


def on_spot_collection_allowed(
    *, amount: Decimal, hard_to_collect_later: bool, remote_area: bool
) -> bool:
    """Whether officers may collect the fine on the spot (行政处罚法第六十八条、第六十九条).

    第六十八条 (decisions under 简易程序): (1) a fine of ¥100 or less, or (2) the fine would be hard
    to collect afterwards. 第六十九条: ``remote_area`` — 边远、水上、交通不便地区, paying at the
    bank or electronically is genuinely difficult and the party asked for on-the-spot payment.
    """
    if amount <= 0:
        return False
    return amount <= ON_SPOT_COLLECTION_MAX or hard_to_collect_later or remote_area


# --- 第六十三条 听证 -------------------------------------------------------------------------

#: Penalty types that always carry the hearing right, with the item of 第六十三条第一款.
#: 限制开展生产经营活动 is a new type in the 2021 law and not named in 第六十三条; the platform
#: treats it as 其他较重的行政处罚 (第五项), being ranked above 吊销许可证件 in severity.
#: 行政拘留 is not heard under 行政处罚法: it is imposed by 公安机关 under 治安管理处罚法, whose
#: own procedure governs; the platform's agencies do not impose it.
HEARING_TYPES: dict[PenaltyType, str] = {
    PenaltyType.LOWER_QUALIFICATION: "第六十三条第一款第三项",
    PenaltyType.REVOKE_PERMIT: "第六十三条第一款第三项",
    PenaltyType.SUSPEND_BUSINESS: "第六十三条第一款第四项",
    PenaltyType.CLOSE: "第六十三条第一款第四项",
    PenaltyType.RESTRICT_PRACTICE: "第六十三条第一款第四项",
    PenaltyType.RESTRICT_BUSINESS: "第六十三条第一款第五项",
}


@dataclass(frozen=True)
class HearingThresholds:
    """较大数额 / 较大价值 thresholds of 行政处罚法第六十三条, set per jurisdiction.

    The figures are set by each province (or department) and are a platform setting; nothing here
    is an official figure. A penalty at or above the threshold (以上 includes the figure) carries
    the hearing right. ``extra_types``: types a local rule adds (第一款第六项,
    法律、法规、规章规定的其他情形). ``confiscation_combined``: compare 违法所得 and
    非法财物价值 as one total (some departmental rules do) rather than each on its own.
    """

    fine_person: Decimal
    fine_organisation: Decimal
    confiscation_person: Decimal
    confiscation_organisation: Decimal
    extra_types: frozenset[PenaltyType] = field(default_factory=frozenset)
    confiscation_combined: bool = False
    source: str = ""

    @classmethod
    def example(cls) -> HearingThresholds:
        """Illustrative figures for tests and demos — NOT any jurisdiction's official thresholds."""
        return cls(
            fine_person=Decimal("10000"),
            fine_organisation=Decimal("100000"),
            confiscation_person=Decimal("10000"),
            confiscation_organisation=Decimal("100000"),
            source="示例数值，非官方标准，须按本地规定配置",
        )

    def fine_threshold(self, party_kind: str) -> Decimal:
        party_kind_label(party_kind)
        return self.fine_person if party_kind == "person" else self.fine_organisation

    def confiscation_threshold(self, party_kind: str) -> Decimal:
        party_kind_label(party_kind)
        if party_kind == "person":
            return self.confiscation_person
        return self.confiscation_organisation


def hearing_right(
    *, party_kind: str, penalties: Sequence[PenaltyItem], thresholds: HearingThresholds
) -> tuple[bool, list[str]]:
    """Whether the party must be told of the right to a hearing, and why (行政处罚法第六十三条).

    Returns ``(has_right, reasons)``; each reason names the item of 第六十三条第一款.
    """
    reasons: list[str] = []
    fine_threshold = thresholds.fine_threshold(party_kind)
    confiscation_threshold = thresholds.confiscation_threshold(party_kind)
    fine_total = sum(
        (a for t, a in penalties if t is PenaltyType.FINE and a is not None), Decimal("0")
    )
    if fine_total >= fine_threshold and fine_total > 0:
        reasons.append(
            f"拟作出较大数额罚款{format_amount(fine_total)}元（本地标准：{format_amount(fine_threshold)}"
            f"元以上）（行政处罚法第六十三条第一款第一项）"
        )
    gains = sum(
        (a for t, a in penalties if t is PenaltyType.CONFISCATE_GAINS and a is not None),
        Decimal("0"),
    )
    goods = sum(
        (a for t, a in penalties if t is PenaltyType.CONFISCATE_PROPERTY and a is not None),
        Decimal("0"),
    )
    item_two = "（行政处罚法第六十三条第一款第二项）"
    limit_text = f"（本地标准：{format_amount(confiscation_threshold)}元以上）"
    if thresholds.confiscation_combined:
        total = gains + goods
        if total > 0 and total >= confiscation_threshold:
            reasons.append(
                f"拟没收违法所得和非法财物价值合计{format_amount(total)}元{limit_text}{item_two}"
            )
    else:
        if gains > 0 and gains >= confiscation_threshold:
            reasons.append(f"拟没收较大数额违法所得{format_amount(gains)}元{limit_text}{item_two}")
        if goods > 0 and goods >= confiscation_threshold:
            reasons.append(f"拟没收较大价值非法财物{format_amount(goods)}元{limit_text}{item_two}")
    present = {penalty_type for penalty_type, _ in penalties}
    for penalty_type in SEVERITY:
        if penalty_type not in present:
            continue
        if penalty_type in HEARING_TYPES:
            item = HEARING_TYPES[penalty_type]
            reasons.append(f"拟作出{PENALTY_LABELS[penalty_type]}（行政处罚法{item}）")
        elif penalty_type in thresholds.extra_types:
            reasons.append(
                f"拟作出{PENALTY_LABELS[penalty_type]}（本地规定，行政处罚法第六十三条第一款第六项）"
            )
    return bool(reasons), reasons


# --- 第四十五条 不得因陈述申辩加重 -----------------------------------------------------------


def _amount_totals(items: Iterable[PenaltyItem]) -> dict[PenaltyType, Decimal]:
    totals: dict[PenaltyType, Decimal] = {}
    for penalty_type, amount in items:
        totals[penalty_type] = totals.get(penalty_type, Decimal("0")) + (amount or Decimal("0"))
    return totals


def heavier_than_notified(
    decided: Sequence[PenaltyItem], notified: Sequence[PenaltyItem]
) -> list[str]:
    """Ways the decided penalties exceed the notified ones; empty = not heavier.

    行政处罚法第四十五条第二款: no heavier penalty because the party stated or defended itself, and
    第四十四条/第六十二条: no penalty the party was not told of. Errors:

    - a decided type that was not notified, unless it replaces a heavier notified type that the
      decision dropped (吊销许可证件 reduced to 暂扣许可证件, 罚款 reduced to 警告); 其他行政处罚
      can never be added, its weight being unknown;
    - an amount higher than the notified amount of the same type.
    """
    article = RULE_NOT_HEAVIER.article
    errors: list[str] = []
    notified_totals = _amount_totals(notified)
    decided_totals = _amount_totals(decided)
    dropped_ranks = [
        severity_rank(t)
        for t in notified_totals
        if t not in decided_totals and t is not PenaltyType.OTHER
    ]
    heaviest_dropped = min(dropped_ranks, default=len(SEVERITY))
    for penalty_type, amount in decided_totals.items():
        label = PENALTY_LABELS[penalty_type]
        if penalty_type not in notified_totals:
            replaces_heavier = (
                penalty_type is not PenaltyType.OTHER
                and severity_rank(penalty_type) > heaviest_dropped
            )
            if not replaces_heavier:
                errors.append(
                    f"决定的处罚种类“{label}”未经事先告知，不得增加或者加重处罚（{article}）"
                )
            continue
        if amount > notified_totals[penalty_type]:
            errors.append(
                f"决定的{label}金额{format_amount(amount)}元高于事先告知的"
                f"{format_amount(notified_totals[penalty_type])}元（{article}）"
            )
    return errors


# --- 第三十条至第三十四条 裁量 ---------------------------------------------------------------


class Circumstance(StrEnum):
    """Discretion circumstance (行政处罚法第三十条至第三十二条, 裁量基准)."""

    NONE = "ordinary"
    LIGHTER = "lighter"
    MITIGATED = "mitigated"
    HEAVIER = "heavier"


CIRCUMSTANCE_LABELS: dict[Circumstance, str] = {
    Circumstance.NONE: "一般情节",
    Circumstance.LIGHTER: "从轻处罚",
    Circumstance.MITIGATED: "减轻处罚",
    Circumstance.HEAVIER: "从重处罚",
}


@dataclass(frozen=True)
class Band:
    """A fine range in 元, both ends included (以上、以下 include the figure)."""

    min: Decimal
    max: Decimal

    def __post_init__(self) -> None:
        if self.min < 0:
            raise ValueError("罚款幅度下限不能小于0元")
        if self.max < self.min:
            raise ValueError(
                f"罚款幅度上限{format_amount(self.max)}元低于下限{format_amount(self.min)}元"
            )

    def __contains__(self, amount: object) -> bool:
        return isinstance(amount, Decimal) and self.min <= amount <= self.max

    @property
    def label(self) -> str:
        return f"{format_amount(self.min)}–{format_amount(self.max)}元"


def amount_errors(
    *,
    amount: Decimal,
    legal: Band,
    bands: Mapping[str, Band] | None,
    circumstance: Circumstance,
) -> list[str]:
    """Check a fine against the statutory range and the 裁量基准; Chinese errors, empty = valid.

    ``legal`` is the range the legal provision sets; ``bands`` the catalogue's 裁量基准 keyed by
    :class:`Circumstance` value. When the catalogue gives a band for the circumstance the fine
    must lie in it (行政处罚法第三十四条). Independently: 一般、从轻、从重 stay within the legal
    range; 减轻 (第三十条、第三十二条) is below the statutory minimum and above zero —
    impossible when the provision sets no minimum (“X元以下罚款”).
    """
    errors: list[str] = []
    shown = format_amount(amount)
    if amount <= 0:
        return [f"罚款金额应当大于0元，实际为{shown}元"]
    label = CIRCUMSTANCE_LABELS[circumstance]
    band = bands.get(circumstance.value) if bands else None
    if band is not None:
        if amount > band.max:
            errors.append(f"罚款金额{shown}元超出裁量基准（{label}：{band.label}）")
        elif amount < band.min:
            errors.append(f"罚款金额{shown}元低于裁量基准（{label}：{band.label}）")
    if circumstance is Circumstance.MITIGATED:
        article = RULE_MITIGATION.article
        if legal.min == 0:
            errors.append(
                f"法定罚款幅度（{legal.label}）没有下限，不能在罚款金额上减轻处罚（{article}）"
            )
        elif amount >= legal.min:
            errors.append(
                f"减轻处罚应当低于法定最低罚款{format_amount(legal.min)}元，"
                f"实际为{shown}元（{article}）"
            )
    elif amount not in legal:
        errors.append(f"罚款金额{shown}元超出法定幅度（{legal.label}）")
    return errors


MinorRule = Literal["none", "no_penalty", "lighter"]


def age_on(birth: date, on: date) -> int:
    """Age in 周岁 on ``on``: a year is completed the day after the birthday.

    公历年月日计算，从周岁生日的第二天起算 (最高人民法院法释〔2006〕1号第二条, the rule Chinese
    law applies to the age thresholds of liability). On the 14th birthday a person is still 13:
    not yet 已满十四周岁. Born on 29 February, the birthday of a common year is 28 February.
    """
    if on < birth:
        raise ValueError("计算日期早于出生日期")
    years = on.year - birth.year
    while years > 0 and on <= add_months(birth, 12 * years):
        years -= 1
    return years


def minor_rule(age: int) -> MinorRule:
    """行政处罚法第三十条: under 14 → ``no_penalty`` (责令监护人加以管教); 14–17 → ``lighter``
    (应当从轻或者减轻行政处罚); 18 and over → ``none``."""
    if age < 14:
        return "no_penalty"
    if age < 18:
        return "lighter"
    return "none"


NoPenaltyOutcome = Literal["must_not", "may_not", "none"]


@dataclass(frozen=True)
class NoPenaltyFinding:
    """``must_not``: 不予行政处罚 is required; ``may_not``: the agency may decide 不予处罚."""

    outcome: NoPenaltyOutcome
    reasons: tuple[str, ...]


def no_penalty_grounds(
    *,
    minor_and_corrected_no_harm: bool = False,
    first_offence_minor_corrected: bool = False,
    no_fault_proven: bool = False,
    age: int | None = None,
    lacked_capacity: bool = False,
) -> NoPenaltyFinding:
    """Grounds for 不予行政处罚.

    - 第三十三条第一款: 违法行为轻微并及时改正，没有造成危害后果 → must not penalise;
    - 第三十三条第一款: 初次违法且危害后果轻微并及时改正 → may not penalise (首违不罚);
    - 第三十三条第二款: 有证据足以证明没有主观过错 → must not penalise
      (法律、行政法规另有规定的除外);
    - 第三十条: under 14 → must not penalise;
    - 第三十一条: 精神病人、智力残疾人在不能辨认或者不能控制自己行为时 → must not penalise.
    """
    must: list[str] = []
    may: list[str] = []
    if minor_and_corrected_no_harm:
        must.append("违法行为轻微并及时改正，没有造成危害后果（行政处罚法第三十三条第一款）")
    if no_fault_proven:
        must.append("当事人有证据足以证明没有主观过错（行政处罚法第三十三条第二款）")
    if age is not None and minor_rule(age) == "no_penalty":
        must.append(f"当事人不满十四周岁（{age}周岁），责令监护人加以管教（行政处罚法第三十条）")
    if lacked_capacity:
        must.append(
            "精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为（行政处罚法第三十一条）"
        )
    if first_offence_minor_corrected:
        may.append(
            "初次违法且危害后果轻微并及时改正，可以不予行政处罚（行政处罚法第三十三条第一款）"
        )
    if must:
        return NoPenaltyFinding("must_not", tuple(must + may))
    if may:
        return NoPenaltyFinding("may_not", tuple(may))
    return NoPenaltyFinding("none", ())


# --- 第五十八条 法制审核 ---------------------------------------------------------------------


def legal_review_required(
    *,
    major_public_interest: bool,
    hearing_held: bool,
    complex_case: bool,
    other_by_law: bool,
) -> bool:
    """行政处罚法第五十八条第一款: 法制审核 is required when (1) 涉及重大公共利益; (2) 直接关系
    当事人或者第三人重大权益，经过听证程序; (3) 案件情况疑难复杂、涉及多个法律关系; (4) 法律、
    法规规定应当进行法制审核的其他情形."""
    return major_public_interest or hearing_held or complex_case or other_by_law


# --- 第五十九条 救济途径 ---------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """0–99 in Chinese numerals as statutes write them: 六十, 十五, 九十, 二十四."""
    if not 0 <= n < 100:
        raise ValueError("仅支持0至99")
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


#: 行政处罚法第五十九条第五项; the period from 行政复议法第二十条第一款.
RECONSIDERATION_ROUTE = (
    f"可以自收到本决定书之日起{chinese_number(RECONSIDERATION.amount)}日内依法申请行政复议"
    f"（{RECONSIDERATION.citation}）"
)
#: 行政处罚法第五十九条第五项; the period from 行政诉讼法第四十六条第一款.
LITIGATION_ROUTE = (
    f"可以自收到本决定书之日起{chinese_number(LITIGATION.amount)}个月内依法向人民法院提起行政诉讼"
    f"（{LITIGATION.citation}）"
)
#: 行政处罚法第七十三条第一款.
NON_SUSPENSION_NOTE = "申请行政复议或者提起行政诉讼的，行政处罚不停止执行，法律另有规定的除外"
