"""三员分立: who may hold which roles together."""

from __future__ import annotations

from procedure.roles import Role, role_conflicts

SYS, SEC, AUD = Role.SYS_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN


def test_one_administrator_role_alone_is_allowed() -> None:
    for role in (SYS, SEC, AUD):
        assert role_conflicts(frozenset({role})) == []


def test_enforcement_roles_together_are_allowed() -> None:
    assert role_conflicts(frozenset({Role.HANDLER, Role.SECTION_CHIEF, Role.CERT_ADMIN})) == []
    assert role_conflicts(frozenset()) == []


def test_two_of_the_three_administrators_in_one_person_are_refused() -> None:
    assert role_conflicts(frozenset({SEC, AUD})) == [
        "系统管理员、安全管理员、审计管理员须由不同人员担任，不能同时担任安全管理员、审计管理员"
    ]


def test_all_three_in_one_person_are_refused_naming_all_three() -> None:
    assert role_conflicts(frozenset({SYS, SEC, AUD})) == [
        "系统管理员、安全管理员、审计管理员须由不同人员担任，"
        "不能同时担任系统管理员、安全管理员、审计管理员"
    ]


def test_an_administrator_who_would_also_handle_cases_is_refused() -> None:
    assert role_conflicts(frozenset({SYS, Role.HANDLER, Role.LEGAL_REVIEWER})) == [
        "系统管理员不能同时担任承办人、法制审核员，管理员不办理执法业务"
    ]


def test_an_audit_administrator_who_would_also_supervise_is_refused() -> None:
    assert role_conflicts(frozenset({AUD, Role.SUPERVISOR})) == [
        "审计管理员不能同时担任执法监督员，管理员不办理执法业务"
    ]
