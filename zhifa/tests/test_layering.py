"""The layering of the README's "What may import what", read from the source.

Every `import` and `from … import` of every non-test, non-migration file is read with `ast`
(imports inside functions and under TYPE_CHECKING count too) and mapped to the app it names.
A new app must be placed in one of the floors below before it can land.

A failing example: were `cases/services/steps.py` to say

    from coercion.models import CoerciveMeasure

the suite would stop with

    cases/services/steps.py:1 cases (core) imports coercion (modules):
        the core never imports a module

and the fix is the other way round: coercion registers what it needs with the core
(`cases.hooks`). `test_the_check_catches_each_kind_of_breach` feeds such lines to the check.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Floors from the bottom up. Within "core" the order is the order of dependence: an app may
# import only those before it. Modules and faces may import any floor below theirs and, within
# their own floor, each other as long as the apps' graph stays without cycles.
PURE = ("law", "procedure")
CORE = ("ledger", "personal", "outbox", "orgs", "notices", "catalog", "deadlines", "jobs", "cases")
MODULES = (
    "coercion",
    "enforcement",
    "joint",
    "nonsite",
    "inspections",
    "disclosure",
    "documents",
    "supervision",
    "exchange",
    "administration",
    "complaints",
)
FACES = ("web", "api", "demo", "bench", "backup")
FLOORS = {"pure": PURE, "core": CORE, "modules": MODULES, "faces": FACES}
FLOOR_OF = {app: floor for floor, apps in FLOORS.items() for app in apps}
RANK = {floor: i for i, floor in enumerate(FLOORS)}

# zhifa/ is the project: its settings, clock and env helpers are below everything; its URLconf
# and WSGI entry are above everything.
PROJECT_BASE = (
    "zhifa.clock",
    "zhifa.crypto",
    "zhifa.env",
    "zhifa.fields",
    "zhifa.query",
    "zhifa.rows",
    "zhifa.settings",
)
PROJECT_TOP = ("zhifa.urls", "zhifa.wsgi")

# The benchmarks serve the whole project (its WSGI application under gunicorn): they stand above it.
ABOVE_THE_PROJECT = ("bench",)

# What the pure core may import besides itself: the standard library and these.
PURE_ALLOWED = {"law": set(), "procedure": {"law"}}
PURE_THIRD_PARTY = {"chinese_calendar"}


@dataclass(frozen=True)
class Breach:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where} {self.message}"


def _imports(source: str) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                # `from zhifa import clock` names the module zhifa.clock
                yield node.lineno, f"{node.module}.{alias.name}"


def _app_of(dotted: str) -> str | None:
    top = dotted.split(".")[0]
    if top == "zhifa":
        if dotted.startswith(PROJECT_TOP):
            return "zhifa.top"
        return None  # settings, clock, env: below everything
    return top if top in FLOOR_OF else None


def breaches_of(app: str, path: str, source: str) -> Iterator[Breach]:
    """The breaches of one file of `app` (the top folder it lives in)."""
    floor = FLOOR_OF.get(app)
    seen: set[tuple[int, str]] = set()
    for lineno, dotted in _imports(source):
        where = f"{path}:{lineno}"
        top = dotted.split(".")[0]
        if (lineno, top) in seen:
            continue  # one breach per line and app, however many names it imports
        seen.add((lineno, top))
        if floor == "pure":
            allowed = PURE_ALLOWED[app] | {app} | PURE_THIRD_PARTY
            if top == "django":
                yield Breach(where, f"{app} (pure) imports django: the pure core imports no Django")
            elif (top in FLOOR_OF or top == "zhifa") and top not in allowed:
                may = " and ".join(sorted(PURE_ALLOWED[app])) or "nothing of the project"
                yield Breach(where, f"{app} (pure) imports {top}: {app} may import {may}")
            continue
        target = _app_of(dotted)
        if target is None or target == app:
            continue
        if target == "zhifa.top":
            if app not in ABOVE_THE_PROJECT:
                yield Breach(where, f"{app} imports {dotted}: only the project's URLconf is above")
            continue
        if floor is None:
            yield Breach(where, f"{app} is in no floor: place it in test_layering's FLOORS")
            continue
        target_floor = FLOOR_OF[target]
        if RANK[target_floor] > RANK[floor]:
            who = {"core": "the core", "modules": "a module"}[floor]
            what = {"modules": "a module", "faces": "a face"}[target_floor]
            yield Breach(
                where,
                f"{app} ({floor}) imports {target} ({target_floor}): {who} never imports {what}",
            )
        elif floor == "core" and target_floor == "core" and CORE.index(target) > CORE.index(app):
            yield Breach(
                where,
                f"{app} (core) imports {target}, which comes after it in the core's order "
                f"{' < '.join(CORE)}",
            )


def _sources() -> Iterator[tuple[str, str, str]]:
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        parts = rel.parts
        if len(parts) < 2 or parts[0].startswith(".") or parts[0] in ("var", "scripts"):
            continue
        if "tests" in parts or "migrations" in parts:
            continue  # tests drive an app through any face; migrations are frozen history
        if parts[0] == "zhifa" or not (ROOT / parts[0] / "__init__.py").exists():
            continue
        yield parts[0], str(rel), path.read_text(encoding="utf-8")


def app_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for app, _path, source in _sources():
        for _lineno, dotted in _imports(source):
            target = _app_of(dotted)
            if target is not None and target not in (app, "zhifa.top"):
                graph.setdefault(app, set()).add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_app_is_placed_on_a_floor() -> None:
    apps = {app for app, _path, _source in _sources()}
    assert sorted(apps - set(FLOOR_OF)) == []


def test_no_app_imports_above_its_floor() -> None:
    found = [str(b) for app, path, source in _sources() for b in breaches_of(app, path, source)]
    assert found == []


def test_there_is_no_import_cycle_between_apps() -> None:
    assert cycles(app_graph()) == []


def test_the_check_catches_each_kind_of_breach() -> None:
    def messages(app: str, line: str) -> list[str]:
        return [b.message for b in breaches_of(app, f"{app}/x.py", line)]

    assert messages("cases", "from coercion.models import CoerciveMeasure") == [
        "cases (core) imports coercion (modules): the core never imports a module"
    ]
    assert messages("supervision", "from web import views") == [
        "supervision (modules) imports web (faces): a module never imports a face"
    ]
    assert messages("procedure", "from django.db import models") == [
        "procedure (pure) imports django: the pure core imports no Django"
    ]
    assert messages("procedure", "from orgs.models import User") == [
        "procedure (pure) imports orgs: procedure may import law"
    ]
    assert messages("law", "from procedure.roles import Role") == [
        "law (pure) imports procedure: law may import nothing of the project"
    ]
    assert messages("orgs", "from cases.models import Case") == [
        "orgs (core) imports cases, which comes after it in the core's order "
        "ledger < personal < outbox < orgs < notices < catalog < deadlines < jobs < cases"
    ]
    assert messages("cases", "from zhifa.urls import urlpatterns") == [
        "cases imports zhifa.urls.urlpatterns: only the project's URLconf is above"
    ]
    assert messages("bench", "from zhifa.wsgi import application") == []
    assert messages("newapp", "from cases.models import Case") == [
        "newapp is in no floor: place it in test_layering's FLOORS"
    ]
    # allowed: down a floor, the project's clock, the pure core's own law, a module beside
    assert messages("cases", "from zhifa import clock\nfrom ledger.services import x") == []
    assert messages("procedure", "from law import rules\nimport datetime") == []
    assert messages("supervision", "from coercion.models import CoerciveMeasure") == []
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_mutation_runs_copy_every_app_the_settings_load() -> None:
    """mutmut runs the tests in a copy of the tree holding only the listed folders: an app left
    out makes every mutant's test run fail at start (no module named …), and the CI step that
    checks the law with mutants would report nothing it measured."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    apps = {a for floor in FLOORS.values() for a in floor} - {"bench"}
    core = set(config["tool"]["mutmut"]["also_copy"]) | set(
        config["tool"]["mutmut"]["source_paths"]
    )
    django = config["tool"]["zhifa"]["mutmut-django"]
    django_copied = set(django["also_copy"]) | set(django["source_paths"])
    assert apps - core == set()
    assert apps - django_copied == set()
