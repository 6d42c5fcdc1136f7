"""A bearer token dies with the trust it was issued under: a new password, a role granted or
taken away, a deactivated account (even when it is activated again)."""

from __future__ import annotations

import pytest
from django.test import Client

from api.tests.test_api_flow import ApiUser
from conftest import PASSWORD
from orgs.models import RoleGrant
from orgs.services import user_upsert
from procedure.roles import Role

pytestmark = pytest.mark.django_db


def test_a_password_changed_on_the_password_page_revokes_the_api_tokens(org):
    api = ApiUser(Client(), org.handler.username)
    assert api.get("/api/me").status_code == 200
    web = Client()
    web.force_login(org.handler)
    new = "Xin-mima-2026"
    r = web.post(
        "/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert r.status_code == 302
    assert api.get("/api/me").status_code == 401


def test_a_password_set_by_an_administrator_revokes_the_api_tokens(org):
    api = ApiUser(Client(), org.handler.username)
    org.handler.set_password("Xin-mima-2026")
    org.handler.save()
    assert api.get("/api/me").status_code == 401


def test_a_role_granted_or_taken_away_revokes_the_api_tokens(org):
    api = ApiUser(Client(), org.handler.username)
    RoleGrant.objects.create(user=org.handler, role=Role.TRAFFIC_REVIEWER)
    assert api.get("/api/me").status_code == 401
    api = ApiUser(Client(), org.handler.username)
    RoleGrant.objects.filter(user=org.handler, role=Role.TRAFFIC_REVIEWER).delete()
    assert api.get("/api/me").status_code == 401


def test_roles_changed_through_the_service_revoke_the_tokens_and_unchanged_roles_do_not(org):
    api = ApiUser(Client(), org.chief.username)
    again = dict(username=org.chief.username, full_name="x", unit=org.cgj, password_hash="")
    user_upsert(**again, roles=[Role.SECTION_CHIEF])
    assert api.get("/api/me").status_code == 200  # same roles, a new name: the token stays
    user_upsert(**again, roles=[Role.SECTION_CHIEF, Role.LEGAL_REVIEWER])
    assert api.get("/api/me").status_code == 401


def test_a_deactivated_account_stays_out_after_it_is_activated_again(org):
    api = ApiUser(Client(), org.handler.username)
    org.handler.is_active = False
    org.handler.save()
    assert api.get("/api/me").status_code == 401
    org.handler.is_active = True
    org.handler.save()
    assert api.get("/api/me").status_code == 401
