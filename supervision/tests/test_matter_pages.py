"""The pages of 执法监督事项: opening, acting, the 待办 of the agency, the instruments as print
pages and PDF, field errors that keep what was typed, and 404 out of scope."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from cases.models import Case
from conftest import PASSWORD
from ledger.models import Entry
from supervision.models import Matter
from supervision.tests.test_matters import LAST, SENT, at, sent


def login(user: Any, role: str | None = None) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    if role:
        client.post("/role/", {"role": role})
    return client


def test_a_supervisor_opens_a_matter_on_a_page_and_sends_an_opinion(world):
    page = login(world.supervisor)
    answer = page.post(
        "/supervision/matters/new/",
        {
            "source": "manual",
            "unit": world.cgj.pk,
            "case_no": "M-1",
            "title": "公示超期",
            "facts": "处罚决定未按期公示",
        },
    )
    m = Matter.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/supervision/matters/{m.pk}/"
    page.post(f"/supervision/matters/{m.pk}/send/", {"instrument": "opinion", "demand": "限期公示"})
    m.refresh_from_db()
    assert (m.status, m.reply_due_on) == ("sent", LAST)
    html = page.get(f"/supervision/matters/{m.pk}/").content.decode()
    assert "待答复" in html and "2026年5月20日" in html


def test_a_refused_opening_names_the_field_and_keeps_what_was_typed(world):
    answer = login(world.supervisor).post(
        "/supervision/matters/new/",
        {
            "source": "manual",
            "unit": world.cgj.pk,
            "case_no": "M-2",
            "title": "公示超期",
            "facts": "这段说明不丢失",
        },
    )
    html = answer.content.decode()
    assert answer.status_code == 422
    assert "正在行政诉讼中" in html and "这段说明不丢失" in html
    assert not Matter.objects.exists()


def test_the_agency_finds_the_matter_in_its_inbox_and_answers_with_evidence(world):
    m = sent(world)
    chief = login(world.chief)
    inbox = chief.get("/").content.decode()
    assert f"/supervision/matters/{m.pk}/" in inbox and "答复整改情况" in inbox
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("整改.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10, "image/png")
    answer = chief.post(
        f"/supervision/matters/{m.pk}/answer/", {"reply": "已公示", "evidence": upload}
    )
    assert answer.status_code == 302
    m.refresh_from_db()
    assert m.status == "answered" and m.evidence_name == "整改.png"
    assert chief.get(f"/supervision/matters/{m.pk}/evidence/").content.startswith(b"\x89PNG")
    assert f"/supervision/matters/{m.pk}/" not in chief.get("/").content.decode()


def test_an_answer_without_text_is_refused_by_field_and_changes_nothing(world):
    m = sent(world)
    entries = Entry.objects.filter(stream=m.stream).count()
    answer = login(world.chief).post(f"/supervision/matters/{m.pk}/answer/", {"reply": " "})
    assert answer.status_code == 422 and "请填写整改情况" in answer.content.decode()
    m.refresh_from_db()
    assert m.status == "sent" and Entry.objects.filter(stream=m.stream).count() == entries


def test_a_matter_due_within_the_warning_days_shows_as_approaching(world, settings):
    settings.DEADLINE_WARN_DAYS = 3
    m = sent(world)
    at(LAST - dt.timedelta(days=4))
    assert "即将到期" not in login(world.chief).get("/").content.decode()
    at(LAST - dt.timedelta(days=3))
    inbox = login(world.chief).get("/").content.decode()
    assert f"/supervision/matters/{m.pk}/" in inbox and "即将到期" in inbox


def test_a_late_matter_shows_as_late_in_the_inbox(world):
    m = sent(world)
    at(LAST + dt.timedelta(days=1))
    inbox = login(world.chief).get("/").content.decode()
    assert f"/supervision/matters/{m.pk}/" in inbox and "已超期" in inbox


@pytest.mark.parametrize("who", ["county_supervisor", "other_officer", "handler", "sysadmin"])
def test_a_matter_out_of_scope_is_404_on_every_page(world, who):
    m = sent(world)
    client = login(getattr(world, who))
    for url in ("", "documents/instrument/", "evidence/"):
        assert client.get(f"/supervision/matters/{m.pk}/{url}").status_code == 404
    before = Matter.objects.get(pk=m.pk).status
    assert client.post(f"/supervision/matters/{m.pk}/answer/", {"reply": "x"}).status_code == 404
    assert Matter.objects.get(pk=m.pk).status == before


def test_the_opinion_renders_as_a_print_page_and_a_pdf_with_its_deadline(world):
    m = sent(world)
    client = login(world.chief)
    html = client.get(f"/supervision/matters/{m.pk}/documents/instrument/").content.decode()
    assert "行政执法监督意见书" in html and "2026年5月20日" in html and "第二十八条" in html
    pdf = client.get(f"/supervision/matters/{m.pk}/documents/instrument/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert "行政执法监督意见书" in text and "2026年5月20日" in text
    fonts = {
        str(f["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert any("Noto-Serif-CJK-SC" in f for f in fonts), fonts
    assert client.get(f"/supervision/matters/{m.pk}/documents/proposal/").status_code == 404


def test_a_government_decision_is_recorded_on_the_page_and_printed(world):
    m = sent(world, major=True)
    page = login(world.supervisor)
    page.post(f"/supervision/matters/{m.pk}/propose/", {"proposal": "建议责令改正"})
    bad = page.post(
        f"/supervision/matters/{m.pk}/decide/",
        {"decided_on": "2026-13-01", "number": "决1号", "content": "改正"},
    )
    assert bad.status_code == 422 and "请填写决定日期" in bad.content.decode()
    assert Matter.objects.get(pk=m.pk).status == "proposed"
    page.post(
        f"/supervision/matters/{m.pk}/decide/",
        {"decided_on": SENT.isoformat(), "number": "聊政决〔2026〕1号", "content": "责令改正"},
    )
    html = page.get(f"/supervision/matters/{m.pk}/documents/decision/").content.decode()
    assert "聊政决〔2026〕1号" in html and "2026年5月20日" in html


def test_huge_ids_and_nul_bytes_get_an_answer_not_a_crash(world):
    client = login(world.supervisor)
    big = 10**30
    assert client.get(f"/supervision/matters/{big}/").status_code == 404
    assert client.post(f"/supervision/matters/{big}/close/").status_code == 404
    r = client.post(
        "/supervision/matters/new/",
        {"source": "manual", "unit": str(big), "item": str(big), "title": "a\x00b", "facts": "c"},
    )
    assert r.status_code in (400, 422) and not Matter.objects.exists()


def test_a_county_supervisor_works_on_its_county_and_the_city_sees_it_too(world):
    client = login(world.county_supervisor)
    r = client.post(
        "/supervision/matters/new/",
        {"source": "manual", "unit": world.county_scjg.pk, "case_no": "M-3", "title": "超期",
         "facts": "未按期结案"},
    )  # fmt: skip
    assert r.status_code == 302
    m = Matter.objects.get()
    assert login(world.supervisor).get(f"/supervision/matters/{m.pk}/").status_code == 200
    listed = login(world.county_supervisor).get("/supervision/matters/").content.decode()
    assert f"/supervision/matters/{m.pk}/" in listed
    assert login(world.chief).get(f"/supervision/matters/{m.pk}/").status_code == 404


def test_an_irregularity_found_by_a_rule_becomes_a_matter_from_its_page(world):
    from supervision.models import Item
    from zhifa import clock

    case = Case.objects.get(case_no="M-1")
    item = Item.objects.create(
        unit=case.unit,
        case=case,
        rule="disclosure_late",
        title="处罚决定公示超期",
        detail="超过20个工作日",
        created_at=clock.now(),
    )
    client = login(world.supervisor)
    assert (
        f"/supervision/matters/new/?item={item.pk}"
        in client.get(f"/supervision/items/{item.pk}/").content.decode()
    )
    form = client.get(f"/supervision/matters/new/?item={item.pk}").content.decode()
    assert "处罚决定公示超期" in form and "超过20个工作日" in form
    r = client.post(
        "/supervision/matters/new/",
        {"source": "irregularity", "item": item.pk, "title": "处罚决定公示超期", "facts": "超期"},
    )
    m = Matter.objects.get()
    assert r.status_code == 302 and (m.item, m.case, m.source) == (item, case, "irregularity")


def test_the_proposal_is_addressed_to_the_government_of_the_supervisor(world):
    m = sent(world, major=True)
    matters_propose(world, m)
    html = login(world.supervisor).get(f"/supervision/matters/{m.pk}/documents/proposal/")
    text = html.content.decode()
    assert "聊城市人民政府：" in text and "第二十九条" in text and "建议责令改正" in text


def matters_propose(world: Any, m: Matter) -> None:
    from supervision import matters

    matters.matter_propose(actor=world.supervisor, matter_id=m.pk, proposal="建议责令改正")


def test_the_supervisor_finds_what_awaits_it_among_the_matters(world):
    from supervision import matters

    quiet = sent(world)
    objected = sent(world)
    matters.matter_object(actor=world.chief, matter_id=objected.pk, reason="已公示")
    client = login(world.supervisor)

    def todo() -> str:
        return str(client.get("/supervision/matters/?status=todo").content.decode())

    assert f"/supervision/matters/{objected.pk}/" in todo()
    at(LAST)
    assert f"/supervision/matters/{quiet.pk}/" not in todo()
    at(LAST + dt.timedelta(days=1))
    assert f"/supervision/matters/{quiet.pk}/" in todo()


def test_the_dashboard_counts_the_matters_and_those_ignored(world):
    sent(world)
    at(LAST + dt.timedelta(days=1))
    html = login(world.supervisor).get("/supervision/?year=2026").content.decode()
    assert "执法监督事项" in html and "1 件逾期未答复" in html
    county = login(world.county_supervisor).get("/supervision/?year=2026").content.decode()
    assert "逾期未答复" not in county


def test_a_matter_sent_to_the_unit_is_not_in_an_officers_or_another_units_todo(world):
    m = sent(world)
    link = f"/supervision/matters/{m.pk}/"
    assert link in login(world.director).get("/").content.decode()
    assert link not in login(world.handler).get("/").content.decode()
    assert link not in login(world.other_officer, "section_chief").get("/").content.decode()
