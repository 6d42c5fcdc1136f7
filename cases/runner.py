"""The one runner every step table goes through: lock the subject, read the facts the step's
guards declare, evaluate, apply the outcome, stop the step's limits, append the ledger entry, in
one transaction.

A caller brings what is its own as a `Table`: its step table, the reader of its subject's facts,
the stream and shape of its ledger entries, how the outcome is stored on the subject; and, per
action, the lock (the case, or the module's own row: a measure, a report, a record) and the
effects. The general and simple procedures, 回避 and 先行登记保存 (cases/services) and the modules'
tables (coercion, joint, nonsite) all run here; the runner imports none of the modules.

Notices: a table's `notify` tells the people the action concerns (a case sent back, an approval
waiting), in the same transaction, after the entry.

Limits: a step's `stops` are stopped here (on the rows `Table.limits` names), unless the action
sends the step back (`return`); its `starts` are started by the step's effect, because the day
they run from comes from the action's input (procedure.engine.Step).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import transaction

from deadlines.services import LimitMove, deadline_stop, watch_limits
from law.calendar import CalendarNotCovered
from ledger.models import Entry
from ledger.services import SYSTEM_ACTOR, StreamHead, ledger_append
from orgs.models import User
from procedure.engine import END, Act, CaseFacts, Outcome, Procedure, Refused, evaluate
from procedure.roles import Role
from zhifa import clock

S = TypeVar("S")
Result = Mapping[str, Any] | None


class FieldsRefused(Refused):
    """A refusal whose reasons belong to fields of the form (the page shows each by its field)."""

    def __init__(self, fields: Mapping[str, list[str]]) -> None:
        super().__init__([m for messages in fields.values() for m in messages])
        self.fields = dict(fields)


@dataclass(frozen=True)
class Ask:
    """One action asked of a step: who asks (None: the worker, or a party through a link), the
    decision and its input, the optional facts the step's guards read (procedure.engine.needs)
    and the facts the caller read for this action alone."""

    step: str
    actor: User | None
    decision: str
    data: Mapping[str, Any]
    needs: frozenset[str]
    extra: Mapping[str, Any]


@dataclass
class Done:
    """What an action did, as its answer reports it: the entry it appended (its payload holds the
    outcome and what the effects returned) and the limits it started, stopped or cancelled."""

    entry: Entry | None = None
    limits: list[LimitMove] = field(default_factory=list)
    decision: str = ""  # the transition taken


_done: ContextVar[Done | None] = ContextVar("runner_done", default=None)


@contextlib.contextmanager
def watch() -> Iterator[Done]:
    """What the action run inside the block did (the last action, when several ran)."""
    done = Done()
    token = _done.set(done)
    try:
        with watch_limits() as moves:
            done.limits = moves
            yield done
    finally:
        _done.reset(token)


def forget() -> None:
    """Forget what a rolled-back try of the action did (it is about to be taken again)."""
    done = _done.get()
    if done is not None:
        done.entry = None
        done.decision = ""
        done.limits.clear()


def _nothing(subject: Any, outcome: Outcome) -> None:
    return None


@dataclass(frozen=True)
class Table(Generic[S]):
    """How a step table runs on its subject."""

    procedure: Procedure
    # The facts the guards read, for the subject and the action.
    read: Callable[[S, Ask], CaseFacts]
    # The ledger stream the entries go on, and each entry's payload from the outcome, the
    # action's input and what the effects returned.
    stream: Callable[[S], str]
    entry: Callable[[S, Outcome, Mapping[str, Any], dict[str, Any]], dict[str, Any]]
    # Record the outcome on the subject (its next step, its end), after the effects and the
    # limits the step stops.
    store: Callable[[S, Outcome], None] = _nothing
    # deadline_stop's arguments naming the rows of the step's `stops` (None: no row to stop).
    limits: Callable[[S], Mapping[str, Any] | None] | None = None
    # The roles the actor acts in (default: the roles the user holds).
    roles: Callable[[S, User], frozenset[Role]] | None = None
    # The parts on the case that name the actor's role in the entry before the roles they hold.
    parts: Callable[[S], Mapping[Role, int | None]] | None = None
    # The entry's action (default: the step's code).
    action: str | None = None
    # Refuse with FieldsRefused when every reason belongs to a field of the form.
    by_field: bool = False
    # The head of the subject's stream when `lock` read it with the subject (None: the entry
    # reads and locks it itself); see ledger_append.
    head: Callable[[S], StreamHead | None] | None = None
    # Whom the action tells (notices), after its entry and in its transaction: the subject, the
    # outcome, the actor and the entry (whose seq names the occasion, so no one is told twice).
    notify: Callable[[S, Outcome, User | None, Entry], None] | None = None
    # What holds the limits the effects and the step's `stops` start and stop, to write them
    # together when both are done (deadlines.limits_batched); None: each is written at once.
    # Only for effects that need no started limit's id.
    batch: Callable[[S], contextlib.AbstractContextManager[None]] | None = None


def role_for(
    user: User, allowed: frozenset[Role], parts: Mapping[Role, int | None] | None = None
) -> str:
    """The role the actor acts in: their part on the case (承办人, 协办人) when it is one of the
    allowed roles, else the first of the allowed roles they hold, or ''."""
    for role, officer in (parts or {}).items():
        if role in allowed and officer == user.pk:
            return role.value
    for role in sorted(allowed):
        if user.has_role(role):
            return role.value
    return ""


def step_entry(
    outcome: Outcome, data: Mapping[str, Any], result: Mapping[str, Any]
) -> dict[str, Any]:
    """The usual payload of a step's entry: the decision taken, where it led, input and result."""
    return {
        "decision": outcome.transition.decision,
        "label": outcome.transition.label,
        "next": outcome.next_step,
        "data": dict(data),
        "result": dict(result),
    }


@contextlib.contextmanager
def _calendar_refuses() -> Any:
    """A day the working-day calendar does not cover refuses the action with the reason."""
    try:
        yield
    except CalendarNotCovered as exc:
        raise Refused([str(exc)]) from exc


def check(
    table: Table[S],
    subject: S,
    *,
    step: str,
    actor: User | None,
    decision: str,
    data: Mapping[str, Any],
    extra: Mapping[str, Any] | None = None,
) -> Outcome:
    """Read the facts the step's guards declare and evaluate the action; Refused changes nothing.
    An action without a user is taken for the unit the step belongs to, in the roles it names."""
    proc = table.procedure
    needs = proc.step(step).needs if step != END else frozenset()
    ask = Ask(step, actor, decision, data, needs, extra or {})
    with _calendar_refuses():
        facts = table.read(subject, ask)
    if actor is None:
        act = Act(0, facts.unit_id, proc.step(step).roles, decision, data)
    else:
        roles = table.roles(subject, actor) if table.roles else actor.role_set
        act = Act(actor.pk, actor.unit_id, roles, decision, data)
    try:
        return evaluate(proc, facts, act)
    except Refused as exc:
        every = sum(len(m) for m in exc.fields.values())
        if table.by_field and exc.fields and len(exc.errors) == every:
            raise FieldsRefused(exc.fields) from None
        raise


def record(
    table: Table[S],
    subject: S,
    outcome: Outcome,
    *,
    actor: User | None,
    data: Mapping[str, Any],
    apply: Callable[[S, Outcome], Result] | None = None,
    then: Callable[[S, Outcome], None] | None = None,
    nobody: tuple[str, str] = (SYSTEM_ACTOR, "system"),
) -> dict[str, Any]:
    """Apply an evaluated outcome inside the caller's transaction: the effects (`apply`, whose
    returned mapping the entry records as the result), the limits the step stops, the outcome
    stored on the subject, the ledger entry in the actor's role (`nobody`: the name and role an
    entry without a user carries), then `then` (what follows the entry). Returns the result."""
    result: dict[str, Any] = {}
    step = outcome.step
    held = table.batch(subject) if table.batch else contextlib.nullcontext()
    with _calendar_refuses(), held:
        if apply is not None:
            result.update(apply(subject, outcome) or {})
        kwargs = table.limits(subject) if table.limits and step.stops else None
        if kwargs is not None and outcome.transition.decision != "return":
            for code in step.stops:
                deadline_stop(code=code, on=clock.today(), **kwargs)
    table.store(subject, outcome)
    if actor is None:
        name, role = nobody
    else:
        parts = table.parts(subject) if table.parts else None
        name, role = str(actor), role_for(actor, step.roles, parts)
    entry = ledger_append(
        stream=table.stream(subject),
        action=table.action or step.code,
        payload=table.entry(subject, outcome, data, result),
        actor_id=actor.pk if actor is not None else None,
        actor_name=name,
        role=role,
        head=table.head(subject) if table.head else None,
    )
    done = _done.get()
    if done is not None:
        done.entry = entry
        done.decision = outcome.transition.decision
    if table.notify is not None:
        table.notify(subject, outcome, actor, entry)
    if then is not None:
        then(subject, outcome)
    return result


def run(
    table: Table[S],
    lock: Callable[[], S],
    *,
    actor: User | None,
    decision: str,
    data: Mapping[str, Any] | Callable[[S], Mapping[str, Any]],
    step: str | Callable[[S], str],
    extra: Mapping[str, Any] | Callable[[S], Mapping[str, Any]] | None = None,
    before: Callable[[S], None] | None = None,
    apply: Callable[[S, Outcome], Result] | None = None,
    then: Callable[[S, Outcome], None] | None = None,
    nobody: tuple[str, str] = (SYSTEM_ACTOR, "system"),
    atomic: bool = True,
) -> tuple[S, Outcome]:
    """One action on a step table, in one transaction: `lock` takes the subject (select_for_update,
    or a new row not yet saved); `data` is the action's input (or what it is once the subject is
    read), `step` the step it is asked at (or where the subject stands), `extra` the facts read
    for this action alone, `before` what changes the facts before the guards read them; then
    `check` and `record`. `atomic=False` when the caller's transaction already holds the action
    (the worker's handler, a registration running step 1)."""
    with transaction.atomic() if atomic else contextlib.nullcontext():
        subject = lock()
        if before is not None:
            before(subject)
        at = step(subject) if callable(step) else step
        given = data(subject) if callable(data) else data
        facts = extra(subject) if callable(extra) else extra
        outcome = check(
            table, subject, step=at, actor=actor, decision=decision, data=given, extra=facts
        )
        record(
            table, subject, outcome, actor=actor, data=given, apply=apply, then=then, nobody=nobody
        )
    return subject, outcome
