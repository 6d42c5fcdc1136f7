"""The demo data: loads twice without change, and its accounts handle a whole case."""

from __future__ import annotations

import base64
import json
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.tests.flow import JPEG, ORDER, ORG_CODE
from demo.demo import DEMO_PASSWORD
from orgs.models import Unit, User
from procedure.roles import Role

pytestmark = pytest.mark.django_db

PREFIX = "371500-cgj-"


@pytest.fixture
def demo(frozen):
    out = StringIO()
    call_command("demo", "--history-size", "40", stdout=out)
    return out.getvalue()


def test_the_demo_loads_twice_to_the_same_state_and_prints_the_logins(demo):
    counts = (Unit.objects.count(), User.objects.count())
    call_command("demo", stdout=StringIO())
    assert (Unit.objects.count(), User.objects.count()) == counts
    assert DEMO_PASSWORD in demo and f"{PREFIX}handler1" in demo


def test_the_demo_prints_the_authenticator_secret_and_its_code_logs_the_supervisor_in(demo):
    secret = re.search(r"验证器密钥（本机随机生成）：([A-Z2-7]+)", demo).group(1)
    assert "otpauth://totp/" in demo and f"secret={secret}" in demo
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    code = f"{TOTP(key).token():06d}"
    assert code == otp_code()
    for who in ("371500-sfj-supervisor", "371500-cgj-director", "371500-sfj-auditadmin"):
        TOTPDevice.objects.filter(user__username=who).update(last_t=-1)  # the same code again
        client = Client()
        r = client.post("/login/", {"username": who, "password": DEMO_PASSWORD, "otp_token": code})
        assert r.status_code == 302, who
        assert client.get("/").status_code in (200, 302)
        assert not client.get("/").get("Location", "").startswith("/two-factor/"), who


def test_every_role_is_filled_in_several_agencies(demo):
    for role in (Role.HANDLER, Role.SECTION_CHIEF, Role.LEGAL_REVIEWER, Role.DEPUTY_DIRECTOR):
        units = User.objects.filter(roles__role=role).values("unit").distinct().count()
        assert units > 10, role
    assert User.objects.filter(roles__role=Role.SUPERVISOR).count() == 9


def test_the_register_administrators_log_in_and_the_contract_assistant_never_enforces(demo):
    assert "371500-cgj-certadmin" in demo and "371500-sfj-certadmin" in demo
    # The agency's administrator keeps its own unit; the justice bureau's the whole city.
    for who, county_seen in (("371500-cgj-certadmin", False), ("371500-sfj-certadmin", True)):
        client = Client()
        r = client.post("/login/", {"username": who, "password": DEMO_PASSWORD})
        assert r.status_code == 302, who
        page = client.get("/certificates/").content.decode()
        assert "执法证管理" in page and "聊城市城市管理局" in page, who
        county = client.get("/certificates/?q=371581-jtj").content.decode()
        assert (Unit.objects.get(code="371581-JTJ").name in county) == county_seen, who
    assistant = User.objects.get(username=f"{PREFIX}assistant")
    assert assistant.employment == "contract" and not assistant.certificates.exists()


def test_the_supervisor_sees_certificates_of_the_demo_running_out(demo):
    from orgs.selectors import expiring_certificates
    from zhifa import clock

    supervisor = User.objects.get(username="371500-sfj-supervisor")
    soon = expiring_certificates(supervisor, clock.today(), 60)
    assert [(c.valid_until - clock.today()).days for c in soon] == [20, 45]


def test_the_city_has_the_eight_counties_of_the_seed(demo):
    counties = Unit.objects.filter(kind="government", parent__isnull=False)
    assert counties.count() == 8


def otp_code() -> str:
    """The current code, as `manage.py demo --otp-code` prints it for a person trying the demo."""
    out = StringIO()
    call_command("demo", "--otp-code", stdout=out)
    return out.getvalue().strip()


def _token(client: Client, username: str) -> dict[str, str]:
    body = {"username": username, "password": DEMO_PASSWORD}
    if username.endswith(("director", "supervisor")):
        body["otp_token"] = otp_code()
    r = client.post("/api/auth/token", body, content_type="application/json")
    assert r.status_code == 200
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def test_five_demo_accounts_take_a_case_through_the_eighteen_steps(demo):
    client = Client()
    auth = {
        r: _token(client, PREFIX + r)
        for r in ("handler1", "handler2", "chief", "legal", "director")
    }

    def post(who: str, url: str, body: dict) -> dict:
        r = client.post(url, json.dumps(body), content_type="application/json", **auth[who])
        assert r.status_code in (200, 201), (url, r.content.decode())
        return r.json()

    case = post(
        "handler1",
        "/api/cases",
        {
            "source": "patrol",
            "clue": "擅自挖掘城市道路",
            "discovered_on": "2025-03-03",
            "act_on": "2025-03-01",
            "parties": [
                {
                    "kind": "organisation",
                    "name": "某建设公司",
                    "id_number": ORG_CODE,
                    "address": "聊城市",
                }
            ],
        },
    )
    cid = case["id"]
    fine = [{"type": "fine", "amount": "10000.00"}]
    steps: dict[str, tuple[str, dict[str, Any]]] = {
        "lead_approve": ("chief", {"decision": "file", "opinion": "同意立案"}),
        "filing_request": (
            "handler1",
            {"matter_code": "CG-0008", "co_handler": PREFIX + "handler2"},
        ),
        "filing_review": ("chief", {"decision": "approve", "opinion": "同意"}),
        "filing_approve": ("director", {"decision": "approve", "opinion": "批准"}),
        "investigation": (
            "handler2",
            {"records": [{"kind": "inspection", "title": "现场检查笔录", "officers": []}]},
        ),
        "investigation_report": (
            "handler1",
            {
                "facts": "擅自挖掘城市道路",
                "proposals": [{"party": 0, "outcome": "penalty", "penalties": fine}],
            },
        ),
        "investigation_review": ("chief", {"decision": "approve", "opinion": "同意"}),
        "legal_review": ("legal", {"decision": "approve", "opinion": "同意"}),
        "penalty_approve": ("director", {"decision": "approve", "opinion": "同意"}),
        "notice_issue": ("handler1", {}),
        "notice_response": ("handler1", {"responses": [{"party": 0, "kind": "waiver"}]}),
        "notice_review": ("chief", {"decision": "reject", "opinion": "无新理由"}),
        "decision_approve": ("director", {"decision": "approve", "opinion": "同意"}),
        "decision_issue": (
            "handler1",
            {
                "decisions": [
                    {
                        "party": 0,
                        "outcome": "penalty",
                        "penalties": fine,
                        "facts": "事实",
                        "basis": "城市道路管理条例",
                        "performance": "十五日内缴纳",
                    }
                ]
            },
        ),
        "delivery": (
            "handler1",
            {"deliveries": [{"party": 0, "method": "direct", "delivered_on": "2025-03-03"}]},
        ),
        "execution": (
            "handler1",
            {
                "executions": [
                    {"party": 0, "kind": "paid", "paid_on": "2025-03-03", "amount": "10000.00"}
                ]
            },
        ),
        "closing_approve": ("chief", {"decision": "approve", "opinion": "同意结案"}),
    }
    officers = [User.objects.get(username=PREFIX + h).pk for h in ("handler1", "handler2")]
    steps["investigation"][1]["records"][0]["officers"] = officers
    for step in ORDER:
        if step == "investigation":
            r = client.post(
                f"/api/cases/{cid}/evidence",
                {"kind": "photo", "title": "照片", "file": _file()},
                **auth["handler2"],
            )
            assert r.status_code == 201
        who, body = steps[step]
        body = {"decision": "submit", **body}
        result = post(who, f"/api/cases/{cid}/{step}", body)
    assert result["status"] == "closed"
    sup = _token(client, "371500-sfj-supervisor")
    whole = client.get(f"/api/cases/{cid}", **sup)
    assert whole.status_code == 200
    assert whole.json()["case_no"].startswith("聊城管罚立〔2025〕")
    other = _token(client, "371500-scjg-handler1")
    assert client.get(f"/api/cases/{cid}", **other).status_code == 404


def _file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("p.jpg", JPEG, content_type="image/jpeg")


def test_the_demo_record_verifies_whole_under_a_signed_checkpoint_the_public_page_lists(demo):
    from ledger.models import Checkpoint
    from ledger.services import ledger_verify

    cp = Checkpoint.objects.latest("id")
    assert f"全过程记录检查点 {cp.pk} 已签名" in demo
    assert ledger_verify() == []
    assert (cp.signature or "-") in Client().get("/gs/ledger/").content.decode()
