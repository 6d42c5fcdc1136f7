"""What a module adds to a step of the core's tables, registered from its `AppConfig.ready()`.

The core never imports a module (README, "What may import what"). Where a core step must wait
for a module or record something the module owns, the module registers here:
- a *fact*: a value read before the step's guards evaluate, under a name a guard reads from
  `CaseFacts.extra` (e.g. coercion's measures still in force, which keep a case from closing);
- an *effect*: a write run after the core's own effects of the step, in the same transaction, so a
  refusal it raises undoes the whole step (e.g. coercion's 强制执行 rows after 执行).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from procedure.engine import Outcome

if TYPE_CHECKING:
    from cases.models import Case
    from orgs.models import User

Result = dict[str, Any] | None
Effect = Callable[["Case", "User", Mapping[str, Any], Outcome], Result]
FactReader = Callable[["Case"], Any]

_EFFECTS: dict[str, list[Effect]] = {}
_FACTS: dict[str, dict[str, FactReader]] = {}


def register_step_effect(step: str, effect: Effect) -> None:
    """Run `effect` after the core's own effects of `step`, in the step's transaction."""
    effects = _EFFECTS.setdefault(step, [])
    if effect not in effects:
        effects.append(effect)


def register_step_fact(step: str, name: str, reader: FactReader) -> None:
    """Read `reader(case)` before the guards of `step` evaluate, as `facts.extra[name]`."""
    readers = _FACTS.setdefault(step, {})
    if readers.get(name, reader) is not reader:
        raise ValueError(f"step {step} already has a fact {name}")
    readers[name] = reader


def step_effects(step: str) -> tuple[Effect, ...]:
    return tuple(_EFFECTS.get(step, ()))


def step_facts(step: str, case: Case) -> dict[str, Any]:
    return {name: read(case) for name, read in _FACTS.get(step, {}).items()}
