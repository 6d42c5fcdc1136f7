from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_public_home_page_opens_without_a_login_and_may_be_cached() -> None:
    response = Client().get("/gs/")
    assert response.status_code == 200
    assert "行政执法公示平台" in response.content.decode()
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_a_post_to_a_public_page_is_refused_and_not_cached() -> None:
    response = Client(enforce_csrf_checks=False).post("/gs/")
    assert response.status_code == 405
    assert response["Cache-Control"] == "no-store"
