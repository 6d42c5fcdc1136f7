"""The documents of an enforcement record (行政强制执行), one set per record: content read back
from the PDF and the DOCX with the statute's articles, numbering per unit, kind and year,
refusals when what the article requires is missing (nothing numbered or written), the ledger and
the public verification, the 卷宗, and scope (another unit 404, an outsider to the login)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse

from cases.models import Case, Party
from cases.tests.flow import PERSON_ID, advance, register
from documents.dossier_selectors import dossier_documents
from documents.models import Document, DocumentCounter
from documents.selectors import enforcement_documents_available, verify_document
from documents.services import document_issue
from documents.tests.helpers import docx_text, pdf_text
from enforcement.models import EnforcementRecord
from enforcement.services import enforcement_act, enforcement_open
from enforcement.tests.test_services import (
    DEMOLISH,
    DEMOLITION,
    NOTICE,
    at,
    decided,
    fined_and_ordered,
    noticed,
    under_demolition_grant,
)
from ledger.models import Entry
from ledger.testing import ledger_maintenance
from procedure.engine import Refused
from procedure.testing import assert_refused

pytestmark = pytest.mark.django_db

PARTY = "聊城市某某商贸有限公司"


def issue(
    org: Any, case: Case, kind: str, record: EnforcementRecord, actor: Any = None
) -> Document:
    return document_issue(
        case_id=case.pk,
        kind=kind,
        party_index=None,
        actor=actor or org.handler,
        subject=("enforcement", record.pk),
    )


def texts(doc: Document) -> tuple[str, str]:
    with doc.pdf.open("rb") as fh:
        pdf = fh.read()
    with doc.docx.open("rb") as fh:
        docx = fh.read()
    return pdf_text(pdf), docx_text(docx)


def written() -> tuple[int, int, int]:
    return Document.objects.count(), Entry.objects.count(), DocumentCounter.objects.count()


def another(org: Any) -> Case:
    """A second case decided like `decided`, against another party (a person)."""
    person = {
        "kind": "person",
        "name": "李某",
        "id_number": PERSON_ID,
        "address": "聊城市东昌府区花园路2号",
    }
    return advance(org, register(org, parties=[person]), "execution")


def opened(org: Any, case: Case, **notice: Any) -> EnforcementRecord:
    at(dt.date(2025, 9, 29))
    data = {**NOTICE, "term_ends": "2025-10-15", **notice}
    return enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=data)


def court_signed(org: Any, case: Case) -> EnforcementRecord:
    """催告 served 2025-09-29, the court road drafted on the first lawful day and signed."""
    r = noticed(org, case)
    at(dt.date(2025, 10, 20))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="court", data={})
    at(dt.date(2025, 10, 21))
    data = {"court": "聊城市东昌府区人民法院", "materials_complete": True}
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="draft", data=data)
    return enforcement_act(
        record_id=r.pk, actor=org.director, decision="sign", data={"signed": True}
    )


def substitute_decided(org: Any, case: Case) -> EnforcementRecord:
    r = noticed(org, case)
    at(dt.date(2025, 10, 1))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="substitute", data={})
    return enforcement_act(
        record_id=r.pk,
        actor=org.handler,
        decision="decide",
        data={
            "reason": "当事人逾期未拆除违法设置的户外广告牌",
            "manner": "委托第三人拆除",
            "object": "东昌府区柳园路户外广告牌一块",
            "performer": "聊城市某某拆除工程有限公司",
            "budget": "3000",
            "planned_on": "2025-10-13",
        },
    )


def agency_approved(org: Any, case: Case, **draft: Any) -> EnforcementRecord:
    r = noticed(org, case)
    at(dt.date(2025, 10, 9))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="agency", data={})
    data = {"reason": "逾期不缴纳罚款", "type": "transfer_funds", "remedies_told": True, **draft}
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="draft", data=data)
    return enforcement_act(
        record_id=r.pk, actor=org.director, decision="approve", data={"opinion": "同意"}
    )


# --- content ----------------------------------------------------------------------------------


def test_the_notice_states_the_term_the_manner_the_amount_and_the_right_to_be_heard(org):
    case = decided(org)
    r = opened(org, case)
    entry = Entry.objects.filter(stream=case.stream, action="enforcement").get()
    assert (entry.payload["enforcement"], entry.payload["step"]) == (r.pk, "en_notice")
    doc = issue(org, case, "enforcement_notice", r)
    assert (doc.title, doc.subject_kind, doc.subject_id) == ("催告书", "enforcement", r.pk)
    assert doc.number.endswith("强催〔2025〕1号")
    for text in texts(doc):
        for fragment in (
            "催告书",
            doc.number,
            PARTY,
            "请于2025年10月15日前履行（第三十五条第一项）",
            "到指定银行缴纳罚款（第三十五条第二项）",
            "应缴纳人民币伍仟元整（¥5000.00）",
            "第三十五条第三项",
            "陈述权和申辩权",
            "第三十五条第四项",
            "罚款人民币伍仟元整",
            "第三十四条",
        ):
            assert fragment in text, fragment
    pdf = texts(doc)[0]
    # Sealed and dated on the day of the 催告, not of the penalty decision (2025-03-03).
    assert "（印章）" in pdf and f"{org.cgj.name}2025年9月29日" in pdf


def test_the_court_application_is_signed_by_the_head_and_lists_the_article_55_materials(org):
    case = decided(org)
    r = court_signed(org, case)
    notice = issue(org, case, "enforcement_notice", r)
    doc = issue(org, case, "court_application", r)
    assert doc.number.endswith("强执申〔2025〕1号")
    for text in texts(doc):
        for fragment in (
            "强制执行申请书",
            "聊城市东昌府区人民法院：",
            "被申请人：" + PARTY,
            "第五十五条第一款第二项",
            "第五十五条第一款第三项",
            "第五十五条第一款第四项",
            f"《催告书》（{notice.number}）",
            "于2025年9月29日送达被申请人",
            "当事人未提出陈述、申辩",
            "罚款人民币伍仟元整",
            "行政机关负责人（签名）：" + str(org.director),
        ):
            assert fragment in text, fragment


def test_the_substitute_decision_names_performer_object_budget_and_the_three_day_notice(org):
    case = decided(org, own_power=True, scope="performance")
    r = substitute_decided(org, case)
    doc = issue(org, case, "substitute_decision", r)
    for text in texts(doc):
        for fragment in (
            "代履行决定书",
            PARTY,
            "聊城市某某拆除工程有限公司",
            "东昌府区柳园路户外广告牌一块",
            "人民币叁仟元整（¥3000.00）",
            "2025年10月13日",
            "第五十一条第一款第二项",
            "由你（单位）承担（第五十一条第二款）",
        ):
            assert fragment in text, fragment
    notice = issue(org, case, "substitute_notice", r)
    for text in texts(notice):
        # 3 working days before 2025-10-13 (the 11th a working Saturday): served by the 9th.
        for fragment in ("代履行催告书", doc.number, "不迟于2025年10月9日", "停止代履行"):
            assert fragment in text, fragment


def test_the_enforcement_decision_states_reason_manner_time_and_the_remedies(org):
    case = decided(org, own_power=True)
    r = agency_approved(org, case, planned_on="2025-10-20")
    doc = issue(org, case, "enforcement_decision", r)
    assert doc.number.endswith("强执决〔2025〕1号")
    for text in texts(doc):
        for fragment in (
            "强制执行决定书",
            PARTY,
            "逾期不缴纳罚款",
            "《某法》第某条",
            "划拨存款、汇款",
            "于2025年10月20日强制执行",
            "第三十七条第二款第四项",
            "六十日内依法申请行政复议",
        ):
            assert fragment in text, fragment


def test_the_agreement_states_its_stages(org):
    case = decided(org)
    r = noticed(org, case)
    at(dt.date(2025, 10, 9))
    # The fine and the surcharge run to the cap by now (行政强制法第四十五条): 10,000 元 owed.
    stages = [{"due": "2025-11-01", "amount": "4000"}, {"due": "2025-12-01", "amount": "6000"}]
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="agreement", data={"stages": stages}
    )
    doc = issue(org, case, "enforcement_agreement", r)
    for text in texts(doc):
        for fragment in (
            "执行协议",
            "2025年11月1日",
            "人民币肆仟元整",
            "人民币壹万元整",
            "第四十二条第二款",
        ):
            assert fragment in text, fragment


def test_the_suspension_and_termination_decisions_state_their_grounds(org):
    case = decided(org)
    r = noticed(org, case)
    r = enforcement_act(
        record_id=r.pk,
        actor=org.handler,
        decision="suspend",
        data={"ground": "hardship", "reason": "当事人暂无履行能力"},
    )
    suspension = issue(org, case, "suspension_decision", r)
    for text in texts(suspension):
        for fragment in ("确有困难或者暂无履行能力", "第三十九条第一款", "2028年9月29日"):
            assert fragment in text, fragment
    r = enforcement_act(
        record_id=r.pk,
        actor=org.handler,
        decision="end",
        data={"ground": "revoked", "reason": "处罚决定被复议撤销"},
    )
    end = issue(org, case, "termination_decision", r)
    for text in texts(end):
        for fragment in ("据以执行的行政决定被撤销", "处罚决定被复议撤销", "第四十条"):
            assert fragment in text, fragment


def test_the_after_the_fact_notice_of_an_immediate_removal_tells_the_absent_party_of_it(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    removal = {
        "object": "obstacle",
        "place": "road",
        "reason": "货车遗留建材堵塞柳园路机动车道",
        "party_absent": True,
    }
    r = enforcement_open(
        case_id=case.pk, actor=org.handler, party=0, decision="immediate_substitute", data=removal
    )
    # Told after the removal (第五十二条): not before it is recorded.
    assert_refused(
        lambda: issue(org, case, "immediate_substitute_notice", r),
        "请先记录实施代履行",
        "第五十二条",
        unchanged=written,
    )
    carried = {
        "carried_out_at": "2025-09-29T10:30:00+08:00",
        "officer_present": True,
        "signed": True,
    }
    at(dt.date(2025, 9, 29), hour=11)
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="carry_out", data=carried)
    doc = issue(org, case, "immediate_substitute_notice", r)
    assert doc.number.endswith("代履告〔2025〕1号")
    for text in texts(doc):
        for fragment in (
            "立即代履行事后告知书",
            PARTY,
            "道路上有你（单位）的障碍物（货车遗留建材堵塞柳园路机动车道）",
            "因你（单位）不在场",
            "第五十二条",
            "于2025年9月29日清除完毕",
            "由你（单位）承担（第五十一条第二款）",
        ):
            assert fragment in text, fragment


def test_the_cost_notice_of_a_substitute_performance_states_the_cost_and_the_term_to_pay(org):
    case = decided(org, own_power=True, scope="performance")
    r = substitute_decided(org, case)
    decision = issue(org, case, "substitute_decision", r)
    at(dt.date(2025, 10, 9))
    served = {"served_on": "2025-10-09"}
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="serve", data=served)
    at(dt.date(2025, 10, 13), hour=11)
    carried = {
        "carried_out_at": "2025-10-13T09:00:00+08:00",
        "officer_present": True,
        "signed": True,
    }
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="carry_out", data=carried)
    charge = {"cost": "2800", "term_ends": "2025-10-28"}
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="charge", data=charge)
    doc = issue(org, case, "substitute_cost_notice", r)
    assert doc.number.endswith("代履费〔2025〕1号")
    for text in texts(doc):
        for fragment in (
            "代履行费用缴纳通知书",
            PARTY,
            f"《代履行决定书》（{decision.number}）",
            "于2025年10月13日对东昌府区柳园路户外广告牌一块",
            "聊城市某某拆除工程有限公司",
            "人民币贰仟捌佰元整（¥2800.00）",
            "于2025年10月28日前",
            "第五十一条第二款",
        ):
            assert fragment in text, fragment


def test_a_cost_notice_for_a_substitute_performance_that_cost_the_party_nothing_is_refused(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    removal = {"object": "spill", "place": "public_place", "reason": "广场遗洒油污"}
    r = enforcement_open(
        case_id=case.pk, actor=org.handler, party=0, decision="immediate_substitute", data=removal
    )
    carried = {
        "carried_out_at": "2025-09-29T10:30:00+08:00",
        "officer_present": True,
        "signed": True,
    }
    at(dt.date(2025, 9, 29), hour=11)
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="carry_out", data=carried)
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="charge", data={"cost": "0"})
    assert_refused(
        lambda: issue(org, case, "substitute_cost_notice", r),
        "代履行费用未确定或者为零",
        unchanged=written,
    )
    # The party present but unable to clear it is told as well, without "不在场".
    notice = issue(org, case, "immediate_substitute_notice", r)
    for text in texts(notice):
        assert "因你（单位）不能清除" in text and "不在场" not in text
        assert "公共场所上有你（单位）的遗洒物" in text


def test_the_reversal_decision_states_its_cause_the_revoking_instrument_and_the_remedy(org):
    case = decided(org, own_power=True)
    r = agency_approved(org, case, planned_on="2025-10-10")
    served = {"served_on": "2025-10-09"}
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="serve", data=served)
    at(dt.date(2025, 10, 10), hour=11)
    carry = {
        "officers": [org.handler.pk, org.co_handler.pk],
        "carried_out_at": "2025-10-10T10:00:00+08:00",
        "methods": [],
    }
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="carry_out", data=carry)
    assert r.step == "en_done"
    at(dt.date(2025, 12, 1))
    reversal = {
        "cause": "revoked",
        "remedy": "return",
        "reason": "聊城市人民政府行政复议决定书撤销原处罚决定",
    }
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="reverse", data=reversal)
    doc = issue(org, case, "reversal_decision", r)
    assert doc.number.endswith("回转〔2025〕1号")
    for text in texts(doc):
        for fragment in (
            "执行回转决定书",
            PARTY,
            "于2025年10月10日以行政机关强制执行的方式执行完毕",
            "因据以执行的行政决定被撤销（聊城市人民政府行政复议决定书撤销原处罚决定）",
            "对已执行的部分退还财物",
            "第四十一条",
        ):
            assert fragment in text, fragment


def test_the_notice_of_a_fine_under_a_grant_to_demolish_warns_of_the_court_not_the_agency(org):
    case = decided(org, own_power=True, scope="performance")
    other = another(org)
    fine = issue(org, case, "enforcement_notice", opened(org, case))
    for text in texts(fine):
        assert "申请人民法院强制执行（《中华人民共和国行政强制法》第五十三条" in text
        assert "《某法》第某条" not in text
    # Under a grant over money the agency enforces the fine itself, by the grant's article.
    org.matter.enforcement_power_scope = "money"
    org.matter.save()
    money = issue(org, other, "enforcement_notice", opened(org, other))
    for text in texts(money):
        assert "本机关将依法强制执行（《某法》第某条）" in text


# --- refusals -----------------------------------------------------------------------------------


def test_a_notice_of_the_demolition_names_the_act_and_leaves_the_fine_to_its_own_notice(org):
    case = fined_and_ordered(org)
    r = opened(org, case, **DEMOLISH)
    pdf, docx = texts(issue(org, case, "enforcement_notice", r))
    for text in (pdf, docx):
        for fragment in (
            "履行下列行为义务（拆除违法建设的二层彩钢房）",
            "本催告书催告履行行为义务，不涉及金钱给付；处罚决定的罚款另行催告",
            f"{DEMOLITION}",
        ):
            assert fragment in text.replace("\n", ""), fragment
        assert "应缴纳人民币" not in text
    money = opened(org, case)
    pdf, _ = texts(issue(org, case, "enforcement_notice", money))
    flat = pdf.replace("\n", "")
    assert "履行下列金钱给付义务（罚款、加处罚款）" in flat
    assert "应缴纳人民币伍仟元整" in flat
    assert "申请人民法院强制执行" in flat


def test_the_decision_to_demolish_names_the_act_as_its_object_and_not_the_fine(org):
    r = under_demolition_grant(org, "performance")
    at(dt.date(2025, 10, 9))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="agency", data={})
    data = {
        "reason": "逾期不拆除",
        "type": "restore",
        "remedies_told": True,
        "planned_on": "2025-10-20",
    }
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="draft", data=data)
    r = enforcement_act(
        record_id=r.pk, actor=org.director, decision="approve", data={"opinion": "同意"}
    )
    for text in texts(issue(org, r.case, "enforcement_decision", r)):
        flat = text.replace("\n", "")
        assert "执行标的为当事人经催告仍未履行的行为义务：拆除违法建设的二层彩钢房" in flat
        assert "罚款及加处罚款共计" not in flat


def test_a_notice_to_a_party_without_an_address_is_refused_and_nothing_is_numbered(org):
    case = decided(org)
    r = opened(org, case)
    Party.objects.filter(case=case).update(address="")
    refusal = assert_refused(
        lambda: issue(org, case, "enforcement_notice", r),
        "住址（住所）未登记",
        "第三十八条",
        unchanged=written,
    )
    assert PARTY in refusal.errors[0]


def test_an_enforcement_decision_without_its_time_is_refused_citing_article_37(org):
    case = decided(org, own_power=True)
    r = agency_approved(org, case)
    assert_refused(
        lambda: issue(org, case, "enforcement_decision", r),
        "强制执行的时间",
        "第三十七条第二款第三项",
        unchanged=written,
    )


def test_the_court_application_before_the_notice_is_issued_is_refused(org):
    case = decided(org)
    r = court_signed(org, case)
    assert_refused(
        lambda: issue(org, case, "court_application", r),
        "请先出具《催告书》",
        "第五十五条第一款第三项",
        unchanged=written,
    )


def test_the_substitute_notice_before_its_decision_is_refused(org):
    case = decided(org, own_power=True, scope="performance")
    r = substitute_decided(org, case)
    assert_refused(
        lambda: issue(org, case, "substitute_notice", r),
        "请先出具《代履行决定书》",
        "第五十一条第一款",
        unchanged=written,
    )


def test_an_agreement_waiving_the_surcharge_without_remedial_measures_is_refused(org):
    case = decided(org)
    r = noticed(org, case)
    at(dt.date(2025, 10, 9))
    stages = [{"due": "2025-11-01", "amount": "10000"}]
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="agreement", data={"stages": stages}
    )
    # The stored entry says a waiver without remedial measures (as an entry of an older rule
    # would): the document refuses to state it.
    # (Only the database's owner can rewrite an entry: the tables are append-only.)
    entry = Entry.objects.filter(stream=case.stream, payload__step="en_route").get()
    with ledger_maintenance():
        Entry.objects.filter(pk=entry.pk).update(
            payload={**entry.payload, "data": {"stages": stages, "waived": "100"}}
        )
    assert_refused(
        lambda: issue(org, case, "enforcement_agreement", r),
        "不得减免加处的罚款",
        "第四十二条第一款",
        unchanged=written,
    )


# --- numbering, ledger, verification, 卷宗 ------------------------------------------------------


def test_two_records_have_their_own_notices_numbered_in_turn_and_reissue_returns_the_stored(org):
    first, second = decided(org), another(org)
    a = issue(org, first, "enforcement_notice", opened(org, first))
    r = opened(org, second)
    b = issue(org, second, "enforcement_notice", r)
    assert (a.number[-8:], b.number[-8:]) == ("〔2025〕1号", "〔2025〕2号")
    assert issue(org, second, "enforcement_notice", r).pk == b.pk
    assert Document.objects.filter(kind="enforcement_notice").count() == 2


def test_an_issue_is_on_the_ledger_verifies_publicly_and_goes_into_the_dossier(client, org):
    case = decided(org)
    r = opened(org, case)
    doc = issue(org, case, "enforcement_notice", r)
    entry = Entry.objects.filter(stream=case.stream, action="document_issue").get()
    assert (entry.payload["subject"], entry.payload["subject_id"]) == ("enforcement", r.pk)
    v = verify_document(doc.code)
    assert v.matches and v.source is not None and v.source.payload["step"] == "en_notice"
    page = client.get(reverse("documents:verify", args=[doc.code]))
    assert page.status_code == 200 and doc.number in page.content.decode()
    assert doc in dossier_documents(case)


def test_a_document_of_a_step_not_taken_or_of_another_cases_record_is_404(org):
    case, other = decided(org), another(org)
    r = opened(org, case)
    with pytest.raises(Http404):
        issue(org, case, "court_application", r)
    with pytest.raises(Http404):
        issue(org, other, "enforcement_notice", r)
    with pytest.raises(Http404):  # a measure's kind is not an enforcement record's
        issue(org, case, "measure_decision", r)
    assert written()[0] == 0


def test_a_supervisor_reads_but_does_not_issue(org):
    case = decided(org)
    r = opened(org, case)
    with pytest.raises(Refused):
        issue(org, case, "enforcement_notice", r, actor=org.supervisor)
    assert written()[0] == 0


# --- the web: the case page's section, downloads, scope -----------------------------------------


def _url(case: Case, kind: str, r: EnforcementRecord, ext: str = "pdf") -> str:
    return reverse(f"documents:{ext}", args=[case.pk, kind]) + f"?enforcement={r.pk}"


def _post(client: Any, case: Case, kind: str, r: EnforcementRecord) -> Any:
    return client.post(reverse("documents:issue", args=[case.pk, kind]), {"enforcement": r.pk})


def test_the_enforcement_section_lists_the_records_documents_and_a_get_never_writes(client, org):
    case = decided(org)
    r = opened(org, case)
    client.force_login(org.handler)
    before = written()
    section = client.get(reverse("enforcement", args=[case.pk])).content.decode()
    assert f'data-enforcement-docs="{r.pk}"' in section and "催告书" in section
    assert f'name="enforcement" value="{r.pk}"' in section
    assert client.get(_url(case, "enforcement_notice", r)).status_code == 404  # 尚未出具
    assert written() == before
    assert _post(client, case, "enforcement_notice", r).status_code == 302
    doc = Document.objects.get()
    section = client.get(reverse("enforcement", args=[case.pk])).content.decode()
    assert doc.number in section and _url(case, "enforcement_notice", r) in section
    listing = client.get(reverse("documents:list", args=[case.pk])).content.decode()
    assert "强制执行文书" in listing and doc.number in listing
    response = client.get(_url(case, "enforcement_notice", r))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert doc.number in pdf_text(b"".join(response.streaming_content))
    response = client.get(_url(case, "enforcement_notice", r, "docx"))
    assert doc.number in docx_text(b"".join(response.streaming_content))
    assert [a.kind.code for a in enforcement_documents_available(case)[r.pk]] == [
        "enforcement_notice"
    ]


def test_an_officer_of_another_unit_gets_404_and_an_outsider_is_sent_to_login(client, org):
    case = decided(org)
    r = opened(org, case)
    client.force_login(org.handler)
    _post(client, case, "enforcement_notice", r)
    client.logout()
    pdf = _url(case, "enforcement_notice", r)
    response = client.get(pdf)
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = _post(client, case, "enforcement_notice", r)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for outsider in (org.other_officer, org.county_officer):
        client.force_login(outsider)
        assert client.get(pdf).status_code == 404
        assert client.get(_url(case, "enforcement_notice", r, "docx")).status_code == 404
        before = written()
        assert _post(client, case, "enforcement_notice", r).status_code == 404
        assert written() == before
    client.force_login(org.handler)
    other = another(org)
    assert client.get(_url(other, "enforcement_notice", r)).status_code == 404
    bad = reverse("documents:pdf", args=[case.pk, "enforcement_notice"]) + "?enforcement=x"
    assert client.get(bad).status_code == 404
