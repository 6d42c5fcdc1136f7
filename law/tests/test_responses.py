"""A party's online 陈述申辩 and 听证 request (行政处罚法第四十四、四十五、六十三、六十四条):
what the rule accepts, each refusal by its reason with a submission that passes every other
check, the window on its last day and the day after."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from law.responses import (
    ID_TAIL_LENGTH,
    STATEMENT_MAX,
    SUBMISSIONS_MAX,
    SUBMITTER_MAX,
    Relation,
    Submission,
    id_tail_matches,
    submission_errors,
)

LAST_DAY = dt.date(2025, 3, 10)

GOOD = Submission(
    at_response_step=True,
    today=LAST_DAY,
    window_end=LAST_DAY,
    hearing_right=True,
    wants_hearing=False,
    statement="广告牌已于次日拆除，请求从轻处罚",
    submitter="张某",
    relation=Relation.SELF,
    earlier=0,
)


def with_(**changes: object) -> Submission:
    return dataclasses.replace(GOOD, **changes)


def test_a_statement_on_the_last_day_of_the_window_is_accepted():
    assert submission_errors(GOOD) == {}


def test_a_statement_the_day_after_the_window_is_refused_citing_article_64():
    errors = submission_errors(with_(today=LAST_DAY + dt.timedelta(days=1)))
    assert errors == {
        "code": [
            "陈述、申辩和听证申请的期限已于2025-03-10届满（《中华人民共和国行政处罚法》"
            "第六十四条第一项），无法在线提交"
        ]
    }


def test_a_hearing_request_on_the_last_day_is_accepted_and_the_day_after_refused():
    asked = with_(wants_hearing=True, statement="")
    assert submission_errors(asked) == {}
    late = submission_errors(dataclasses.replace(asked, today=LAST_DAY + dt.timedelta(days=1)))
    assert list(late) == ["code"] and "第六十四条第一项" in late["code"][0]


def test_a_case_no_longer_at_the_response_step_refuses_the_submission():
    errors = submission_errors(with_(at_response_step=False))
    message = "本案当前不在陈述、申辩和听证申请阶段，无法在线提交，请与承办人联系"
    assert errors == {"code": [message]}


def test_a_party_never_notified_has_no_window_to_submit_in():
    assert list(submission_errors(with_(window_end=None))) == ["code"]


def test_a_hearing_request_without_the_right_of_article_63_is_refused_on_its_field():
    errors = submission_errors(with_(hearing_right=False, wants_hearing=True))
    assert errors == {
        "hearing": ["拟作出的行政处罚不属于《中华人民共和国行政处罚法》第六十三条规定的听证范围"]
    }


def test_an_empty_submission_asks_for_a_statement_or_a_hearing():
    assert submission_errors(with_(statement="  \n ")) == {
        "statement": ["请填写陈述、申辩的内容，或申请听证"]
    }


def test_a_statement_of_the_longest_length_is_accepted_and_one_character_more_refused():
    assert submission_errors(with_(statement="理" * STATEMENT_MAX)) == {}
    errors = submission_errors(with_(statement="理" * (STATEMENT_MAX + 1)))
    assert errors == {"statement": [f"陈述、申辩内容不超过{STATEMENT_MAX}字"]}


def test_the_submitter_is_named_within_its_length():
    assert submission_errors(with_(submitter=" ")) == {"submitter": ["请填写提交人姓名"]}
    assert submission_errors(with_(submitter="张" * SUBMITTER_MAX)) == {}
    long = submission_errors(with_(submitter="张" * (SUBMITTER_MAX + 1)))
    assert long == {"submitter": [f"提交人姓名不超过{SUBMITTER_MAX}字"]}


def test_the_submitter_is_the_party_or_its_agent():
    assert submission_errors(with_(relation=Relation.AGENT)) == {}
    assert submission_errors(with_(relation="lawyer")) == {"relation": ["请选择提交人身份"]}


def test_every_field_in_error_is_named_at_once():
    errors = submission_errors(
        with_(submitter="", relation="", statement="", hearing_right=False, wants_hearing=True)
    )
    assert set(errors) == {"submitter", "relation", "hearing"}


def test_the_last_submission_allowed_is_accepted_and_the_next_refused():
    assert submission_errors(with_(earlier=SUBMISSIONS_MAX - 1)) == {}
    errors = submission_errors(with_(earlier=SUBMISSIONS_MAX))
    assert errors == {"code": [f"本告知书的在线提交已达{SUBMISSIONS_MAX}次，请与承办人联系"]}


@pytest.mark.parametrize(
    ("number", "typed", "matches"),
    [
        ("11010519491231002X", "31002X", True),
        ("11010519491231002X", "31002x", True),
        ("11010519491231002X", " 310 02X ", True),
        ("11010519491231002X", "1002X", False),
        ("11010519491231002X", "231002X", False),
        ("11010519491231002X", "310020", False),
        ("91350100M000100Y43", "100Y43", True),
        ("", "", False),
        ("12345", "012345", False),
        ("123456", "123456", True),
    ],
)
def test_the_id_tail_is_the_last_six_characters_of_the_number(number, typed, matches):
    assert ID_TAIL_LENGTH == 6
    assert id_tail_matches(number, typed) is matches
