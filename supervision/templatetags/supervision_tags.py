from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key] in a template (None when missing)."""
    try:
        return mapping.get(key) if mapping is not None else None
    except AttributeError:
        return None
