"""行政复议 and 行政诉讼 over the API: file, conclude, read; the same checks and scope."""

from __future__ import annotations

import pytest
from django.test import Client

from api.tests.test_api_flow import ApiUser
from cases.models import Review
from cases.tests.flow import advance, register
from conftest import move
from ledger.models import Entry

pytestmark = pytest.mark.django_db

FILE = {
    "party": 0,
    "kind": "reconsideration",
    "filed_on": "2025-03-13",
    "organ": "聊城市人民政府",
    "organ_case_no": "聊政复〔2025〕7号",
}


@pytest.fixture
def decided(org):
    return advance(org, register(org), until="execution")


def test_the_legal_reviewer_files_and_concludes_a_reconsideration_over_the_api(org, decided):
    move(days=10)
    legal = ApiUser(Client(), "legal")
    r = legal.post(f"/api/cases/{decided.pk}/reviews", FILE)
    assert r.status_code == 201, r.content
    review = r.json()[0]["reviews"][0]
    assert review["kind"] == "reconsideration" and review["concluded"] is False
    assert review["filing_due"] == "2025-05-06" and review["late"] is False
    move(days=30)
    legal = ApiUser(Client(), "legal")  # a token lasts hours, not a month
    r = legal.post(
        f"/api/cases/{decided.pk}/reviews/conclude",
        {"party": 0, "kind": "reconsideration", "ending": "unlawful", "decided_on": "2025-04-12"},
    )
    assert r.status_code == 200, r.content
    review = r.json()[0]["reviews"][0]
    assert (review["result"], review["ending_label"], review["basis"]) == (
        "corrected",
        "确认违法",
        "《行政复议法》第六十五条",
    )
    read = ApiUser(Client(), "supervisor").get(f"/api/cases/{decided.pk}/reviews")
    assert read.status_code == 200 and read.json() == r.json()
    actions = [e["action"] for e in legal.get(f"/api/cases/{decided.pk}/record").json()["entries"]]
    assert actions[-2:] == ["review_file", "review_conclude"]


def test_a_bad_request_gets_422_with_chinese_reasons_and_changes_nothing(org, decided):
    legal = ApiUser(Client(), "legal")
    before = Entry.objects.count()
    r = legal.post(f"/api/cases/{decided.pk}/reviews", {**FILE, "filed_on": "2025-03-20"})
    assert r.status_code == 422 and r.json()["errors"] == ["申请（起诉）日期不能晚于今天"]
    r = legal.post(f"/api/cases/{decided.pk}/reviews", {**FILE, "kind": "appeal"})
    assert r.status_code == 422
    r = legal.post(
        f"/api/cases/{decided.pk}/reviews/conclude",
        {"party": 0, "kind": "litigation", "ending": "dismissed", "decided_on": "2025-03-03"},
    )
    assert r.status_code == 422 and r.json()["errors"] == ["该决定尚未登记行政诉讼"]
    assert Entry.objects.count() == before and not Review.objects.exists()


@pytest.mark.parametrize("who", ["scjg-officer", "county-officer", "sysadmin"])
def test_a_caller_outside_the_case_scope_gets_404(org, decided, who):
    outsider = ApiUser(Client(), who)
    assert outsider.get(f"/api/cases/{decided.pk}/reviews").status_code == 404
    r = outsider.post(f"/api/cases/{decided.pk}/reviews", {**FILE, "filed_on": "2025-03-03"})
    assert r.status_code == 404
    assert not Review.objects.exists()


def test_the_supervisor_reads_the_reviews_but_cannot_record_one(org, decided):
    sup = ApiUser(Client(), "supervisor")
    assert sup.get(f"/api/cases/{decided.pk}/reviews").json()[0]["reviews"] == []
    r = sup.post(f"/api/cases/{decided.pk}/reviews", {**FILE, "filed_on": "2025-03-03"})
    assert r.status_code == 422 and r.json()["errors"] == ["只能登记本单位案件的复议诉讼情况"]
    assert not Review.objects.exists()
