from __future__ import annotations

from decimal import Decimal

import pytest

from law.penalties import (
    AMOUNT_TYPES,
    PENALTY_LABELS,
    SEVERITY,
    PenaltyType,
    allowed_for_party_kind,
    heaviest,
    validate_penalty_items,
)

P = PenaltyType


def test_every_penalty_type_of_article_9_has_its_chinese_label() -> None:
    assert set(PENALTY_LABELS) == set(PenaltyType)
    assert PENALTY_LABELS[P.RESTRICT_BUSINESS] == "限制开展生产经营活动"
    assert PENALTY_LABELS[P.OTHER] == "其他行政处罚"


def test_severity_lists_every_type_once_heaviest_first_as_the_statistics_forms_count_them() -> None:
    labels = [PENALTY_LABELS[t] for t in SEVERITY]
    assert labels == [
        "行政拘留",
        "限制从业",
        "责令关闭",
        "责令停产停业",
        "限制开展生产经营活动",
        "吊销许可证件",
        "降低资质等级",
        "暂扣许可证件",
        "没收非法财物",
        "没收违法所得",
        "罚款",
        "通报批评",
        "警告",
        "其他行政处罚",
    ]
    assert len(set(SEVERITY)) == len(PenaltyType)


def test_a_decision_with_a_fine_and_a_revoked_permit_is_counted_under_the_revoked_permit() -> None:
    assert heaviest([P.FINE, P.REVOKE_PERMIT, P.WARNING]) == P.REVOKE_PERMIT
    assert heaviest([P.CONFISCATE_GAINS, P.FINE]) == P.CONFISCATE_GAINS


def test_other_penalty_is_the_heaviest_only_when_no_named_type_applies() -> None:
    assert heaviest([P.OTHER, P.WARNING]) == P.WARNING
    assert heaviest([P.OTHER]) == P.OTHER


def test_the_heaviest_of_no_penalty_is_an_error() -> None:
    with pytest.raises(ValueError):
        heaviest([])


def test_amounts_belong_to_fines_and_confiscations_only() -> None:
    assert {P.FINE, P.CONFISCATE_GAINS, P.CONFISCATE_PROPERTY} == AMOUNT_TYPES
    errors = validate_penalty_items([(P.FINE, None), (P.WARNING, Decimal("50"))])
    assert errors == ["罚款应当填写金额", "警告不应填写金额"]


def test_a_valid_decision_of_a_fine_and_a_confiscation_has_no_errors() -> None:
    items = [(P.FINE, Decimal("5000.00")), (P.CONFISCATE_GAINS, Decimal("1234.56"))]
    assert validate_penalty_items(items) == []


def test_amounts_are_positive_and_exact_to_the_fen() -> None:
    assert validate_penalty_items([(P.FINE, Decimal("0"))]) == ["罚款金额应当大于0元"]
    assert validate_penalty_items([(P.FINE, Decimal("-1"))]) == ["罚款金额应当大于0元"]
    assert validate_penalty_items([(P.FINE, Decimal("10.005"))]) == [
        "罚款金额最多保留两位小数（精确到分）"
    ]


def test_one_act_may_not_be_fined_twice_under_article_29() -> None:
    errors = validate_penalty_items([(P.FINE, Decimal("200")), (P.FINE, Decimal("300"))])
    assert len(errors) == 1
    assert "第二十九条" in errors[0]


def test_the_same_non_fine_type_twice_is_reported_as_a_duplicate() -> None:
    assert validate_penalty_items([(P.WARNING, None), (P.WARNING, None)]) == ["处罚种类“警告”重复"]


def test_a_decision_needs_at_least_one_penalty() -> None:
    assert validate_penalty_items([]) == ["至少应当有一项处罚种类"]


def test_detention_and_restriction_of_practice_apply_to_natural_persons_only() -> None:
    assert allowed_for_party_kind(P.DETENTION, "person")
    assert not allowed_for_party_kind(P.DETENTION, "organisation")
    assert not allowed_for_party_kind(P.RESTRICT_PRACTICE, "other")
    assert allowed_for_party_kind(P.CLOSE, "person")  # 个体工商户
    assert allowed_for_party_kind(P.FINE, "organisation")


def test_an_unknown_party_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="未知的当事人类别"):
        allowed_for_party_kind(P.FINE, "company")
