from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "组织机构与人员"

    def ready(self) -> None:
        from ledger.labels import register_actions
        from orgs import signals
        from orgs.models import RoleGrant, User

        register_actions(
            {
                "certificate_issue": "发放执法证",
                "certificate_suspend": "暂扣执法证",
                "certificate_reinstate": "恢复执法证",
                "certificate_revoke": "吊销（注销）执法证",
            }
        )

        pre_save.connect(signals.user_pre_save, sender=User, dispatch_uid="orgs-user-tokens")
        post_save.connect(
            signals.role_grant_changed, sender=RoleGrant, dispatch_uid="orgs-grant-saved"
        )
        post_delete.connect(
            signals.role_grant_changed, sender=RoleGrant, dispatch_uid="orgs-grant-deleted"
        )
