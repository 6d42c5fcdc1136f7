from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "组织机构与人员"

    def ready(self) -> None:
        from orgs import signals
        from orgs.models import RoleGrant, User

        pre_save.connect(signals.user_pre_save, sender=User, dispatch_uid="orgs-user-tokens")
        post_save.connect(
            signals.role_grant_changed, sender=RoleGrant, dispatch_uid="orgs-grant-saved"
        )
        post_delete.connect(
            signals.role_grant_changed, sender=RoleGrant, dispatch_uid="orgs-grant-deleted"
        )
