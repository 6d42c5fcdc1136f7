from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from orgs.models import Certificate, Region, RoleGrant, Unit, User
from orgs.selectors import unit_path
from orgs.signals import tokens_revoke
from procedure.roles import Role

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def regions_ensure() -> int:
    """Load the GB/T 2260 reference regions shipped with the platform (idempotent)."""
    rows = json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))
    for r in rows:
        Region.objects.update_or_create(
            code=r["code"],
            defaults={
                "name": r["name"],
                "parent_code": r.get("parent") or "",
                "level": r["level"],
                "order": r.get("order", 0),
            },
        )
    return len(rows)


def unit_upsert(
    *,
    code: str,
    name: str,
    kind: str,
    region: Region,
    parent: Unit | None,
    short: str = "",
    imported: bool = False,
) -> Unit:
    """Create or update a unit; its path follows its parent's."""
    unit, _ = Unit.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "region": region,
            "parent": parent,
            "short": short,
            "path": unit_path(parent, code),
            "imported": imported,
        },
    )
    return unit


def user_upsert(
    *,
    username: str,
    full_name: str,
    unit: Unit | None,
    roles: Iterable[Role],
    password_hash: str,
    legal_qualified: bool = False,
    phone: str = "",
) -> User:
    """Create or update a user with exactly the given roles (password given pre-hashed)."""
    user, created = User.objects.get_or_create(username=username)
    user.full_name = full_name
    user.unit = unit
    user.legal_qualified = legal_qualified
    user.phone = phone
    if created:
        user.password = password_hash
    user.save()
    wanted = {r.value for r in roles}
    RoleGrant.objects.filter(user=user).exclude(role__in=wanted).delete()
    have = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role=r) for r in sorted(wanted - have))
    if not created and wanted != have:
        # bulk_create sends no signal: a role granted here revokes the API tokens as well.
        tokens_revoke(user.pk)
    return user


def certificate_issue(
    *, user: User, number: str, valid_from: dt.date, valid_until: dt.date, scope: str
) -> Certificate:
    cert, _ = Certificate.objects.update_or_create(
        number=number,
        defaults={
            "user": user,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "scope": scope,
        },
    )
    return cert
