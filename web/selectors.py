"""Reads of the officer's workspace: the 待办 inbox, the filtered case list and the search.

Every query starts from `cases.selectors.cases_for_user` (the data scope); the inbox narrows it
further with the step tables (who acts on which step).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from cases.models import Case, Party
from cases.selectors import cases_for_user, return_reason, returns_of
from cases.todo import TodoItem, todo_items, todo_kinds
from deadlines.models import Deadline
from ledger.models import Entry
from orgs.models import Unit, User
from orgs.selectors import supervised_root
from procedure import PROCEDURES
from procedure.engine import Step
from procedure.roles import CASE_ROLES, ROLE_LABELS, Role
from zhifa import clock

ROLE_NAMES = {r.value: label for r, label in ROLE_LABELS.items()}
DUE_BADGES = {
    Deadline.Status.APPROACHING: ("warn", "即将到期"),
    Deadline.Status.OVERDUE: ("bad", "已超期"),
    Deadline.Status.RUNNING: ("ok", "计时中"),
}
ACTIVE_DEADLINES = (
    Deadline.Status.RUNNING,
    Deadline.Status.APPROACHING,
    Deadline.Status.OVERDUE,
)
OFFICER_ROLES = frozenset({Role.HANDLER, Role.CO_HANDLER})
# Steps where the co-handler acts as well as the handler (调查取证 needs both officers).
SHARED_STEPS = frozenset({"investigation"})
# The page size of lists; counts stop at COUNT_CAP ("1000+") so a million rows never get
# counted: beyond it the pager still walks on.
PAGE_SIZE = 50
COUNT_CAP = 1_000
# Up to this many party matches are resolved to case ids first (each part of the search then
# uses its own index); a broader term probes the parties of each case instead.
SEARCH_IDS = 2_000


def all_steps() -> list[Step]:
    return [s for proc in PROCEDURES.values() for s in proc.steps]


def step_label(code: str) -> str:
    for s in all_steps():
        if s.code == code:
            return s.name
    return "已办结" if code == "end" else code


def is_officer_step(step: Step) -> bool:
    """A step done by the case's own officers (not an approval by someone else)."""
    return step.roles <= OFFICER_ROLES


def roles_of(user: User) -> list[Role]:
    """The roles the user may switch between, in the order of ROLE_LABELS."""
    held = user.role_set
    return [r for r in ROLE_LABELS if r in held]


# --- the inbox ---------------------------------------------------------------------------------


def inbox_q(user: User, role: Role) -> Q | None:
    """The cases at a step waiting for `user` acting as `role`, or None when nothing can be."""
    if user.unit_id is None or role not in CASE_ROLES or not user.has_role(role):
        return None
    parts = Q(pk__in=[])
    for step in all_steps():
        if role not in step.roles:
            continue
        if is_officer_step(step):
            mine = Q(handler_id=user.pk)
            if step.code in SHARED_STEPS:
                mine |= Q(co_handler_id=user.pk)
            parts |= Q(step=step.code) & mine
        else:
            parts |= Q(step=step.code) & ~Q(handler_id=user.pk) & ~Q(co_handler_id=user.pk)
    # status IN (…) rather than != closed, so the (unit, status, step) index serves it.
    open_ = Q(status__in=[Case.Status.LEAD, Case.Status.OPEN])
    return Q(unit_id=user.unit_id) & open_ & parts


def is_waiting_for(case: Case, user: User, role: Role | None) -> bool:
    """The same rule as `inbox_q`, for one case already loaded."""
    if role is None or role not in CASE_ROLES or not user.has_role(role):
        return False
    if case.unit_id != user.unit_id or case.status == Case.Status.CLOSED:
        return False
    step = next((s for s in all_steps() if s.code == case.step), None)
    if step is None or role not in step.roles:
        return False
    officers = {case.handler_id} | ({case.co_handler_id} if step.code in SHARED_STEPS else set())
    if is_officer_step(step):
        return user.pk in officers
    return user.pk not in {case.handler_id, case.co_handler_id}


def with_deadline(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate the earliest running legal limit: `due_on` and its `due_status`."""
    running = Deadline.objects.filter(case=OuterRef("pk"), status__in=ACTIVE_DEADLINES).order_by(
        "due_on", "id"
    )
    return qs.annotate(
        due_on=Subquery(running.values("due_on")[:1]),
        due_status=Subquery(running.values("status")[:1]),
        due_name=Subquery(running.values("name")[:1]),
    )


def inbox_cases(user: User, role: Role | None) -> QuerySet[Case]:
    q = inbox_q(user, role) if role is not None else None
    if q is None:
        return Case.objects.none()
    return cases_for_user(user).filter(q)


# --- the case list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFilter:
    q: str = ""
    unit: int | None = None
    matter: str = ""
    step: str = ""
    status: str = ""
    procedure: str = ""
    date_field: str = "discovered_on"  # or filed_on
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False


def units_in_scope(user: User) -> QuerySet[Unit]:
    """The units whose cases the user may read (for the unit filter)."""
    q = Q(pk__in=[])
    if user.unit_id is not None and user.role_set & CASE_ROLES:
        q |= Q(pk=user.unit_id)
    root = supervised_root(user)
    if root is not None:
        q |= Q(path__startswith=root.path)
    return Unit.objects.filter(q).order_by("path")


def _parties_named(text: str) -> QuerySet[Party]:
    """Parties whose name contains the term (one character: starts with it, as one character
    alone would match most names). On PostgreSQL each length has its index: three characters
    and more the trigram index, two the index of character pairs (cases migration 0011)."""
    if len(text) == 1:
        return Party.objects.filter(name__istartswith=text)
    if len(text) == 2 and connection.vendor == "postgresql":
        return Party.objects.filter(_NameHoldsPair(F("name"), pair=text.upper()))
    return Party.objects.filter(name__icontains=text)


class _NameHoldsPair(Func):
    """`name` holds the two characters `pair`, as the index of character pairs answers it
    (cases migration 0011, PostgreSQL). Compiled from the column, not a table name written out,
    so it still holds inside the Exists of a broad search, where the table is aliased. The two
    arguments are joined into `zhifa_bigrams(UPPER(name)) @> ARRAY[pair]::text[]`."""

    template = "zhifa_bigrams(UPPER(%(expressions)s]::text[]"
    arg_joiner = ")) @> ARRAY["
    output_field = BooleanField()

    def __init__(self, name: F, *, pair: str) -> None:
        super().__init__(name, Value(pair))


def search(qs: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Case or lead number (contains, when the term has a digit), party name (contains, from
    two characters: 恒达 finds 聊城市恒达管道工程有限公司) or ID number (exact).

    The party matches are resolved first, so each part can use its own index (trigram indexes
    on PostgreSQL) instead of one OR over a correlated subquery that scans every case.
    """
    text = text.strip()
    if not text:
        return qs
    upper = text.upper()
    if len(upper) in (15, 18) and upper.isascii() and upper.isalnum():
        # An ID card or credit code: exact, on its own index.
        ids = Party.objects.filter(id_number=upper).values_list("case_id", flat=True)
        return qs.filter(pk__in=list(ids[: SEARCH_IDS + 1]))
    # Case and lead numbers always carry digits (聊城管罚立〔2025〕12号): a term without one
    # is a name, and does not scan the numbers.
    by_number = Q(pk__in=[])
    if any(ch.isdigit() for ch in text):
        exact = Q(case_no=text) | Q(lead_no=text)
        if qs.filter(exact).exists():
            return qs.filter(exact)  # a whole number, on its own index
        by_number = Q(case_no__icontains=text) | Q(lead_no__icontains=text)
    parties = _parties_named(text)
    case_ids = list(parties.order_by().values_list("case_id", flat=True)[: SEARCH_IDS + 1])
    if len(case_ids) > SEARCH_IDS:
        # A broad term (a common word of company names): matches are dense, so walking the
        # cases newest first and probing each one's parties finds a page at once.
        party = parties.filter(case=OuterRef("pk"))
        return qs.filter(by_number | Exists(party))
    return qs.filter(by_number | Q(pk__in=case_ids))


def case_list(user: User, f: CaseFilter) -> QuerySet[Case]:
    qs = cases_for_user(user)
    if f.unit is not None:
        qs = qs.filter(unit_id=f.unit)
    if f.matter:
        qs = qs.filter(matter__code=f.matter)
    if f.step:
        qs = qs.filter(step=f.step)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.procedure:
        qs = qs.filter(procedure=f.procedure)
    field = f.date_field if f.date_field in ("discovered_on", "filed_on") else "discovered_on"
    if f.date_from:
        qs = qs.filter(**{f"{field}__gte": f.date_from})
    if f.date_to:
        qs = qs.filter(**{f"{field}__lte": f.date_to})
    if f.overdue:
        overdue = Deadline.objects.filter(case=OuterRef("pk"), status=Deadline.Status.OVERDUE)
        qs = qs.filter(Exists(overdue))
    if f.q:
        qs = search(qs, f.q)
    return qs


@dataclass
class Page:
    rows: list[Any]
    number: int
    count: int
    capped: bool  # the count stopped at COUNT_CAP
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def count_label(self) -> str:
        return f"{COUNT_CAP}+" if self.capped else str(self.count)


def paginate(qs: QuerySet[Any], counted: QuerySet[Any], page: int, size: int = PAGE_SIZE) -> Page:
    """A page of `qs` by limit/offset; the total counts `counted` (the same rows without the
    annotations) and stops at COUNT_CAP, so a million rows are never counted."""
    page = max(page, 1)
    start = (page - 1) * size
    rows = list(qs[start : start + size + 1])
    count = counted.order_by().values("pk")[: COUNT_CAP + 1].count()
    return Page(
        rows=rows[:size],
        number=page,
        count=min(count, COUNT_CAP),
        capped=count > COUNT_CAP,
        has_next=len(rows) > size,
    )


def list_page(user: User, f: CaseFilter, page: int) -> Page:
    base = case_list(user, f)
    qs = with_deadline(base.select_related("unit")).order_by("-id")
    result = paginate(qs, base, page)
    attach_parties(result.rows)
    return result


def attach_parties(cases: list[Case]) -> None:
    """One query for the party names of a page of cases (`case.party_names`)."""
    names: dict[int, list[str]] = {}
    for case_id, name in (
        Party.objects.filter(case_id__in=[c.pk for c in cases])
        .order_by("case_id", "index")
        .values_list("case_id", "name")
    ):
        names.setdefault(case_id, []).append(name)
    for c in cases:
        c.party_names = names.get(c.pk, [])  # type: ignore[attr-defined]


# --- the 待办: the case steps and every registered kind, in one list -----------------------------

CASE_KIND = "case"
CASE_KIND_LABEL = "案件办理"


@dataclass
class TodoRow:
    """One line of the 待办 as the page shows it."""

    kind: str
    kind_label: str
    subject: str
    asked: str
    url: str
    due: dt.date | None
    since: dt.date | None
    count: int = 1
    note: str = ""
    due_name: str = ""
    days_left: int | None = None
    days_over: int = 0
    badge: tuple[str, str] | None = None
    case: Case | None = None


@dataclass
class TodoPage:
    rows: list[TodoRow]
    number: int
    has_next: bool
    counts: list[tuple[str, str, str]]  # (kind, label, count label), the kinds that have items
    total_label: str
    kind: str  # the kind the list is narrowed to ("" every kind)

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _row_of_case(c: Case) -> TodoRow:
    return TodoRow(
        kind=CASE_KIND,
        kind_label=CASE_KIND_LABEL,
        subject=c.case_no or c.lead_no,
        asked=step_label(c.step),
        url=f"/cases/{c.pk}/",
        due=getattr(c, "due_on", None),
        since=c.discovered_on,
        due_name=getattr(c, "due_name", "") or "",
        case=c,
    )


def _row_of_item(item: TodoItem, labels: dict[str, str]) -> TodoRow:
    return TodoRow(
        kind=item.kind,
        kind_label=labels.get(item.kind, item.kind),
        subject=item.subject,
        asked=item.asked,
        url=item.url,
        due=item.due,
        since=item.since,
        count=item.count,
        note=item.note,
    )


def _sort_key(row: TodoRow) -> tuple[bool, dt.date, dt.date]:
    return (row.due is None, row.due or dt.date.max, row.since or dt.date.max)


def todo_page(user: User, role: Role | None, page: int, kind: str = "") -> TodoPage:
    """Everything waiting for `user` working as `role`, in one list sorted by limit (the
    earliest first, none last) then age: the case steps (paged in the database) merged with
    what each registered kind reads (cases.todo). A returned case carries who sent it back
    and why; `kind` narrows the list to one kind."""
    page = max(page, 1)
    size = PAGE_SIZE
    labels = {k.code: k.label for k in todo_kinds()}
    items = todo_items(user, role) if role is not None else []
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + item.count
    base = inbox_cases(user, role)
    case_count = base.order_by().values("pk")[: COUNT_CAP + 1].count()
    rows = [_row_of_item(i, labels) for i in items if kind in ("", i.kind)]
    if kind in ("", CASE_KIND) and case_count:
        ordered = with_deadline(base.select_related("unit")).order_by(
            F("due_on").asc(nulls_last=True), "discovered_on", "id"
        )
        # The first page*size+1 cases are all a merged page up to this one can hold.
        rows += [_row_of_case(c) for c in ordered[: page * size + 1]]
    rows.sort(key=_sort_key)
    start = (page - 1) * size
    shown = rows[start : start + size]
    _finish(shown)
    chips = [(CASE_KIND, CASE_KIND_LABEL, _capped(case_count))] if case_count else []
    chips += [(k, labels.get(k, k), _capped(n)) for k, n in counts.items()]
    total = case_count + sum(counts.values())
    return TodoPage(
        rows=shown,
        number=page,
        has_next=len(rows) > start + size,
        counts=chips,
        total_label=str(total) if case_count <= COUNT_CAP else f"{total}+",
        kind=kind,
    )


def _capped(n: int) -> str:
    return f"{COUNT_CAP}+" if n > COUNT_CAP else str(n)


def _finish(rows: list[TodoRow]) -> None:
    """The days left on each limit and its badge; the page's cases get their parties and, when
    they were sent back, the return's who, when and why."""
    today = clock.today()
    warn = dt.timedelta(days=settings.DEADLINE_WARN_DAYS)
    for r in rows:
        if r.due is None:
            continue
        r.days_left = (r.due - today).days
        r.days_over = max(-r.days_left, 0)
        status = getattr(r.case, "due_status", None)
        if status is not None:  # a case's limit: the worker's word on it
            r.badge = DUE_BADGES.get(status)
        elif r.due < today:
            r.badge = DUE_BADGES[Deadline.Status.OVERDUE]
        elif r.due - today <= warn:
            r.badge = DUE_BADGES[Deadline.Status.APPROACHING]
    cases = [r.case for r in rows if r.case is not None]
    attach_parties(cases)
    returns = returns_of(cases)
    for r in rows:
        if r.case is None:
            continue
        names = "、".join(r.case.party_names)  # type: ignore[attr-defined]
        r.subject = f"{r.subject} · {names}" if names else r.subject
        entry = returns.get(r.case.pk)
        if entry is not None:
            r.note = return_note(entry)


def return_note(entry: Entry) -> str:
    """退回: who (and in which role), when, why."""
    role = ROLE_NAMES.get(entry.role, "")
    who = f"{entry.actor_name}（{role}）" if role else entry.actor_name
    when = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M")
    why = return_reason(entry)
    return f"{who}于{when}退回" + (f"：{why}" if why else "")
