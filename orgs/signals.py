"""API tokens die with the trust they were issued under: a new password, a role granted or taken
away, a deactivated account. (Sessions already end on a new password: Django's session hash.)"""

from __future__ import annotations

from typing import Any

from orgs.models import ApiToken, RoleGrant, User

WATCHED = frozenset({"password", "is_active"})


def tokens_revoke(user_id: int) -> int:
    deleted, _ = ApiToken.objects.filter(user_id=user_id).delete()
    return deleted


def user_pre_save(sender: type[User], instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if instance.pk is None or (update_fields is not None and not WATCHED & set(update_fields)):
        return
    old = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    if old["password"] != instance.password or old["is_active"] != instance.is_active:
        tokens_revoke(instance.pk)


def role_grant_changed(sender: type[RoleGrant], instance: RoleGrant, **kwargs: Any) -> None:
    tokens_revoke(instance.user_id)
