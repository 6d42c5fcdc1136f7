"""Reads for supervision: the five statistics forms (the statistics summary of cases.counts,
grouped by unit, folded into the region rows in Python over the few hundred units; never the
cases themselves, so a form costs the same however many years are held)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import Http404

from cases import counts
from cases.models import Case, Decision, Tally
from cases.todo import TodoItem
from jobs.models import JobRun
from jobs.selectors import job_run_for, job_runs_for
from orgs.models import Region, Unit, User
from orgs.selectors import supervised_root
from procedure.roles import Role
from supervision.models import FormReport
from supervision.tables import ENFORCEMENT_COLUMNS, FORMS, MEASURE_COLUMNS, WAN, FormSpec

Number = int | Decimal

_SELF_ROW_LABEL = {"province": "省直部门(单位)", "city": "市直部门(单位)"}


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def label(self) -> str:
        whole = (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)
        if whole and self.start.year == self.end.year:
            return f"{self.start.year}年"
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"

    def q(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.start, f"{name}__lte": self.end})


@dataclass(slots=True)
class Row:
    label: str
    region: str  # region code ("" for 合计)
    values: dict[str, Number]


@dataclass(slots=True)
class Table:
    spec: FormSpec
    root: Unit
    period: Period
    rows: list[Row]
    total: Row
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.root.region.name}{self.period.label}{self.spec.title}"

    def all_rows(self) -> list[Row]:
        return [*self.rows, self.total]


class _Rows:
    """The row layout of a subtree: the root's own region, then its child regions in seed order;
    each unit of the subtree mapped to its row."""

    def __init__(self, root: Unit) -> None:
        own = root.region
        children = list(Region.objects.filter(parent_code=own.code).order_by("order", "code"))
        self.regions: list[Region] = [own, *children]
        self.labels = [_SELF_ROW_LABEL.get(own.level, own.name), *(r.name for r in children)]
        index = {r.code: i for i, r in enumerate(self.regions)}
        parents = dict(Region.objects.values_list("code", "parent_code"))
        self.unit_row: dict[int, int] = {}
        for pk, region in Unit.objects.filter(path__startswith=root.path).values_list(
            "pk", "region_id"
        ):
            code, hops = region, 0
            while code not in index and code and hops < 6:  # a township's region: climb up
                code, hops = parents.get(code, ""), hops + 1
            self.unit_row[pk] = index.get(code, 0)
        self.path = root.path

    def empty(self, spec: FormSpec) -> list[dict[str, Number]]:
        zero = {c.key: (Decimal(0) if c.wan else 0) for c in spec.columns}
        return [dict(zero) for _ in self.regions]


def default_root() -> Unit:
    """The top of the org tree (the city government): the CLI's default subtree."""
    root = Unit.objects.filter(parent=None).order_by("path").first()
    if root is None:
        raise Unit.DoesNotExist("平台中尚无单位")
    return root


def _add(cells: list[dict[str, Number]], layout: _Rows, unit_id: int, key: str, n: Any) -> None:
    row = layout.unit_row.get(unit_id)
    if row is not None and n:
        cells[row][key] += n


def _cents_to_wan(cents: Any) -> Decimal:
    return (Decimal(str(cents)).quantize(Decimal(1)) / 100 / WAN) if cents else Decimal(0)


def _tallies(
    layout: _Rows, period: Period, events: tuple[str, ...]
) -> Iterable[tuple[int, str, str, int, int]]:
    """The statistics summary (cases.counts) of the subtree over the period: per unit, event and
    value, how many and how many cents. Reads summary rows, never the cases."""
    return (
        Tally.objects.filter(period.q("day"), event__in=events, unit__path__startswith=layout.path)
        .values_list("unit_id", "event", "value")
        .annotate(total=Sum("n"), amount=Sum("cents"))
        .order_by()
    )


_PENALTY_COLUMNS = {
    counts.FILED: "filed",
    counts.CLOSED: "closed",
    counts.TRANSFERRED: "transferred",
}
_REVIEW_COLUMNS = {
    (counts.REVIEW, "reconsideration"): "reconsidered",
    (counts.REVIEW_CORRECTED, "reconsideration"): "reconsideration_corrected",
    (counts.REVIEW, "litigation"): "litigated",
    (counts.REVIEW_CORRECTED, "litigation"): "litigation_lost",
}


def _penalty(layout: _Rows, period: Period, cells: list[dict[str, Number]]) -> None:
    events = (*_PENALTY_COLUMNS, counts.PENALTY, counts.REVIEW, counts.REVIEW_CORRECTED)
    for unit_id, event, value, n, amount in _tallies(layout, period, events):
        if event == counts.PENALTY:
            _add(cells, layout, unit_id, f"type_{value}", n)
            _add(cells, layout, unit_id, "amount", _cents_to_wan(amount))
        elif event in _PENALTY_COLUMNS:
            _add(cells, layout, unit_id, _PENALTY_COLUMNS[event], n)
        else:
            _add(cells, layout, unit_id, _REVIEW_COLUMNS[(event, value)], n)


def _coercion(layout: _Rows, period: Period, cells: list[dict[str, Number]]) -> None:
    prefix = {counts.MEASURE: "m_", counts.ENFORCEMENT: "e_"}
    for unit_id, event, value, n, _ in _tallies(layout, period, tuple(prefix)):
        _add(cells, layout, unit_id, f"{prefix[event]}{value}", n)
    for row in cells:
        row["measures_total"] = sum(int(row[c.key]) for c in MEASURE_COLUMNS)
        row["enforcements_total"] = sum(int(row[c.key]) for c in ENFORCEMENT_COLUMNS)
        row["total"] = (
            int(row["measures_total"]) + int(row["enforcements_total"]) + int(row["e_court"])
        )


def _inspection(layout: _Rows, period: Period, cells: list[dict[str, Number]]) -> None:
    for unit_id, _, _, n, _ in _tallies(layout, period, (counts.INSPECTION,)):
        _add(cells, layout, unit_id, "inspections", n)


def _reported(spec: FormSpec):  # type: ignore[no-untyped-def]
    def fill(layout: _Rows, period: Period, cells: list[dict[str, Number]]) -> None:
        reports = FormReport.objects.filter(
            form=spec.code,
            unit__path__startswith=layout.path,
            period_start__gte=period.start,
            period_end__lte=period.end,
        ).values_list("unit_id", "values")
        for unit_id, values in reports:
            for col in spec.columns:
                raw = values.get(col.key, "0")
                _add(cells, layout, unit_id, col.key, Decimal(raw) if col.wan else int(raw))

    return fill


_FILL = {
    "penalty": _penalty,
    "coercion": _coercion,
    "inspection": _inspection,
    "permit": _reported(FORMS["permit"]),
    "levy": _reported(FORMS["levy"]),
}


def form_table(form: str, *, root: Unit, period: Period) -> Table:
    """One statistics form for the subtree of ``root`` over ``period``."""
    spec = FORMS[form]
    layout = _Rows(root)
    cells = layout.empty(spec)
    _FILL[form](layout, period, cells)
    rows = [
        Row(label, region.code, values)
        for label, region, values in zip(layout.labels, layout.regions, cells, strict=True)
    ]
    total: dict[str, Number] = {}
    for col in spec.columns:
        total[col.key] = sum((r.values[col.key] for r in rows), Decimal(0) if col.wan else 0)
    table = Table(spec, root, period, rows, Row("合计", "", total))
    if form == "penalty":
        type_keys = [c.key for c in spec.columns if c.key.startswith("type_")]
        for row in rows:
            counted = sum(int(row.values[k]) for k in type_keys)
            if counted > int(row.values["closed"]):
                table.warnings.append(
                    f"{row.label}：各处罚种类合计{counted}件，多于结案数量{row.values['closed']}件"
                    "（按决定书计数，一个案件可有多份决定书；仅提示，不影响报送）"
                )
    return table


def table_json(table: Table) -> dict[str, Any]:
    """A form as JSON (decimals as strings, exact)."""

    def cell(v: Number) -> int | str:
        return v if isinstance(v, int) else format_wan(v)

    return {
        "form": table.spec.code,
        "title": table.title,
        "period": {"from": table.period.start.isoformat(), "to": table.period.end.isoformat()},
        "unit": table.root.code,
        "columns": [{"key": c.key, "label": c.label} for c in table.spec.columns],
        "rows": [
            {
                "label": r.label,
                "region": r.region,
                "values": {k: cell(v) for k, v in r.values.items()},
            }
            for r in table.all_rows()
        ],
        "warnings": table.warnings,
    }


def format_wan(value: Decimal) -> str:
    """万元 as printed: exact, no trailing zeros (23532.89, 2221.6, 1232.9498)."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


# --- dashboard, drill-down, items, file reviews -------------------------------------------------

DRILL_KINDS = {
    "filed": "立案",
    "closed": "结案",
    "open": "办理中",
    "approaching": "即将到期",
    "overdue": "已超期",
    "irregular": "存在监督事项",
}


# 强制执行 figures of the dashboard, each a drill-down list of its cases (by decision: a case of
# two parties may count twice).
UNPAID_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("unpaid_30", "逾期未履行30日以内", 1, 30),
    ("unpaid_90", "逾期未履行31至90日", 31, 90),
    ("unpaid_180", "逾期未履行91至180日", 91, 180),
    ("unpaid_over", "逾期未履行180日以上", 181, None),
)
ENFORCED_ROUTES = {
    "enforced_agency": ("enforced", "行政机关强制执行"),
    "enforced_substitute": ("substituted", "代履行"),
    "enforced_court": ("court_enforced", "人民法院强制执行"),
}
ENFORCEMENT_KINDS = {
    **{code: label for code, label, _, _ in UNPAID_BANDS},
    "court_closing": "申请法院强制执行期限即将届满",
    **{code: label for code, (_, label) in ENFORCED_ROUTES.items()},
}


def drill_label(kind: str) -> str | None:
    """The Chinese name of a drill-down list; None for a kind the dashboard does not have."""
    return DRILL_KINDS.get(kind) or ENFORCEMENT_KINDS.get(kind)


def enforcement_sets(
    root: Unit, period: Period, today: dt.date, unit_id: int | None = None
) -> dict[str, set[tuple[int, int]]]:
    """The decisions (decision id, case id) behind each 强制执行 figure of the subtree:

    - unpaid by age: penalty decisions of platform cases served and not performed, no
      enforcement of them completed, past the party's term (the payment limit, or the missed
      instalment of an approved plan; one the plan still holds back is not overdue), by days;
    - court_closing: the court window (行政强制法第五十三条) closing within
      ENFORCEMENT_COURT_WARN_DAYS with no application (supervision.rules, the same facts);
    - enforced_*: enforcements completed in the period, by route."""
    from django.conf import settings

    from deadlines.services import working_calendar
    from enforcement.models import EnforcementRecord
    from procedure.vocab import DecisionOutcome
    from supervision import rules

    out: dict[str, set[tuple[int, int]]] = {k: set() for k in ENFORCEMENT_KINDS}
    done = EnforcementRecord.objects.filter(
        outcome__in=["enforced", "substituted", "court_enforced", "performed"]
    ).values("decision_id")
    outstanding = (
        Decision.objects.filter(
            case__unit__path__startswith=root.path,
            case__imported=False,
            outcome=DecisionOutcome.PENALTY,
            delivered_on__isnull=False,
            executed_on__isnull=True,
        )
        .exclude(pk__in=done)
        .select_related("case__matter", "party")
        .prefetch_related("items", "reviews")
        .order_by("pk")
    )
    if unit_id is not None:
        outstanding = outstanding.filter(case__unit_id=unit_id)
    calendar = working_calendar()
    warn = int(settings.ENFORCEMENT_COURT_WARN_DAYS)
    for facts in rules.enforcement_facts(list(outstanding), calendar, today):
        key = (facts.decision.pk, facts.decision.case_id)
        ended = rules.term_ended(facts)
        if ended is not None and today > ended and facts.payable:
            age = (today - ended).days
            for code, _, low, high in UNPAID_BANDS:
                if age >= low and (high is None or age <= high):
                    out[code].add(key)
        state = rules.court_window_state(facts)
        if state is not None and not state[1]:
            closes = state[0].closes
            if today <= closes <= today + dt.timedelta(days=warn):
                out["court_closing"].add(key)
    completed = EnforcementRecord.objects.filter(
        period.q("completed_on"), case__unit__path__startswith=root.path
    )
    if unit_id is not None:
        completed = completed.filter(case__unit_id=unit_id)
    by_outcome = {outcome: code for code, (outcome, _) in ENFORCED_ROUTES.items()}
    for decision_id, case_id, outcome in completed.values_list("decision_id", "case_id", "outcome"):
        if outcome in by_outcome:
            out[by_outcome[outcome]].add((decision_id, case_id))
    return out


def supervisor_root(user: User) -> Unit | None:
    """The subtree a supervisor watches; None for everyone else (their pages are 404)."""
    if not user.is_authenticated or not user.is_active:
        return None
    return supervised_root(user)


def report_units(user: User) -> list[Unit]:
    """The units whose 许可 and 征收征用 figures the user may 填报: a supervisor's subtree's
    agencies and townships, or a section chief's or 分管局长's own unit; none for anyone else."""
    root = supervisor_root(user)
    if root is not None:
        return list(
            Unit.objects.filter(path__startswith=root.path, kind__in=("agency", "township"))
        )
    if user.unit is not None and (
        user.has_role(Role.SECTION_CHIEF) or user.has_role(Role.DEPUTY_DIRECTOR)
    ):
        return [user.unit]
    return []


def _running_limits() -> Any:
    """The limits the 期限预警 flags: those still running. A limit stopped late keeps its status
    as history, and the late work is the irregularity scan's to find, not a warning for ever."""
    from deadlines.models import Deadline

    return Deadline.objects.filter(stopped_on__isnull=True)


def dashboard(root: Unit, period: Period) -> dict[str, Any]:
    """Per unit of the subtree: filed, closed, open, closure rate, deadlines approaching / past,
    open supervision items; and the open items per rule."""
    from deadlines.models import Deadline
    from supervision.models import Item
    from supervision.rules import rule_label

    units = {
        u.pk: u
        for u in Unit.objects.filter(path__startswith=root.path, kind__in=("agency", "township"))
    }
    rows: dict[int, dict[str, Any]] = {
        pk: {
            "unit": u,
            "filed": 0,
            "closed": 0,
            "open": 0,
            "approaching": 0,
            "overdue": 0,
            "irregular": 0,
        }
        for pk, u in units.items()
    }
    summary = Tally.objects.filter(
        period.q("day"), event__in=(counts.FILED, counts.CLOSED), unit_id__in=rows
    )
    for unit_id, event, n in (
        summary.values_list("unit_id", "event").annotate(total=Sum("n")).order_by()
    ):
        rows[unit_id][event] = n
    cases = Case.objects.filter(unit_id__in=rows, status=Case.Status.OPEN)
    for unit_id, n in cases.values_list("unit_id").annotate(n=Count("id")).order_by():
        rows[unit_id]["open"] = n
    deadlines = (
        _running_limits()
        .filter(
            case__unit__path__startswith=root.path,
            status__in=(Deadline.Status.APPROACHING, Deadline.Status.OVERDUE),
        )
        .values("case__unit_id", "status", "name")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    limits: dict[str, dict[str, int]] = {}
    for r in deadlines:
        if r["case__unit_id"] in rows:
            rows[r["case__unit_id"]][r["status"]] += r["n"]
        limits.setdefault(r["name"], {"approaching": 0, "overdue": 0})[r["status"]] += r["n"]
    items = Item.objects.filter(unit__path__startswith=root.path).exclude(status=Item.Status.CLOSED)
    for r in items.values("unit_id").annotate(n=Count("case_id", distinct=True)).order_by():
        if r["unit_id"] in rows:
            rows[r["unit_id"]]["irregular"] = r["n"]
    by_rule = [
        {"rule": r["rule"], "label": rule_label(r["rule"]), "n": r["n"]}
        for r in items.values("rule").annotate(n=Count("id")).order_by("-n", "rule")
    ]
    out = [r for r in rows.values() if any(r[k] for k in DRILL_KINDS)]
    for r in out:
        r["rate"] = f"{r['closed'] / r['filed']:.1%}" if r["filed"] else "—"
    out.sort(key=lambda r: r["unit"].path)
    totals = {k: sum(r[k] for r in out) for k in DRILL_KINDS}
    totals["rate"] = f"{totals['closed'] / totals['filed']:.1%}" if totals["filed"] else "—"
    from supervision.review_selectors import unit_ranking
    from zhifa import clock

    enforcement = enforcement_sets(root, period, clock.today())
    return {
        "enforcement": {k: len(v) for k, v in enforcement.items()},
        "rows": out,
        "totals": totals,
        "limits": limits,
        "by_rule": by_rule,
        "ranking": unit_ranking(root, period),
    }


def drill_cases(
    root: Unit, kind: str, period: Period, unit_id: int | None = None, rule: str = ""
) -> Any:
    """The cases behind one dashboard number."""
    from supervision.models import Item

    qs = Case.objects.filter(unit__path__startswith=root.path)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if kind == "filed":
        qs = qs.filter(period.q("filed_on"))
    elif kind == "closed":
        qs = qs.filter(period.q("closed_on"))
    elif kind == "open":
        qs = qs.filter(status=Case.Status.OPEN)
    elif kind in ("approaching", "overdue"):
        qs = qs.filter(pk__in=_running_limits().filter(status=kind).values("case_id"))
    elif kind == "irregular":
        items = Item.objects.exclude(status=Item.Status.CLOSED)
        if rule:
            items = items.filter(rule=rule)
        qs = qs.filter(pk__in=items.values("case_id"))
    elif kind in ENFORCEMENT_KINDS:
        from zhifa import clock

        found = enforcement_sets(root, period, clock.today(), unit_id)[kind]
        qs = qs.filter(pk__in={case_id for _, case_id in found})
    else:
        return Case.objects.none()
    return qs.select_related("unit").order_by("-filed_on", "-pk")


def items_for_user(user: User) -> Any:
    """Supervision items a user may read: a supervisor its subtree; an officer of a unit the
    items sent to its own unit; nobody else anything."""
    from procedure.roles import CASE_ROLES
    from supervision.models import Item

    if not user.is_authenticated or not user.is_active:
        return Item.objects.none()
    q = Q(pk__in=[])
    root = supervised_root(user)
    if root is not None:
        q |= Q(unit__path__startswith=root.path)
    if user.unit_id is not None and user.role_set & CASE_ROLES:
        q |= Q(unit_id=user.unit_id) & ~Q(status=Item.Status.RAISED)
    return Item.objects.filter(q).select_related("unit", "case")


def get_item_for_user(user: User, item_id: int) -> Any:
    """THE access function for supervision items: out of scope is 404."""

    item = items_for_user(user).filter(pk=item_id).first()
    if item is None:
        raise Http404("监督事项不存在")
    return item


# --- 执法监督事项 (行政执法监督条例) ------------------------------------------------------------


def matters_for_user(user: User) -> Any:
    """Matters a user may read: a supervisor those of its subtree; the 业务科长 or 分管局长 of the
    supervised agency its own once the instrument is sent; nobody else anything."""
    from supervision.models import Matter

    if not user.is_authenticated or not user.is_active:
        return Matter.objects.none()
    q = Q(pk__in=[])
    root = supervised_root(user)
    if root is not None:
        q |= Q(unit__path__startswith=root.path)
    if user.unit_id is not None and (
        user.has_role(Role.SECTION_CHIEF) or user.has_role(Role.DEPUTY_DIRECTOR)
    ):
        q |= Q(unit_id=user.unit_id) & ~Q(status=Matter.Status.OPENED)
    return Matter.objects.filter(q).select_related("unit", "case")


def get_matter_for_user(user: User, matter_id: int) -> Any:
    """THE access function for matters: out of scope is 404."""

    matter = matters_for_user(user).filter(pk=matter_id).first()
    if matter is None:
        raise Http404("监督事项不存在")
    return matter


def matters_todo(user: User) -> list[Any]:
    """The agency's 待办 of matters: what its 业务科长 or 分管局长 must answer, object to, or report
    on (the supervisor's own are on the matters page)."""
    from supervision.models import Matter

    if user.unit_id is None or not (
        user.has_role(Role.SECTION_CHIEF) or user.has_role(Role.DEPUTY_DIRECTOR)
    ):
        return []
    waiting = (Matter.Status.SENT, Matter.Status.DECIDED)
    return list(
        Matter.objects.filter(unit_id=user.unit_id, status__in=waiting).order_by(
            "reply_due_on", "report_due_on", "pk"
        )[:50]
    )


def matters_todo_items(user: User, role: Role) -> list[TodoItem]:
    """The 待办's 执法监督事项: the matters sent to the unit for its 业务科长 and 分管局长 to answer
    (督办函/意见书) or to report on (the government's 决定书), with the period running."""
    from django.urls import reverse

    from zhifa import clock

    if role not in (Role.SECTION_CHIEF, Role.DEPUTY_DIRECTOR) or not user.has_role(role):
        return []
    today = clock.today()
    items = []
    for m in matters_todo(user):
        due, _late = matter_due(m, today)
        items.append(
            TodoItem(
                kind="matter",
                subject=" ".join(x for x in (m.title, m.get_instrument_display(), m.number) if x),
                asked="报告决定书执行情况" if m.status == "decided" else "答复整改情况",
                url=reverse("supervision:matter", args=[m.pk]),
                due=due,
                since=m.sent_on,
            )
        )
    return items


def matter_due(matter: Any, today: dt.date) -> tuple[dt.date | None, bool]:
    """The period running (or last run) and whether it is late (law/oversight.is_late)."""
    from law.oversight import is_late

    if matter.report_due_on is not None:
        return matter.report_due_on, is_late(matter.report_due_on, matter.reported_on, today)
    if matter.reply_due_on is None:
        return None, False
    return matter.reply_due_on, is_late(matter.reply_due_on, reply_done(matter), today)


def reply_done(matter: Any) -> dt.date | None:
    """The day the reply period stopped: the answer, the objection, or the 处理建议 that took the
    matter to the government; none while the agency is still to answer."""
    if matter.status == "sent":
        return None
    return matter.replied_on or matter.objection_on or matter.proposed_on


def matter_sides(user: User, matter: Any) -> frozenset[Any]:
    """The sides of the matter the user is on (procedure/oversight.Side)."""
    from procedure.oversight import Side

    sides = set()
    root = supervised_root(user)
    if root is not None and matter.unit.path.startswith(root.path):
        sides.add(Side.SUPERVISOR)
    if user.unit_id == matter.unit_id and (
        user.has_role(Role.SECTION_CHIEF) or user.has_role(Role.DEPUTY_DIRECTOR)
    ):
        sides.add(Side.AGENCY)
    return frozenset(sides)


def matter_actions(user: User, matter: Any, today: dt.date) -> set[str]:
    """The actions the pure table allows this user on this matter now (the pages offer these)."""
    from law.oversight import is_late
    from procedure.oversight import ACTIONS, MatterFacts, State, refusals

    facts = MatterFacts(
        state=State(matter.status),
        sides=matter_sides(user, matter),
        ignored=is_late(matter.reply_due_on, matter.replied_on, today),
        major=matter.major,
    )
    return {code for code in ACTIONS if not refusals(code, facts)}


def matter_sides_possible(user: User) -> bool:
    """Whether the user could be the agency side of some matter (its 业务科长 or 分管局长)."""
    return user.unit_id is not None and (
        user.has_role(Role.SECTION_CHIEF) or user.has_role(Role.DEPUTY_DIRECTOR)
    )


def supervised_case(user: User, case: Case) -> bool:
    """Whether the case lies in the supervisor's subtree."""
    root = supervised_root(user)
    return root is not None and case.unit.path.startswith(root.path)


def matters_awaiting_supervisor(qs: Any, today: dt.date) -> Any:
    """The matters the supervisor must act on: an objection to decide, an answer or a report to
    review, an instrument ignored past its period (第二十九条), a draft not yet sent."""
    waiting = ("opened", "objected", "answered", "reported")
    return qs.filter(Q(status__in=waiting) | Q(status="sent", reply_due_on__lt=today))


@dataclass(frozen=True)
class Periods:
    urge_days: int
    opinion_days: int
    report_days: int
    source: str


def oversight_periods(unit: Unit) -> Periods:
    """The periods for matters on an agency: its region's row, else the nearest region above,
    else the platform defaults (SUPERVISION_*_DAYS; law/oversight.py)."""
    from django.conf import settings

    from supervision.models import OversightPeriods

    code: str | None = unit.region_id
    seen: set[str] = set()
    while code and code not in seen:
        seen.add(code)
        row = OversightPeriods.objects.filter(region_code=code).first()
        if row is not None:
            return Periods(row.urge_days, row.opinion_days, row.report_days, row.source)
        code = Region.objects.filter(code=code).values_list("parent_code", flat=True).first()
    return Periods(
        int(settings.SUPERVISION_URGE_REPLY_DAYS),
        int(settings.SUPERVISION_OPINION_REPLY_DAYS),
        int(settings.SUPERVISION_DECISION_REPORT_DAYS),
        "平台默认：山东省行政执法监督条例第二十八条、第二十九条（督办函期限待核实）",
    )


def matters_summary(root: Unit, today: dt.date) -> dict[str, int]:
    """The dashboard's figures of 执法监督事项 in the subtree: in progress, awaiting the
    supervisor, and instruments ignored past their last day."""
    from supervision.models import Matter

    qs = Matter.objects.filter(unit__path__startswith=root.path)
    return {
        "open": qs.exclude(status="closed").count(),
        "todo": matters_awaiting_supervisor(qs, today).count(),
        "late": qs.filter(status="sent", reply_due_on__lt=today).count(),
    }


# The kinds of job this module runs in the worker (supervision.services registers them).
SCAN = "supervision_scan"
STATS_EXPORT = "stats_export"


def scan_run_for(user: User, run_id: int) -> JobRun:
    """A scan run, to a supervisor whose subtree holds the run's; any other is 404."""
    return job_run_for(user, SCAN, run_id)


def last_scan(root: Unit) -> JobRun | None:
    """The subtree's latest scan, for the dashboard's link to it."""
    return JobRun.objects.filter(kind=SCAN, unit=root).defer("input_data", "output_data").first()


# --- a statistics form exported by the worker -----------------------------------------------------


def supervisor_scope(user: User) -> Q | None:
    """The runs a supervisor sees (a scan, an export of a form): those of units within the
    subtree, the statistics page's rule."""
    root = supervisor_root(user)
    return None if root is None else Q(unit__path__startswith=root.path)


def stats_export_run_for(user: User, run_id: int) -> JobRun:
    """A queued export of a form: to the supervisors whose subtree holds it; others 404."""
    return job_run_for(user, STATS_EXPORT, run_id)


def stats_export_runs(user: User) -> Any:
    return job_runs_for(user, STATS_EXPORT)
