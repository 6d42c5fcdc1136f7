from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import PASSWORD, move
from deadlines.services import run_timers_once
from joint.tests.conftest import jpeg

pytestmark = pytest.mark.django_db


def token(username: str) -> dict[str, str]:
    r = Client().post(
        "/api/auth/token",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    return {"authorization": f"Bearer {r.json()['token']}"}


def test_the_app_files_a_report_and_the_traffic_client_reviews_it(joint):
    officer = token("handler")
    r = Client(headers=officer).post(
        "/api/joint/reports",
        {
            "plate": "鲁P12345",
            "street": "柳园路",
            "place": "路口",
            "photos": [
                SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"),
                SimpleUploadedFile("b.jpg", jpeg("blue"), "image/jpeg"),
            ],
        },
    )
    assert r.status_code == 201, r.content
    report = r.json()
    assert (report["step"], report["owner_found"]) == ("park_window", True)
    move(minutes=11)
    run_timers_once()
    traffic = Client(headers=token("traffic-reviewer"))
    queue = traffic.get("/api/joint/review-queue").json()
    assert [q["id"] for q in queue] == [report["id"]]
    refused = traffic.post(
        f"/api/joint/reports/{report['id']}/review",
        {"decision": "reject"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "理由" in refused.json()["errors"][0]
    done = traffic.post(
        f"/api/joint/reports/{report['id']}/review",
        {"decision": "warn"},
        content_type="application/json",
    ).json()
    assert (done["outcome"], done["first_offence"], done["upload_status"]) == (
        "warning",
        True,
        "pending",
    )


def test_a_report_is_404_over_the_api_outside_its_scope(joint):
    r = Client(headers=token("handler")).post(
        "/api/joint/reports",
        {
            "plate": "鲁P12345",
            "street": "x",
            "place": "y",
            "photos": [SimpleUploadedFile(f"{i}.jpg", jpeg(), "image/jpeg") for i in range(2)],
        },
    )
    rid = r.json()["id"]
    assert Client(headers=token("scjg-officer")).get(f"/api/joint/reports/{rid}").status_code == 404
    assert (
        Client(headers=token("other-reviewer")).get(f"/api/joint/reports/{rid}").status_code == 404
    )
    assert Client().get(f"/api/joint/reports/{rid}").status_code == 401
