"""Bad input gets a clear answer in Chinese, by field, and changes nothing: never a 500, never
pydantic's English `{"detail": …}` (issue: 等保, "Bad input and honest answers")."""

from __future__ import annotations

import pytest
from django.test import Client

from api.errors import field_name
from api.tests.test_api_flow import LEAD, ApiUser
from cases.models import Case
from cases.payloads import error_message
from ledger.models import Entry

pytestmark = pytest.mark.django_db


def test_a_nul_character_in_a_json_field_is_refused_by_field_before_anything_is_written(org):
    handler = ApiUser(Client(), "handler")
    before = (Case.objects.count(), Entry.objects.count())
    r = handler.post("/api/cases", {**LEAD, "parties": [{**LEAD["parties"][0], "name": "某\x00"}]})
    assert r.status_code == 422
    assert r.json()["fields"] == {
        "parties[0].name": ["“parties[0].name”含有不允许的空字符（NUL），请删除后重新提交"]
    }
    assert (Case.objects.count(), Entry.objects.count()) == before


def test_a_nul_character_in_a_query_string_is_refused_and_a_page_form_gets_a_chinese_page(org):
    handler = ApiUser(Client(), "handler")
    r = handler.get("/api/cases?q=%E6%81%92%00")
    assert r.status_code == 422 and list(r.json()["fields"]) == ["q"]
    client = Client()
    client.force_login(org.handler)
    page = client.post("/cases/new/", {"clue": "a\x00b"})
    assert page.status_code == 422
    assert "空字符" in page.content.decode()


def test_a_page_number_past_any_integer_is_a_422_naming_the_page_not_a_500(org):
    handler = ApiUser(Client(), "handler")
    r = handler.get("/api/cases?page=99999999999999999999999")
    assert r.status_code == 422
    assert r.json()["fields"] == {"page": ["不能大于10000"]}
    assert handler.get("/api/cases?page=10000").status_code == 200


def test_a_number_or_a_far_day_is_not_taken_for_a_date(org):
    handler = ApiUser(Client(), "handler")
    before = Case.objects.count()
    r = handler.post("/api/cases", {**LEAD, "act_on": 0})
    assert r.status_code == 422
    assert r.json()["fields"] == {"act_on": ["日期格式无效，应为年-月-日"]}
    r = handler.post("/api/cases", {**LEAD, "act_on": "9999-12-31"})
    assert r.json()["fields"] == {"act_on": ["日期应在1949-10-01至2099-12-31之间"]}
    r = handler.post("/api/cases", {**LEAD, "act_on": "2025-02-30"})
    assert r.json()["fields"] == {
        "act_on": ["日期格式无效，应为年-月-日：“2025-02-30”这一天不存在"]
    }
    assert Case.objects.count() == before


def test_an_invalid_body_answers_every_reason_in_chinese_with_its_field(org):
    handler = ApiUser(Client(), "handler")
    r = handler.post("/api/cases", {**LEAD, "source": "x", "parties": [{"kind": "person"}]})
    assert r.status_code == 422
    body = r.json()
    assert "detail" not in body
    assert body["fields"]["parties[0].name"] == ["此项必填"]
    assert body["fields"]["source"][0].startswith("请从列表中选择：")
    assert "parties[0].name：此项必填" in body["errors"]


def test_a_supervision_year_out_of_range_is_a_422_not_a_500(org):
    supervisor = ApiUser(Client(), "supervisor")
    r = supervisor.get("/api/supervision/dashboard?year=99999")
    assert r.status_code == 422 and list(r.json()["fields"]) == ["year"]
    assert supervisor.get("/api/supervision/dashboard?year=2025").status_code == 200


def test_field_names_read_as_the_api_writes_them():
    assert field_name(("body", "body", "parties", 0, "id_number")) == "parties[0].id_number"
    assert field_name(("query", "page")) == "page"
    assert field_name(("body", "body")) == "请求正文"
    assert error_message({"type": "string_too_long", "ctx": {"max_length": 5}}) == "不能超过5个字"
    assert error_message({"type": "value_error", "msg": "Value error, 原因"}) == "原因"
    assert error_message({"type": "no_such_kind"}) == "输入无效"


def test_not_found_and_not_logged_in_answer_in_chinese_like_every_refusal(org):
    client = Client()
    r = client.get("/api/cases/1")
    assert r.status_code == 401
    assert r.json() == {"errors": ["未登录或接口令牌无效、已过期，请重新取得令牌"]}
    r = ApiUser(client, "handler").get("/api/cases/987654")
    assert r.status_code == 404 and r.json() == {"errors": ["案件不存在"]}


def test_a_party_named_with_zero_width_spaces_is_refused_and_nothing_is_registered(org):
    handler = ApiUser(Client(), "handler")
    before = (Case.objects.count(), Entry.objects.count())
    party = {**LEAD["parties"][0], "name": "\u200b\u200b\u200b"}
    r = handler.post("/api/cases", {**LEAD, "parties": [party]})
    assert r.status_code == 422
    assert any("不可见" in e and "U+200B" in e for e in r.json()["errors"])
    assert (Case.objects.count(), Entry.objects.count()) == before
