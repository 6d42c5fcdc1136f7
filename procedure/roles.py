"""The roles of DESIGN.md. Pure: no Django imports, so procedure/ can use them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    HANDLER = "handler"
    CO_HANDLER = "co_handler"
    SECTION_CHIEF = "section_chief"
    LEGAL_REVIEWER = "legal_reviewer"
    DEPUTY_DIRECTOR = "deputy_director"
    SUPERVISOR = "supervisor"
    TRAFFIC_REVIEWER = "traffic_reviewer"
    # The 法制 administrator who keeps the register of 执法证 (监督条例 Arts. 10, 17): of an agency
    # for its own subtree, of a justice bureau for the units under its government.
    CERT_ADMIN = "cert_admin"
    SYS_ADMIN = "sys_admin"
    SECURITY_ADMIN = "security_admin"
    AUDIT_ADMIN = "audit_admin"


ROLE_LABELS: dict[Role, str] = {
    Role.HANDLER: "承办人",
    Role.CO_HANDLER: "协办人",
    Role.SECTION_CHIEF: "业务科长",
    Role.LEGAL_REVIEWER: "法制审核员",
    Role.DEPUTY_DIRECTOR: "分管局长",
    Role.SUPERVISOR: "执法监督员",
    Role.TRAFFIC_REVIEWER: "交警审核员",
    Role.CERT_ADMIN: "执法证管理员",
    Role.SYS_ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全管理员",
    Role.AUDIT_ADMIN: "审计管理员",
}

# Roles that act on the cases of their own unit.
CASE_ROLES = frozenset(
    {Role.HANDLER, Role.CO_HANDLER, Role.SECTION_CHIEF, Role.LEGAL_REVIEWER, Role.DEPUTY_DIRECTOR}
)

# Roles that log in with a second factor (a TOTP code) besides the password: the city's
# 执法监督员, the 分管局长 who decides cases, and the 三员 (等保 三级 身份鉴别: two or more
# authentication techniques for privileged users). Others may enrol; once enrolled, they too must.
TWO_FACTOR_ROLES = frozenset(
    {
        Role.SUPERVISOR,
        Role.DEPUTY_DIRECTOR,
        Role.SYS_ADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDIT_ADMIN,
    }
)

# 三员分立 (GB/T 22239-2019 三级, 安全管理中心: 系统管理、审计管理、安全管理 each by its own
# administrator): the system administrator keeps units, accounts and the catalogue, the security
# administrator roles, lockouts and second factors, the audit administrator reads what the other
# two did. One person holds at most one of the three, and none of them holds any other role: an
# administrator never acts on a case, a certificate or a supervision matter.
THREE_ADMINS = frozenset({Role.SYS_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


def role_conflicts(roles: frozenset[Role]) -> list[str]:
    """Why one person may not hold these roles together (empty: they may)."""
    admins = roles & THREE_ADMINS
    if len(admins) > 1:
        held = "、".join(ROLE_LABELS[r] for r in Role if r in admins)
        return [f"系统管理员、安全管理员、审计管理员须由不同人员担任，不能同时担任{held}"]
    if admins and roles - admins:
        (admin,) = admins
        others = "、".join(ROLE_LABELS[r] for r in Role if r in roles - admins)
        return [f"{ROLE_LABELS[admin]}不能同时担任{others}，管理员不办理执法业务"]
    return []
