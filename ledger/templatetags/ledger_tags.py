"""The record as a person reads it, in any template: `{{ entry|action_name }}` and
`{{ entry|who }}` (ledger.labels)."""

from __future__ import annotations

from typing import Any

from django import template

from ledger import labels

register = template.Library()


@register.filter
def action_name(entry: Any) -> str:
    return labels.action_label(str(getattr(entry, "action", entry)))


@register.filter
def who(entry: Any) -> str:
    return labels.actor_text(entry.actor_name, entry.role)
