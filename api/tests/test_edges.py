"""An API token lasts as long as its user's account and its own expiry, not a moment longer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from api.tests.test_api_flow import ApiUser
from conftest import START, move
from orgs.models import User
from zhifa import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(org) -> ApiUser:
    user = ApiUser(Client(), org.handler.username)
    assert user.get("/api/me").status_code == 200
    return user


def test_a_deactivated_users_token_is_refused_at_once(org, api):
    User.objects.filter(pk=org.handler.pk).update(is_active=False)
    r = api.get("/api/me")
    assert r.status_code == 401


def test_a_reactivated_users_token_works_again_until_it_expires(org, api):
    User.objects.filter(pk=org.handler.pk).update(is_active=False)
    assert api.get("/api/me").status_code == 401
    User.objects.filter(pk=org.handler.pk).update(is_active=True)
    assert api.get("/api/me").status_code == 200


def test_a_token_works_a_second_before_its_expiry_and_not_at_it(api):
    ttl = dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    move(seconds=ttl.total_seconds() - 1)
    assert api.get("/api/me").status_code == 200
    move(seconds=1)
    assert clock.now() == START + ttl  # the expiry itself
    assert api.get("/api/me").status_code == 401
