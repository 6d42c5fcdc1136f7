"""What a person reads for a ledger entry: the Chinese name of its action and of the role its
actor acted in. No internal code (`document_issue`, `outbox_sent`, `system`) reaches a page.

Every app that appends entries names its actions here when it starts (AppConfig.ready); the
record pages read them. `ledger/tests/test_labels.py` reads every action the code can append
and requires its name, so a new action without one cannot land."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from procedure.engine import Procedure
from procedure.roles import ROLE_LABELS

SYSTEM = "system"
_ACTIONS: dict[str, str] = {}
_ROLES: dict[str, str] = {
    **{r.value: label for r, label in ROLE_LABELS.items()},
    SYSTEM: "系统自动",
    "import": "数据导入",
}


def register_actions(labels: Mapping[str, str]) -> None:
    """Name actions; an action named twice must be named the same."""
    for code, label in labels.items():
        if _ACTIONS.get(code, label) != label:
            raise ValueError(f"action {code} already named {_ACTIONS[code]!r}, not {label!r}")
        _ACTIONS[code] = label


def register_procedures(procedures: Iterable[Procedure], prefix: str = "") -> None:
    """Name the entries of step tables run by the runner: each step's own name."""
    register_actions({s.code: f"{prefix}{s.name}" for p in procedures for s in p.steps})


def register_roles(labels: Mapping[str, str]) -> None:
    _ROLES.update(labels)


def action_label(code: str) -> str:
    return _ACTIONS.get(code, "其他记录")


def known_action(code: str) -> bool:
    return code in _ACTIONS


def role_label(code: str) -> str:
    return _ROLES.get(code, "—")


def actor_text(actor_name: str, role: str) -> str:
    """Who acted, as the record says it: 张三（承办人）; an automatic entry: 系统自动."""
    if role == SYSTEM:
        return _ROLES[SYSTEM]
    return f"{actor_name}（{role_label(role)}）"
