"""The workspace through the Django test client: scope, inbox, list, forms and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from cases.models import Case
from cases.tests.flow import JPEG, ORG_CODE, add_evidence, advance, register
from conftest import PASSWORD
from ledger.models import Entry
from web.middleware import ACTIVITY_COOKIE

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def page(client: Client, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code)
    return r.content.decode()


def test_the_chief_finds_a_new_lead_in_the_inbox_and_the_handler_does_not(org):
    case = register(org)
    assert case.lead_no in page(login(org.chief), "/")
    assert case.lead_no not in page(login(org.handler), "/")


def test_an_insider_reads_the_case_page_with_the_verified_record(org):
    case = register(org)
    html = page(login(org.chief), f"/cases/{case.pk}/")
    assert "聊城市某某商贸有限公司" in html
    assert "完整性已校验" in html and "案源登记" in html
    assert "案源处置审批" in html and 'value="file"' in html


@pytest.mark.parametrize(
    "who", ["other_officer", "county_officer", "county_supervisor", "sysadmin"]
)
def test_an_outsider_gets_404_on_the_case_and_its_evidence(org, who):
    case = register(org)
    add_evidence(org, case)
    ev = case.evidence.get()
    client = login(getattr(org, who))
    page(client, f"/cases/{case.pk}/", 404)
    page(client, f"/cases/{case.pk}/evidence/{ev.pk}/", 404)
    assert case.lead_no not in page(client, "/cases/")


def test_an_anonymous_visitor_is_sent_to_login_from_every_workspace_page(org):
    case = register(org)
    for url in ("/", "/cases/", f"/cases/{case.pk}/", "/cases/new/", "/password/"):
        r = Client().get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/"), url


def test_a_supervisor_reads_the_case_but_cannot_act_on_it(org):
    case = register(org)
    client = login(org.supervisor)
    html = page(client, f"/cases/{case.pk}/")
    assert "聊城市某某商贸有限公司" in html and 'name="decision"' not in html
    assert case.lead_no in page(client, "/cases/")
    before = Entry.objects.filter(stream=case.stream).count()
    r = client.post(f"/cases/{case.pk}/act/lead_approve/", {"decision": "file", "opinion": "越权"})
    assert "只能办理本单位的案件" in r.content.decode()
    case.refresh_from_db()
    assert case.step == "lead_approve"
    assert Entry.objects.filter(stream=case.stream).count() == before


def test_a_form_error_is_shown_in_chinese_next_to_its_field_and_nothing_changes(org):
    case = advance(org, register(org), until="filing_request")
    r = login(org.handler).post(
        f"/cases/{case.pk}/act/filing_request/", {"decision": "submit", "summary": "案情"}
    )
    html = r.content.decode()
    assert "此项必填" in html and "请更正标出的内容" in html
    case.refresh_from_db()
    assert case.step == "filing_request"


def test_a_refusal_shows_every_reason_and_changes_nothing(org):
    case = advance(org, register(org), until="investigation_report")
    r = login(org.handler).post(
        f"/cases/{case.pk}/act/investigation_report/",
        {
            "decision": "submit",
            "facts": "擅自设置广告牌",
            "proposals.0.party": "0",
            "proposals.0.outcome": "penalty",
            "proposals.0.circumstance": "ordinary",
            "proposals.0.penalties.0.type": "fine",
            "proposals.0.penalties.0.amount": "50000",
        },
    )
    html = r.content.decode()
    assert "未办理" in html and "案件未作任何改动" in html
    case.refresh_from_db()
    assert case.step == "investigation_report"


def test_the_handler_registers_a_lead_through_the_form_with_check_digits_enforced(org):
    client = login(org.handler)
    form = {
        "source": "patrol",
        "clue": "店外乱堆物料",
        "discovered_on": "2025-03-03",
        "parties.0.kind": "organisation",
        "parties.0.name": "某某公司",
        "parties.0.id_number": ORG_CODE[:-1] + ("0" if ORG_CODE[-1] != "0" else "1"),
    }
    html = client.post("/cases/new/", form).content.decode()
    assert "未办理" in html and not Case.objects.exists()
    r = client.post("/cases/new/", {**form, "parties.0.id_number": ORG_CODE})
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    assert case.step == "lead_approve"


def test_the_case_list_filters_and_searches_by_party_name_and_id_number(org):
    a = register(org)
    b = register(
        org,
        parties=[{"kind": "person", "name": "王小二", "id_number": "11010519491231002X"}],
    )
    client = login(org.chief)
    html = page(client, "/cases/?q=王小二")
    assert b.lead_no in html and a.lead_no not in html
    html = page(client, "/cases/?q=11010519491231002x")
    assert b.lead_no in html and a.lead_no not in html
    html = page(client, f"/cases/?q={a.lead_no}")
    assert a.lead_no in html
    advance(org, a, until="filing_review")
    html = page(client, "/cases/?step=filing_review")
    assert a.lead_no in html and b.lead_no not in html
    html = page(client, "/cases/?overdue=on")
    assert "没有符合条件的案件" in html


def test_two_characters_find_a_party_by_the_middle_of_its_name(org):
    company = {
        "kind": "organisation",
        "name": "聊城市恒达管道工程有限公司",
        "id_number": ORG_CODE,
        "address": "聊城市东昌府区柳园路1号",
        "legal_rep": "张某",
    }
    hengda = register(org, parties=[company])
    other = register(org, parties=[{**company, "name": "聊城市恒通物流有限公司"}])
    client = login(org.chief)
    html = page(client, "/cases/?q=恒达")
    assert hengda.lead_no in html and other.lead_no not in html
    html = page(client, "/cases/?q=管道工程")
    assert hengda.lead_no in html and other.lead_no not in html
    # One character alone matches names that start with it, not every name holding it.
    html = page(client, "/cases/?q=恒")
    assert "没有符合条件的案件" in html


def test_two_characters_held_by_more_parties_than_the_search_collects_still_find_them(
    org, monkeypatch
):
    # Past SEARCH_IDS matches the search probes each case's parties in a correlated subquery
    # (on PostgreSQL through the index of character pairs), not a list of ids.
    from web import selectors as web_selectors

    monkeypatch.setattr(web_selectors, "SEARCH_IDS", 1)
    company = {
        "kind": "organisation",
        "name": "聊城市恒达管道工程有限公司",
        "id_number": ORG_CODE,
        "address": "聊城市东昌府区柳园路1号",
        "legal_rep": "张某",
    }
    first = register(org, parties=[company])
    second = register(org, parties=[{**company, "name": "东昌府区恒达建材经营部"}])
    other = register(org, parties=[{**company, "name": "聊城市恒通物流有限公司"}])
    html = page(login(org.chief), "/cases/?q=恒达")
    assert first.lead_no in html and second.lead_no in html and other.lead_no not in html


def test_evidence_is_uploaded_with_fingerprints_and_served_to_insiders_only(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = register(org)
    client = login(org.handler)
    upload = SimpleUploadedFile("p.jpg", JPEG, content_type="image/jpeg")
    r = client.post(
        f"/cases/{case.pk}/evidence/", {"kind": "photo", "title": "现场照片", "file": upload}
    )
    assert r.status_code == 302
    ev = case.evidence.get()
    html = page(client, f"/cases/{case.pk}/")
    assert ev.sha256 in html and ev.sm3 in html
    r = client.get(f"/cases/{case.pk}/evidence/{ev.pk}/")
    assert r.status_code == 200
    assert r.getvalue() == JPEG
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")
    html = client.post(
        f"/cases/{case.pk}/evidence/", {"kind": "other", "title": "程序", "file": bad}
    ).content.decode()
    assert "不支持的文件类型" in html and case.evidence.count() == 1


def test_a_user_with_several_roles_switches_and_the_inbox_follows(org):
    from orgs.services import user_upsert
    from procedure.roles import Role

    both = user_upsert(
        username="both",
        full_name="两职",
        unit=org.cgj,
        roles=[Role.HANDLER, Role.SECTION_CHIEF],
        password_hash=org.handler.password,
    )
    case = register(org)
    client = login(both)
    assert case.lead_no not in page(client, "/")
    client.post("/role/", {"role": "section_chief"})
    assert case.lead_no in page(client, "/")
    client.post("/role/", {"role": "supervisor"})
    assert "您不具备该角色" in page(client, "/")


def test_the_password_is_changed_with_the_chinese_form(org):
    client = login(org.handler)
    assert "修改密码" in page(client, "/password/")
    r = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Xin-mima-2025",
            "new_password2": "Xin-mima-2025",
        },
    )
    assert r.status_code == 302
    assert Client().login(username="handler", password="Xin-mima-2025")


def test_the_case_page_lists_the_documents_its_steps_produced(org):
    case = advance(org, register(org), until="delivery")
    client = login(org.handler)
    client.post(f"/documents/{case.pk}/decision/issue/", {"party": 0})
    html = page(client, f"/cases/{case.pk}/")
    assert "立案审批表" in html and "行政处罚决定书" in html
    assert f"/documents/{case.pk}/decision.pdf?party=0" in html
    assert f"/documents/{case.pk}/decision.docx?party=0" in html
    assert "结案报告" not in html


def test_the_case_page_offers_to_issue_a_document_and_links_it_once_issued(org):
    case = advance(org, register(org), until="delivery")
    client = login(org.handler)
    issue = f"/documents/{case.pk}/decision/issue/"
    html = page(client, f"/cases/{case.pk}/")
    assert f'action="{issue}"' in html and f'hx-post="{issue}"' in html
    assert f"/documents/{case.pk}/decision.pdf" not in html
    assert f"/documents/{case.pk}/" in html  # 全部文书
    # A supervisor reads the page; only the case's unit issues, so no form for them.
    assert f'action="{issue}"' not in page(login(org.supervisor), f"/cases/{case.pk}/")
    client.post(issue, {"party": 0})
    html = page(client, f"/cases/{case.pk}/")
    assert f'action="{issue}"' not in html
    assert f"/documents/{case.pk}/decision.pdf?party=0" in html


def test_logging_out_ends_the_session_and_it_lasts_thirty_idle_minutes(org, monkeypatch):
    client = login(org.handler)
    # The idle age rides in the activity cookie every answer renews (web/middleware.py); the
    # session row itself lasts the login's lifetime, so that a read need not rewrite it.
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert client.get("/").cookies[ACTIVITY_COOKIE]["max-age"] == 30 * 60
    r = client.post("/logout/")
    assert r.status_code == 302 and r["Location"] == "/login/"
    assert client.get("/").status_code == 302
    # Idle: the session still opens the workspace at 29 minutes and not at 31 (sessions read
    # Django's clock, moved here by hand).
    start = timezone.now()
    for idle, status in ((29, 200), (31, 302)):
        client = login(org.handler)
        monkeypatch.setattr(timezone, "now", lambda m=idle: start + dt.timedelta(minutes=m))
        assert client.get("/").status_code == status, idle
        monkeypatch.undo()


def test_the_inbox_marks_an_approaching_and_an_overdue_legal_limit(org):
    from conftest import move
    from deadlines.services import run_worker_once

    case = advance(org, register(org), until="investigation")
    client = login(org.co_handler)
    html = page(client, "/")
    assert case.case_no in html and "计时中" in html and "剩90天" in html
    move(days=88)
    run_worker_once()
    assert "即将到期" in page(client, "/")
    move(days=5)
    run_worker_once()
    html = page(client, "/")
    assert "已超期" in html and "超期" in html
    assert case.case_no in page(client, "/cases/?overdue=on")


def test_per_party_fields_get_their_own_chinese_errors(org):
    case = advance(org, register(org), until="delivery")
    r = login(org.handler).post(
        f"/cases/{case.pk}/act/delivery/",
        {
            "decision": "submit",
            "deliveries.0.party": "0",
            "deliveries.0.method": "pigeon",
            "deliveries.0.delivered_on": "2025-13-45",
        },
    )
    html = r.content.decode()
    assert "请从列表中选择" in html and "日期格式无效" in html
    assert "送达第1项" in html
    case.refresh_from_db()
    assert case.step == "delivery"


def test_a_complex_case_needs_the_collective_discussion_entered_in_the_form(org):
    from cases.tests.flow import act

    case = advance(org, register(org), until="filing_request")
    case = act(org, case, "filing_request", complex=True)
    case = advance(org, case, until="penalty_approve")
    client = login(org.director)
    url = f"/cases/{case.pk}/act/penalty_approve/"
    html = client.post(url, {"decision": "approve", "opinion": "同意"}).content.decode()
    assert "集体讨论" in html and "第五十七条" in html
    case.refresh_from_db()
    assert case.step == "penalty_approve"
    r = client.post(
        url,
        {
            "decision": "approve",
            "opinion": "同意",
            "collective_discussion.held_on": "2025-03-03",
            "collective_discussion.participants[]": "局长甲\r\n副局长乙\r\n\r\n",
            "collective_discussion.conclusion": "同意给予罚款",
        },
    )
    assert r.status_code == 302
    entry = Entry.objects.filter(stream=case.stream, action="penalty_approve").get()
    assert entry.payload["data"]["collective_discussion"]["participants"] == ["局长甲", "副局长乙"]


def test_the_navigation_follows_the_active_role(org):
    assert "登记案源" in page(login(org.handler), "/cases/")
    chief = page(login(org.chief), "/cases/")
    assert "待办" in chief and "登记案源" not in chief
    supervisor = page(login(org.supervisor), "/cases/")
    assert "执法监督" in supervisor and 'href="/">待办' not in supervisor
    assert login(org.supervisor).get("/").status_code == 302


def test_the_case_list_exports_to_xlsx_with_its_filters_and_scope_and_writes_nothing(org):
    import io

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    a = register(org)
    b = register(
        org, parties=[{"kind": "person", "name": "王小二", "id_number": "11010519491231002X"}]
    )
    other = register(org, actor=org.other_officer)
    entries = Entry.objects.count()
    response = login(org.chief).get("/cases/export.xlsx?q=王小二")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("案号", "案源编号", "当事人")
    assert [(r[1], r[2]) for r in rows[1:]] == [(b.lead_no, "王小二")]
    everything = load_workbook(io.BytesIO(login(org.chief).get("/cases/export.xlsx").content))
    numbers = {r[1] for r in list(everything.active.iter_rows(values_only=True))[1:]}
    assert numbers == {a.lead_no, b.lead_no}  # the other agency's case is out of scope
    assert other.lead_no not in numbers
    assert Entry.objects.count() == entries


def test_an_export_over_the_row_limit_is_refused_with_the_reason(org, settings):
    settings.CASE_EXPORT_MAX_ROWS = 1
    register(org)
    register(org)
    response = login(org.chief).get("/cases/export.xlsx")
    assert response.status_code == 422
    assert "符合条件的案件超过1件，请缩小筛选范围" in response.content.decode()


def test_an_export_with_a_bad_date_filter_is_refused_by_field(org):
    response = login(org.chief).get("/cases/export.xlsx?date_from=2026-13-40")
    assert response.status_code == 422
    assert "起：" in response.content.decode()


def test_the_matter_picker_finds_a_matter_by_name_code_or_article_and_writes_nothing(org):
    m = org.matter
    client = login(org.handler)
    entries = Entry.objects.count()
    assert (m.basis_article, org.major_matter.basis_article) == ("第三十六条", "第六十四条")
    by_article = page(client, "/matters/pick/?matter_q=市容 第三十六条")
    assert f'value="{m.code}"' in by_article
    assert f'value="{org.major_matter.code}"' not in by_article
    by_code = page(client, "/matters/pick/?matter_q=0099")
    assert f'value="{org.major_matter.code}"' in by_code and f'value="{m.code}"' not in by_code
    nothing = page(client, "/matters/pick/?matter_q=不存在的事项名称")
    assert "没有符合条件的事项" in nothing
    # The chosen matter stays selectable while the officer searches for another.
    kept = page(client, f"/matters/pick/?matter_q=不存在的事项名称&matter_code={m.code}")
    assert f'value="{m.code}" selected' in kept
    assert Entry.objects.count() == entries


def test_the_matter_picker_offers_only_the_matters_the_unit_implements(org):
    m = org.matter
    m.implementing_units.set([org.scjg])
    html = page(login(org.handler), f"/matters/pick/?matter_q={m.code}")
    assert f'value="{m.code}"' not in html
    html = page(login(org.other_officer), f"/matters/pick/?matter_q={m.code}")
    assert f'value="{m.code}"' in html


def test_the_api_searches_matters_by_article(org):
    m = org.matter
    client = login(org.handler)
    found = client.get("/api/matters", {"q": "城乡规划法 第六十四条"}).json()
    assert [x["code"] for x in found] == [org.major_matter.code]
    assert m.code in [x["code"] for x in client.get("/api/matters").json()]
    assert client.get("/api/matters", {"q": "不存在的事项名称"}).json() == []
