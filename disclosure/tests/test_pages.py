"""The public pages of 事前公示 and 事后公示 and the officers' 公示 pages and API: what is shown,
to whom, and that a read writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.test import Client

from cases.models import Decision
from demo.testing import certified_person
from disclosure.models import Publication
from disclosure.services import (
    agency_profile_set,
    publication_approve,
    publication_draft,
    publication_publish,
    publication_withdraw,
)
from disclosure.tests.conftest import PERSON
from orgs.models import Certificate
from orgs.services import user_upsert
from procedure.roles import Role
from zhifa import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def pub(org, decision) -> Publication:
    publication_draft(decision_id=decision.pk, actor=org.handler)
    publication_approve(decision_id=decision.pk, actor=org.legal)
    return publication_publish(decision_id=decision.pk, actor=org.legal)


def rows() -> dict[str, int]:
    """Every table's row count (a read must leave them all as they were)."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_published_decision_shows_the_masked_party_and_never_the_id_number(pub):
    client = Client()
    listing = client.get("/gs/decisions/")
    page = client.get(f"/gs/decisions/{pub.pk}/")
    feed = client.get("/gs/feed.json")
    for r in (listing, page, feed):
        assert r.status_code == 200
        body = r.content.decode()
        for secret in (PERSON["id_number"], PERSON["name"], PERSON["address"], PERSON["phone"]):
            assert secret not in body
        assert "张**" in body and pub.number in body
        assert r["Cache-Control"] == "public, max-age=300"
    item = json.loads(feed.content)["items"][0]
    assert item["party"] == "张**" and item["status"] == "published" and item["text"]


def test_a_withdrawn_decision_shows_when_and_why_and_no_longer_its_text(org, decision, pub):
    publication_withdraw(decision_id=decision.pk, actor=org.legal, reason="复议机关决定撤销")
    body = Client().get(f"/gs/decisions/{pub.pk}/").content.decode()
    assert "已撤回" in body and "2025-03-03" in body and "复议机关决定撤销" in body
    assert "违法事实" not in body and pub.text.splitlines()[2] not in body
    item = json.loads(Client().get("/gs/feed.json").content)["items"][0]
    assert item["status"] == "withdrawn" and item["text"] is None
    assert item["withdrawal_reason"] == "复议机关决定撤销"


def test_the_list_searches_by_party_number_agency_and_date(org, pub):
    client = Client()

    def count(**q: str) -> int:
        return json.loads(client.get("/gs/feed.json", q).content)["count"]

    assert count() == 1
    assert count(party="张") == 1 and count(party="李") == 0
    assert count(number=pub.number[-4:]) == 1 and count(number="不存在") == 0
    assert count(unit=org.cgj.code) == 1
    assert count(since="2025-03-03", until="2025-03-03") == 1
    assert count(since="2025-03-04") == 0
    body = json.loads(client.get("/gs/feed.json", {"since": "9999-12-31"}).content)
    assert body["errors"]["since"] and body["count"] == 1


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2025-02-30"},
        {"page": "99999999999999999999"},
        {"page": "-1"},
        {"party": "x" * 500},
        {"unit": "nope"},
    ],
)
def test_bad_search_input_is_answered_not_a_server_error(pub, query):
    for path in ("/gs/decisions/", "/gs/feed.json"):
        assert Client().get(path, query).status_code == 200


def test_an_unknown_or_huge_decision_number_is_404(pub):
    assert Client().get("/gs/decisions/999999/").status_code == 404
    assert Client().get("/gs/decisions/99999999999999999999999/").status_code == 404


def test_a_decision_past_its_retention_leaves_the_site(pub):
    clock.set_now(dt.datetime(2028, 3, 4, 9, 0, tzinfo=clock.now().tzinfo))
    assert Client().get(f"/gs/decisions/{pub.pk}/").status_code == 404
    assert json.loads(Client().get("/gs/feed.json").content)["count"] == 0


def test_a_draft_or_approved_text_is_not_on_the_site(org, decision):
    publication_draft(decision_id=decision.pk, actor=org.handler)
    p = Publication.objects.get()
    assert Client().get(f"/gs/decisions/{p.pk}/").status_code == 404
    publication_approve(decision_id=decision.pk, actor=org.legal)
    assert Client().get(f"/gs/decisions/{p.pk}/").status_code == 404


def test_the_agency_page_lists_officers_with_valid_certificates_by_name_and_number_only(org):
    agency_profile_set(unit=org.cgj, basis="《聊城市城市管理局职能配置、内设机构和人员编制规定》")
    expired = certified_person(
        "expired-officer", org.cgj, Role.HANDLER, password_hash=make_password("x")
    )
    Certificate.objects.filter(user=expired).update(valid_until=dt.date(2025, 1, 1))
    org.legal.phone = "13800000000"
    org.legal.save()
    body = Client().get(f"/gs/agencies/{org.cgj.code}/").content.decode()
    assert "职能配置" in body and "C-legal" in body and "legal" in body
    assert "C-expired-officer" not in body and "13800000000" not in body
    assert "擅自设置户外广告设施" in body and "3000元至7000元" in body
    assert "《行政复议法》第二十条第一款" in body and "《行政诉讼法》第四十六条第一款" in body
    assert "聊城市人民政府" in body
    found = Client().get(f"/gs/agencies/{org.cgj.code}/", {"q": "chief"}).content.decode()
    assert "C-chief" in found and "C-legal" not in found


def test_the_agencies_are_searched_by_name(org):
    body = Client().get("/gs/agencies/", {"q": "城市管理"}).content.decode()
    assert org.cgj.name in body and org.scjg.name not in body
    assert Client().get("/gs/agencies/nope/").status_code == 404


def test_a_get_of_any_public_or_officer_page_writes_nothing(org, decision, pub):
    legal = login(org.legal)
    before = rows()
    paths = [
        "/gs/",
        "/gs/agencies/",
        f"/gs/agencies/{org.cgj.code}/",
        "/gs/decisions/",
        f"/gs/decisions/{pub.pk}/",
        "/gs/feed.json",
    ]
    for path in paths:
        assert Client().get(path).status_code == 200, path
    for path in (
        "/disclosure/",
        f"/disclosure/{decision.pk}/",
        "/api/disclosure/queue",
        f"/api/disclosure/decisions/{decision.pk}",
    ):
        assert legal.get(path).status_code == 200, path
    assert rows() == before


@pytest.mark.parametrize("path", ["/disclosure/{pk}/", "/api/disclosure/decisions/{pk}"])
def test_a_colleague_of_another_unit_and_an_outsider_get_404(org, decision, other_legal, path):
    url = path.format(pk=decision.pk)
    assert login(org.legal).get(url).status_code == 200
    assert login(org.supervisor).get(url).status_code == 200  # the city's supervisor reads
    assert login(other_legal).get(url).status_code == 404
    outsider = user_upsert(
        username="citizen", full_name="某市民", unit=None, roles=[], password_hash="!"
    )
    assert login(outsider).get(url).status_code == 404
    assert Client().get(url).status_code in (302, 401)


def test_another_units_reviewer_cannot_act_through_the_api(org, decision, other_legal):
    publication_draft(decision_id=decision.pk, actor=org.handler)
    r = login(other_legal).post(
        f"/api/disclosure/decisions/{decision.pk}/approve", {}, content_type="application/json"
    )
    assert r.status_code == 404
    assert Publication.objects.get().status == "draft"


def test_the_officer_drafts_approves_publishes_and_withdraws_through_the_api(org, decision):
    base = f"/api/disclosure/decisions/{decision.pk}"
    handler, legal = login(org.handler), login(org.legal)
    r = handler.post(f"{base}/draft", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "draft" and r.json()["party"] == "张**"
    bad = r.json()["text"] + PERSON["id_number"]
    r = legal.post(f"{base}/approve", {"text": bad}, content_type="application/json")
    assert r.status_code == 422 and "身份证件号码" in r.json()["fields"]["text"][0]
    assert Publication.objects.get().status == "draft"
    r = handler.post(f"{base}/approve", {}, content_type="application/json")
    assert r.status_code == 422 and "法制审核员" in r.json()["errors"][0]
    assert legal.post(f"{base}/approve", {}, content_type="application/json").status_code == 200
    r = legal.post(f"{base}/publish", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "published"
    assert r.json()["public_url"] == f"/gs/decisions/{Publication.objects.get().pk}/"
    r = legal.post(f"{base}/withdraw", {"reason": ""}, content_type="application/json")
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    r = legal.post(f"{base}/withdraw", {"reason": "决定已变更"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"


def test_the_page_shows_a_refusal_by_field_and_changes_nothing(org, decision):
    publication_draft(decision_id=decision.pk, actor=org.handler)
    client = login(org.legal)
    text = Publication.objects.get().text + "\n电话13912345678"
    r = client.post(f"/disclosure/{decision.pk}/approve/", {"approve-text": text})
    assert r.status_code == 422 and "公示内容不得包含电话号码" in r.content.decode()
    assert Publication.objects.get().status == "draft"
    r = client.post(f"/disclosure/{decision.pk}/approve/", {"approve-text": ""})
    assert r.status_code == 302 and Publication.objects.get().status == "approved"
    r = client.post(f"/disclosure/{decision.pk}/publish/", {})
    assert r.status_code == 302 and Publication.objects.get().status == "published"


def test_an_officer_form_without_its_csrf_token_is_refused(org, decision):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.handler)
    r = client.post(f"/disclosure/{decision.pk}/draft/", {"draft-text": ""})
    assert r.status_code == 403
    assert not Publication.objects.exists()


def test_the_queue_lists_the_units_decisions_to_publish(org, decision, other_legal):
    body = login(org.legal).get("/disclosure/").content.decode()
    assert decision.number in body and "待拟写" in body and "2025-03-12" in body
    assert decision.number not in login(other_legal).get("/disclosure/").content.decode()
    assert Decision.objects.count() == 1


def test_a_closed_cases_unpublished_decision_stays_in_the_queue_and_is_flagged_late(org):
    from cases.tests.flow import act, advance, register

    case = act(org, advance(org, register(org), until="closing_approve"), "closing_approve")
    assert case.status == "closed"
    decision = Decision.objects.get(case=case)
    client = login(org.legal)
    clock.set_now(dt.datetime(2025, 3, 12, 17, 0, tzinfo=clock.now().tzinfo))
    body = client.get("/disclosure/").content.decode()
    assert decision.number in body and "2025-03-12" in body and "已超期" not in body
    clock.set_now(dt.datetime(2025, 3, 13, 9, 0, tzinfo=clock.now().tzinfo))
    body = client.get("/disclosure/").content.decode()
    assert decision.number in body and "已超期" in body
