"""Guards: checks over a case before an action. Each returns the Chinese reasons it refuses.

Pure: no Django imports. Each guard cites the rule it enforces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from law import enforcement, rules
from law.limits import TIME_BAR, TIME_BAR_EXTENDED
from law.penalties import (
    PAYABLE_TYPES,
    PENALTY_LABELS,
    PenaltyType,
    format_amount,
    validate_penalty_items,
)
from procedure.engine import Act, CaseFacts, needs
from procedure.vocab import (
    DecisionOutcome,
    DeliveryMethod,
    ExecutionKind,
    ProposalOutcome,
    ResponseKind,
)


def parse_items(
    raw: Iterable[Mapping[str, Any]],
) -> tuple[list[tuple[PenaltyType, Decimal | None]], list[str]]:
    """Turn [{"type": "fine", "amount": "200.00"}] into typed items, collecting errors."""
    items: list[tuple[PenaltyType, Decimal | None]] = []
    errors: list[str] = []
    for i, item in enumerate(raw, start=1):
        try:
            ptype = PenaltyType(str(item.get("type")))
        except ValueError:
            errors.append(f"第{i}项处罚种类“{item.get('type')}”不是《行政处罚法》第九条规定的种类")
            continue
        amount = item.get("amount")
        try:
            items.append((ptype, None if amount in (None, "") else Decimal(str(amount))))
        except InvalidOperation:
            errors.append(f"第{i}项金额“{amount}”不是有效的金额")
    return items, errors


# --- who acts ---------------------------------------------------------------------------


def actor_is_handler(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.handler_id is not None and act.actor_id != facts.handler_id:
        yield "本环节须由本案承办人办理"


def actor_is_investigator(facts: CaseFacts, act: Act) -> Iterator[str]:
    if act.actor_id not in {facts.handler_id, facts.co_handler_id}:
        yield "调查取证须由本案承办人或协办人办理"


def actor_certified(facts: CaseFacts, act: Act) -> Iterator[str]:
    if act.actor_id not in facts.certified:
        yield "您没有有效的行政执法证件，不能办理案件（《行政处罚法》第四十二条、第五十五条）"


def not_own_work(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Nobody approves their own work: approvers are never the case's handlers."""
    if act.actor_id in {facts.handler_id, facts.co_handler_id}:
        yield "承办人、协办人不能审核或审批本人承办的案件"


def legal_reviewer_independent(facts: CaseFacts, act: Act) -> Iterator[str]:
    """行政处罚法 Art. 58: the reviewer is never a handler; first-time reviewers are qualified."""
    if act.actor_id in {facts.handler_id, facts.co_handler_id}:
        yield "法制审核人员不能是本案的承办人或协办人"
    if act.actor_id not in facts.qualified_reviewers:
        yield "初次从事法制审核的人员须取得国家统一法律职业资格（《行政处罚法》第五十八条）"


def opinion_given(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not str(act.data.get("opinion", "")).strip():
        yield "请填写审核（审批）意见"


def measures_settled(facts: CaseFacts, act: Act) -> Iterator[str]:
    """行政强制法 Art. 27-28: a 查封、扣押、冻结 is lifted or handled with the case, never left
    hanging when the case closes. `open_measures` is supplied for the closing step."""
    n = int(facts.extra.get("open_measures", 0))
    if n:
        yield (
            f"本案尚有{n}项行政强制措施未解除或处理，须先依法解除或随案处理后再结案"
            "（《行政强制法》第二十七条、第二十八条）"
        )


def preservations_decided(facts: CaseFacts, act: Act) -> Iterator[str]:
    """行政处罚法 Art. 56: evidence kept under 先行登记保存 is decided on, never left held when the
    case closes. `open_preservations` is supplied for the closing step."""
    n = int(facts.extra.get("open_preservations", 0))
    if n:
        yield (
            f"本案尚有{n}项先行登记保存的证据未作出处理决定，须先作出处理决定后再结案"
            "（《行政处罚法》第五十六条）"
        )


def reason_given(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not str(act.data.get("reason", "")).strip():
        yield "请填写理由"


# --- 立案 ----------------------------------------------------------------------------------


def filing_request_complete(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.matter is None:
        yield "请选择权责事项（违法行为及处罚依据）"
    elif not facts.matter.in_force_on_act:
        yield "所选权责事项在违法行为发生时不在有效期内（《行政处罚法》第三十七条）"
    co = facts.co_handler_id
    if co is None:
        yield "请指定协办人（执法人员不得少于两人，《行政处罚法》第四十二条）"
    elif co == facts.handler_id:
        yield "协办人不能与承办人为同一人"
    elif co not in facts.certified:
        yield "协办人没有有效的行政执法证件"
    if not facts.parties:
        yield "请至少登记一名当事人"
    if facts.act_on is None:
        yield "请填写违法行为发生日期（追责时效自该日起算，《行政处罚法》第三十六条）"


def within_time_bar(facts: CaseFacts, act: Act) -> Iterator[str]:
    """行政处罚法 Art. 36: not discovered within 2 years → no penalty, no 立案; 5 years where
    the act concerns 公民生命健康安全、金融安全 *and had harmful consequences*. The matter says
    whether it concerns those (time_bar_years 5); the harm is a fact of the case, recorded at
    立案 (``harmful_consequences``: in this step's input, else as recorded on the case)."""
    if facts.matter is None or facts.act_on is None or facts.discovered_on is None:
        return
    ended = facts.extra.get("act_ended_on") or facts.act_on
    if "harmful_consequences" in act.data:
        harm = bool(act.data["harmful_consequences"])
    else:
        harm = bool(facts.extra.get("harmful_consequences"))
    five = facts.matter.time_bar_years >= 5
    extended = five and harm
    if rules.time_bar_expired(
        act_ended_on=ended, discovered_on=facts.discovered_on, extended=extended
    ):
        years = (TIME_BAR_EXTENDED if extended else TIME_BAR).amount
        yield (
            f"违法行为发现时已超过{years}年追责时效，不再给予行政处罚（《行政处罚法》第三十六条）"
            + (
                "；涉及公民生命健康安全、金融安全且有危害后果的为五年，本案未记录危害后果"
                if five and not extended
                else ""
            )
        )


# --- 调查 ----------------------------------------------------------------------------------


def two_officers(facts: CaseFacts, act: Act) -> Iterator[str]:
    """行政处罚法 Art. 42: at least two officers holding certificates investigate."""
    officers = {facts.handler_id, facts.co_handler_id} - {None}
    if len(officers) < 2:
        yield "调查取证时执法人员不得少于两人（《行政处罚法》第四十二条）"
    elif not officers <= facts.certified:
        yield "参与调查的两名执法人员均须持有有效执法证件（《行政处罚法》第四十二条）"
    for i, record in enumerate(act.data.get("records", []), start=1):
        present = set(record.get("officers", []))
        if not {facts.handler_id, facts.co_handler_id} <= present:
            yield f"第{i}份笔录须由承办人、协办人两名执法人员共同参与并签名"


def evidence_present(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.evidence_count < 1:
        yield "尚未登记任何证据，不能结束调查取证"
    if not act.data.get("records"):
        yield "请至少录入一份询问笔录或现场检查（勘验）笔录"


needs("evidence")(evidence_present)


def proposals_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Each party's proposed outcome: type allowed by the matter, amount inside the band."""
    if not str(act.data.get("facts", "")).strip():
        yield "请填写调查认定的违法事实"
    proposals = {int(p.get("party", -1)): p for p in act.data.get("proposals", [])}
    for party in facts.parties:
        proposal = proposals.get(party.index)
        if proposal is None:
            yield f"请为当事人“{party.name}”提出处理意见"
            continue
        outcome = proposal.get("outcome")
        if outcome not in set(ProposalOutcome):
            yield f"当事人“{party.name}”的处理意见“{outcome}”无效"
            continue
        if outcome == ProposalOutcome.PENALTY:
            yield from penalty_items_errors(facts, party.name, party.kind, party.age, proposal)
        elif proposal.get("penalties"):
            yield f"当事人“{party.name}”拟不予处罚或移送，不应列出处罚种类"
    extra = set(proposals) - {p.index for p in facts.parties}
    if extra:
        yield "处理意见中包含不存在的当事人"


def penalty_items_errors(
    facts: CaseFacts, name: str, kind: str, age: int | None, proposal: Mapping[str, Any]
) -> Iterator[str]:
    items, errors = parse_items(proposal.get("penalties", []))
    yield from (f"当事人“{name}”：{e}" for e in errors)
    if not items and not errors:
        yield f"当事人“{name}”拟处罚，但未列出处罚种类"
        return
    yield from (f"当事人“{name}”：{e}" for e in validate_penalty_items(items))
    try:
        circumstance = rules.Circumstance(proposal.get("circumstance", "ordinary"))
    except ValueError:
        yield f"当事人“{name}”：裁量情节“{proposal.get('circumstance')}”无效"
        return
    if age is not None:
        minor = rules.minor_rule(age)
        if minor == "no_penalty":
            yield f"当事人“{name}”违法时不满十四周岁，不予行政处罚（《行政处罚法》第三十条）"
        elif minor == "lighter" and circumstance not in (
            rules.Circumstance.LIGHTER,
            rules.Circumstance.MITIGATED,
        ):
            yield (
                f"当事人“{name}”违法时已满十四周岁不满十八周岁，应当从轻或者减轻处罚"
                "（《行政处罚法》第三十条）"
            )
    matter = facts.matter
    if matter is None:
        return
    for ptype, amount in items:
        if ptype not in matter.allowed:
            yield f"当事人“{name}”：权责事项{matter.code}的处罚依据不包含“{PENALTY_LABELS[ptype]}”"
        if ptype == PenaltyType.FINE and amount is not None and matter.legal_band is not None:
            for e in rules.amount_errors(
                amount=amount,
                legal=matter.legal_band,
                bands=matter.bands,
                circumstance=circumstance,
            ):
                yield f"当事人“{name}”：{e}"
        elif ptype == PenaltyType.FINE and amount is not None:
            ceiling = matter.unbanded_ceiling
            if ceiling is not None and amount > ceiling:
                yield (
                    f"当事人“{name}”：罚款{format_amount(amount)}元超过本平台对未载明法定幅度的"
                    f"权责事项{matter.code}所设的上限{format_amount(ceiling)}元；请核对金额，"
                    "或由系统管理员在权责清单中载明该事项的法定罚款幅度"
                )


# --- 审核 ----------------------------------------------------------------------------------


def collective_discussion_when_complex(facts: CaseFacts, act: Act) -> Iterator[str]:
    """行政处罚法 Art. 57: complex or major cases are decided by collective discussion."""
    if not (facts.complex or (facts.matter is not None and facts.matter.major)):
        return
    cd = act.data.get("collective_discussion") or {}
    if not (cd.get("held_on") and cd.get("participants") and cd.get("conclusion")):
        yield (
            "本案为重大复杂案件，须经行政机关负责人集体讨论决定，请录入集体讨论记录"
            "（日期、参加人员、结论）（《行政处罚法》第五十七条）"
        )


# --- 告知 ----------------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def responses_complete(facts: CaseFacts, act: Act) -> Iterator[str]:
    """行政处罚法 Art. 44/62/64: hear the party; a hearing request comes within the window."""
    responses = {int(r.get("party", -1)): r for r in act.data.get("responses", [])}
    window_open = facts.response_window_end is not None and facts.today <= facts.response_window_end
    for party in facts.parties:
        if party.notified is None:
            continue
        r = responses.get(party.index)
        if r is None:
            if window_open:
                yield (
                    f"当事人“{party.name}”的陈述申辩、听证申请期限至{facts.response_window_end}"
                    "届满，期限届满前须录入其陈述申辩或放弃声明"
                )
            continue
        kind = r.get("kind")
        if kind not in set(ResponseKind):
            yield f"当事人“{party.name}”的答复类型“{kind}”无效"
            continue
        if kind == ResponseKind.NONE and window_open:
            yield f"当事人“{party.name}”的答复期限尚未届满，不能记为逾期未答复"
        if kind == ResponseKind.STATEMENT and not str(r.get("statement", "")).strip():
            yield f"请录入当事人“{party.name}”陈述申辩的内容"
        if kind == ResponseKind.HEARING:
            yield from _hearing_errors(facts, party.name, party.hearing_right, r)


needs("limits")(responses_complete)


def _hearing_errors(
    facts: CaseFacts, name: str, has_right: bool, r: Mapping[str, Any]
) -> Iterator[str]:
    if not has_right:
        yield f"当事人“{name}”拟受处罚不属于《行政处罚法》第六十三条规定的听证范围"
        return
    h = r.get("hearing") or {}
    requested = _date(h.get("requested_on"))
    notified = _date(h.get("notified_on"))
    held = _date(h.get("held_on"))
    window_end = facts.extra.get("hearing_request_end")
    if requested is None or notified is None or held is None:
        yield f"请录入当事人“{name}”听证的申请日期、通知日期和举行日期"
        return
    if window_end is not None and requested > window_end:
        yield (
            f"当事人“{name}”于{requested}申请听证，已超过告知后五日的申请期限（{window_end}）"
            "（《行政处罚法》第六十四条）"
        )
    earliest = facts.extra.get("hearing_earliest", {}).get(str(notified))
    if earliest is not None and held < earliest:
        yield (
            f"听证通知于{notified}送达，举行听证应在七日后（不早于{earliest}）"
            "（《行政处罚法》第六十四条）"
        )
    if held > facts.today:
        yield "听证尚未举行，不能录入听证结果"
    if h.get("chair") in {facts.handler_id, facts.co_handler_id}:
        yield "听证主持人不能由本案调查人员担任（《行政处罚法》第六十四条）"
    if not str(h.get("record", "")).strip():
        yield "请录入听证笔录要点"


# --- 处罚决定 ------------------------------------------------------------------------------


def within_decision_limit(facts: CaseFacts, act: Act) -> Iterator[str]:
    """行政处罚法 Art. 60: decide within 90 days of 立案 unless extended as the rules allow."""
    overdue = facts.decision_due is not None and facts.today > facts.decision_due
    if overdue and not str(act.data.get("extension_reason", "")).strip():
        yield (
            f"已超过作出处罚决定的期限（{facts.decision_due}，《行政处罚法》第六十条），"
            "如依法延长须填写延期理由及依据"
        )


needs("limits")(within_decision_limit)


def decisions_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 45 (not heavier than notified), Art. 59 (required content), one decision a party."""
    decisions = {int(d.get("party", -1)): d for d in act.data.get("decisions", [])}
    for party in facts.parties:
        d = decisions.get(party.index)
        if d is None:
            yield f"请为当事人“{party.name}”制作决定书"
            continue
        outcome = d.get("outcome")
        proposal_outcome = (party.proposal or {}).get("outcome")
        if outcome not in set(DecisionOutcome):
            yield f"当事人“{party.name}”的决定类型“{outcome}”无效"
            continue
        if outcome == DecisionOutcome.PENALTY and party.notified is None:
            yield (
                f"未向当事人“{party.name}”告知拟作出的行政处罚，不得作出处罚决定"
                "（《行政处罚法》第四十四条、第六十二条）"
            )
            continue
        if outcome == DecisionOutcome.PENALTY:
            items, errors = parse_items(d.get("penalties", []))
            yield from (f"当事人“{party.name}”：{e}" for e in errors)
            yield from (f"当事人“{party.name}”：{e}" for e in validate_penalty_items(items))
            notified = list(party.notified or ())
            for e in rules.heavier_than_notified(items, notified):
                yield f"当事人“{party.name}”：{e}"
            if not str(d.get("performance", "")).strip():
                yield f"请填写当事人“{party.name}”履行方式和期限（《行政处罚法》第五十九条）"
        elif proposal_outcome == ProposalOutcome.PENALTY and not str(d.get("reason", "")).strip():
            yield f"当事人“{party.name}”改为不予处罚，请填写理由"
        for key, label in (("facts", "违法事实和证据"), ("basis", "处罚依据")):
            if outcome == DecisionOutcome.PENALTY and not str(d.get(key, "")).strip():
                yield f"决定书缺少“{label}”（《行政处罚法》第五十九条）"
        if not party.address.strip():
            yield f"当事人“{party.name}”缺少住址（《行政处罚法》第五十九条）"


def second_fine_errors(
    facts: CaseFacts, items_by_party: Mapping[int, Iterable[tuple[PenaltyType, Any]]]
) -> Iterator[str]:
    """行政处罚法 Art. 29: 对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚.

    ``facts.extra["earlier_fines"]`` maps a party's index to the cases (numbers) in which the same
    party was already fined for the same act (same matter, overlapping act dates); a fine for that
    party is refused. Other penalty types (警告, 没收, …) are not a second *fine*."""
    earlier: Mapping[int, Iterable[str]] = facts.extra.get("earlier_fines") or {}
    for party in facts.parties:
        fined = any(t is PenaltyType.FINE for t, _ in items_by_party.get(party.index, ()))
        cases = list(earlier.get(party.index, ()))
        if fined and cases:
            yield (
                f"当事人“{party.name}”的同一违法行为已在{'、'.join(cases)}中被处以罚款，"
                "不得再次给予罚款（《行政处罚法》第二十九条）"
            )


def no_second_fine(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 29 over the decisions being issued (a party's penalty items)."""
    items: dict[int, list[tuple[PenaltyType, Decimal | None]]] = {}
    for d in act.data.get("decisions", []):
        if d.get("outcome") == DecisionOutcome.PENALTY:
            items[int(d.get("party", -1))] = parse_items(d.get("penalties", []))[0]
    yield from second_fine_errors(facts, items)


def deliveries_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    """行政处罚法 Art. 61: delivery methods; fax/e-mail only with the party's consent."""
    deliveries = {int(d.get("party", -1)): d for d in act.data.get("deliveries", [])}
    for party in facts.parties:
        d = deliveries.get(party.index)
        decided = _date((party.decision or {}).get("decided_on"))
        if d is None:
            yield f"请录入当事人“{party.name}”决定书的送达情况"
            continue
        method = d.get("method")
        if method not in set(DeliveryMethod):
            yield f"送达方式“{method}”无效"
        if method == DeliveryMethod.ELECTRONIC and not d.get("consent"):
            yield "电子送达须经当事人同意并签订确认书（《行政处罚法》第六十一条）"
        if method == DeliveryMethod.LEFT and not str(d.get("witness", "")).strip():
            yield "留置送达须注明见证人"
        on = _date(d.get("delivered_on"))
        if on is None:
            yield "请填写送达日期"
        elif decided is not None and on < decided:
            yield f"送达日期{on}早于决定日期{decided}"
        elif on > facts.today:
            yield "送达日期不能晚于今天"


needs("decisions")(deliveries_valid)


def surcharge_owed(
    fine: Decimal, due: dt.date, paid_on: dt.date, terms: Mapping[str, Any] | None
) -> Decimal:
    """加处罚款 on a fine paid in full on `paid_on` (行政处罚法第七十二条): the one rule of
    law.enforcement, over the 复议/诉讼 recorded on the decision (第七十三条第三款, `pauses`)
    and its approved 延期/分期 (第六十六条, `schedule`, `approved_on`, `moves_due`), which the
    enforcement module reads for step 17 (`facts.extra["payment_terms"]`, by party)."""
    terms = terms or {}
    schedule = [
        enforcement.Instalment(d, a, paid or paid_on) for d, a, paid in terms.get("schedule", ())
    ]
    return enforcement.surcharge(
        fine=fine,
        due=due,
        as_of=paid_on,
        paid_on=paid_on,
        pauses=[enforcement.Interval(a, b) for a, b in terms.get("pauses", ())],
        schedule=schedule,
        approved_on=terms.get("approved_on"),
        deferral_moves_due=bool(terms.get("moves_due", True)),
    ).amount


def executions_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    """行政处罚法 Art. 67/72: paid in full with any surcharge, or enforcement applied."""
    executions = {int(e.get("party", -1)): e for e in act.data.get("executions", [])}
    for party in facts.parties:
        decision = party.decision or {}
        if decision.get("outcome") != DecisionOutcome.PENALTY:
            continue
        e = executions.get(party.index)
        if e is None:
            yield f"请录入当事人“{party.name}”的执行情况"
            continue
        kind = e.get("kind")
        if kind not in set(ExecutionKind):
            yield f"执行方式“{kind}”无效"
            continue
        if kind == ExecutionKind.PAID:
            paid_on = _date(e.get("paid_on"))
            if paid_on is None:
                yield "请填写缴款日期"
                continue
            payable = [
                (p["type"], Decimal(str(p["amount"])))
                for p in decision.get("penalties", [])
                if p["type"] in PAYABLE_TYPES and p.get("amount")
            ]
            owed = sum((amount for _, amount in payable), Decimal("0"))
            # 第七十二条第一款第一项: the surcharge is 3 % a day of the 罚款 alone, capped at it;
            # 没收违法所得 is owed too but carries no surcharge.
            fine = sum((a for t, a in payable if t == PenaltyType.FINE), Decimal("0"))
            due = _date(decision.get("payment_due"))
            surcharge = Decimal("0")
            if due is not None and fine:
                terms = (facts.extra.get("payment_terms") or {}).get(party.index)
                surcharge = surcharge_owed(fine, due, paid_on, terms)
            try:
                amount = Decimal(str(e.get("amount")))
            except InvalidOperation:
                yield "缴款金额无效"
                continue
            if amount != owed + surcharge:
                yield (
                    f"当事人“{party.name}”应缴{owed + surcharge}元（罚没款{owed}元"
                    f"、加处罚款{surcharge}元，《行政处罚法》第七十二条），实缴{amount}元"
                )
        if kind == ExecutionKind.COURT and not _date(e.get("applied_on")):
            yield "请填写申请人民法院强制执行的日期"


needs("decisions")(executions_valid)
