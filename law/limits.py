"""Every time limit the platform enforces, as data, each with its statute and article.

How a limit is counted:

- ``WORKING``: 行政处罚法第八十五条 (“二日”“三日”“五日”“七日” are working days) and
  行政强制法第六十九条 (limits of ten days or less are working days). The start day is not
  counted; the due date is the n-th working day after it.
- ``CALENDAR``: longer day limits (15, 30, 60, 90 days) are calendar days, start day not counted.
- ``MONTHS`` / ``YEARS``: the corresponding day, clamped to the month's end (民法典第二百零二条).
- ``HOURS``: from the moment of the event (行政强制法第十九条, 24 hours); see :func:`due_datetime`.

``before`` limits run backwards from an event: 听证 must be notified seven working days before
it is held (行政处罚法第六十四条), 代履行 preceded by a 催告 three working days before
(行政强制法第五十一条 — a working-day limit under 第六十九条); their due date is the latest day
to act: the n-th working day before the event (“七日前”: hearing on the 10th, notice by the 3rd).

``rolls_over``: 民事诉讼法第八十五条 — when the last day of a period falls on a 法定休假日 the
period ends on the next working day. The platform applies it to the periods in which the
*party* must act (payment, reconsideration, litigation), so that no surcharge is charged and no
remedy refused a day early. The agency's own limits do not roll over: the platform warns by
the earliest date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from law.calendar import WorkingCalendar, add_calendar_days, add_months, to_shanghai_date

__all__ = [
    "ALL_LIMITS",
    "COURT_APPLICATION",
    "COURT_APPLICATION_AFTER_NOTICE",
    "DECISION_LIMIT",
    "DELIVERY",
    "DISCLOSURE_OTHER",
    "DISCLOSURE_PENALTY",
    "DISCLOSURE_WITHDRAWAL",
    "EMERGENCY_MEASURE_REPORT",
    "EVIDENCE_PRESERVATION_DECISION",
    "FREEZE_EXTENSION",
    "FREEZE_PERIOD",
    "HEARING_NOTICE",
    "HEARING_REQUEST",
    "LIMITS_BY_CODE",
    "LITIGATION",
    "LITIGATION_AFTER_RECONSIDERATION",
    "ON_SPOT_FINE_HANDOVER",
    "PAYMENT",
    "RANDOM_INSPECTION_PUBLISH",
    "RECONSIDERATION",
    "RECONSIDERATION_MAX",
    "SEIZURE_EXTENSION",
    "SEIZURE_PERIOD",
    "SUBSTITUTE_NOTICE",
    "SURCHARGE_ENFORCE_AFTER",
    "TIME_BAR",
    "TIME_BAR_EXTENDED",
    "DayKind",
    "TimeLimit",
    "due_date",
    "due_datetime",
]

PENALTY_LAW = "行政处罚法"
COERCION_LAW = "行政强制法"
RECONSIDERATION_LAW = "行政复议法"
LITIGATION_LAW = "行政诉讼法"
THREE_SYSTEMS = "国办发〔2018〕118号"
RANDOM_INSPECTION = "国发〔2019〕5号"


class DayKind(StrEnum):
    """How a limit's amount is counted."""

    CALENDAR = "calendar"
    WORKING = "working"
    HOURS = "hours"
    MONTHS = "months"
    YEARS = "years"


_UNIT_LABELS: dict[DayKind, str] = {
    DayKind.CALENDAR: "日",
    DayKind.WORKING: "个工作日",
    DayKind.HOURS: "小时",
    DayKind.MONTHS: "个月",
    DayKind.YEARS: "年",
}


@dataclass(frozen=True)
class TimeLimit:
    """One statutory time limit.

    ``law`` is the statute's short name (or a State Council document number), ``article`` the
    article (``第六十条``). ``before``: the limit runs backwards from the event. ``rolls_over``:
    a last day on a rest day moves to the next working day (民事诉讼法第八十五条).
    """

    code: str
    name: str
    amount: int
    kind: DayKind
    law: str
    article: str
    note: str = ""
    before: bool = False
    rolls_over: bool = False

    @property
    def citation(self) -> str:
        """E.g. ``《行政处罚法》第六十条``; a document number is not put in 书名号."""
        if "〔" in self.law:
            return f"{self.law}{self.article}"
        return f"《{self.law}》{self.article}"

    @property
    def duration_label(self) -> str:
        """E.g. ``5个工作日``, ``90日``, ``6个月``."""
        return f"{self.amount}{_UNIT_LABELS[self.kind]}"


# --- 行政处罚法 ------------------------------------------------------------------------------

DECISION_LIMIT = TimeLimit(
    code="decision_limit",
    name="作出行政处罚决定期限",
    amount=90,
    kind=DayKind.CALENDAR,
    law=PENALTY_LAW,
    article="第六十条",
    note="自立案之日起九十日内作出行政处罚决定；法律、法规、规章另有规定的，从其规定",
)
EVIDENCE_PRESERVATION_DECISION = TimeLimit(
    code="evidence_preservation_decision",
    name="先行登记保存证据处理决定期限",
    amount=7,
    kind=DayKind.WORKING,
    law=PENALTY_LAW,
    article="第五十六条",
    note="先行登记保存后应当在七日内及时作出处理决定；“七日”为工作日（第八十五条）",
)
HEARING_REQUEST = TimeLimit(
    code="hearing_request",
    name="要求听证期限",
    amount=5,
    kind=DayKind.WORKING,
    law=PENALTY_LAW,
    article="第六十四条第一项",
    note="当事人要求听证的，应当在行政机关告知后五日内提出；“五日”为工作日（第八十五条）",
)
HEARING_NOTICE = TimeLimit(
    code="hearing_notice",
    name="听证通知期限",
    amount=7,
    kind=DayKind.WORKING,
    law=PENALTY_LAW,
    article="第六十四条第二项",
    note="行政机关应当在举行听证的七日前，通知当事人及有关人员听证的时间、地点；"
    "“七日”为工作日（第八十五条）；到期日为最迟通知日",
    before=True,
)
DELIVERY = TimeLimit(
    code="delivery",
    name="送达行政处罚决定书期限",
    amount=7,
    kind=DayKind.WORKING,
    law=PENALTY_LAW,
    article="第六十一条",
    note="当事人不在场的，应当在七日内依照民事诉讼法的有关规定送达；“七日”为工作日（第八十五条）",
)
PAYMENT = TimeLimit(
    code="payment",
    name="缴纳罚款期限",
    amount=15,
    kind=DayKind.CALENDAR,
    law=PENALTY_LAW,
    article="第六十七条",
    note="当事人应当自收到行政处罚决定书之日起十五日内缴纳罚款；逾期适用第七十二条加处罚款",
    rolls_over=True,
)
ON_SPOT_FINE_HANDOVER = TimeLimit(
    code="on_spot_fine_handover",
    name="当场收缴罚款交纳期限",
    amount=2,
    kind=DayKind.WORKING,
    law=PENALTY_LAW,
    article="第七十一条",
    note="执法人员当场收缴的罚款，应当自收缴罚款之日起二日内交至行政机关（水上自抵岸之日起）；"
    "行政机关应当在二日内缴付指定的银行；“二日”为工作日（第八十五条）",
)
DISCLOSURE_WITHDRAWAL = TimeLimit(
    code="disclosure_withdrawal",
    name="撤回已公开行政处罚决定信息期限",
    amount=3,
    kind=DayKind.WORKING,
    law=PENALTY_LAW,
    article="第四十八条",
    note="公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的，应当在三日内撤回"
    "行政处罚决定信息并公开说明理由；“三日”为工作日（第八十五条）",
)
TIME_BAR = TimeLimit(
    code="time_bar",
    name="行政处罚追责时效",
    amount=2,
    kind=DayKind.YEARS,
    law=PENALTY_LAW,
    article="第三十六条第一款",
    note="违法行为在二年内未被发现的，不再给予行政处罚；从违法行为发生之日起计算，"
    "违法行为有连续或者继续状态的，从行为终了之日起计算",
)
TIME_BAR_EXTENDED = TimeLimit(
    code="time_bar_extended",
    name="行政处罚追责时效（延长）",
    amount=5,
    kind=DayKind.YEARS,
    law=PENALTY_LAW,
    article="第三十六条第一款",
    note="涉及公民生命健康安全、金融安全且有危害后果的，期限延长至五年",
)

# --- 行政强制法 ------------------------------------------------------------------------------

EMERGENCY_MEASURE_REPORT = TimeLimit(
    code="emergency_measure_report",
    name="当场实施行政强制措施报告期限",
    amount=24,
    kind=DayKind.HOURS,
    law=COERCION_LAW,
    article="第十九条",
    note="情况紧急当场实施行政强制措施的，应当在二十四小时内向行政机关负责人报告，"
    "并补办批准手续；负责人认为不应当采取的，应当立即解除",
)
SEIZURE_PERIOD = TimeLimit(
    code="seizure_period",
    name="查封、扣押期限",
    amount=30,
    kind=DayKind.CALENDAR,
    law=COERCION_LAW,
    article="第二十五条第一款",
    note="查封、扣押的期限不得超过三十日（超过十日，按自然日计算，第六十九条）；"
    "检测、检验、检疫或者技术鉴定的期间不计入（第二十五条第三款）",
)
SEIZURE_EXTENSION = TimeLimit(
    code="seizure_extension",
    name="查封、扣押延长期限",
    amount=30,
    kind=DayKind.CALENDAR,
    law=COERCION_LAW,
    article="第二十五条第一款",
    note="情况复杂的，经行政机关负责人批准可以延长，但延长期限不得超过三十日；"
    "延长决定应当及时书面告知当事人并说明理由（第二十五条第二款）",
)
FREEZE_PERIOD = TimeLimit(
    code="freeze_period",
    name="冻结存款、汇款处理期限",
    amount=30,
    kind=DayKind.CALENDAR,
    law=COERCION_LAW,
    article="第三十二条第一款",
    note="自冻结存款、汇款之日起三十日内，行政机关应当作出处理决定或者作出解除冻结决定",
)
FREEZE_EXTENSION = TimeLimit(
    code="freeze_extension",
    name="冻结延长期限",
    amount=30,
    kind=DayKind.CALENDAR,
    law=COERCION_LAW,
    article="第三十二条第一款",
    note="情况复杂的，经行政机关负责人批准可以延长，但延长期限不得超过三十日",
)
SURCHARGE_ENFORCE_AFTER = TimeLimit(
    code="surcharge_enforce_after",
    name="加处罚款（滞纳金）强制执行起算期限",
    amount=30,
    kind=DayKind.CALENDAR,
    law=COERCION_LAW,
    article="第四十六条第一款",
    note="实施加处罚款或者滞纳金超过三十日，经催告当事人仍不履行的，"
    "具有行政强制执行权的行政机关可以强制执行",
)
SUBSTITUTE_NOTICE = TimeLimit(
    code="substitute_notice",
    name="代履行前催告期限",
    amount=3,
    kind=DayKind.WORKING,
    law=COERCION_LAW,
    article="第五十一条第一款第二项",
    note="代履行三日前，催告当事人履行；“三日”为工作日（第六十九条）；到期日为最迟催告日",
    before=True,
)
COURT_APPLICATION = TimeLimit(
    code="court_application",
    name="申请人民法院强制执行期限",
    amount=3,
    kind=DayKind.MONTHS,
    law=COERCION_LAW,
    article="第五十三条",
    note="当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行的，"
    "没有行政强制执行权的行政机关可以自期限届满之日起三个月内申请人民法院强制执行",
)
COURT_APPLICATION_AFTER_NOTICE = TimeLimit(
    code="court_application_after_notice",
    name="催告后申请法院强制执行等待期",
    amount=10,
    kind=DayKind.WORKING,
    law=COERCION_LAW,
    article="第五十四条",
    note="催告书送达十日后当事人仍未履行义务的，可以申请人民法院强制执行；"
    "“十日”为工作日（第六十九条）；到期日之后方可申请",
)

# --- 救济途径 ---------------------------------------------------------------------------------

RECONSIDERATION = TimeLimit(
    code="reconsideration",
    name="申请行政复议期限",
    amount=60,
    kind=DayKind.CALENDAR,
    law=RECONSIDERATION_LAW,
    article="第二十条第一款",
    note="自知道或者应当知道该行政行为之日起六十日内提出行政复议申请；"
    "法律规定的申请期限超过六十日的除外",
    rolls_over=True,
)
RECONSIDERATION_MAX = TimeLimit(
    code="reconsideration_max",
    name="申请行政复议最长期限（未告知复议权利）",
    amount=1,
    kind=DayKind.YEARS,
    law=RECONSIDERATION_LAW,
    article="第二十条第三款",
    note="未告知申请行政复议的权利、复议机关和申请期限的，申请期限自知道或者应当知道之日起计算，"
    "但自知道或者应当知道行政行为内容之日起最长不得超过一年",
    rolls_over=True,
)
LITIGATION = TimeLimit(
    code="litigation",
    name="提起行政诉讼期限",
    amount=6,
    kind=DayKind.MONTHS,
    law=LITIGATION_LAW,
    article="第四十六条第一款",
    note="直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出",
    rolls_over=True,
)
# Not in law.md, from the statute text as remembered (行政诉讼法第四十五条).
LITIGATION_AFTER_RECONSIDERATION = TimeLimit(
    code="litigation_after_reconsideration",
    name="不服复议决定提起行政诉讼期限",
    amount=15,
    kind=DayKind.CALENDAR,
    law=LITIGATION_LAW,
    article="第四十五条",
    note="不服复议决定的，可以在收到复议决定书之日起十五日内向人民法院提起诉讼；"
    "复议机关逾期不作决定的，可以在复议期满之日起十五日内提起诉讼",
    rolls_over=True,
)

# --- 行政执法三项制度、双随机 ------------------------------------------------------------------

DISCLOSURE_PENALTY = TimeLimit(
    code="disclosure_penalty",
    name="行政许可、行政处罚决定公开期限",
    amount=7,
    kind=DayKind.WORKING,
    law=THREE_SYSTEMS,
    article="“加强事后公开”",
    note="行政许可、行政处罚的执法决定信息要在执法决定作出之日起7个工作日内公开，"
    "法律、行政法规另有规定的除外",
)
DISCLOSURE_OTHER = TimeLimit(
    code="disclosure_other",
    name="其他执法决定公开期限",
    amount=20,
    kind=DayKind.WORKING,
    law=THREE_SYSTEMS,
    article="“加强事后公开”",
    note="执法决定作出之日起20个工作日内向社会公布执法机关、执法对象、执法类别、执法结论等信息",
)
RANDOM_INSPECTION_PUBLISH = TimeLimit(
    code="random_inspection_publish",
    name="双随机抽查结果公示期限",
    amount=20,
    kind=DayKind.WORKING,
    law=RANDOM_INSPECTION,
    article="（双随机、一公开）",
    note="抽查检查结束后20个工作日内公示抽查检查结果；出处待核实（地方实施文件多规定为"
    "自抽查结束之日起20个工作日内）",
)

ALL_LIMITS: tuple[TimeLimit, ...] = (
    DECISION_LIMIT,
    EVIDENCE_PRESERVATION_DECISION,
    HEARING_REQUEST,
    HEARING_NOTICE,
    DELIVERY,
    PAYMENT,
    ON_SPOT_FINE_HANDOVER,
    DISCLOSURE_WITHDRAWAL,
    TIME_BAR,
    TIME_BAR_EXTENDED,
    EMERGENCY_MEASURE_REPORT,
    SEIZURE_PERIOD,
    SEIZURE_EXTENSION,
    FREEZE_PERIOD,
    FREEZE_EXTENSION,
    SURCHARGE_ENFORCE_AFTER,
    SUBSTITUTE_NOTICE,
    COURT_APPLICATION,
    COURT_APPLICATION_AFTER_NOTICE,
    RECONSIDERATION,
    RECONSIDERATION_MAX,
    LITIGATION,
    LITIGATION_AFTER_RECONSIDERATION,
    DISCLOSURE_PENALTY,
    DISCLOSURE_OTHER,
    RANDOM_INSPECTION_PUBLISH,
)

LIMITS_BY_CODE: dict[str, TimeLimit] = {limit.code: limit for limit in ALL_LIMITS}


def due_date(limit: TimeLimit, start: date | datetime, calendar: WorkingCalendar) -> date:
    """The last day of ``limit`` counted from ``start`` (the start day itself is not counted).

    For a ``before`` limit, ``start`` is the event (the hearing, the 代履行) and the result is the
    latest day to act. ``HOURS`` limits raise ValueError: use :func:`due_datetime`. Working-day
    limits, and rolled-over limits, raise :class:`law.calendar.CalendarNotCovered` for a year
    without holiday data.
    """
    day = to_shanghai_date(start)
    sign = -1 if limit.before else 1
    if limit.kind is DayKind.WORKING:
        return calendar.add_working_days(day, sign * limit.amount)
    if limit.kind is DayKind.CALENDAR:
        result = add_calendar_days(day, sign * limit.amount)
    elif limit.kind is DayKind.MONTHS:
        result = add_months(day, sign * limit.amount)
    elif limit.kind is DayKind.YEARS:
        result = add_months(day, sign * 12 * limit.amount)
    else:
        raise ValueError(f"“{limit.name}”以小时计算，应使用due_datetime计算到期时间")
    if limit.rolls_over and not limit.before:
        result = calendar.next_working_day(result)
    return result


def due_datetime(limit: TimeLimit, start: datetime, calendar: WorkingCalendar) -> datetime:
    """The moment an ``HOURS`` limit runs out: ``start`` + the hours (民事诉讼法第八十五条: the
    starting hour is not counted, so the limit is reached exactly ``amount`` hours later).

    ``calendar`` is accepted for a uniform signature; hour limits run through holidays.
    ValueError for any other kind.
    """
    del calendar
    if limit.kind is not DayKind.HOURS:
        raise ValueError(f"“{limit.name}”不以小时计算，应使用due_date计算到期日")
    sign = -1 if limit.before else 1
    return start + timedelta(hours=sign * limit.amount)
