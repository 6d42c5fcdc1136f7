"""What the pages offer is in the API too: the 卷宗, the notices, the step drafts and the 待办,
each through its entity's access function (out of scope 404), refusals 422 by field with
nothing changed, reads writing nothing."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from api.tests.test_api_flow import ApiUser
from cases.models import StepDraft
from cases.services.drafts import DRAFT_MAX_BYTES
from cases.tests.flow import act, advance, register
from documents.dossier_services import dossier_assemble
from documents.models import Dossier
from documents.services import document_issue
from ledger.models import Entry
from notices.models import Notice, NoticeSetting
from orgs.models import User
from zhifa import clock

pytestmark = pytest.mark.django_db


def as_(user: User) -> ApiUser:
    return ApiUser(Client(), user.username)


def put(who: ApiUser, url: str, body: dict[str, Any]) -> Any:
    return who.client.put(url, json.dumps(body), content_type="application/json", **who.auth)


# --- 卷宗 --------------------------------------------------------------------------------------


@pytest.fixture
def issued(org):
    case = advance(org, register(org), until="notice_response")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    return case


def test_the_handler_assembles_the_dossier_and_reads_its_contents_and_its_pdf(org, issued):
    handler = as_(org.handler)
    before = handler.get(f"/api/cases/{issued.pk}/dossier").json()
    assert before["latest"] is None and before["may_assemble"] is True
    assert before["check"]["complete"] is False  # the file still lacks documents before 结案
    r = handler.post(f"/api/cases/{issued.pk}/dossier", {})
    assert r.status_code == 201, r.content
    latest = r.json()["latest"]
    stored = Dossier.objects.get(case=issued)
    assert latest["version"] == 1 and latest["sm3"] == stored.sm3
    titles = [p["title"] for p in latest["contents"]]
    assert titles[:2] == ["封面", "卷内目录"] and titles[-1] == "备考表"
    assert [p["page"] for p in latest["contents"]] == sorted(p["page"] for p in latest["contents"])
    pdf = handler.get(f"/api/cases/{issued.pk}/dossier/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert len(PdfReader(io.BytesIO(content)).pages) == stored.page_count


def test_reading_the_dossier_writes_nothing_and_its_pdf_is_404_before_the_first_assembly(
    org, issued
):
    handler = as_(org.handler)
    entries = Entry.objects.count()
    assert handler.get(f"/api/cases/{issued.pk}/dossier").status_code == 200
    r = handler.get(f"/api/cases/{issued.pk}/dossier/pdf")
    assert r.status_code == 404 and r.json()["errors"] == ["卷宗尚未生成"]
    assert Entry.objects.count() == entries and not Dossier.objects.exists()


def test_an_assembly_without_an_issued_document_is_422_and_stores_nothing(org):
    case = advance(org, register(org), until="notice_response")
    entries = Entry.objects.count()
    r = as_(org.handler).post(f"/api/cases/{case.pk}/dossier", {})
    assert r.status_code == 422 and "本案尚无已出具的文书" in r.json()["errors"][0]
    assert Entry.objects.count() == entries and not Dossier.objects.exists()


def test_a_supervisor_reads_the_dossier_but_its_assembly_is_refused(org, issued):
    supervisor = as_(org.supervisor)
    assert supervisor.get(f"/api/cases/{issued.pk}/dossier").json()["may_assemble"] is False
    r = supervisor.post(f"/api/cases/{issued.pk}/dossier", {})
    assert r.status_code == 422 and "只有本案办案单位的执法人员可以组卷" in r.json()["errors"]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("who", ["other_officer", "county_officer"])
def test_the_dossier_of_a_case_out_of_scope_is_404_and_nothing_is_assembled(org, issued, who):
    dossier_assemble(case_id=issued.pk, actor=org.handler)
    outsider = as_(getattr(org, who))
    for url in (f"/api/cases/{issued.pk}/dossier", f"/api/cases/{issued.pk}/dossier/pdf"):
        assert outsider.get(url).status_code == 404
    assert outsider.post(f"/api/cases/{issued.pk}/dossier", {}).status_code == 404
    assert Dossier.objects.count() == 1


def test_the_dossier_without_a_token_is_401(org, issued):
    assert Client().get(f"/api/cases/{issued.pk}/dossier").status_code == 401
    assert Client().post(f"/api/cases/{issued.pk}/dossier").status_code == 401
    assert not Dossier.objects.exists()


# --- notices -----------------------------------------------------------------------------------


def notice(user: User, n: int, kind: str = Notice.Kind.APPROVAL) -> Notice:
    return Notice.objects.create(
        user=user,
        kind=kind,
        subject=f"case:{n}",
        occasion=f"entry:{n}",
        url=f"/cases/{n}/",
        text=f"案件{n}待审批",
        created_at=clock.now(),
    )


def test_the_officer_lists_their_notices_with_the_unread_count_and_marks_them_read(org):
    mine = [notice(org.chief, n) for n in range(3)]
    notice(org.handler, 9)
    chief = as_(org.chief)
    page = chief.get("/api/notices").json()
    assert page["count"] == 3 and page["unread"] == 3
    assert {i["id"] for i in page["items"]} == {n.pk for n in mine}
    assert Notice.objects.filter(read_at__isnull=False).count() == 0  # the list wrote nothing
    r = chief.post(f"/api/notices/{mine[0].pk}/read", {})
    assert r.status_code == 200 and r.json()["read_at"] is not None
    assert chief.get("/api/notices").json()["unread"] == 2
    r = chief.post("/api/notices/read-all", {})
    assert r.json() == {"marked": 2, "unread": 0}
    assert Notice.objects.filter(user=org.handler, read_at__isnull=True).count() == 1


def test_another_officer_s_notice_is_404_and_stays_unread(org):
    theirs = notice(org.chief, 1)
    for who in (org.handler, org.other_officer):
        r = as_(who).post(f"/api/notices/{theirs.pk}/read", {})
        assert r.status_code == 404 and r.json()["errors"] == ["提醒不存在"]
    assert as_(org.handler).post(f"/api/notices/{2**70}/read", {}).status_code in (404, 422)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_notices_without_a_token_are_401(org):
    notice(org.chief, 1)
    assert Client().get("/api/notices").status_code == 401
    assert Client().post("/api/notices/read-all").status_code == 401
    assert not Notice.objects.filter(read_at__isnull=False).exists()


def test_the_sms_settings_are_read_and_set_per_kind(org):
    User.objects.filter(pk=org.chief.pk).update(phone="13800000001")
    chief = as_(org.chief)
    got = chief.get("/api/notices/settings").json()
    assert got["sms_kinds"] == [] and got["phone"] != "13800000001"
    assert {k["code"] for k in got["kinds"]} == set(Notice.Kind.values)
    r = put(chief, "/api/notices/settings", {"sms_kinds": ["approval", "returned"]})
    assert r.status_code == 200 and r.json()["sms_kinds"] == ["returned", "approval"]
    assert NoticeSetting.objects.get(user=org.chief).sms_kinds == ["returned", "approval"]


@pytest.mark.parametrize(
    ("phone", "kinds", "reason"),
    [
        ("13800000001", ["approval", "bogus"], "提醒类型不正确"),
        ("", ["approval"], "您的账户未登记手机号"),
    ],
)
def test_sms_settings_refused_by_field_change_nothing(org, phone, kinds, reason):
    User.objects.filter(pk=org.chief.pk).update(phone=phone)
    NoticeSetting.objects.create(user=org.chief, sms_kinds=[])
    r = put(as_(org.chief), "/api/notices/settings", {"sms_kinds": kinds})
    assert r.status_code == 422 and reason in r.json()["fields"]["sms_kinds"][0]
    assert NoticeSetting.objects.get(user=org.chief).sms_kinds == []


# --- step drafts -------------------------------------------------------------------------------

HALF = {"summary": "当事人在柳园路设置广告牌，尚待核实", "act_on": "2025-02-20"}


@pytest.fixture
def waiting(org):
    return advance(org, register(org), until="filing_request")


def test_the_officer_the_step_waits_for_saves_and_reads_a_draft(org, waiting):
    handler = as_(org.handler)
    url = f"/api/cases/{waiting.pk}/drafts/filing_request"
    assert handler.get(url).json()["data"] is None
    entries = Entry.objects.count()
    r = handler.post(url, {"data": HALF})
    assert r.status_code == 200 and r.json()["data"] == HALF
    assert Entry.objects.count() == entries  # a draft decides nothing: no record
    assert handler.get(url).json()["data"] == HALF
    assert as_(org.co_handler).get(url).json()["data"] is None  # each reads only their own
    act(org, waiting, "filing_request")
    assert handler.get(url).json()["data"] is None


def test_a_draft_is_refused_to_an_officer_the_step_does_not_wait_for(org, waiting):
    r = as_(org.chief).post(f"/api/cases/{waiting.pk}/drafts/filing_request", {"data": HALF})
    assert r.status_code == 422 and r.json()["fields"]["step"] == ["当前环节不由您办理，草稿未保存"]
    r = as_(org.handler).post(f"/api/cases/{waiting.pk}/drafts/filing_review", {"data": HALF})
    assert r.status_code == 422 and "step" in r.json()["fields"]
    assert not StepDraft.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"data": {"summary": "字" * (DRAFT_MAX_BYTES // 3 + 1)}}, "data"),
        ({"data": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": "深"}}}}}}}}}, "data"),
        ({"data": "不是表单"}, "data"),
        ({}, "data"),
    ],
)
def test_a_bad_draft_is_422_by_field_and_keeps_the_one_before(org, waiting, body, field):
    handler = as_(org.handler)
    url = f"/api/cases/{waiting.pk}/drafts/filing_request"
    handler.post(url, {"data": HALF})
    r = handler.post(url, body)
    assert r.status_code == 422 and field in r.json()["fields"], r.content
    assert StepDraft.objects.get().data == HALF


@pytest.mark.parametrize("who", ["other_officer", "county_officer"])
def test_a_draft_on_a_case_out_of_scope_is_404(org, waiting, who):
    outsider = as_(getattr(org, who))
    url = f"/api/cases/{waiting.pk}/drafts/filing_request"
    assert outsider.post(url, {"data": HALF}).status_code == 404
    assert outsider.get(url).status_code == 404
    assert Client().post(url, json.dumps({"data": HALF}), "application/json").status_code == 401
    assert not StepDraft.objects.exists()


# --- 待办 --------------------------------------------------------------------------------------


def test_the_todo_lists_the_case_waiting_for_the_officer_by_kind_and_page(org, waiting):
    handler = as_(org.handler)
    page = handler.get("/api/todo?role=handler").json()
    assert page["role"] == "handler" and page["page"] == 1 and page["has_next"] is False
    assert [i["case_id"] for i in page["items"]] == [waiting.pk]
    assert page["kinds"] == [{"kind": "case", "label": "案件办理", "count": "1"}]
    assert handler.get("/api/todo?role=handler&kind=nothing").json()["items"] == []
    assert handler.get("/api/todo?role=handler&page=2").json()["items"] == []
    # the chief's 待办 holds no step of the handler's
    assert as_(org.chief).get("/api/todo").json()["items"] == []


def test_the_todo_of_another_unit_s_officer_holds_none_of_its_cases(org, waiting):
    for who in (org.other_officer, org.county_officer):
        assert as_(who).get("/api/todo").json()["items"] == []
    assert Client().get("/api/todo").status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [("role=supervisor", "role"), ("page=0", "page"), ("kind=" + "x" * 21, "kind")],
)
def test_a_bad_todo_query_is_422_by_field(org, waiting, query, field):
    r = as_(org.handler).get(f"/api/todo?{query}")
    assert r.status_code == 422 and field in r.json()["fields"], r.content


# --- the document ------------------------------------------------------------------------------

NEW_OPERATIONS = {
    ("get", "/api/cases/{case_id}/dossier"): {"200", "401", "404"},
    ("post", "/api/cases/{case_id}/dossier"): {"201", "401", "404", "422"},
    ("get", "/api/cases/{case_id}/dossier/pdf"): {"200", "401", "403", "404"},
    ("post", "/api/cases/{case_id}/dossier/pdf"): {"200", "401", "404", "422"},
    ("get", "/api/cases/{case_id}/documents"): {"200", "401", "404"},
    ("post", "/api/cases/{case_id}/documents/{kind}/issue"): {"200", "401", "404", "422"},
    ("post", "/api/cases/{case_id}/documents/{kind}/file"): {"200", "401", "404", "422"},
    ("get", "/api/admin/units"): {"200", "401", "404"},
    ("post", "/api/admin/units"): {"201", "401", "404", "422"},
    ("get", "/api/admin/accounts"): {"200", "401", "404", "422"},
    ("post", "/api/admin/accounts"): {"201", "401", "404", "422"},
    ("get", "/api/admin/accounts/{user_id}"): {"200", "401", "404"},
    ("post", "/api/admin/accounts/{user_id}/deactivate"): {"200", "401", "404", "422"},
    ("post", "/api/admin/accounts/{user_id}/activate"): {"200", "401", "404", "422"},
    ("post", "/api/admin/accounts/{user_id}/password"): {"200", "401", "404", "422"},
    ("post", "/api/admin/accounts/{user_id}/grant"): {"200", "401", "404", "422"},
    ("post", "/api/admin/accounts/{user_id}/revoke"): {"200", "401", "404", "422"},
    ("post", "/api/admin/accounts/{user_id}/unlock"): {"200", "401", "404", "422"},
    ("post", "/api/admin/accounts/{user_id}/second-factor"): {"200", "401", "404", "422"},
    ("get", "/api/admin/matters"): {"200", "401", "404", "422"},
    ("post", "/api/admin/matters/{matter_id}/units"): {"200", "401", "404", "422"},
    ("post", "/api/admin/matters/{matter_id}/power"): {"200", "401", "404", "422"},
    ("get", "/api/admin/lockouts"): {"200", "401", "404"},
    ("get", "/api/admin/audit"): {"200", "401", "404", "422"},
    ("get", "/api/admin/logins"): {"200", "401", "404", "422"},
    ("post", "/api/admin/audit/export"): {"200", "401", "404", "422"},
    ("get", "/api/calendar/{year}"): {"200", "401", "404", "422"},
    ("post", "/api/calendar/{year}"): {"200", "401", "404", "422"},
    ("get", "/api/disclosure/profile"): {"200", "401", "404"},
    ("post", "/api/disclosure/profile"): {"200", "401", "404", "422"},
    ("post", "/api/supervision/reports"): {"201", "401", "404", "422"},
    ("post", "/api/joint/reviews/batch"): {"200", "401", "422"},
    ("post", "/api/nonsite/queue/batch"): {"200", "401", "422"},
    ("get", "/api/notices"): {"200", "401", "422"},
    ("post", "/api/notices/{notice_id}/read"): {"200", "401", "404"},
    ("post", "/api/notices/read-all"): {"200", "401"},
    ("get", "/api/notices/settings"): {"200", "401"},
    ("put", "/api/notices/settings"): {"200", "401", "422"},
    ("get", "/api/cases/{case_id}/drafts/{step}"): {"200", "401", "404", "422"},
    ("post", "/api/cases/{case_id}/drafts/{step}"): {"200", "401", "404", "422"},
    ("get", "/api/todo"): {"200", "401", "422"},
}


def test_every_operation_the_pages_offer_is_documented_with_its_answers(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for (method, path), answers in NEW_OPERATIONS.items():
        op = paths[path][method]
        assert answers <= set(op["responses"]), (method, path)
        assert op["summary"] and not op["summary"].isascii(), (method, path)
    pdf = paths["/api/cases/{case_id}/dossier/pdf"]["get"]["responses"]["200"]
    assert "application/pdf" in pdf["content"]
