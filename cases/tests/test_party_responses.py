"""A party answers its 行政处罚事先告知书 online (行政处罚法第四十四、四十五、六十四条): the code on
the notice and the last six characters of its 证件号码 open the page; the submission goes on the
case's record in the party's name, tells the 承办人 and 协办人, waits in their 待办 and fills step
12's form; every refusal writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from cases.models import Case
from cases.services.responses import ResponseIn, party_response_submit, response_code
from cases.tests.flow import ORG_CODE, act, advance, register
from conftest import SHANGHAI, move
from law.complaints import CODE_ALPHABET
from ledger.models import Entry
from ledger.services import ledger_verify
from notices.models import Notice
from procedure.engine import Refused
from procedure.roles import Role
from web.selectors import todo_page
from web.tests.test_workspace import login, page
from zhifa import clock

pytestmark = pytest.mark.django_db

WINDOW_END = dt.date(2025, 3, 10)  # notice served Mon 2025-03-03: five working days
URL = "/gs/shenbian/"


def on(day: dt.date) -> None:
    clock.set_now(dt.datetime.combine(day, dt.time(9, 0), tzinfo=SHANGHAI))


@pytest.fixture
def notified(org: Any) -> Case:
    return advance(org, register(org), until="notice_response")


def given(case: Case, **changes: Any) -> ResponseIn:
    fields: dict[str, Any] = {
        "code": response_code(case.pk, 0),
        "id_tail": ORG_CODE[-6:],
        "submitter": "张某",
        "relation": "self",
        "statement": "广告牌已于次日拆除，请求从轻处罚",
        "wants_hearing": False,
        **changes,
    }
    return ResponseIn(**fields)


def written() -> tuple[int, int]:
    return Entry.objects.count(), Notice.objects.count()


def refused_by(case: Case, field: str, **changes: Any) -> str:
    before = written()
    with pytest.raises(Refused) as caught:
        party_response_submit(given(case, **changes))
    assert written() == before
    assert list(caught.value.fields) == [field]
    return caught.value.fields[field][0]


def test_the_party_submits_on_the_last_day_of_the_window_and_the_record_holds_it(org, notified):
    on(WINDOW_END)
    entry = party_response_submit(given(notified))
    assert entry.stream == notified.stream
    assert entry.action == "party_response" and entry.role == "party"
    assert entry.actor_id is None and entry.actor_name == "张某"
    assert entry.payload["statement"] == "广告牌已于次日拆除，请求从轻处罚"
    assert entry.payload["party_name"] == "聊城市某某商贸有限公司"
    assert ledger_verify(stream=notified.stream) == []


def test_the_day_after_the_window_the_submission_is_refused_and_nothing_written(org, notified):
    on(WINDOW_END + dt.timedelta(days=1))
    message = refused_by(notified, "code")
    assert "2025-03-10届满" in message and "第六十四条第一项" in message


def test_a_wrong_id_tail_a_forged_code_or_another_partys_code_are_one_and_the_same_refusal(
    org, notified
):
    wrong = "查询码或证件号码后六位不正确，请核对告知书"
    assert refused_by(notified, "code", id_tail="000000") == wrong
    real = response_code(notified.pk, 0)
    # The last character changed to another of the code's alphabet (never to itself).
    forged = real[:-1] + next(c for c in CODE_ALPHABET if c != real[-1])
    assert refused_by(notified, "code", code=forged) == wrong
    assert refused_by(notified, "code", code=response_code(notified.pk, 1)) == wrong
    other = register(org)
    assert refused_by(notified, "code", code=response_code(other.pk + 1000, 0)) == wrong
    assert refused_by(notified, "code", code="nonsense\x00") == wrong


CLOSED = "该查询码在一小时内输错次数过多，请稍后再试，或向承办机关提交书面意见"


def _wrong_tails(case: Case, n: int) -> None:
    for _ in range(n):
        refused_by(case, "code", id_tail="000000")


def test_the_right_tail_after_nine_wrong_ones_in_the_hour_is_accepted(org, notified, settings):
    assert settings.RESPONSE_TRIES_PER_HOUR == 10
    on(WINDOW_END)
    _wrong_tails(notified, 9)
    assert party_response_submit(given(notified)).action == "party_response"


def test_after_ten_wrong_tails_in_the_hour_the_code_is_closed_even_to_the_right_one(org, notified):
    on(WINDOW_END)
    _wrong_tails(notified, 10)
    assert refused_by(notified, "code") == CLOSED
    # Another party's code of the same case is not closed by them.
    assert refused_by(notified, "code", code=response_code(notified.pk, 1)) != CLOSED


def test_a_closed_code_opens_once_its_oldest_wrong_try_is_an_hour_old(org, notified):
    on(WINDOW_END)
    _wrong_tails(notified, 10)
    move(minutes=59, seconds=59)
    assert refused_by(notified, "code") == CLOSED
    move(seconds=1)
    assert party_response_submit(given(notified)).action == "party_response"


def test_a_code_typed_with_spaces_and_in_lower_case_is_accepted(org, notified):
    typed = " ".join(response_code(notified.pk, 0).lower())
    assert party_response_submit(given(notified, code=typed)).seq > 0


def test_a_case_not_yet_at_the_response_step_refuses_its_code(org):
    case = advance(org, register(org), until="notice_issue")
    assert "不在陈述、申辩和听证申请阶段" in refused_by(case, "code")


def test_a_case_past_the_response_step_refuses_its_code(org, notified):
    act(org, notified, "notice_response")
    assert "不在陈述、申辩和听证申请阶段" in refused_by(notified, "code")


def test_a_hearing_request_without_the_right_is_refused_on_its_field(org, notified):
    assert "第六十三条" in refused_by(notified, "hearing", wants_hearing=True)


def test_the_handler_and_co_handler_are_told_once_and_no_one_else(org, notified):
    entry = party_response_submit(given(notified))
    told = Notice.objects.filter(kind="party_response")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [org.handler.pk, org.co_handler.pk]
    )
    assert told.filter(occasion=f"entry:{entry.seq}").count() == 2
    assert all("在线提交了陈述、申辩意见" in n.text for n in told)


def test_the_submission_waits_in_the_handlers_todo_until_step_12_is_taken(org, notified):
    party_response_submit(given(notified))
    party_response_submit(given(notified, statement="补充：已缴纳广告位租金"))
    rows = [r for r in todo_page(org.handler, Role.HANDLER, 1).rows if r.kind == "response"]
    assert len(rows) == 1
    assert rows[0].count == 2 and rows[0].due == WINDOW_END
    co = [r for r in todo_page(org.co_handler, Role.HANDLER, 1).rows if r.kind == "response"]
    assert [r.count for r in co] == [2]  # the 协办人 may record step 12 as well
    assert not [r for r in todo_page(org.chief, Role.SECTION_CHIEF, 1).rows if r.kind == "response"]
    assert not [
        r for r in todo_page(org.other_officer, Role.HANDLER, 1).rows if r.kind == "response"
    ]
    act(org, notified, "notice_response")
    rows = [r for r in todo_page(org.handler, Role.HANDLER, 1).rows if r.kind == "response"]
    assert rows == []
    assert not Notice.objects.filter(user=org.handler, kind="party_response", read_at=None).exists()


def test_step_12_opens_with_the_submissions_filled_in(org, notified):
    party_response_submit(given(notified))
    html = page(login(org.handler), f"/cases/{notified.pk}/")
    assert 'id="online-responses"' in html
    assert "（2025-03-03在线提交，张某）广告牌已于次日拆除，请求从轻处罚" in html


def test_a_hearing_request_fills_the_hearing_row_with_its_day(org):
    org.matter.legal_max = 200000
    org.matter.bands = None
    org.matter.save()
    case = advance(org, register(org), until="investigation_report")
    big = {"party": 0, "outcome": "penalty", "circumstance": "ordinary", "penalties": []}
    big["penalties"] = [{"type": "fine", "amount": "150000.00"}]
    case = act(org, case, "investigation_report", proposals=[big])
    for step in ("investigation_review", "legal_review", "penalty_approve", "notice_issue"):
        case = act(org, case, step)
    on(dt.date(2025, 3, 5))
    party_response_submit(given(case, wants_hearing=True, statement=""))
    html = page(login(org.handler), f"/cases/{case.pk}/")
    assert 'value="hearing" selected' in html
    assert 'value="2025-03-05"' in html


def test_the_public_page_shows_the_form_and_writes_nothing_on_a_get(org, notified):
    before = written()
    code = response_code(notified.pk, 0)
    r = Client().get(URL, {"code": code})
    assert r.status_code == 200 and code in r.content.decode()
    assert written() == before
    assert "no-store" in r["Cache-Control"]


def test_the_public_page_keeps_what_was_typed_when_refused(org, notified):
    before = written()
    r = Client().post(
        URL,
        {
            "code": response_code(notified.pk, 0),
            "id_tail": "000000",
            "submitter": "张某",
            "relation": "self",
            "statement": "请从轻处罚",
        },
    )
    assert r.status_code == 422
    body = r.content.decode()
    assert "查询码或证件号码后六位不正确" in body and "请从轻处罚" in body
    assert written() == before


def test_the_public_page_records_the_submission_and_says_where_it_went(org, notified):
    r = Client().post(
        URL,
        {
            "code": response_code(notified.pk, 0),
            "id_tail": ORG_CODE[-6:],
            "submitter": "李律师",
            "relation": "agent",
            "statement": "当事人已整改",
        },
    )
    assert r.status_code == 200
    assert "已记入案件的全过程记录" in r.content.decode()
    entry = Entry.objects.get(action="party_response")
    assert entry.payload["relation"] == "agent" and entry.actor_name == "李律师"


def test_the_api_takes_a_submission_without_login_and_answers_its_record(org, notified):
    body = {
        "code": response_code(notified.pk, 0),
        "id_tail": ORG_CODE[-6:],
        "submitter": "张某",
        "relation": "self",
        "statement": "请求从轻处罚",
    }
    r = Client().post("/api/disclosure/responses", json.dumps(body), "application/json")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["party_name"] == "聊城市某某商贸有限公司" and out["window_end"] == "2025-03-10"
    assert out["hash"] == Entry.objects.get(action="party_response").hash


def test_the_api_refuses_by_field_and_writes_nothing(org, notified):
    before = written()
    body = {
        "code": response_code(notified.pk, 0),
        "id_tail": ORG_CODE[-6:],
        "submitter": "",
        "relation": "boss",
        "statement": "",
    }
    r = Client().post("/api/disclosure/responses", json.dumps(body), "application/json")
    assert r.status_code == 422
    assert set(r.json()["fields"]) == {"submitter", "relation", "statement"}
    assert written() == before
