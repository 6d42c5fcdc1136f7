"""A statistics form's file over a long period is built by the worker (issue 15 item 8): longer
than STATS_INLINE_MAX_DAYS, the export is queued by a POST, the page shows its progress and then
the download (a GET writing nothing, in the stats page's scope); shorter periods answer inline."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook  # type: ignore[import-untyped]

from conftest import PASSWORD
from exchange.export import dump
from exchange.load import import_lines
from jobs.models import JobRun
from jobs.services import jobs_due
from notices.models import Notice
from orgs.models import Unit
from orgs.services import regions_ensure
from supervision.render import as_xlsx
from supervision.selectors import Period, form_table
from supervision.tests.records import known_2022
from web.tests.test_reads import no_write

pytestmark = pytest.mark.django_db

YEAR = {"form": "penalty", "from": "2022-01-01", "to": "2022-12-31", "format": "xlsx"}


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    import_lines(dump(known_2022()).splitlines())
    return org


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def cells(content: bytes) -> list[tuple[Any, ...]]:
    ws = load_workbook(io.BytesIO(content)).active
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def test_a_years_xlsx_is_queued_built_by_the_worker_and_downloaded_with_the_forms_figures(city):
    client = login(city.supervisor)
    with no_write():  # the year's GET offers the queue, it does not queue
        offer = client.get("/supervision/stats/?form=penalty&year=2022&format=xlsx")
    assert offer.status_code == 200 and offer["Content-Type"].startswith("text/html")
    assert 'action="/supervision/stats/export/"' in offer.content.decode()
    assert not JobRun.objects.exists()
    queued = client.post("/supervision/stats/export/", YEAR)
    run = JobRun.objects.get()
    assert queued.status_code == 302
    assert queued["Location"] == f"/supervision/stats/exports/{run.pk}/"
    assert (run.kind, run.status, bytes(run.output_data)) == ("stats_export", "queued", b"")
    assert client.get(queued["Location"] + "file").status_code == 404  # not built yet
    assert "等待后台任务开始" in client.get(queued["Location"]).content.decode()
    jobs_due()
    with no_write():
        page = client.get(queued["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert f'href="/supervision/stats/exports/{run.pk}/file"' in page
    with no_write():
        r = client.get(queued["Location"] + "file")
    assert r.status_code == 200 and r["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    city_gov = Unit.objects.select_related("region").get(code="371500-GOV")
    inline = as_xlsx(form_table("penalty", root=city_gov, period=Period.year(2022)))
    got = cells(r.content)
    assert got == cells(inline)
    assert got[0][0] == "聊城市2022年行政处罚情况统计表"
    assert any("10.640049" in str(v) for row in got for v in row)
    # Asking again while nothing waits builds a new file; the same while it waits is that run.
    again = client.post("/supervision/stats/export/", YEAR)
    assert client.post("/supervision/stats/export/", YEAR)["Location"] == again["Location"]
    assert JobRun.objects.count() == 2


def test_a_30_day_export_still_answers_inline(city):
    client = login(city.supervisor)
    r = client.get("/supervision/stats/?form=penalty&from=2022-03-01&to=2022-03-30&format=xlsx")
    assert r.status_code == 200 and r.content.startswith(b"PK")
    assert cells(r.content)[0][0].endswith("行政处罚情况统计表")
    csv = client.get("/supervision/stats/?form=penalty&from=2022-03-01&to=2022-03-30&format=csv")
    assert csv.content.startswith("\ufeff单位名称".encode())
    assert not JobRun.objects.exists()


def test_the_inline_limit_is_the_setting(city, settings):
    settings.STATS_INLINE_MAX_DAYS = 366
    r = login(city.supervisor).get("/supervision/stats/?form=penalty&year=2022&format=xlsx")
    assert r.content.startswith(b"PK") and not JobRun.objects.exists()
    thirty_days = "/supervision/stats/?form=penalty&from=2022-03-01&to=2022-03-30&format=xlsx"
    settings.STATS_INLINE_MAX_DAYS = 30  # the limit itself still answers inline
    assert login(city.supervisor).get(thirty_days).content.startswith(b"PK")
    settings.STATS_INLINE_MAX_DAYS = 29
    assert login(city.supervisor).get(thirty_days)["Content-Type"].startswith("text/html")
    assert not JobRun.objects.exists()


@pytest.mark.parametrize("who", ["county_supervisor", "handler", "chief", "sysadmin"])
def test_others_get_404_on_the_export_page_and_its_file(city, who):
    login(city.supervisor).post("/supervision/stats/export/", YEAR)
    jobs_due()
    run = JobRun.objects.get()
    other = login(getattr(city, who))
    for url in (
        f"/supervision/stats/exports/{run.pk}/",
        f"/supervision/stats/exports/{run.pk}/file",
    ):
        assert other.get(url).status_code == 404
        assert login(city.supervisor).get(url).status_code == 200
    if who != "county_supervisor":  # a county's supervisor exports the county's own forms
        assert other.post("/supervision/stats/export/", YEAR).status_code == 404
        assert JobRun.objects.count() == 1


def test_a_refused_export_names_its_fields_and_queues_nothing(city):
    client = login(city.supervisor)
    r = client.post(
        "/supervision/stats/export/",
        {"form": "nope", "from": "2022-13-01", "to": "1999-01-01", "format": "pdf"},
    )
    text = r.content.decode()
    assert r.status_code == 422
    for message in (
        "请选择统计报表",
        "导出格式应为Excel（xlsx）或CSV",
        "请填写有效的统计期间起（2000年至2100年）",
        "请填写有效的统计期间止（2000年至2100年）",
    ):
        assert message in text
    backwards = client.post(
        "/supervision/stats/export/", {**YEAR, "from": "2022-12-31", "to": "2022-01-01"}
    )
    assert (
        backwards.status_code == 422
        and "统计期间止不能早于统计期间起" in backwards.content.decode()
    )
    assert not JobRun.objects.exists()
    assert client.get("/supervision/stats/export/").status_code == 405


def test_the_requester_gets_one_notice_when_the_file_is_built(city):
    client = login(city.supervisor)
    client.post("/supervision/stats/export/", YEAR)
    jobs_due()
    jobs_due()
    run = JobRun.objects.get()
    notice = Notice.objects.get()
    assert (notice.user_id, notice.kind, notice.subject, notice.url) == (
        city.supervisor.pk,
        "job_done",
        f"job:{run.pk}",
        f"/supervision/stats/exports/{run.pk}/",
    )
    assert notice.text == f"导出统计报表已完成：{run.output_name}已生成，可下载"
    assert run.output_name == "聊城市2022年行政处罚情况统计表.xlsx"


# --- the same through the API (issue 15 item 12) ------------------------------------------------

API_YEAR = {"form": "penalty", "format": "xlsx", "start": "2022-01-01", "end": "2022-12-31"}


def test_the_api_queues_a_years_file_and_serves_it_when_the_worker_has_built_it(city):
    from api.tests.test_api_flow import ApiUser

    api = ApiUser(Client(), city.supervisor.username)
    r = api.post("/api/supervision/exports", API_YEAR)
    assert r.status_code == 202, r.content
    run = JobRun.objects.get()
    assert r.json()["id"] == run.pk and r.json()["status"] == "queued"
    assert r.json()["file_url"] is None
    assert api.get(f"/api/supervision/exports/{run.pk}/file").status_code == 404
    jobs_due()
    with no_write():
        done = api.get(f"/api/supervision/exports/{run.pk}").json()
        file = api.get(done["file_url"])
    assert done["status"] == "done" and done["start"] == "2022-01-01"
    assert file.status_code == 200
    city_gov = Unit.objects.select_related("region").get(code="371500-GOV")
    inline = as_xlsx(form_table("penalty", root=city_gov, period=Period.year(2022)))
    assert cells(file.content) == cells(inline)


def test_the_api_refuses_an_export_by_its_own_field_names_and_queues_nothing(city):
    from api.tests.test_api_flow import ApiUser

    api = ApiUser(Client(), city.supervisor.username)
    body = {**API_YEAR, "format": "pdf", "start": "2022-13-01", "end": "1900-01-01"}
    r = api.post("/api/supervision/exports", body)
    assert r.status_code == 422
    assert set(r.json()["fields"]) == {"format", "start", "end"}
    assert not JobRun.objects.exists()


@pytest.mark.parametrize("who", ["county_supervisor", "handler", "sysadmin"])
def test_others_get_404_on_an_export_through_the_api(city, who):
    from api.tests.test_api_flow import ApiUser

    ApiUser(Client(), city.supervisor.username).post("/api/supervision/exports", API_YEAR)
    jobs_due()
    run = JobRun.objects.get()
    other = ApiUser(Client(), getattr(city, who).username)
    for url in (f"/api/supervision/exports/{run.pk}", f"/api/supervision/exports/{run.pk}/file"):
        assert other.get(url).status_code == 404


def test_a_built_file_is_kept_its_days_and_then_dropped_with_the_run_saying_so(city):
    from conftest import move

    client = login(city.supervisor)
    url = client.post("/supervision/stats/export/", YEAR)["Location"]
    jobs_due()
    run = JobRun.objects.get()
    move(days=7)  # the seventh day after the end: still there
    jobs_due()
    assert client.get(url + "file").status_code == 200
    move(seconds=1)
    assert "删除过期的后台任务文件1个" in (jobs_due() or "")
    run.refresh_from_db()
    assert (run.status, bytes(run.output_data), run.output_name) == ("done", b"", "")
    assert client.get(url + "file").status_code == 404
    assert "已超过7天的保留期限" in client.get(url).content.decode()
