"""Every action the platform can write on a record has a Chinese name, and no page a person reads
shows an internal code (issue: the officer's working day, item 4)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import procedure
from ledger import labels
from procedure.engine import Procedure

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "mutants", "var", "bench", "node_modules", ".git"}
# The helpers that take an entry's action as their second argument.
ENTRY_HELPERS = {"_entry", "_item_entry", "_system_entry"}


def _sources() -> Iterator[Path]:
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP or "tests" in parts or "migrations" in parts:
            continue
        yield path


def _written_actions() -> set[str]:
    """The action of every entry the code writes with a literal: `action="…"` of a call,
    `action = "…" if … else "…"`, the second argument of the entry helpers."""
    found: set[str] = set()

    def strings(node: ast.AST) -> Iterator[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.IfExp):
            yield from strings(node.body)
            yield from strings(node.orelse)

    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                for kw in node.keywords:
                    if kw.arg == "action" and name != "add_argument":
                        found.update(strings(kw.value))
                if name in ENTRY_HELPERS and len(node.args) > 1:
                    found.update(strings(node.args[1]))
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                found.update(strings(node.value))
    return found


def _procedures() -> Iterator[Procedure]:
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(procedure.__path__):
        module = importlib.import_module(f"procedure.{info.name}")
        yield from (v for v in vars(module).values() if isinstance(v, Procedure))


def test_the_scan_finds_the_actions_written_with_a_literal():
    written = _written_actions()
    assert {"document_issue", "outbox_sent", "item_send_back", "evidence_add"} <= written


def test_every_action_written_with_a_literal_has_a_chinese_name():
    unnamed = sorted(a for a in _written_actions() if not labels.known_action(a))
    assert unnamed == []


def test_every_step_of_every_procedure_has_a_chinese_name():
    steps = {s.code for p in _procedures() for s in p.steps}
    assert len(steps) >= 40  # the seven tables of today, and any added
    assert sorted(s for s in steps if not labels.known_action(s)) == []


@pytest.mark.parametrize("status", ["approaching", "overdue"])
def test_the_deadline_worker_s_entries_have_names(status):
    # deadlines.services writes f"deadline_{new}" for these two statuses.
    assert labels.known_action(f"deadline_{status}")


def test_an_automatic_entry_reads_as_the_system_and_a_person_s_as_name_and_role():
    assert labels.actor_text("系统", "system") == "系统自动"
    assert labels.actor_text("张三", "deputy_director") == "张三（分管局长）"
    assert labels.action_label("no_such_action") == "其他记录"


@pytest.mark.django_db
def test_the_case_page_record_shows_names_not_codes(org, client):
    from cases.tests.flow import advance, register
    from documents.services import document_issue

    case = advance(org, register(org), until="legal_review")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    client.force_login(org.handler)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    record = html[html.index('id="record"') :]
    shown = record.split("<details")  # the raw JSON under each entry is the record itself
    visible = "".join(part.split("</details>")[-1] for part in shown)
    for code in ("document_issue", "lead_register", "evidence_add", "（system）", "handler）"):
        assert code not in visible
    assert "出具文书" in visible and "登记证据" in visible
