"""Every answer the API gives is one its OpenAPI document declares, in Chinese."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_post_without_token_or_session_is_401_in_chinese_not_a_csrf_403(org):
    r = Client(enforce_csrf_checks=True).post("/api/cases", "{}", content_type="application/json")
    assert r.status_code == 401
    assert "令牌" in r.json()["errors"][0]


def test_a_session_post_without_its_csrf_token_is_403_in_chinese_and_changes_nothing(org):
    from cases.models import Case

    client = Client(enforce_csrf_checks=True)
    client.force_login(org.handler)
    r = client.post("/api/cases", "{}", content_type="application/json")
    assert r.status_code == 403
    assert "CSRF" in r.json()["errors"][0]
    assert Case.objects.count() == 0


def test_a_session_post_with_its_csrf_token_reaches_the_operation(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.handler)
    client.get("/login/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    r = client.post("/api/cases", "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 422  # the body is refused by field: authentication passed


def test_every_secured_operation_declares_401_and_every_path_with_an_id_declares_404(client):
    doc = client.get("/api/openapi.json").json()
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            answers = op["responses"]
            if op.get("security"):
                assert "401" in answers, (method, path)
            if "{" in path:
                assert "404" in answers, (method, path)
            for status, answer in answers.items():
                if status >= "400" and status != "414":  # the server's own page, not ours
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorOut"), (method, path, status)


def test_a_body_that_is_not_json_is_refused_by_field_in_chinese(org):
    from api.tests.test_api_flow import ApiUser

    handler = ApiUser(Client(), "handler")
    r = handler.client.post(
        "/api/cases", b"{not json", content_type="application/json", **handler.auth
    )
    assert r.status_code == 422
    assert "请求正文" in r.json()["fields"]


def test_every_operation_taking_a_value_declares_422(client):
    doc = client.get("/api/openapi.json").json()
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            if op.get("parameters") or op.get("requestBody"):
                assert "422" in op["responses"], (method, path)


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI document names a component by its class: two classes of one name make one
    component, and one of the operations then declares the other's shape."""
    import ast
    from collections import Counter
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names: Counter[str] = Counter()
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if {".venv", "mutants", "tests", "migrations"} & set(rel.parts):
            continue
        if not (
            path.name in {"api.py", "schemas.py", "payloads.py"}
            or path.name.endswith("_api.py")
            or rel.parts[0] == "api"  # the API's own routers: certificates, notices, calendar
        ):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and any(
                getattr(b, "id", getattr(b, "attr", "")) in {"Schema", "BaseModel", "ModelSchema"}
                for b in node.bases
            ):
                names[node.name] += 1
    assert len(names) > 50
    assert [n for n, k in names.items() if k > 1] == []


def test_an_operation_taking_a_query_declares_the_server_s_414_for_a_request_line_too_long(
    client,
):
    doc = client.get("/api/openapi.json").json()
    op = doc["paths"]["/api/cases"]["get"]
    assert "text/html" in op["responses"]["414"]["content"]
    assert "414" not in doc["paths"]["/api/me"]["get"]["responses"]
