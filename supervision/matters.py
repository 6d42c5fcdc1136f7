"""Writes of 执法监督事项 under the 行政执法监督条例 (2026): open, send the 督办函/意见书, answer,
object and decide the objection, 处理建议, the government's 决定书, its report, 通报/公开, officer
measures. One transaction per action with its ledger entry (stream ``matter:<id>``); a refusal
raises Refused (Chinese reasons, by field where a field is at fault) and changes nothing.

Who may act is decided by the pure table (procedure/oversight.py); the periods come from
law/oversight.py with the per-jurisdiction settings. Each running period is a timer row
(deadlines.Timer, ``matter_reply`` / ``matter_report``): the worker fires it the day after the
last lawful day and the matter is marked late on its ledger; the pages and the API show lateness
computed from the same dates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from cases.models import Case, Review
from cases.runner import FieldsRefused
from cases.services.evidence import sniffed_type
from deadlines.models import Timer
from deadlines.services import register_timer_handler, timer_cancel, timer_start, working_calendar
from law import oversight as law
from law.calendar import SHANGHAI
from law.limits import due_date
from ledger.models import Entry
from ledger.services import SYSTEM_ACTOR, ledger_append
from notices.models import Notice
from notices.services import notice_emit
from orgs.models import Unit, User
from orgs.selectors import supervised_root
from procedure import oversight as table
from procedure.engine import Refused
from procedure.roles import Role
from supervision.models import FileReviewCase, Item, Matter, OfficerMeasure, OversightPeriods
from supervision.selectors import matter_sides, oversight_periods
from zhifa import clock

AGENCY_ROLES = (Role.SECTION_CHIEF, Role.DEPUTY_DIRECTOR)
# The units a matter may be addressed to: the enforcement agencies and townships (执法主体).
ENFORCING = (Unit.Kind.AGENCY, Unit.Kind.TOWNSHIP)
MAX_TEXT = 5000
REPLY_TIMER = "matter_reply"
REPORT_TIMER = "matter_report"
# Evidence of a correction: PDF, images, Word; recognised by their content (the signatures case
# evidence is read with), not their name. A zip that is not a Word document is refused.
EVIDENCE_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)


# A refusal whose reasons belong to form fields: the API answers them by field (api/api.py).
FieldRefused = FieldsRefused


def _name(user: User | None) -> str:
    return (user.full_name or user.username) if user else SYSTEM_ACTOR


def _role(user: User, side: table.Side) -> str:
    if side is table.Side.SUPERVISOR:
        return Role.SUPERVISOR.value
    return next(r.value for r in AGENCY_ROLES if user.has_role(r))


def _text(fields: dict[str, list[str]], name: str, value: str, label: str, *, need: bool) -> str:
    value = (value or "").replace("\x00", "").strip()
    if need and not value:
        fields.setdefault(name, []).append(f"请填写{label}")
    elif len(value) > MAX_TEXT:
        fields.setdefault(name, []).append(f"{label}不能超过{MAX_TEXT}字")
    return value


def _entry(matter: Matter, action: str, actor: User | None, role: str, **data: Any) -> Entry:
    return ledger_append(
        stream=matter.stream,
        action=action,
        payload={"status": matter.status, **data},
        actor_id=actor.pk if actor else None,
        actor_name=_name(actor),
        role=role,
    )


def _notify_agency(matter: Matter, entry: Entry, text: str) -> None:
    """Tell the agency's 业务科长 and 分管局长 (the matter's agency side) that a matter arrived."""
    heads = User.objects.filter(
        unit_id=matter.unit_id, is_active=True, roles__role__in=[r.value for r in AGENCY_ROLES]
    ).values_list("pk", flat=True)
    notice_emit(
        users=heads,
        kind=Notice.Kind.MATTER,
        subject=matter.stream,
        occasion=f"entry:{entry.seq}",
        text=text,
        url=reverse("supervision:matter", args=[matter.pk]),
    )


def _locked(matter_id: int) -> Matter:
    return Matter.objects.select_for_update().select_related("unit").get(pk=matter_id)


def _check(actor: User, matter: Matter, code: str) -> table.Side:
    today = clock.today()
    facts = table.MatterFacts(
        state=table.State(matter.status),
        sides=matter_sides(actor, matter),
        ignored=law.is_late(matter.reply_due_on, matter.replied_on, today),
        major=matter.major,
    )
    errors = table.refusals(code, facts)
    if errors:
        raise Refused(errors)
    return table.ACTIONS[code].side


def _move(matter: Matter, code: str) -> None:
    matter.status = table.target(code, table.State(matter.status)).value


def _timer_due(day: dt.date) -> dt.datetime:
    """The first moment after the last lawful day (Asia/Shanghai)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)


def reply_days(instrument: str, unit: Unit) -> int:
    """The agency's period for the instrument, in its jurisdiction (selectors.oversight_periods)."""
    periods = oversight_periods(unit)
    return periods.urge_days if instrument == law.URGE else periods.opinion_days


def _start_reply(matter: Matter, start: dt.date) -> None:
    limit = law.reply_limit(matter.instrument, reply_days(matter.instrument, matter.unit))
    matter.reply_due_on = due_date(limit, start, working_calendar())
    matter.replied_on = None
    timer_start(kind=REPLY_TIMER, subject=matter.stream, due_at=_timer_due(matter.reply_due_on))


# --- opening -----------------------------------------------------------------------------------


def _pending_reviews(case: Case | None) -> list[str]:
    if case is None:
        return []
    return list(
        # Pending: no result and no ending date (imported concluded rows carry a result only;
        # a withdrawal on the platform carries a date only: cases.services.reviews).
        Review.objects.filter(decision__case=case, decided_on__isnull=True, result="").values_list(
            "kind", flat=True
        )
    )


@transaction.atomic
def matter_open(
    *,
    actor: User,
    title: str,
    facts: str,
    source: str = Matter.Source.MANUAL,
    unit: Unit | None = None,
    case: Case | None = None,
    item_id: int | None = None,
    review_case_id: int | None = None,
    channel: str = "",
    listed: bool = False,
    escalated: bool = False,
    major: bool = False,
) -> Matter:
    """Open a matter from an irregularity (a rule's Item), a 案卷评查 finding, a 12345 or business
    complaint clue (重点监督, 第二十条: 挂牌督办, 提级监督) or by hand. Refused on a case whose
    decision is under pending 复议 or 诉讼 (第三十三条第三款)."""
    fields: dict[str, list[str]] = {}
    root = supervised_root(actor)
    if root is None:
        raise Refused(["只有执法监督员可以立监督事项"])
    item = review_case = None
    if source == Matter.Source.IRREGULARITY:
        item = Item.objects.select_related("unit", "case").filter(pk=item_id or 0).first()
        if item is None or not item.unit.path.startswith(root.path):
            fields["item"] = ["监督规则发现的问题不存在或不在本辖区"]
        else:
            unit, case = item.unit, item.case
    elif source == Matter.Source.FILE_REVIEW:
        review_case = (
            FileReviewCase.objects.select_related("case__unit")
            .filter(pk=review_case_id or 0)
            .first()
        )
        if review_case is None or not review_case.case.unit.path.startswith(root.path):
            fields["review_case"] = ["评查案卷不存在或不在本辖区"]
        else:
            case = review_case.case
            unit = case.unit
    elif source == Matter.Source.COMPLAINT:
        if channel not in law.CLUE_CHANNELS:
            fields["channel"] = ["线索渠道应为12345政务服务便民热线或企业投诉"]
    elif source != Matter.Source.MANUAL:
        fields["source"] = ["来源无效"]
    if source != Matter.Source.COMPLAINT and (listed or escalated):
        fields.setdefault("listed", []).append("挂牌督办、提级监督只用于重点监督线索（第二十条）")
    if case is not None and unit is None:
        unit = case.unit
    if case is not None and unit is not None and case.unit_id != unit.pk:
        fields.setdefault("case", []).append("案件不属于该单位")
    if unit is None:
        if source in (Matter.Source.COMPLAINT, Matter.Source.MANUAL):
            fields.setdefault("unit", []).append("请选择被监督单位")
    elif not unit.path.startswith(root.path) or unit.kind not in ENFORCING:
        fields.setdefault("unit", []).append("被监督单位应为本辖区的行政执法机关")
    title = _text(fields, "title", title, "监督事项", need=True)[:200]
    facts = _text(fields, "facts", facts, "问题情况", need=True)
    if fields:
        raise FieldRefused(fields)
    pending = table.open_refusals(_pending_reviews(case))
    if pending:
        raise FieldRefused({"case": pending})
    assert unit is not None
    matter = Matter.objects.create(
        unit=unit,
        case=case,
        item=item,
        review_case=review_case,
        source=source,
        channel=channel if source == Matter.Source.COMPLAINT else "",
        listed=listed,
        escalated=escalated,
        major=major,
        title=title,
        facts=facts,
        opened_by=actor,
        opened_at=clock.now(),
    )
    _entry(
        matter,
        "matter_open",
        actor,
        Role.SUPERVISOR.value,
        source=source,
        unit=unit.code,
        case=case.pk if case else None,
        item=item.pk if item else None,
        review_case=review_case.pk if review_case else None,
        channel=matter.channel,
        listed=listed,
        escalated=escalated,
        major=major,
        title=title,
    )
    return matter


# --- the instrument and its answer -------------------------------------------------------------


@transaction.atomic
def matter_send(
    *, actor: User, matter_id: int, instrument: str, demand: str, number: str = ""
) -> Matter:
    """Send the 督办函 (failure to act, 第二十七条) or 意见书 (unlawful or clearly improper act,
    第二十八条); the reply period starts the day it is sent."""
    matter = _locked(matter_id)
    side = _check(actor, matter, "send")
    fields: dict[str, list[str]] = {}
    if instrument not in law.INSTRUMENTS:
        fields["instrument"] = ["文书应为督办函（不作为）或意见书（违法或明显不当）"]
    demand = _text(fields, "demand", demand, "监督意见（整改要求）", need=True)
    number = _text(fields, "number", number, "文号", need=False)[:60]
    if fields:
        raise FieldRefused(fields)
    today = clock.today()
    matter.instrument, matter.demand, matter.sent_on = instrument, demand, today
    matter.number = number or f"监督〔{today.year}〕{matter.pk}号"
    _start_reply(matter, today)
    _move(matter, "send")
    matter.save()
    entry = _entry(
        matter,
        "matter_send",
        actor,
        _role(actor, side),
        instrument=instrument,
        number=matter.number,
        reply_due_on=matter.reply_due_on,
        days=reply_days(instrument, matter.unit),
        source=oversight_periods(matter.unit).source,
    )
    kind = "督办函" if instrument == law.URGE else "意见书"
    _notify_agency(
        matter,
        entry,
        f"收到执法监督{kind}（{matter.number}），请于{matter.reply_due_on:%Y年%m月%d日}前答复",
    )
    return matter


def _evidence_check(content: bytes | None, filename: str, fields: dict[str, list[str]]) -> str:
    if not content:
        return ""
    limit = int(settings.SUPERVISION_EVIDENCE_MAX_BYTES)
    if len(content) > limit:
        fields.setdefault("evidence", []).append(f"证明材料不能超过{limit // 1024 // 1024}MB")
    kind = sniffed_type(content, EVIDENCE_TYPES)
    suffix = kind[1] if kind else ""
    if not suffix:
        fields.setdefault("evidence", []).append(
            "证明材料仅支持PDF、JPG、PNG图片或Word（docx）文件"
        )
    return suffix


@transaction.atomic
def matter_answer(
    *,
    actor: User,
    matter_id: int,
    reply: str,
    evidence: bytes | None = None,
    filename: str = "",
) -> Matter:
    """The agency reports its correction, in text and optionally with a file of evidence."""
    matter = _locked(matter_id)
    side = _check(actor, matter, "answer")
    fields: dict[str, list[str]] = {}
    reply = _text(fields, "reply", reply, "整改情况", need=True)
    suffix = _evidence_check(evidence, filename, fields)
    if fields:
        raise FieldRefused(fields)
    today = clock.today()
    late = law.is_late(matter.reply_due_on, today, today)
    matter.reply, matter.replied_on = reply, today
    data: dict[str, Any] = {"late": late, "reply_due_on": matter.reply_due_on}
    if evidence:
        digest = hashlib.sha256(evidence).hexdigest()
        matter.evidence.save(f"{digest[:16]}{suffix}", ContentFile(evidence), save=False)
        matter.evidence_name = (filename or f"证明材料{suffix}").replace("\x00", "")[:120]
        matter.evidence_sha256 = digest
        data.update(evidence_sha256=digest, evidence_name=matter.evidence_name)
    _move(matter, "answer")
    matter.save()
    timer_cancel(kind=REPLY_TIMER, subject=matter.stream)
    _entry(matter, "matter_answer", actor, _role(actor, side), reply=reply, **data)
    return matter


@transaction.atomic
def matter_object(*, actor: User, matter_id: int, reason: str) -> Matter:
    """第三十条: the agency objects; the reply period stops until the supervisor decides."""
    matter = _locked(matter_id)
    side = _check(actor, matter, "object")
    fields: dict[str, list[str]] = {}
    reason = _text(fields, "reason", reason, "异议理由", need=True)
    if fields:
        raise FieldRefused(fields)
    matter.objection, matter.objection_on = reason, clock.today()
    _move(matter, "object")
    matter.save()
    timer_cancel(kind=REPLY_TIMER, subject=matter.stream)
    _entry(matter, "matter_object", actor, _role(actor, side), reason=reason)
    return matter


@transaction.atomic
def matter_objection_decide(*, actor: User, matter_id: int, accept: bool, ruling: str) -> Matter:
    """The supervisor decides the objection: it holds (the matter is closed, or changed by
    opening a new one), or it does not (the agency must correct: a new reply period runs)."""
    matter = _locked(matter_id)
    code = "accept_objection" if accept else "reject_objection"
    side = _check(actor, matter, code)
    fields: dict[str, list[str]] = {}
    ruling = _text(fields, "ruling", ruling, "异议处理意见", need=True)
    if fields:
        raise FieldRefused(fields)
    matter.objection_ruling = ruling
    today = clock.today()
    if accept:
        matter.closed_on, matter.closing_note = today, ruling
    else:
        _start_reply(matter, today)
    _move(matter, code)
    matter.save()
    _entry(
        matter,
        "matter_accept_objection" if accept else "matter_reject_objection",
        actor,
        _role(actor, side),
        ruling=ruling,
        reply_due_on=None if accept else matter.reply_due_on,
    )
    return matter


@transaction.atomic
def matter_return(*, actor: User, matter_id: int, note: str) -> Matter:
    """The supervisor finds the correction insufficient and sends it back: a new period runs."""
    matter = _locked(matter_id)
    side = _check(actor, matter, "return")
    fields: dict[str, list[str]] = {}
    note = _text(fields, "note", note, "退回理由", need=True)
    if fields:
        raise FieldRefused(fields)
    _start_reply(matter, clock.today())
    _move(matter, "return")
    matter.save()
    entry = _entry(
        matter,
        "matter_return",
        actor,
        _role(actor, side),
        note=note,
        reply_due_on=matter.reply_due_on,
    )
    _notify_agency(
        matter,
        entry,
        f"执法监督事项（{matter.number}）被退回重新整改，请于{matter.reply_due_on:%Y年%m月%d日}前答复",
    )
    return matter


@transaction.atomic
def matter_close(*, actor: User, matter_id: int, note: str = "") -> Matter:
    matter = _locked(matter_id)
    side = _check(actor, matter, "close")
    fields: dict[str, list[str]] = {}
    note = _text(fields, "note", note, "办结意见", need=False)
    if fields:
        raise FieldRefused(fields)
    matter.closed_on, matter.closing_note = clock.today(), note
    _move(matter, "close")
    matter.save()
    _entry(matter, "matter_close", actor, _role(actor, side), note=note)
    return matter


# --- escalation: 处理建议 and the government's 决定书 (第二十九条) -------------------------------


@transaction.atomic
def matter_propose(*, actor: User, matter_id: int, proposal: str) -> Matter:
    """The 处理建议 to the 本级人民政府, when the instrument was ignored or the matter is major."""
    matter = _locked(matter_id)
    side = _check(actor, matter, "propose")
    fields: dict[str, list[str]] = {}
    proposal = _text(fields, "proposal", proposal, "处理建议", need=True)
    if fields:
        raise FieldRefused(fields)
    today = clock.today()
    ignored = law.is_late(matter.reply_due_on, matter.replied_on, today)
    matter.proposal, matter.proposed_on = proposal, today
    _move(matter, "propose")
    matter.save()
    timer_cancel(kind=REPLY_TIMER, subject=matter.stream)
    _entry(
        matter,
        "matter_propose",
        actor,
        _role(actor, side),
        proposal=proposal,
        ignored=ignored,
        major=matter.major,
    )
    return matter


@transaction.atomic
def matter_decide(
    *, actor: User, matter_id: int, decided_on: dt.date, number: str, content: str
) -> Matter:
    """Record the government's 决定书 (date, number, content); its report period starts on the
    decision date."""
    matter = _locked(matter_id)
    side = _check(actor, matter, "decide")
    fields: dict[str, list[str]] = {}
    today = clock.today()
    if matter.proposed_on and decided_on < matter.proposed_on:
        fields["decided_on"] = ["决定日期不能早于处理建议日期"]
    elif decided_on > today:
        fields["decided_on"] = ["决定日期不能晚于今天"]
    number = _text(fields, "number", number, "决定书文号", need=True)
    if len(number) > 60:
        fields.setdefault("number", []).append("决定书文号不能超过60字")
    content = _text(fields, "content", content, "决定内容", need=True)
    if fields:
        raise FieldRefused(fields)
    limit = law.report_limit(oversight_periods(matter.unit).report_days)
    matter.decision_on, matter.decision_no, matter.decision_content = decided_on, number, content
    matter.report_due_on = due_date(limit, decided_on, working_calendar())
    _move(matter, "decide")
    matter.save()
    timer_start(kind=REPORT_TIMER, subject=matter.stream, due_at=_timer_due(matter.report_due_on))
    _entry(
        matter,
        "matter_decide",
        actor,
        _role(actor, side),
        decided_on=decided_on,
        number=number,
        content=content,
        report_due_on=matter.report_due_on,
    )
    return matter


@transaction.atomic
def matter_report(*, actor: User, matter_id: int, report: str) -> Matter:
    """The agency reports how it carried out the 决定书."""
    matter = _locked(matter_id)
    side = _check(actor, matter, "report")
    fields: dict[str, list[str]] = {}
    report = _text(fields, "report", report, "执行情况", need=True)
    if fields:
        raise FieldRefused(fields)
    today = clock.today()
    matter.report, matter.reported_on = report, today
    _move(matter, "report")
    matter.save()
    timer_cancel(kind=REPORT_TIMER, subject=matter.stream)
    _entry(
        matter,
        "matter_report",
        actor,
        _role(actor, side),
        report=report,
        late=law.is_late(matter.report_due_on, today, today),
    )
    return matter


# --- 通报/公开 (第三十一条) and officer measures (第三十二条) ----------------------------------


@transaction.atomic
def matter_publish(*, actor: User, matter_id: int, kind: str, text: str) -> Matter:
    matter = _locked(matter_id)
    side = _check(actor, matter, "publish")
    fields: dict[str, list[str]] = {}
    if kind not in law.PUBLICATIONS:
        fields["kind"] = ["方式应为通报或向社会公开"]
    text = _text(fields, "text", text, "通报（公开）内容", need=True)
    if fields:
        raise FieldRefused(fields)
    matter.publication, matter.publication_text = kind, text
    matter.published_on = clock.today()
    matter.save()
    _entry(matter, "matter_publish", actor, _role(actor, side), kind=kind, text=text)
    return matter


@transaction.atomic
def measure_recommend(
    *, actor: User, matter_id: int, officer: str, measure: str, reason: str
) -> OfficerMeasure:
    """Recommend a measure on an officer of the agency: a recommendation only (第三十二条)."""
    matter = _locked(matter_id)
    side = _check(actor, matter, "recommend")
    fields: dict[str, list[str]] = {}
    person = User.objects.filter(username=officer, unit_id=matter.unit_id).first()
    if person is None:
        fields["officer"] = ["执法人员应为被监督单位的在册人员（填写账号）"]
    if measure not in law.OFFICER_MEASURES:
        fields["measure"] = ["建议措施应为批评教育、离岗教育、调离执法岗位或取消执法资格"]
    reason = _text(fields, "reason", reason, "建议理由", need=True)
    if fields:
        raise FieldRefused(fields)
    assert person is not None
    row = OfficerMeasure.objects.create(
        matter=matter, officer=person, measure=measure, reason=reason, recommended_on=clock.today()
    )
    _entry(
        matter,
        "matter_recommend",
        actor,
        _role(actor, side),
        measure_id=row.pk,
        officer=person.username,
        measure=measure,
        reason=reason,
    )
    return row


@transaction.atomic
def measure_decide(
    *, actor: User, measure_id: int, authority: str, decision: str, decided_on: dt.date
) -> OfficerMeasure:
    """Record what the competent authority (有权机关) decided on a recommendation."""
    row = OfficerMeasure.objects.select_for_update().filter(pk=measure_id).first()
    if row is None:
        raise Refused(["执法人员处理建议不存在"])
    matter = _locked(row.matter_id)
    side = _check(actor, matter, "measure_decide")
    fields: dict[str, list[str]] = {}
    if row.decided_on is not None:
        fields["decision"] = ["该建议已登记有权机关的处理结果"]
    authority = _text(fields, "authority", authority, "有权机关", need=True)
    if len(authority) > 100:
        fields.setdefault("authority", []).append("有权机关不能超过100字")
    decision = _text(fields, "decision", decision, "处理结果", need=True)
    if decided_on < row.recommended_on or decided_on > clock.today():
        fields["decided_on"] = ["处理日期应在建议日期至今天之间"]
    if fields:
        raise FieldRefused(fields)
    row.authority, row.decision, row.decided_on = authority, decision, decided_on
    row.save()
    _entry(
        matter,
        "matter_measure_decide",
        actor,
        _role(actor, side),
        measure_id=row.pk,
        authority=authority,
        decision=decision,
        decided_on=decided_on,
    )
    return row


# --- the periods running out -------------------------------------------------------------------


def _lapsed(timer: Timer, status: str, action: str, due_field: str) -> None:
    matter_id = int(timer.subject.split(":", 1)[1])
    matter = Matter.objects.select_for_update().filter(pk=matter_id).first()
    if matter is None or matter.status != status:
        return  # answered, objected or moved on meanwhile
    _entry(matter, action, None, "system", due_on=getattr(matter, due_field))


def _reply_lapsed(timer: Timer) -> None:
    _lapsed(timer, Matter.Status.SENT, "matter_reply_overdue", "reply_due_on")


def _report_lapsed(timer: Timer) -> None:
    _lapsed(timer, Matter.Status.DECIDED, "matter_report_overdue", "report_due_on")


register_timer_handler(REPLY_TIMER, _reply_lapsed)
register_timer_handler(REPORT_TIMER, _report_lapsed)


# --- the periods of a jurisdiction ----------------------------------------------------------

MAX_PERIOD_DAYS = 365


@transaction.atomic
def oversight_periods_set(
    *,
    actor: User,
    region_code: str,
    urge_days: int,
    opinion_days: int,
    report_days: int,
    source: str,
) -> OversightPeriods:
    """Set the periods of a jurisdiction within the supervisor's own area (its region or one
    below), with the rule they come from; recorded on the ledger."""
    from orgs.models import Region

    root = supervised_root(actor)
    if root is None:
        raise Refused(["只有执法监督员可以设置执法监督答复期限"])
    fields: dict[str, list[str]] = {}
    region = Region.objects.filter(code=region_code).first()
    own = root.region_id
    if region is None or not (region.code == own or region.parent_code == own):
        fields["region_code"] = ["区划应为本级或下一级行政区划"]
    for name, value in (
        ("urge_days", urge_days),
        ("opinion_days", opinion_days),
        ("report_days", report_days),
    ):
        if not 1 <= value <= MAX_PERIOD_DAYS:
            fields[name] = [f"期限应为1至{MAX_PERIOD_DAYS}日"]
    source = _text(fields, "source", source, "依据", need=True)
    if len(source) > 200:
        fields.setdefault("source", []).append("依据不能超过200字")
    if fields:
        raise FieldRefused(fields)
    row, _ = OversightPeriods.objects.update_or_create(
        region_code=region_code,
        defaults={
            "urge_days": urge_days,
            "opinion_days": opinion_days,
            "report_days": report_days,
            "source": source,
        },
    )
    ledger_append(
        stream=f"oversight_periods:{region_code}",
        action="oversight_periods_set",
        payload={
            "urge_days": urge_days,
            "opinion_days": opinion_days,
            "report_days": report_days,
            "source": source,
        },
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=Role.SUPERVISOR.value,
    )
    return row
