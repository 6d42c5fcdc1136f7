from __future__ import annotations

from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "administration"
    verbose_name = "系统管理（三员）"

    def ready(self) -> None:
        from ledger.labels import register_actions

        # What the 三员's own record says (ledger.labels).
        register_actions(
            {
                "admin_unit_create": "新建单位",
                "admin_unit_rename": "修改单位名称",
                "admin_account_create": "新建账号",
                "admin_account_activate": "启用账号",
                "admin_account_deactivate": "停用账号",
                "admin_account_password": "重置账号密码",
                "admin_matter_unit_add": "增加事项实施主体",
                "admin_matter_unit_remove": "取消事项实施主体",
                "admin_matter_power": "设定事项行政强制执行权",
                "admin_role_grant": "授予角色",
                "admin_role_revoke": "收回角色",
                "admin_lockout_lift": "解除登录锁定",
                "admin_second_factor_reset": "重置动态口令",
                "admin_audit_export": "导出审计记录",
            }
        )
