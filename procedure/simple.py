"""简易程序 (行政处罚法 Art. 51-52, 68-71): decided and delivered on the spot, filed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from law import rules
from law.penalties import PenaltyType, format_amount
from procedure import guards as g
from procedure.engine import END, Act, CaseFacts, Procedure, Step, Transition
from procedure.roles import Role
from procedure.vocab import SimpleExecuteKind


def on_the_spot_decision_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 51: facts certain, legal basis, warning or ≤200 元 (person) / ≤3,000 元 (organisation);
    Art. 52: the certificate shown, the decision delivered on the spot (a refusal noted)."""
    if len(facts.parties) != 1:
        yield "简易程序当场处罚只适用于一名当事人"
        return
    party = facts.parties[0]
    d = act.data
    if not d.get("certificate_shown"):
        yield "当场作出处罚决定应当向当事人出示执法证件（《行政处罚法》第五十二条）"
    for key, label in (("facts", "违法事实"), ("basis", "处罚依据"), ("place", "地点")):
        if not str(d.get(key, "")).strip():
            yield f"请填写{label}"
    items, errors = g.parse_items(d.get("penalties", []))
    yield from errors
    if not items and not errors:
        yield "请填写处罚种类"
    yield from rules.simple_procedure_errors(party_kind=party.kind, penalties=items)
    if facts.matter is not None:
        legal = facts.matter.legal_band
        for ptype, amount in items:
            if ptype not in facts.matter.allowed:
                yield f"权责事项{facts.matter.code}的处罚依据不包含该处罚种类"
            elif (
                ptype is PenaltyType.FINE
                and amount is not None
                and legal is not None
                and amount not in legal
            ):
                # Art. 51 allows the spot decision only "依法" (within the provision's range); a
                # fine below the minimum is 减轻处罚 (Art. 32), decided in the general procedure
                # after investigation.
                yield (
                    f"罚款{format_amount(amount)}元超出权责事项{facts.matter.code}的"
                    f"法定幅度（{legal.label}），不得当场处罚；需要减轻处罚的应当适用普通程序"
                    "（《行政处罚法》第五十一条、第三十二条）"
                )
    yield from g.second_fine_errors(facts, {party.index: items})
    if not d.get("delivered_on_spot") and not d.get("refused"):
        yield "当场处罚决定书应当场交付当事人；当事人拒绝签收的应在决定书上注明（第五十二条）"


def on_the_spot_collection_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 68-70: on-the-spot collection ≤100 元 or when later collection is hard."""
    d = act.data
    kind = d.get("kind")
    if kind not in set(SimpleExecuteKind):
        yield "执行方式须为当场收缴、银行缴纳或无需缴款（警告）"
        return
    if kind == SimpleExecuteKind.ON_SPOT:
        try:
            amount = Decimal(str(d.get("amount")))
        except InvalidOperation:
            yield "收缴金额无效"
            return
        if not rules.on_spot_collection_allowed(
            amount=amount,
            hard_to_collect_later=bool(d.get("hard_to_collect_later")),
            remote_area=bool(d.get("remote_area")),
        ):
            yield (
                f"当场收缴罚款只限于一百元以下或事后难以执行等情形，本次{amount}元不得当场收缴"
                "（《行政处罚法》第六十八条、第六十九条）"
            )
        if not str(d.get("receipt_no", "")).strip():
            yield "当场收缴罚款必须出具专用票据，请填写票据号（《行政处罚法》第七十条）"
    if kind == SimpleExecuteKind.BANK and not d.get("paid_on"):
        yield "请填写缴款日期"


SIMPLE = Procedure(
    code="simple",
    name="简易程序",
    first="simple_decide",
    steps=(
        Step(
            "simple_decide",
            "当场处罚决定",
            "处罚",
            frozenset({Role.HANDLER}),
            (Transition("submit", "当场作出并交付", "simple_execute"),),
            guards=(g.actor_certified, g.actor_is_handler, on_the_spot_decision_valid),
            document="on_spot_decision",
        ),
        Step(
            "simple_execute",
            "当场执行",
            "执行",
            frozenset({Role.HANDLER}),
            (Transition("submit", "执行完毕", "simple_record"),),
            guards=(g.actor_certified, g.actor_is_handler, on_the_spot_collection_valid),
            starts=("on_spot_fine_handover",),
        ),
        Step(
            "simple_record",
            "报所属机关备案",
            "结案",
            frozenset({Role.SECTION_CHIEF}),
            (Transition("approve", "备案", END),),
            guards=(g.actor_certified, g.not_own_work),
            stops=("on_spot_fine_handover",),
        ),
    ),
)
