"""One engine for every procedure. Pure: no Django imports.

A procedure is a table of steps (see general.py, simple.py). A step names who may act, the
decisions they may take and where each leads, the guards that must pass, the document it
produces and the time limits it starts or stops. The services build a `CaseFacts` snapshot from
the database, call `evaluate`, and apply the returned `Outcome` in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from law.penalties import PenaltyType
from law.rules import Band
from procedure.roles import Role

END = "end"


@dataclass(frozen=True)
class MatterFacts:
    code: str
    allowed: frozenset[PenaltyType]
    legal_band: Band | None
    bands: Mapping[str, Band] | None
    time_bar_years: int
    major: bool
    in_force_on_act: bool
    lenient: Mapping[str, Any] | None = None
    # A matter whose catalogue entry has no legal band (a fine in multiples of 违法所得, say):
    # the platform's plausibility ceiling (settings.FINE_CEILING_WITHOUT_BAND), not the law's.
    unbanded_ceiling: Decimal | None = None


@dataclass(frozen=True)
class PartyFacts:
    index: int
    kind: str  # person | organisation | other
    name: str
    address: str
    age: int | None
    proposal: Mapping[str, Any] | None  # {"outcome", "penalties": [{"type","amount"}], ...}
    notified: tuple[tuple[PenaltyType, Decimal | None], ...] | None
    hearing_right: bool
    response: Mapping[str, Any] | None
    decision: Mapping[str, Any] | None  # {"outcome", "penalties", "decided_on", ...}
    delivered_on: dt.date | None = None


@dataclass(frozen=True)
class CaseFacts:
    procedure: str
    step: str
    unit_id: int
    handler_id: int | None
    co_handler_id: int | None
    certified: frozenset[int]  # users holding a valid 执法证 today
    qualified_reviewers: frozenset[int]  # users with the legal qualification (Art. 58)
    evidence_count: int
    matter: MatterFacts | None
    parties: tuple[PartyFacts, ...]
    complex: bool
    today: dt.date
    act_on: dt.date | None
    discovered_on: dt.date | None
    filed_on: dt.date | None
    decision_due: dt.date | None  # 行政处罚法 Art. 60 limit, when running
    response_window_end: dt.date | None  # Art. 64 hearing-request window end
    extra: Mapping[str, Any] = field(default_factory=dict)

    def party(self, index: int) -> PartyFacts:
        for p in self.parties:
            if p.index == index:
                return p
        raise KeyError(index)


@dataclass(frozen=True)
class Act:
    actor_id: int
    actor_unit_id: int | None
    roles: frozenset[Role]
    decision: str
    data: Mapping[str, Any]


Guard = Callable[[CaseFacts, Act], Iterable[str]]
Router = Callable[[CaseFacts, Act], str]

# Facts that cost a query each and only some guards read; the others are always loaded.
OPTIONAL_FACTS = frozenset({"evidence", "limits", "decisions"})

_F = TypeVar("_F", bound=Callable[..., Any])


def needs(*facts: str) -> Callable[[_F], _F]:
    """Mark a guard or router as reading optional facts, so services load them only then.

    Apply it as a call after the function (`needs("limits")(guard)`), not as a decorator:
    mutation testing (scripts/mutation.sh) does not mutate decorated functions."""
    unknown = set(facts) - OPTIONAL_FACTS
    if unknown:
        raise ValueError(f"unknown facts: {unknown}")

    def mark(fn: _F) -> _F:
        fn.__needs__ = frozenset(facts)  # type: ignore[attr-defined]
        return fn

    return mark


def on_field(name: str) -> Callable[[_F], _F]:
    """Mark a guard's reasons as belonging to one field of the form (`Refused.fields`), so a
    page can show each beside its field. Applied as a call after the function, like `needs`."""

    def mark(fn: _F) -> _F:
        fn.__field__ = name  # type: ignore[attr-defined]
        return fn

    return mark


@dataclass(frozen=True)
class Transition:
    decision: str
    label: str
    to: str | Router
    outcome: str | None = None  # a terminal outcome the case takes (不予立案, 撤销立案…)
    guards: tuple[Guard, ...] = ()  # extra guards for this decision only


@dataclass(frozen=True)
class Step:
    code: str
    name: str
    stage: str
    roles: frozenset[Role]
    transitions: tuple[Transition, ...]
    guards: tuple[Guard, ...] = ()
    document: str | None = None
    # Time limits (law.limits codes) the step starts and stops. The service's effect for the step
    # starts them, because the start day and the party come from the step's input (the day the
    # notice was served, each party's delivery); stops are applied by the service generically.
    starts: tuple[str, ...] = ()
    stops: tuple[str, ...] = ()
    # What the refusal says when the actor holds none of `roles` (by default, the step's name and
    # the roles it needs).
    refusal: str | None = None
    # Preconditions: checked once the actor may act, before the guards; when one fails the action
    # is refused with those reasons alone (e.g. the record is no longer at this step).
    requires: tuple[Guard, ...] = ()

    def transition(self, decision: str) -> Transition | None:
        for t in self.transitions:
            if t.decision == decision:
                return t
        return None

    @property
    def needs(self) -> frozenset[str]:
        """The optional facts any of this step's guards or routers read."""
        checks: list[object] = [*self.requires, *self.guards]
        for t in self.transitions:
            checks.extend(t.guards)
            checks.append(t.to)
        out: frozenset[str] = frozenset()
        for check in checks:
            out |= getattr(check, "__needs__", frozenset())
        return out


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    first: str
    steps: tuple[Step, ...]

    def step(self, code: str) -> Step:
        for s in self.steps:
            if s.code == code:
                return s
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.steps)


class Refused(Exception):
    """An action the procedure does not allow; `errors` are the Chinese reasons, and `fields`
    those of them that guards marked with a form field (see `on_field`), by field."""

    def __init__(self, errors: list[str], fields: Mapping[str, list[str]] | None = None) -> None:
        super().__init__("；".join(errors))
        self.errors = errors
        self.fields = dict(fields or {})


@dataclass(frozen=True)
class Outcome:
    step: Step
    transition: Transition
    next_step: str  # a step code or END
    case_outcome: str | None


def evaluate(proc: Procedure, facts: CaseFacts, act: Act) -> Outcome:
    """Check an action against the step table and its guards; raise Refused with every reason."""
    if facts.step == END:
        raise Refused(["案件已结案归档，不能再办理"])
    step = proc.step(facts.step)
    transition = step.transition(act.decision)
    if transition is None:
        allowed = "、".join(f"{t.decision}（{t.label}）" for t in step.transitions)
        raise Refused([f"“{step.name}”环节不能作出“{act.decision}”决定，可选：{allowed}"])
    errors: list[str] = []
    if act.actor_unit_id != facts.unit_id:
        errors.append("只能办理本单位的案件")
    if not (act.roles & step.roles):
        need = "或".join(sorted(r.value for r in step.roles))
        errors.append(step.refusal or f"“{step.name}”须由{need}办理，当前用户不具备该角色")
    if errors:
        raise Refused(errors)
    for check in step.requires:
        errors.extend(check(facts, act))
    if errors:
        raise Refused(errors)
    fields: dict[str, list[str]] = {}
    for guard in (*step.guards, *transition.guards):
        found = list(guard(facts, act))
        errors.extend(found)
        name = getattr(guard, "__field__", None)
        if found and name:
            fields.setdefault(name, []).extend(found)
    if errors:
        raise Refused(errors, fields)
    to = transition.to if isinstance(transition.to, str) else transition.to(facts, act)
    return Outcome(step=step, transition=transition, next_step=to, case_outcome=transition.outcome)
