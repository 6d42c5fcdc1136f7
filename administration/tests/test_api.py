"""The 三员's pages over /api/admin: each operation does what its page does (the same rows and
ledger entries), refuses by field with nothing written, and is 404 to an officer, to another
administrator, to an administrator of another subtree and 401 to an outsider; the OpenAPI
document lists each with its 4xx answers."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.tests.test_api_flow import ApiUser
from conftest import PASSWORD
from demo.testing import otp_enrol
from ledger.models import Entry
from orgs.models import ApiToken, RoleGrant, Unit, User
from orgs.services import user_upsert
from procedure.roles import Role

pytestmark = pytest.mark.django_db

STRONG = "Zf-2026-strong-Pass"


@pytest.fixture
def admins(org):
    def make(username: str, unit: Unit, role: Role) -> User:
        user = user_upsert(
            username=username,
            full_name=username,
            unit=unit,
            roles=[role],
            password_hash=make_password(PASSWORD),
        )
        otp_enrol(user)
        return user

    org.secadmin = make("secadmin", org.justice, Role.SECURITY_ADMIN)
    org.auditadmin = make("auditadmin", org.justice, Role.AUDIT_ADMIN)
    org.county_sysadmin = make("county-sysadmin", org.county_justice, Role.SYS_ADMIN)
    org.county_secadmin = make("county-secadmin", org.county_justice, Role.SECURITY_ADMIN)
    return org


def api(user: User) -> ApiUser:
    return ApiUser(Client(), user.username)


def state() -> tuple[Any, ...]:
    return (
        Entry.objects.count(),
        Unit.objects.count(),
        tuple(User.objects.order_by("pk").values_list("username", "is_active", "password")),
        tuple(RoleGrant.objects.order_by("pk").values_list("user_id", "role")),
        TOTPDevice.objects.count(),
        AccessAttempt.objects.count(),
    )


def test_the_system_administrator_creates_a_unit_and_an_account_as_on_the_page(admins):
    sysadmin = api(admins.sysadmin)
    r = sysadmin.post(
        "/api/admin/units",
        {"parent_id": admins.cgj.pk, "code": "lc-cgj-x", "name": "东城分局", "kind": "agency"},
    )
    assert r.status_code == 201, r.content
    unit = Unit.objects.get(code="lc-cgj-x", parent=admins.cgj)
    assert r.json()["id"] == unit.pk
    assert Entry.objects.get(stream="admin:system").action == "admin_unit_create"
    r = sysadmin.post(
        "/api/admin/accounts",
        {"unit_id": unit.pk, "username": "li.si", "full_name": "李四", "password": STRONG},
    )
    assert r.status_code == 201, r.content
    assert r.json()["roles"] == [] and r.json()["unit"] == "东城分局"
    assert User.objects.get(username="li.si").unit == unit
    listed = sysadmin.get("/api/admin/accounts?q=li.si").json()
    assert [a["username"] for a in listed] == ["li.si"]
    assert {u["code"] for u in sysadmin.get("/api/admin/units").json()} >= {"lc-cgj-x"}


def test_a_refused_account_is_named_by_field_and_nothing_is_written(admins):
    sysadmin = api(admins.sysadmin)
    before = state()
    r = sysadmin.post(
        "/api/admin/accounts",
        {"unit_id": admins.cgj.pk, "username": "li.si", "full_name": "李四", "phone": "12345"},
    )
    assert r.status_code == 422
    assert "手机号应为11位数字" in r.json()["fields"]["phone"]
    assert "password" in r.json()["fields"]
    r = sysadmin.post("/api/admin/units", {"parent_id": admins.cgj.pk, "kind": "x"})
    assert r.status_code == 422 and set(r.json()["fields"]) >= {"code", "name", "kind"}
    assert state() == before


def test_deactivating_and_a_new_password_end_the_accounts_tokens(admins):
    sysadmin = api(admins.sysadmin)
    api(admins.chief)
    url = f"/api/admin/accounts/{admins.chief.pk}"
    refused = sysadmin.post(url + "/deactivate", {"reason": ""})
    assert refused.status_code == 422 and refused.json()["fields"]["reason"] == ["请填写原因"]
    r = sysadmin.post(url + "/deactivate", {"reason": "调离"})
    assert r.status_code == 200 and r.json()["is_active"] is False
    admins.chief.refresh_from_db()
    assert not admins.chief.is_active
    assert not ApiToken.objects.filter(user=admins.chief).exists()
    assert sysadmin.post(url + "/activate", {"reason": "返岗"}).json()["is_active"] is True
    r = sysadmin.post(url + "/password", {"password": STRONG})
    assert r.status_code == 200
    admins.chief.refresh_from_db()
    assert admins.chief.check_password(STRONG)
    actions = list(
        Entry.objects.filter(stream="admin:system").order_by("seq").values_list("action", flat=True)
    )
    assert actions == [
        "admin_account_deactivate",
        "admin_account_activate",
        "admin_account_password",
    ]


def test_an_administrator_cannot_change_its_own_account(admins):
    before = state()
    r = api(admins.sysadmin).post(
        f"/api/admin/accounts/{admins.sysadmin.pk}/deactivate", {"reason": "x"}
    )
    assert r.status_code == 422 and "不能更改本人的账号或角色" in r.json()["errors"][0]
    assert state() == before


def test_the_security_administrator_grants_and_takes_a_role_a_conflicting_one_refused(admins):
    secadmin = api(admins.secadmin)
    url = f"/api/admin/accounts/{admins.chief.pk}"
    r = secadmin.post(url + "/grant", {"role": "legal_reviewer"})
    assert r.status_code == 200
    assert "legal_reviewer" in {role["code"] for role in r.json()["roles"]}
    assert admins.chief.roles.filter(role="legal_reviewer").exists()
    before = state()
    r = secadmin.post(url + "/grant", {"role": "audit_admin"})
    assert r.status_code == 422
    assert any("审计管理员不能同时担任" in m for m in r.json()["fields"]["role"])
    assert secadmin.post(url + "/grant", {"role": "nonsense"}).json()["fields"] == {
        "role": ["请选择角色"]
    }
    assert state() == before
    r = secadmin.post(url + "/revoke", {"role": "legal_reviewer"})
    assert r.status_code == 200
    assert not admins.chief.roles.filter(role="legal_reviewer").exists()
    actions = set(Entry.objects.filter(stream="admin:security").values_list("action", flat=True))
    assert actions == {"admin_role_grant", "admin_role_revoke"}


def test_the_security_administrator_lifts_a_lockout_and_resets_a_second_factor(admins):
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
    secadmin = api(admins.secadmin)
    assert [lo["username"] for lo in secadmin.get("/api/admin/lockouts").json()] == ["handler"]
    detail = secadmin.get(f"/api/admin/accounts/{admins.handler.pk}").json()
    assert [lo["failures"] for lo in detail["lockouts"]] == [5]
    r = secadmin.post(f"/api/admin/accounts/{admins.handler.pk}/unlock", {"reason": "电话核实"})
    assert r.status_code == 200 and r.json()["lockouts"] == []
    assert not AccessAttempt.objects.filter(username="handler").exists()
    before = state()
    r = secadmin.post(f"/api/admin/accounts/{admins.handler.pk}/unlock", {"reason": "再次"})
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    assert state() == before
    url = f"/api/admin/accounts/{admins.director.pk}/second-factor"
    r = secadmin.post(url, {"reason": "手机丢失"})
    assert r.status_code == 200 and r.json()["has_second_factor"] is False
    assert not TOTPDevice.objects.filter(user=admins.director).exists()


def test_the_system_administrator_sets_implementing_units_and_a_matter_power(admins):
    sysadmin = api(admins.sysadmin)
    matter = admins.matter
    r = sysadmin.post(
        f"/api/admin/matters/{matter.pk}/units", {"unit_id": admins.cgj.pk, "implements": True}
    )
    had = matter.implementing_units.filter(pk=admins.cgj.pk).exists()
    if r.status_code == 422:  # the demo catalogue already lists the agency
        assert had and "已是该事项的实施主体" in r.json()["fields"]["unit_id"][0]
        r = sysadmin.post(
            f"/api/admin/matters/{matter.pk}/units",
            {"unit_id": admins.cgj.pk, "implements": False},
        )
        assert r.status_code == 200
        assert not matter.implementing_units.filter(pk=admins.cgj.pk).exists()
    else:
        assert r.status_code == 200 and admins.cgj.pk in {
            u["id"] for u in r.json()["implementing_units"]
        }
    url = f"/api/admin/matters/{matter.pk}/power"
    before = state()
    r = sysadmin.post(url, {"granted": True, "scope": "", "basis": "《中华人民共和国公路法》"})
    assert r.status_code == 422 and set(r.json()["fields"]) == {"scope", "basis"}
    assert state() == before
    tax = "《中华人民共和国税收征收管理法》第四十条"
    r = sysadmin.post(url, {"granted": True, "scope": "money", "basis": tax})
    assert r.status_code == 200 and r.json()["enforcement_power_basis"] == tax
    matter.refresh_from_db()
    assert (matter.own_enforcement_power, matter.power_scope) == (True, "money")
    assert Entry.objects.filter(stream="admin:system", action="admin_matter_power").exists()
    listed = sysadmin.get(f"/api/admin/matters?q={matter.code}").json()
    assert [m["code"] for m in listed] == [matter.code]


def test_a_county_administrator_cannot_set_the_power_and_cannot_reach_the_citys_accounts(admins):
    county = api(admins.county_sysadmin)
    before = state()
    tax = "《中华人民共和国税收征收管理法》第四十条"
    r = county.post(
        f"/api/admin/matters/{admins.matter.pk}/power",
        {"granted": True, "scope": "money", "basis": tax},
    )
    assert r.status_code == 422 and "市级系统管理员" in r.json()["errors"][0]
    assert county.get(f"/api/admin/accounts/{admins.chief.pk}").status_code == 404
    r = county.post(f"/api/admin/accounts/{admins.chief.pk}/deactivate", {"reason": "调离"})
    assert r.status_code == 404
    r = county.post("/api/admin/units", {"parent_id": admins.cgj.pk, "code": "x", "name": "x"})
    assert r.status_code == 404
    county_sec = api(admins.county_secadmin)
    r = county_sec.post(f"/api/admin/accounts/{admins.chief.pk}/grant", {"role": "handler"})
    assert r.status_code == 404
    assert state() == before


WRITES = [
    ("/api/admin/units", {"parent_id": 1, "code": "x", "name": "x", "kind": "agency"}),
    ("/api/admin/accounts", {"unit_id": 1, "username": "x", "full_name": "x"}),
    ("/api/admin/accounts/{chief}/deactivate", {"reason": "x"}),
    ("/api/admin/accounts/{chief}/password", {"password": STRONG}),
    ("/api/admin/accounts/{chief}/grant", {"role": "legal_reviewer"}),
    ("/api/admin/accounts/{chief}/unlock", {"reason": "x"}),
    ("/api/admin/accounts/{chief}/second-factor", {"reason": "x"}),
    ("/api/admin/matters/{matter}/units", {"unit_id": 1, "implements": True}),
    ("/api/admin/matters/{matter}/power", {"granted": False}),
    ("/api/admin/audit/export", {}),
]
READS = [
    "/api/admin/units",
    "/api/admin/matters",
    "/api/admin/lockouts",
    "/api/admin/audit",
    "/api/admin/logins",
]


def test_an_officer_and_a_supervisor_find_no_administration_and_change_nothing(admins):
    before = state()
    for user in (admins.chief, admins.supervisor):
        client = api(user)
        for path, body in WRITES:
            url = path.format(chief=admins.handler.pk, matter=admins.matter.pk)
            assert client.post(url, body).status_code == 404, (user.username, url)
        for url in [*READS, "/api/admin/accounts", f"/api/admin/accounts/{admins.handler.pk}"]:
            assert client.get(url).status_code == 404, (user.username, url)
    assert state()[1:] == before[1:]


def test_each_administrator_finds_only_its_own_operations(admins):
    own = {
        admins.sysadmin: {"/api/admin/units", "/api/admin/matters"},
        admins.secadmin: {"/api/admin/lockouts"},
        admins.auditadmin: {"/api/admin/audit", "/api/admin/logins"},
    }
    for user, mine in own.items():
        client = api(user)
        for url in READS:
            expected = 200 if url in mine else 404
            assert client.get(url).status_code == expected, (user.username, url)
    r = api(admins.sysadmin).post(
        f"/api/admin/accounts/{admins.chief.pk}/grant", {"role": "handler"}
    )
    assert r.status_code == 404
    r = api(admins.secadmin).post(
        f"/api/admin/accounts/{admins.chief.pk}/deactivate", {"reason": "x"}
    )
    assert r.status_code == 404


def test_an_outsider_gets_401_and_nothing_is_written(admins):
    before = state()
    client = Client()
    for path, body in WRITES:
        url = path.format(chief=admins.handler.pk, matter=admins.matter.pk)
        r = client.post(url, body, content_type="application/json")
        assert r.status_code == 401, url
    assert state() == before


def test_the_audit_administrator_reads_the_record_and_logins_and_its_export_is_recorded(admins):
    api(admins.secadmin).post(
        f"/api/admin/accounts/{admins.chief.pk}/grant", {"role": "legal_reviewer"}
    )
    auditor = api(admins.auditadmin)
    before = Entry.objects.count()
    rows = auditor.get("/api/admin/audit?stream=admin:security").json()
    assert [e["action"] for e in rows] == ["admin_role_grant"]
    assert "授予" in rows[0]["action_label"] and rows[0]["stream_label"] == "安全管理员"
    assert auditor.get("/api/admin/audit?stream=admin:system").json() == []
    assert auditor.get("/api/admin/audit?actor=nobody").json() == []
    assert auditor.get("/api/admin/audit?since=2999-01-01").json() == []
    assert auditor.get("/api/admin/audit?stream=cases").status_code == 422
    assert auditor.get("/api/admin/audit?since=99999-99-99").status_code == 422
    logins = auditor.get("/api/admin/logins").json()
    assert {"secadmin", "auditadmin"} <= {x["username"] for x in logins}
    assert {x["channel"] for x in logins} == {"接口"}
    assert auditor.get("/api/admin/logins?failed=true").json() == []
    assert Entry.objects.count() == before
    export = auditor.post("/api/admin/audit/export", {"stream": "admin:security"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert "授予角色" in export.content.decode("utf-8-sig")
    (entry,) = Entry.objects.filter(stream="admin:audit")
    assert entry.action == "admin_audit_export" and entry.payload["rows"] == 1


def test_the_openapi_document_lists_the_administration_with_its_4xx_answers(admins):
    doc = Client().get("/api/openapi.json").json()
    writes = {
        "/api/admin/units",
        "/api/admin/accounts",
        "/api/admin/matters/{matter_id}/units",
        "/api/admin/matters/{matter_id}/power",
        "/api/admin/audit/export",
        *(
            f"/api/admin/accounts/{{user_id}}/{action}"
            for action in (
                "deactivate",
                "activate",
                "password",
                "grant",
                "revoke",
                "unlock",
                "second-factor",
            )
        ),
    }
    for path in writes:
        operation = doc["paths"][path]["post"]
        assert {"401", "403", "404", "422"} <= set(operation["responses"]), path
        assert operation["tags"] == ["三员管理"]
    for path in (*READS, "/api/admin/accounts", "/api/admin/accounts/{user_id}"):
        assert {"401", "404"} <= set(doc["paths"][path]["get"]["responses"]), path
    export = doc["paths"]["/api/admin/audit/export"]["post"]["responses"]["200"]
    assert "text/csv" in export["content"]
