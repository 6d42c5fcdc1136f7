"""Template helpers for the step forms: values and errors looked up by dotted name."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from law.limits import LIMITS_BY_CODE
from procedure.vocab import CIRCUMSTANCE_LABELS

register = template.Library()


def _name(parts: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in parts)


@register.simple_tag
def limit(code: str, part: str = "duration") -> Any:
    """A statutory limit as law/limits.py holds it, so a hint never restates it:
    {% limit "delivery" %} → 7个工作日; {% limit "seizure_extension" "amount" %} → 30;
    {% limit "delivery" "citation" %} → 《行政处罚法》第六十一条."""
    row = LIMITS_BY_CODE[code]
    return {"duration": row.duration_label, "amount": row.amount, "citation": row.citation}[part]


@register.simple_tag
def fname(*parts: Any) -> str:
    """The POST name of a field: {% fname "proposals" i "outcome" %} → proposals.0.outcome."""
    return _name(parts)


@register.simple_tag
def val(data: Any, *parts: Any) -> Any:
    """The value at a dotted path of the posted (or default) payload, "" when absent."""
    node = data
    for part in parts:
        if isinstance(node, dict):
            node = node.get(str(part))
        elif isinstance(node, list):
            try:
                node = node[int(part)]
            except (ValueError, IndexError):
                return ""
        else:
            return ""
        if node is None:
            return ""
    return node


@register.simple_tag
def err(errors: Any, *parts: Any) -> str:
    """The Chinese messages for one field, as a small list next to it."""
    if not errors:
        return ""
    messages = errors.get(_name(parts)) or []
    if not messages:
        return ""
    return format_html(
        '<ul class="errorlist">{}</ul>',
        format_html_join("", "<li>{}</li>", ((m,) for m in messages)),
    )


@register.filter
def get(mapping: Any, key: Any) -> Any:
    if isinstance(mapping, dict):
        return mapping.get(key, "")
    return ""


@register.filter
def filesize(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} B"


@register.filter
def lines(value: Any) -> str:
    """A list shown one item a line in a textarea (posted back as name[])."""
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return str(value or "")


@register.filter
def penalty_label(code: str) -> str:
    from law.penalties import PENALTY_LABELS, PenaltyType

    try:
        return PENALTY_LABELS[PenaltyType(code)]
    except ValueError:
        return code


@register.simple_tag
def due(case: Any) -> str:
    """The earliest running legal limit of a listed case, with its badge (a tag, not an
    include: lists render it fifty times)."""
    due_on = getattr(case, "due_on", None)
    if not due_on:
        return mark_safe('<span class="muted">—</span>')
    days = getattr(case, "days_left", 0) or 0
    left = f"超期{-days}天" if days < 0 else f"剩{days}天"
    badge = getattr(case, "badge", None)
    badge_html = format_html(' <span class="badge {}">{}</span>', *badge) if badge else ""
    return format_html(
        '<span class="due">{} {}（{}）</span>{}',
        getattr(case, "due_name", "") or "",
        due_on.isoformat(),
        left,
        badge_html,
    )


@register.simple_tag
def options(choices: Any, current: Any) -> str:
    """<option>s of a filter select, without a template per option."""
    current = "" if current is None else str(current)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == current else "", label) for value, label in choices),
    )


# A matter's 裁量基准 bands are keyed by the discretion circumstance they apply to.
BAND_LABELS = {c.value: label for c, label in CIRCUMSTANCE_LABELS.items()}


@register.filter
def band_label(code: str) -> str:
    return BAND_LABELS.get(code, code)


@register.filter
def limit_flags(deadlines: Any) -> list[tuple[str, str]]:
    """The badges a folded 法定期限 section shows: 已超期 and 即将到期, once each, as they occur."""
    flags = {"overdue": ("已超期", "bad"), "approaching": ("即将到期", "warn")}
    seen = {d.status for d in deadlines}
    return [flags[s] for s in flags if s in seen]
