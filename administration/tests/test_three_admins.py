"""三员分立: the system, security and audit administrators, each within its subtree, each on a
record of its own, none changing their own account or holding another role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from administration import selectors, services
from demo.testing import otp_enrol
from ledger.models import Entry
from orgs.models import ApiToken, RoleGrant, Unit, User
from orgs.services import user_upsert
from procedure.engine import Refused
from procedure.roles import Role

STRONG = "Zf-2026-strong-Pass"


@pytest.fixture
def admins(org):
    def make(username: str, unit: Unit, role: Role) -> User:
        user = user_upsert(
            username=username,
            full_name=username,
            unit=unit,
            roles=[role],
            password_hash=make_password(STRONG),
        )
        otp_enrol(user)  # the 三员 log in with a second factor
        return user

    org.secadmin = make("secadmin", org.justice, Role.SECURITY_ADMIN)
    org.auditadmin = make("auditadmin", org.justice, Role.AUDIT_ADMIN)
    org.county_sysadmin = make("county-sysadmin", org.county_justice, Role.SYS_ADMIN)
    org.county_secadmin = make("county-secadmin", org.county_justice, Role.SECURITY_ADMIN)
    return org


def _counts() -> tuple[int, int, int, int]:
    return (
        Unit.objects.count(),
        User.objects.count(),
        RoleGrant.objects.count(),
        Entry.objects.filter(stream__startswith="admin:").count(),
    )


def _refused(call: Callable[[], object], text: str) -> Refused:
    before = _counts()
    with pytest.raises(Refused) as caught:
        call()
    assert text in "；".join(caught.value.errors)
    assert _counts() == before
    return caught.value


# --- 系统管理员 ---------------------------------------------------------------------------------


def test_the_system_administrator_creates_a_unit_under_its_city_and_it_is_recorded(admins):
    unit = services.unit_create(
        actor=admins.sysadmin,
        parent_id=admins.cgj.pk,
        code="lc-cgj-dc",
        name="聊城市城市管理局东城分局",
        short="聊城管东",
        kind="agency",
    )
    assert unit.path == admins.cgj.path + "lc-cgj-dc/"
    assert unit.region_id == admins.cgj.region_id
    (entry,) = Entry.objects.filter(stream="admin:system")
    assert entry.action == "admin_unit_create" and entry.role == "sys_admin"
    assert entry.payload["code"] == "lc-cgj-dc"


def test_a_unit_code_already_used_is_refused_by_field_and_nothing_is_written(admins):
    refusal = _refused(
        lambda: services.unit_create(
            actor=admins.sysadmin,
            parent_id=admins.cgj.pk,
            code=admins.scjg.code,
            name="重复",
            short="",
            kind="agency",
        ),
        f"单位代码“{admins.scjg.code}”已被使用",
    )
    assert set(refusal.fields) == {"code"}


def test_a_county_system_administrator_cannot_reach_a_city_unit(admins):
    before = _counts()
    with pytest.raises(Http404):
        services.unit_rename(
            actor=admins.county_sysadmin, unit_id=admins.cgj.pk, name="改名", short=""
        )
    assert _counts() == before
    renamed = services.unit_rename(
        actor=admins.sysadmin, unit_id=admins.cgj.pk, name="聊城市城市管理局（新）", short="聊城管"
    )
    assert renamed.name == "聊城市城市管理局（新）"


def test_an_officer_is_refused_the_system_administrators_acts(admins):
    _refused(
        lambda: services.unit_rename(
            actor=admins.chief, unit_id=admins.cgj.pk, name="改名", short=""
        ),
        "只有系统管理员可以办理该操作",
    )


def test_an_account_is_created_without_any_role(admins):
    user = services.account_create(
        actor=admins.sysadmin,
        unit_id=admins.cgj.pk,
        username="New.Officer",
        full_name="新同志",
        phone="13800000000",
        password=STRONG,
    )
    assert user.username == "new.officer" and user.role_set == frozenset()
    assert user.check_password(STRONG)
    assert Entry.objects.get(stream="admin:system").action == "admin_account_create"


def test_a_weak_initial_password_is_refused_by_field(admins):
    refusal = _refused(
        lambda: services.account_create(
            actor=admins.sysadmin,
            unit_id=admins.cgj.pk,
            username="weak",
            full_name="弱口令",
            phone="",
            password="12345678",
        ),
        "",
    )
    assert set(refusal.fields) == {"password"}


def test_deactivating_an_account_ends_its_tokens_and_is_recorded(admins):
    ApiToken.objects.create(
        user=admins.handler, key_hash="x" * 64, expires_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    )
    services.account_set_active(
        actor=admins.sysadmin, user_id=admins.handler.pk, active=False, reason="调离"
    )
    admins.handler.refresh_from_db()
    assert not admins.handler.is_active
    assert not ApiToken.objects.filter(user=admins.handler).exists()
    entry = Entry.objects.get(stream="admin:system")
    assert entry.action == "admin_account_deactivate" and entry.payload["reason"] == "调离"


def test_the_system_administrator_cannot_deactivate_itself(admins):
    _refused(
        lambda: services.account_set_active(
            actor=admins.sysadmin, user_id=admins.sysadmin.pk, active=False, reason="测试"
        ),
        "不能更改本人的账号或角色",
    )


def test_a_unit_becomes_and_stops_being_an_implementing_unit_of_a_matter(admins):
    matter = admins.matter
    matter.implementing_units.remove(admins.scjg)
    services.matter_units_set(
        actor=admins.sysadmin, matter_id=matter.pk, unit_id=admins.scjg.pk, implements=True
    )
    assert matter.implementing_units.filter(pk=admins.scjg.pk).exists()
    _refused(
        lambda: services.matter_units_set(
            actor=admins.sysadmin, matter_id=matter.pk, unit_id=admins.scjg.pk, implements=True
        ),
        "已是该事项的实施主体",
    )
    services.matter_units_set(
        actor=admins.sysadmin, matter_id=matter.pk, unit_id=admins.scjg.pk, implements=False
    )
    assert not matter.implementing_units.filter(pk=admins.scjg.pk).exists()
    actions = list(
        Entry.objects.filter(stream="admin:system").order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["admin_matter_unit_add", "admin_matter_unit_remove"]


def power_of(matter_id: int) -> tuple[bool, str, str]:
    from catalog.models import Matter

    m = Matter.objects.get(pk=matter_id)
    return m.own_enforcement_power, m.enforcement_power_scope, m.enforcement_power_basis


TAX = "《中华人民共和国税收征收管理法》第四十条"


def test_the_city_system_administrator_grants_a_matter_the_power_over_money_by_its_law(admins):
    matter = admins.matter
    services.matter_power_set(
        actor=admins.sysadmin, matter_id=matter.pk, granted=True, scope="money", basis=TAX
    )
    assert power_of(matter.pk) == (True, "money", TAX)
    entry = Entry.objects.get(stream="admin:system", action="admin_matter_power")
    assert (entry.payload["scope"], entry.payload["basis"]) == ("money", TAX)
    # Taken away: nothing of the grant is left behind.
    services.matter_power_set(
        actor=admins.sysadmin, matter_id=matter.pk, granted=False, scope="money", basis=TAX
    )
    assert power_of(matter.pk) == (False, "", "")


def test_a_grant_without_its_scope_is_refused_by_field_and_changes_nothing(admins):
    refusal = _refused(
        lambda: services.matter_power_set(
            actor=admins.sysadmin, matter_id=admins.matter.pk, granted=True, scope="", basis=TAX
        ),
        "请选择法律授予的行政强制执行权范围",
    )
    assert set(refusal.fields) == {"scope"}
    assert power_of(admins.matter.pk) == (False, "", "")


def test_a_grant_resting_on_a_regulation_or_without_its_article_is_refused(admins):
    for basis, text in (
        ("《城市道路管理条例》第四十二条", "须写明法律名称和条款"),
        ("《中华人民共和国公路法》", "须写明法律名称和条款"),
        ("", "请填写行政强制执行权依据"),
        ("《中华人民共和国公路法》第七十九条" + "条" * 120, "不能超过120字"),
    ):
        refusal = _refused(
            lambda basis=basis: services.matter_power_set(
                actor=admins.sysadmin,
                matter_id=admins.matter.pk,
                granted=True,
                scope="performance",
                basis=basis,
            ),
            text,
        )
        assert set(refusal.fields) == {"basis"}
    assert power_of(admins.matter.pk) == (False, "", "")


def test_a_county_system_administrator_may_not_set_the_city_catalogue_power(admins):
    _refused(
        lambda: services.matter_power_set(
            actor=admins.county_sysadmin,
            matter_id=admins.matter.pk,
            granted=True,
            scope="money",
            basis=TAX,
        ),
        "由市级系统管理员维护",
    )
    with pytest.raises(Refused):
        services.matter_power_set(
            actor=admins.chief, matter_id=admins.matter.pk, granted=True, scope="money", basis=TAX
        )
    assert power_of(admins.matter.pk) == (False, "", "")


# --- 安全管理员 ---------------------------------------------------------------------------------


def test_the_security_administrator_grants_a_role_on_its_own_record(admins):
    services.role_grant(actor=admins.secadmin, user_id=admins.chief.pk, role="legal_reviewer")
    assert RoleGrant.objects.filter(user=admins.chief, role="legal_reviewer").exists()
    entry = Entry.objects.get(stream="admin:security")
    assert (entry.action, entry.role, entry.payload["role"]) == (
        "admin_role_grant",
        "security_admin",
        "legal_reviewer",
    )
    assert not Entry.objects.filter(stream="admin:system").exists()


def test_the_system_administrator_cannot_grant_roles(admins):
    _refused(
        lambda: services.role_grant(
            actor=admins.sysadmin, user_id=admins.chief.pk, role="legal_reviewer"
        ),
        "只有安全管理员可以办理该操作",
    )


def test_a_case_role_for_an_administrator_is_refused(admins):
    refusal = _refused(
        lambda: services.role_grant(
            actor=admins.secadmin, user_id=admins.auditadmin.pk, role="handler"
        ),
        "审计管理员不能同时担任承办人，管理员不办理执法业务",
    )
    assert set(refusal.fields) == {"role"}


def test_a_second_administrator_role_for_one_person_is_refused(admins):
    _refused(
        lambda: services.role_grant(
            actor=admins.secadmin, user_id=admins.sysadmin.pk, role="audit_admin"
        ),
        "须由不同人员担任",
    )


def test_the_security_administrator_cannot_change_its_own_roles(admins):
    _refused(
        lambda: services.role_revoke(
            actor=admins.secadmin, user_id=admins.secadmin.pk, role="security_admin"
        ),
        "不能更改本人的账号或角色",
    )


def test_a_county_security_administrator_cannot_reach_a_city_officer(admins):
    before = _counts()
    with pytest.raises(Http404):
        services.role_grant(actor=admins.county_secadmin, user_id=admins.chief.pk, role="handler")
    assert _counts() == before


def test_lifting_a_lockout_clears_the_failures_and_is_recorded(admins):
    AccessAttempt.objects.create(
        username=admins.handler.username,
        ip_address="10.0.0.9",
        user_agent="t",
        path_info="/login/",
        get_data="",
        post_data="",
        http_accept="",
        failures_since_start=5,
    )
    assert [lo.username for lo in selectors.lockouts(admins.secadmin)] == ["handler"]
    services.lockout_lift(actor=admins.secadmin, user_id=admins.handler.pk, reason="电话核实")
    assert not AccessAttempt.objects.filter(username="handler").exists()
    assert Entry.objects.get(stream="admin:security").payload["attempts"] == 1


def test_lifting_a_lockout_that_does_not_exist_is_refused(admins):
    _refused(
        lambda: services.lockout_lift(
            actor=admins.secadmin, user_id=admins.handler.pk, reason="核实"
        ),
        "该账号没有登录失败记录，无需解锁",
    )


def test_a_lost_second_factor_is_reset_and_recorded(admins):
    otp_enrol(admins.director)
    services.second_factor_reset(
        actor=admins.secadmin, user_id=admins.director.pk, reason="手机遗失，已核实"
    )
    assert not TOTPDevice.objects.filter(user=admins.director).exists()
    assert Entry.objects.get(stream="admin:security").action == "admin_second_factor_reset"


# --- 审计管理员 ---------------------------------------------------------------------------------


def test_the_audit_administrator_reads_what_the_other_two_did(admins):
    services.unit_rename(actor=admins.sysadmin, unit_id=admins.cgj.pk, name="改名", short="")
    services.role_grant(actor=admins.secadmin, user_id=admins.chief.pk, role="legal_reviewer")
    actions = [e.action for e in selectors.audit_entries(admins.auditadmin)]
    assert actions == ["admin_role_grant", "admin_unit_rename"]
    only = selectors.audit_entries(admins.auditadmin, stream="admin:system")
    assert [e.action for e in only] == ["admin_unit_rename"]


def test_no_one_but_the_audit_administrator_reads_the_audit_record(admins):
    for user in (admins.sysadmin, admins.secadmin, admins.supervisor):
        with pytest.raises(Http404):
            selectors.audit_entries(user)
