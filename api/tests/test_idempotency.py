"""Idempotency-Key: a retried POST is answered, not done again (issue: 等保, item 13)."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from api.idempotency import HEADER, purge
from api.models import IdempotentAnswer
from api.tests.test_api_flow import LEAD, ApiUser
from cases.models import Case, Evidence
from cases.tests.flow import JPEG
from ledger.models import Entry
from zhifa import clock

pytestmark = pytest.mark.django_db


def _post(user: ApiUser, url: str, body: dict, key: str | None):
    headers = dict(user.auth)
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return user.client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_a_registration_retried_with_its_key_is_answered_once_and_registers_one_case(org):
    handler = ApiUser(Client(), "handler")
    first = _post(handler, "/api/cases", LEAD, "reg-0001")
    assert first.status_code == 201, first.content
    again = _post(handler, "/api/cases", LEAD, "reg-0001")
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Case.objects.count() == 1


def test_without_a_key_the_same_registration_twice_registers_two_cases(org):
    handler = ApiUser(Client(), "handler")
    assert _post(handler, "/api/cases", LEAD, None).status_code == 201
    assert _post(handler, "/api/cases", LEAD, None).status_code == 201
    assert Case.objects.count() == 2
    assert not IdempotentAnswer.objects.exists()


def test_a_step_retried_with_its_key_appends_one_entry(org):
    handler, chief = ApiUser(Client(), "handler"), ApiUser(Client(), "chief")
    case_id = _post(handler, "/api/cases", LEAD, None).json()["id"]
    body = {"decision": "file", "opinion": "同意立案"}
    url = f"/api/cases/{case_id}/lead_approve"
    first = _post(chief, url, body, "approve-1")
    assert first.status_code == 200, first.content
    entries = Entry.objects.filter(stream=f"case:{case_id}").count()
    again = _post(chief, url, body, "approve-1")
    assert again.status_code == 200 and again.json() == first.json()
    assert Entry.objects.filter(stream=f"case:{case_id}").count() == entries


def test_the_same_key_with_another_request_is_refused_by_field_and_changes_nothing(org):
    handler = ApiUser(Client(), "handler")
    assert _post(handler, "/api/cases", LEAD, "k-1").status_code == 201
    other = {**LEAD, "place": "东昌路"}
    r = _post(handler, "/api/cases", other, "k-1")
    assert r.status_code == 422
    assert HEADER in r.json()["fields"]
    assert "另一请求" in r.json()["errors"][0]
    assert Case.objects.count() == 1


def test_a_refused_request_keeps_no_key_so_the_corrected_one_goes_through(org):
    handler = ApiUser(Client(), "handler")
    bad = {**LEAD, "act_on": "2099-13-01"}
    refused = _post(handler, "/api/cases", bad, "k-2")
    assert refused.status_code == 422
    assert not IdempotentAnswer.objects.exists()
    ok = _post(handler, "/api/cases", LEAD, "k-2")
    assert ok.status_code == 201, ok.content
    assert "Idempotent-Replayed" not in ok
    assert Case.objects.count() == 1


def test_keys_are_per_token_so_another_user_with_the_same_key_acts_for_itself(org):
    handler, colleague = ApiUser(Client(), "handler"), ApiUser(Client(), "cohandler")
    assert _post(handler, "/api/cases", LEAD, "shared").status_code == 201
    r = _post(colleague, "/api/cases", LEAD, "shared")
    assert r.status_code == 201 and "Idempotent-Replayed" not in r
    assert Case.objects.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "键", "a\tb"])
def test_a_malformed_key_is_refused_by_field_before_anything_is_done(org, key):
    handler = ApiUser(Client(), "handler")
    r = _post(handler, "/api/cases", LEAD, key)
    assert r.status_code == 422
    assert HEADER in r.json()["fields"]
    assert Case.objects.count() == 0


def test_a_key_of_255_characters_is_accepted(org):
    handler = ApiUser(Client(), "handler")
    assert _post(handler, "/api/cases", LEAD, "k" * 255).status_code == 201


def test_a_key_is_remembered_for_its_retention_and_free_again_after(org, settings):
    handler = ApiUser(Client(), "handler")
    assert _post(handler, "/api/cases", LEAD, "k-3").status_code == 201
    row = IdempotentAnswer.objects.get()
    kept = (
        clock.now() - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS) + dt.timedelta(minutes=1)
    )
    IdempotentAnswer.objects.filter(pk=row.pk).update(created_at=kept)
    assert purge() is None
    assert _post(handler, "/api/cases", LEAD, "k-3")["Idempotent-Replayed"] == "true"
    expired = kept - dt.timedelta(minutes=2)
    IdempotentAnswer.objects.filter(pk=row.pk).update(created_at=expired)
    assert "1 expired" in (purge() or "")
    assert _post(handler, "/api/cases", LEAD, "k-3").status_code == 201
    assert Case.objects.count() == 2


def test_a_login_is_not_replayed(org):
    client = Client()
    body = json.dumps({"username": "handler", "password": "wrong"})
    r = client.post(
        "/api/auth/token", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x"
    )
    assert r.status_code == 401
    assert not IdempotentAnswer.objects.exists()


def test_the_openapi_document_declares_the_key_on_every_post_a_token_or_session_makes(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    posts = {p: m["post"] for p, m in paths.items() if "post" in m}
    assert len(posts) > 20
    for path, op in posts.items():
        names = {p["name"] for p in op.get("parameters", [])}
        schemes = {name for need in op.get("security", []) for name in need}
        assert (HEADER in names) == bool(schemes & {"BearerToken", "Session"}), path
        if HEADER in names:
            assert "422" in op["responses"], path
    assert HEADER not in {p["name"] for p in posts["/api/auth/token"].get("parameters", [])}


@pytest.mark.django_db(transaction=True)
def test_two_retries_racing_with_one_key_register_one_case(org):
    handler = ApiUser(Client(), "handler")
    answers: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            answers.append(_post(handler, "/api/cases", LEAD, "race").status_code)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert answers == [201, 201]
    assert Case.objects.count() == 1


def _evidence(user: ApiUser, case_id: int, key: str, content: bytes = JPEG):
    upload = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")
    body = {"kind": "photo", "title": "现场照片", "file": upload}
    return user.client.post(
        f"/api/cases/{case_id}/evidence", body, HTTP_IDEMPOTENCY_KEY=key, **user.auth
    )


def test_an_upload_retried_with_its_key_keeps_one_file_and_another_file_is_refused(org):
    handler = ApiUser(Client(), "handler")
    case_id = _post(handler, "/api/cases", LEAD, None).json()["id"]
    first = _evidence(handler, case_id, "photo-1")
    assert first.status_code == 201, first.content
    again = _evidence(handler, case_id, "photo-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Evidence.objects.filter(case_id=case_id).count() == 1
    other = _evidence(handler, case_id, "photo-1", JPEG + b"\0")
    assert other.status_code == 422 and HEADER in other.json()["fields"]
    assert Evidence.objects.filter(case_id=case_id).count() == 1


def test_a_multipart_body_without_a_boundary_is_refused_not_a_server_error(org):
    handler = ApiUser(Client(), "handler")
    r = handler.client.post(
        "/api/cases", b"--x\r\n", content_type="multipart/form-data", **handler.auth
    )
    assert r.status_code == 422
    assert "请求正文" in r.json()["fields"]
