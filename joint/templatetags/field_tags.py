"""Template filters of the field pages (超限, 城警联动)."""

from __future__ import annotations

from django import template

from law.personal import mask_phone as _mask

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    """A phone number as pages show it to whoever is not handling the matter: 139****0002."""
    return _mask(str(value)) if value else ""
