"""The 三员's pages: each open to its administrator only (404 to an officer and to another
subtree's administrator, the login page to an outsider); refusals by field change nothing; the
audit administrator only reads, and its export is recorded."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from demo.testing import otp_enrol
from ledger.models import Entry
from orgs.models import RoleGrant, Unit, User
from orgs.services import user_upsert
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
    return org


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


PAGES = ("/sanyuan/system/", "/sanyuan/security/", "/sanyuan/audit/", "/sanyuan/system/matters/")


def test_each_administrator_opens_its_own_page_and_no_other(admins):
    own = {
        admins.sysadmin: {"/sanyuan/system/", "/sanyuan/system/matters/"},
        admins.secadmin: {"/sanyuan/security/"},
        admins.auditadmin: {"/sanyuan/audit/"},
        admins.chief: set(),
        admins.supervisor: set(),
    }
    for user, mine in own.items():
        client = _as(user)
        for page in PAGES:
            expected = 200 if page in mine else 404
            assert client.get(page).status_code == expected, (user.username, page)


def test_an_outsider_is_sent_to_the_login_page(admins):
    for page in PAGES:
        response = Client().get(page)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_account_of_another_subtree_is_404_for_a_county_administrator(admins):
    assert (
        _as(admins.county_sysadmin).get(f"/sanyuan/accounts/{admins.chief.pk}/").status_code == 404
    )
    assert _as(admins.sysadmin).get(f"/sanyuan/accounts/{admins.chief.pk}/").status_code == 200
    response = _as(admins.county_sysadmin).post(
        f"/sanyuan/accounts/{admins.chief.pk}/deactivate/", {"reason": "调离"}
    )
    assert response.status_code == 404
    admins.chief.refresh_from_db()
    assert admins.chief.is_active


def test_a_new_account_form_with_a_bad_phone_shows_the_error_by_field_and_creates_nothing(admins):
    users = User.objects.count()
    response = _as(admins.sysadmin).post(
        "/sanyuan/system/accounts/new/",
        {
            "unit_id": admins.cgj.pk,
            "username": "li.si",
            "full_name": "李四",
            "phone": "12345",
            "password": STRONG,
        },
    )
    assert response.status_code == 422
    assert "手机号应为11位数字" in response.content.decode()
    assert User.objects.count() == users
    assert not Entry.objects.filter(stream="admin:system").exists()


def test_a_new_unit_is_created_from_the_page(admins):
    response = _as(admins.sysadmin).post(
        "/sanyuan/system/units/new/",
        {"parent_id": admins.cgj.pk, "code": "lc-cgj-x", "name": "东城分局", "kind": "agency"},
    )
    assert response.status_code == 302
    assert Unit.objects.filter(code="lc-cgj-x", parent=admins.cgj).exists()


def test_a_role_granted_from_the_page_is_kept_and_a_conflicting_one_refused(admins):
    client = _as(admins.secadmin)
    url = f"/sanyuan/accounts/{admins.chief.pk}/grant/"
    assert client.post(url, {"role": "legal_reviewer"}).status_code == 302
    assert admins.chief.roles.filter(role="legal_reviewer").exists()
    grants = RoleGrant.objects.count()
    response = client.post(f"/sanyuan/accounts/{admins.chief.pk}/grant/", {"role": "audit_admin"})
    assert response.status_code == 422
    assert "审计管理员不能同时担任业务科长、法制审核员" in response.content.decode()
    assert RoleGrant.objects.count() == grants


def test_the_system_administrator_cannot_use_the_security_administrators_actions(admins):
    response = _as(admins.sysadmin).post(
        f"/sanyuan/accounts/{admins.chief.pk}/grant/", {"role": "handler"}
    )
    assert response.status_code == 404


def test_the_audit_page_writes_nothing_and_the_export_is_recorded(admins):
    _as(admins.secadmin).post(
        f"/sanyuan/accounts/{admins.chief.pk}/grant/", {"role": "legal_reviewer"}
    )
    client = _as(admins.auditadmin)
    before = Entry.objects.count()
    page = client.get("/sanyuan/audit/")
    assert page.status_code == 200 and "授予角色" in page.content.decode()
    assert Entry.objects.count() == before
    export = client.post("/sanyuan/audit/export/", {"stream": "admin:security"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert "授予角色" in export.content.decode("utf-8-sig")
    (entry,) = Entry.objects.filter(stream="admin:audit")
    assert entry.action == "admin_audit_export" and entry.payload["rows"] == 1


def test_odd_query_values_on_the_audit_page_do_not_fail(admins):
    client = _as(admins.auditadmin)
    for query in ("?since=99999-99-99", "?until=0001-01-01", "?stream=x", "?page=99999999999999"):
        assert client.get("/sanyuan/audit/" + query).status_code == 200
    # A NUL is refused before any view reads it (web.middleware.RejectNulMiddleware).
    assert client.get("/sanyuan/audit/?stream=x%00y").status_code == 422


def test_the_system_administrator_sets_a_matter_power_on_the_catalogue_page(admins):
    client = _as(admins.sysadmin)
    matter = admins.matter
    url = f"/sanyuan/system/matters/{matter.pk}/power/"
    before = Entry.objects.count()
    refused = client.post(url, {"granted": "1", "scope": "", "basis": "《中华人民共和国公路法》"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "请选择法律授予的行政强制执行权范围" in page
    assert "须写明法律名称和条款" in page
    assert Entry.objects.count() == before
    tax = "《中华人民共和国税收征收管理法》第四十条"
    done = client.post(url, {"granted": "1", "scope": "money", "basis": tax}, follow=True)
    assert done.status_code == 200
    page = done.content.decode()
    assert "仅限金钱给付义务（罚款、金钱给付）" in page and tax in page
    matter.refresh_from_db()
    assert (matter.own_enforcement_power, matter.power_scope) == (True, "money")


def test_a_county_administrator_sees_the_power_but_no_form_and_an_officer_gets_404(admins):
    page = _as(admins.county_sysadmin).get("/sanyuan/system/matters/").content.decode()
    assert "行政强制执行权" in page and "设定行政强制执行权" not in page
    url = f"/sanyuan/system/matters/{admins.matter.pk}/power/"
    data = {"granted": "1", "scope": "money", "basis": "《中华人民共和国税收征收管理法》第四十条"}
    assert _as(admins.chief).post(url, data).status_code == 404
    assert _as(admins.county_sysadmin).post(url, data).status_code == 422
    missing = "/sanyuan/system/matters/999999/power/"
    assert _as(admins.sysadmin).post(missing, data).status_code == 404
