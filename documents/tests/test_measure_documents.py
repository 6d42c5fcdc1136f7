"""The documents of a coercive measure, one set per measure: content read back from the PDF and
the DOCX, numbering per measure, refusals when what the law requires is missing, scope, GETs that
never write."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Party
from cases.tests.flow import register
from coercion import services
from coercion.models import CoerciveMeasure
from coercion.tests.test_services import ITEMS, in_force, on_site
from conftest import move
from documents.models import Document, DocumentCounter
from documents.selectors import measure_documents_available, verify_document
from documents.services import document_issue
from documents.tests.helpers import docx_text, pdf_footers, pdf_text
from ledger.models import Entry
from procedure.engine import Refused
from procedure.testing import assert_refused

pytestmark = pytest.mark.django_db

ACCOUNTS = [{"bank": "中国工商银行聊城分行", "account": "6222020000000001", "amount": "12000.50"}]


def issue(org: Any, case: Case, kind: str, measure: CoerciveMeasure) -> Document:
    return document_issue(
        case_id=case.pk,
        kind=kind,
        party_index=None,
        actor=org.handler,
        subject=("measure", measure.pk),
    )


def texts(doc: Document) -> tuple[str, str]:
    with doc.pdf.open("rb") as fh:
        pdf = fh.read()
    with doc.docx.open("rb") as fh:
        docx = fh.read()
    return pdf_text(pdf), docx_text(docx)


def freeze(org: Any, case: Case) -> CoerciveMeasure:
    m = services.measure_propose(
        case_id=case.pk,
        actor=org.handler,
        type="freeze",
        items=ACCOUNTS,
        reason="当事人可能转移违法所得",
        basis="《中华人民共和国税收征收管理法》第三十八条",
    )
    services.measure_decide(
        case_id=case.pk, measure_id=m.pk, actor=org.director, decision="approve", opinion="同意"
    )
    return services.measure_carry_out(
        case_id=case.pk,
        measure_id=m.pk,
        actor=org.handler,
        officers=[org.handler.pk, org.co_handler.pk],
        on_site=on_site(org),
    )


def written() -> tuple[int, int, int]:
    return Document.objects.count(), Entry.objects.count(), DocumentCounter.objects.count()


# --- content ----------------------------------------------------------------------------------


def test_the_seizure_decision_states_party_reasons_basis_items_period_and_remedies(org):
    case = register(org)
    m = in_force(org, case)
    doc = issue(org, case, "measure_decision", m)
    assert doc.title == "扣押决定书" and doc.subject_kind == "measure" and doc.subject_id == m.pk
    assert doc.number.endswith("强决〔2025〕1号")
    for text in texts(doc):
        for fragment in (
            "扣押决定书",
            doc.number,
            "聊城市某某商贸有限公司",
            "聊城市东昌府区柳园路1号",
            "涉案广告牌可能被转移，需扣押",
            "《广告法》第四十九条第二款",
            "第二十四条",
            "户外广告牌",
            "1块",
            "扣押期限为三十日，自2025年3月3日起至2025年4月2日止",
            "六十日内依法申请行政复议",
            "六个月内依法向人民法院提起行政诉讼",
            org.cgj.name,
            "2025年3月3日",
        ):
            assert fragment in text, fragment
    pdf, _ = texts(doc)
    assert "（印章）" in pdf


def test_the_list_carries_the_decisions_number_and_every_item(org):
    case = register(org)
    m = in_force(org, case)
    decision = issue(org, case, "measure_decision", m)
    listed = issue(org, case, "measure_list", m)
    assert (listed.title, listed.number) == ("扣押清单", decision.number)
    for text in texts(listed):
        assert "户外广告牌" in text and "6米×3米，钢结构" in text
        assert f"《扣押决定书》（{decision.number}）" in text


def test_the_on_site_record_states_the_duties_of_article_18(org):
    case = register(org)
    m = in_force(org, case)
    doc = issue(org, case, "measure_record", m)
    assert doc.title == "扣押现场笔录"
    for text in texts(doc):
        for fragment in (
            "第十八条",
            "出示了执法身份证件",
            "听取了当事人的陈述和申辩",
            "东昌府区柳园路",
        ):
            assert fragment in text, fragment
        assert str(org.handler) in text and str(org.co_handler) in text


def test_a_measure_without_an_on_site_record_offers_no_record(org):
    case = register(org)
    m = in_force(org, case)
    CoerciveMeasure.objects.filter(pk=m.pk).update(on_site={**m.on_site, "record_made": False})
    kinds = [a.kind.code for a in measure_documents_available(case)[m.pk]]
    assert "measure_record" not in kinds and "measure_decision" in kinds


def test_the_extension_decision_states_the_days_the_new_end_and_the_reason(org):
    case = register(org)
    m = in_force(org, case)
    move(days=20)
    services.measure_extend(
        case_id=case.pk, measure_id=m.pk, actor=org.handler, days=15, reason="需技术鉴定"
    )
    services.measure_decide(
        case_id=case.pk,
        measure_id=m.pk,
        actor=org.director,
        decision="approve",
        opinion="同意延长",
        notice_in_writing=True,
    )
    doc = issue(org, case, "measure_extension", m)
    assert doc.title == "延长扣押期限决定书"
    for text in texts(doc):
        for fragment in ("延长十五日", "2025年4月17日", "需技术鉴定", "2025年4月2日", "第二十五条"):
            assert fragment in text, fragment


def test_the_lift_decision_states_the_ground_and_the_return_of_the_items(org):
    case = register(org)
    m = in_force(org, case)
    decision = issue(org, case, "measure_decision", m)
    move(days=5)
    services.measure_lift(
        case_id=case.pk, measure_id=m.pk, actor=org.handler, ground="unrelated", reason="非涉案物"
    )
    doc = issue(org, case, "measure_lift", m)
    assert doc.title == "解除扣押决定书"
    for text in texts(doc):
        for fragment in (
            "与违法行为无关",
            "非涉案物",
            "第二十八条",
            "2025年3月8日",
            decision.number,
        ):
            assert fragment in text, fragment


def test_a_freeze_has_a_notice_to_the_bank_a_decision_to_the_party_and_a_lift_notice(org):
    case = register(org)
    m = freeze(org, case)
    available = [a.kind.code for a in measure_documents_available(case)[m.pk]]
    assert available == ["measure_record", "freeze_notice", "freeze_decision"]
    notice = issue(org, case, "freeze_notice", m)
    for text in texts(notice):
        for fragment in (
            "冻结通知书",
            "中国工商银行聊城分行：",
            "本机关在办理案件（",
            "6222020000000001",
            "壹万贰仟元伍角",
            "第三十条",
            "2025年4月2日",
        ):
            assert fragment in text, fragment
    decision = issue(org, case, "freeze_decision", m)
    for text in texts(decision):
        for fragment in ("冻结决定书", "聊城市某某商贸有限公司", "第三十一条", "六十日内"):
            assert fragment in text, fragment
    services.measure_lift(
        case_id=case.pk, measure_id=m.pk, actor=org.handler, ground="decided", reason="已处理"
    )
    lift = issue(org, case, "unfreeze_notice", m)
    for text in texts(lift):
        for fragment in ("解除冻结通知书", "第三十三条", decision.number, "立即解除冻结"):
            assert fragment in text, fragment


def test_an_emergency_seal_up_not_approved_gets_a_lift_decision_citing_article_19(org):
    case = register(org)
    m = services.measure_emergency(
        case_id=case.pk,
        actor=org.handler,
        type="seal_up",
        items=[{"name": "加工车间", "quantity": "1间"}],
        reason="正在生产假冒产品",
        basis="《产品质量法》第十八条",
        emergency_reason="当事人正在转移、销毁证据",
        officers=[org.handler.pk, org.co_handler.pk],
        on_site=on_site(org),
    )
    doc = issue(org, case, "measure_decision", m)
    assert doc.title == "查封决定书" and "情况紧急" in texts(doc)[0]
    services.measure_decide(
        case_id=case.pk, measure_id=m.pk, actor=org.director, decision="reject", reason="不必要"
    )
    lift = issue(org, case, "measure_lift", m)
    assert lift.title == "解除查封决定书" and "第十九条" in texts(lift)[0]


# --- numbering, ledger, verification ------------------------------------------------------------


def test_two_seizures_on_one_case_get_two_differently_numbered_decisions(org):
    case = register(org)
    first, second = in_force(org, case), in_force(org, case)
    a = issue(org, case, "measure_decision", first)
    b = issue(org, case, "measure_decision", second)
    assert a.pk != b.pk and a.number != b.number
    assert (a.number[-8:], b.number[-8:]) == ("〔2025〕1号", "〔2025〕2号")
    # Issuing again returns the stored document: no new number.
    assert issue(org, case, "measure_decision", first).pk == a.pk
    assert Document.objects.filter(kind="measure_decision").count() == 2


def test_an_issue_is_on_the_ledger_with_its_fingerprints_and_verifies_publicly(client, org):
    case = register(org)
    m = in_force(org, case)
    doc = issue(org, case, "measure_decision", m)
    entry = Entry.objects.filter(stream=case.stream, action="document_issue").get()
    assert entry.payload["subject"] == "measure" and entry.payload["subject_id"] == m.pk
    with doc.pdf.open("rb") as fh:
        content = fh.read()
    assert entry.payload["sm3"] == hashlib.new("sm3", content).hexdigest() == doc.sm3
    assert entry.payload["sha256"] == hashlib.sha256(content).hexdigest()
    assert all(doc.code in f for f in pdf_footers(content))
    v = verify_document(doc.code)
    assert v.matches and v.source is not None and v.source.action == "cm_carry_out"
    page = client.get(reverse("documents:verify", args=[doc.code]))
    assert page.status_code == 200 and doc.number in page.content.decode()


# --- refusals -----------------------------------------------------------------------------------


def test_a_decision_for_a_party_without_an_address_is_refused_and_nothing_is_numbered(org):
    case = register(org)
    m = in_force(org, case)
    Party.objects.filter(case=case).update(address="")
    refusal = assert_refused(
        lambda: issue(org, case, "measure_decision", m),
        "住址（住所）未登记",
        "第二十四条第二款第一项",
        unchanged=written,
    )
    assert "聊城市某某商贸有限公司" in refusal.errors[0]


def test_the_list_before_its_decision_is_refused(org):
    case = register(org)
    m = in_force(org, case)
    assert_refused(
        lambda: issue(org, case, "measure_list", m), "请先出具《扣押决定书》", unchanged=written
    )


def test_a_freeze_notice_without_an_account_number_is_refused(org):
    case = register(org)
    m = freeze(org, case)
    CoerciveMeasure.objects.filter(pk=m.pk).update(items=[{**ACCOUNTS[0], "account": ""}])
    assert_refused(
        lambda: issue(org, case, "freeze_notice", m), "金融机构、账号和数额", unchanged=written
    )


def test_a_document_of_a_step_not_yet_taken_is_404(org):
    from django.http import Http404

    case = register(org)
    m = in_force(org, case)
    with pytest.raises(Http404):
        issue(org, case, "measure_lift", m)
    with pytest.raises(Http404):
        issue(org, case, "freeze_notice", m)  # a seizure has no freeze notice
    assert written()[0] == 0


def test_a_measure_of_another_case_is_404(org):
    from django.http import Http404

    case, other = register(org), register(org)
    m = in_force(org, other)
    with pytest.raises(Http404):
        issue(org, case, "measure_decision", m)


def test_an_officer_of_the_unit_not_on_its_staff_of_officers_is_refused(org):
    case = register(org)
    m = in_force(org, case)
    with pytest.raises(Refused):
        document_issue(
            case_id=case.pk,
            kind="measure_decision",
            party_index=None,
            actor=org.supervisor,
            subject=("measure", m.pk),
        )
    assert written()[0] == 0


# --- the web: the case page, downloads, scope ---------------------------------------------------


def _url(case: Case, kind: str, m: CoerciveMeasure, ext: str = "pdf") -> str:
    return reverse(f"documents:{ext}", args=[case.pk, kind]) + f"?measure={m.pk}"


def _post(client: Any, case: Case, kind: str, m: CoerciveMeasure) -> Any:
    return client.post(reverse("documents:issue", args=[case.pk, kind]), {"measure": m.pk})


def test_the_case_page_lists_each_measures_documents_with_issue_buttons(client, org):
    case = register(org)
    first, second = in_force(org, case), in_force(org, case)
    client.force_login(org.handler)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    for m in (first, second):
        assert f'name="measure" value="{m.pk}"' in page
    assert page.count("扣押决定书") >= 2 and "扣押现场笔录" in page
    assert _post(client, case, "measure_decision", first).status_code == 302
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    doc = Document.objects.get()
    assert doc.number in page
    assert _url(case, "measure_decision", first) in page
    listing = client.get(reverse("documents:list", args=[case.pk])).content.decode()
    assert "行政强制措施文书" in listing and doc.number in listing
    assert _url(case, "measure_decision", first) in listing


def test_the_handler_downloads_the_pdf_and_docx_and_a_get_never_writes(client, org):
    case = register(org)
    m = in_force(org, case)
    client.force_login(org.handler)
    before = written()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(case, "measure_decision", m)).status_code == 404  # 尚未出具
        client.get(reverse("case-detail", args=[case.pk]))
        client.get(reverse("documents:list", args=[case.pk]))
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        and "django_session" not in q["sql"]
    ]
    assert writes == [] and written() == before
    _post(client, case, "measure_decision", m)
    response = client.get(_url(case, "measure_decision", m))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "扣押决定书" in pdf_text(b"".join(response.streaming_content))
    response = client.get(_url(case, "measure_decision", m, "docx"))
    assert "扣押决定书" in docx_text(b"".join(response.streaming_content))
    assert written() == (before[0] + 1, before[1] + 1, before[2] + 1)


def test_a_get_of_the_issue_address_is_refused(client, org):
    case = register(org)
    m = in_force(org, case)
    client.force_login(org.handler)
    url = reverse("documents:issue", args=[case.pk, "measure_decision"]) + f"?measure={m.pk}"
    assert client.get(url).status_code == 405
    assert written()[0] == 0


@pytest.mark.parametrize("who", ["other_officer", "county_officer"])
def test_an_officer_of_another_agency_or_outside_the_subtree_gets_404(client, org, who):
    case = register(org)
    m = in_force(org, case)
    client.force_login(org.handler)
    _post(client, case, "measure_decision", m)
    client.force_login(getattr(org, who))
    before = written()
    assert client.get(_url(case, "measure_decision", m)).status_code == 404
    assert client.get(_url(case, "measure_decision", m, "docx")).status_code == 404
    assert _post(client, case, "measure_list", m).status_code == 404
    assert written() == before


def test_the_city_supervisor_reads_but_issues_nothing(client, org):
    case = register(org)
    m = in_force(org, case)
    client.force_login(org.handler)
    _post(client, case, "measure_decision", m)
    client.force_login(org.supervisor)
    assert client.get(_url(case, "measure_decision", m)).status_code == 200
    before = written()
    _post(client, case, "measure_record", m)
    assert written() == before


def test_a_malformed_or_foreign_measure_id_is_404(client, org):
    case, other = register(org), register(org)
    foreign = in_force(org, other)
    client.force_login(org.handler)
    base = reverse("documents:pdf", args=[case.pk, "measure_decision"])
    for q in ("x", "0", "-1", "99999999999", str(foreign.pk)):
        assert client.get(f"{base}?measure={q}").status_code == 404
    assert client.get(f"{base}?measure=1%00").status_code in {404, 422}  # NUL: refused, no 500
    assert _post(client, case, "measure_decision", foreign).status_code == 404
    # A measure's kind without its measure, and a case's kind with a measure, are no documents.
    mine = in_force(org, case)
    assert client.get(base).status_code == 404
    assert (
        client.post(reverse("documents:issue", args=[case.pk, "measure_decision"])).status_code
        == 404
    )
    assert _post(client, case, "penalty_notice", mine).status_code == 404
    assert written()[0] == 0


def test_the_outsider_without_login_is_sent_to_the_login(client, org):
    case = register(org)
    m = in_force(org, case)
    response = client.get(_url(case, "measure_decision", m))
    assert response.status_code == 302 and "login" in response["Location"]
    assert ITEMS  # the list the measure was proposed with
