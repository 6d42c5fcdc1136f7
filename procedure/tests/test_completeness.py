"""The completeness check before 结案: plain facts in, the lacks in Chinese out."""

from __future__ import annotations

from procedure.completeness import CaseFacts, DocumentFacts, PartyFacts, completeness

DONE = PartyFacts(
    "张三", decided=True, penalty=True, delivered=True, receipt_issued=True, executed=True
)


def _facts(**kw: object) -> CaseFacts:
    base: dict[str, object] = {
        "procedure": "general",
        "filed": True,
        "evidence": 2,
        "documents": (DocumentFacts("立案审批表", True),),
        "parties": (DONE,),
    }
    base.update(kw)
    return CaseFacts(**base)


def test_a_case_with_everything_on_file_lacks_nothing():
    assert completeness(_facts()).complete


def test_a_document_not_issued_is_named_as_missing_from_the_file():
    result = completeness(_facts(documents=(DocumentFacts("结案报告", False),)))
    assert [g.text for g in result.gaps] == ["《结案报告》尚未出具，卷宗中缺少该文书"]
    assert result.gaps[0].law == ""


def test_a_penalty_without_any_evidence_is_a_legal_defect():
    result = completeness(_facts(evidence=0))
    assert [(g.text, g.law) for g in result.gaps] == [
        ("案件没有登记任何证据材料，处罚决定缺少证据支撑", "《行政处罚法》第四十条")
    ]


def test_one_piece_of_evidence_is_enough_for_the_check():
    assert completeness(_facts(evidence=1)).complete


def test_no_evidence_without_a_penalty_is_noted_but_not_called_a_legal_defect():
    no_penalty = PartyFacts("张三", decided=True, delivered=True, receipt_issued=True)
    result = completeness(_facts(evidence=0, parties=(no_penalty,)))
    assert [(g.text, g.law) for g in result.gaps] == [("案件没有登记任何证据材料", "")]


def test_a_simple_procedure_case_is_not_asked_for_registered_evidence():
    assert completeness(_facts(procedure="simple", evidence=0)).complete


def test_a_decision_not_delivered_is_a_legal_defect_and_names_the_party():
    party = PartyFacts("李四有限公司", decided=True, penalty=True, executed=True)
    result = completeness(_facts(parties=(party,)))
    assert [(g.text, g.law) for g in result.gaps] == [
        ("对当事人“李四有限公司”的决定书尚未送达", "《行政处罚法》第六十一条")
    ]


def test_a_delivered_decision_without_its_receipt_issued_is_named():
    party = PartyFacts("张三", decided=True, penalty=True, delivered=True, executed=True)
    result = completeness(_facts(parties=(party,)))
    assert [g.text for g in result.gaps] == ["对当事人“张三”的决定书已送达，但送达回证尚未出具"]


def test_a_penalty_whose_execution_is_not_recorded_is_named():
    party = PartyFacts("张三", decided=True, penalty=True, delivered=True, receipt_issued=True)
    result = completeness(_facts(parties=(party,)))
    assert [g.text for g in result.gaps] == ["对当事人“张三”的处罚决定尚未记录执行情况"]


def test_a_no_penalty_decision_needs_no_execution():
    party = PartyFacts("张三", decided=True, delivered=True, receipt_issued=True)
    assert completeness(_facts(parties=(party,))).complete


def test_a_party_without_a_decision_is_not_asked_for_delivery():
    assert completeness(_facts(parties=(PartyFacts("王五"),))).complete


def test_a_broken_record_is_named_with_article_47():
    result = completeness(_facts(record_intact=False))
    assert [(g.text, g.law) for g in result.gaps] == [
        ("全过程记录完整性校验未通过，归档前须查明原因", "《行政处罚法》第四十七条")
    ]


def test_a_party_without_a_decision_does_not_hide_the_gaps_of_the_parties_after_it():
    undelivered = PartyFacts("李四有限公司", decided=True, penalty=True, executed=True)
    result = completeness(_facts(parties=(PartyFacts("王五"), undelivered)))
    assert [g.text for g in result.gaps] == ["对当事人“李四有限公司”的决定书尚未送达"]
