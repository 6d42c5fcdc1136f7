"""案卷评查 (行政执法监督条例 Arts. 18-19): draw, score against the round's standard, publish to
the units, rank them, raise a finding; scope for the supervisor, the unit and everyone else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cases.models import Case
from conftest import PASSWORD
from exchange.export import dump
from exchange.load import import_lines
from ledger.models import Entry
from orgs.services import regions_ensure
from procedure.testing import assert_refused
from supervision import review_selectors, review_services, standards
from supervision.models import FileReview, FileReviewCase, Item
from supervision.selectors import Period, dashboard
from supervision.services import supervision_scan
from supervision.tests.records import PERSON, case, decision, fine, known_2022, party
from zhifa import clock

YEAR_2022 = {"period_start": dt.date(2022, 1, 1), "period_end": dt.date(2022, 12, 31)}


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    import_lines(dump(known_2022()).splitlines())
    return org


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def draw(city: Any, **kw: Any) -> FileReview:
    args = {"name": "评查", "method": "random", "per_unit": 5, "seed": "x", **YEAR_2022, **kw}
    return review_services.file_review_create(actor=city.supervisor, **args)


def full(version: str = standards.CURRENT) -> dict[str, int]:
    return {i.code: i.points for i in standards.standard(version).items}


def entry(review: FileReview, no: str) -> FileReviewCase:
    return review.cases.get(case__case_no=no)


def snapshot(review: FileReview) -> list[Any]:
    rows = FileReviewCase.objects.filter(review=review).order_by("pk")
    return [
        list(rows.values_list("scores", "reasons", "total", "grade", "remarks")),
        FileReview.objects.filter(pk=review.pk).values_list("published_at", flat=True)[0],
        Entry.objects.filter(stream=review.stream).count(),
        Item.objects.count(),
    ]


def score_all(city: Any, review: FileReview, **by_case: dict[str, int]) -> None:
    for e in review.cases.select_related("case"):
        sheet = by_case.get(e.case.case_no, full(review.standard))
        std = standards.standard(review.standard)
        reasons = {i.code: "扣分理由" for i in std.items if sheet[i.code] < i.points}
        review_services.file_review_score(
            actor=city.supervisor, entry_id=e.pk, scores=sheet, reasons=reasons
        )


# --- the standard ---------------------------------------------------------------------------


def test_the_current_standard_has_the_four_headings_of_article_18_and_a_hundred_points():
    std = standards.standard(standards.CURRENT)
    assert [h.label for h in std.headings] == ["合法", "过罚相当", "文书规范", "证据真实完整"]
    assert std.points == 100
    assert len({i.code for i in std.items}) == len(std.items)
    assert standards.standard("2024").points == 100


def test_the_grade_bands_are_inclusive_at_their_thresholds():
    assert standards.grade(90, excellent=90, passing=60) == standards.EXCELLENT
    assert standards.grade(89, excellent=90, passing=60) == standards.PASS
    assert standards.grade(60, excellent=90, passing=60) == standards.PASS
    assert standards.grade(59, excellent=90, passing=60) == standards.FAIL


def test_a_deduction_without_a_reason_is_refused_and_a_full_mark_needs_none():
    std = standards.standard(standards.CURRENT)
    assert standards.sheet_errors(std, full(), {}) == []
    errors = standards.sheet_errors(std, {**full(), "limits": 3}, {})
    assert errors == ["“在法定期限内立案、决定、送达”扣2分，请写明扣分理由"]
    assert standards.sheet_errors(std, {**full(), "limits": 3}, {"limits": "送达超期"}) == []
    for odd in ("²", "1.5", "-1", "五", "\x00", True, 2.0):
        assert standards.sheet_errors(std, {**full(), "limits": odd}, {"limits": "x"}), odd


def test_the_standard_page_is_public_to_every_logged_in_user_and_closed_to_anonymous(city):
    for user in (city.handler, city.other_officer, city.county_officer, city.supervisor):
        html = login(user).get("/supervision/reviews/standard/").content.decode()
        assert "证据真实完整" in html and "过罚相当" in html
    old = login(city.handler).get("/supervision/reviews/standard/?version=2024")
    assert "归档完整" in old.content.decode()
    assert login(city.handler).get("/supervision/reviews/standard/?version=x").status_code == 404
    assert Client().get("/supervision/reviews/standard/").status_code == 302


# --- drawing --------------------------------------------------------------------------------


def test_a_random_file_review_is_reproducible_and_stratified_by_unit(city):
    first = draw(city, name="2022年评查", per_unit=1, seed="s1")
    again = draw(city, name="再次", per_unit=1, seed="s1")
    picked = list(first.cases.values_list("case_id", flat=True))
    assert picked == list(again.cases.values_list("case_id", flat=True))
    units = list(Case.objects.filter(pk__in=picked).values_list("unit__code", flat=True))
    assert sorted(units) == ["371500-CGJ", "371522-SCJG", "371525-ZHZF"]
    assert draw(city, name="全部", seed="s2").cases.count() == 5
    assert first.standard == standards.CURRENT


def test_a_review_by_rule_takes_the_closed_cases_with_items(city):
    no = "BAD"
    bad = party("person", "甲", PERSON, decision(f"{no}-1", "2022-04-02", [fine("100.00")]))
    import_lines(dump([case("cgj", no, "2022-01-01", "2022-05-01", [bad])]).splitlines())
    supervision_scan()
    review = draw(city, name="问题案卷", method="irregular")
    assert sorted(review.cases.values_list("case__case_no", flat=True)) == ["BAD", "F", "G"]


# --- scoring --------------------------------------------------------------------------------


def test_totals_per_heading_and_overall_are_computed_and_the_grade_follows_them(city):
    review = draw(city)
    e = entry(review, "A")
    review_services.file_review_score(
        actor=city.supervisor,
        entry_id=e.pk,
        scores={**full(), "procedure": 5, "contents": 0},
        reasons={"procedure": "未告知听证权利", "contents": "决定书未载明救济途径"},
        remarks="程序问题突出",
    )
    e.refresh_from_db()
    assert e.total == 82 and e.grade == standards.PASS
    assert standards.heading_totals(standards.standard(review.standard), e.scores) == {
        "legal": 30,
        "proportionate": 20,
        "documents": 12,
        "evidence": 20,
    }
    assert e.reasons == {"procedure": "未告知听证权利", "contents": "决定书未载明救济途径"}
    last = Entry.objects.filter(stream=review.stream).order_by("-seq").first()
    assert last.action == "file_review_score" and last.payload["total"] == 82


def test_a_score_above_the_points_of_its_item_is_refused_and_changes_nothing(city):
    review = draw(city)
    before = snapshot(review)
    assert_refused(
        lambda: review_services.file_review_score(
            actor=city.supervisor, entry_id=entry(review, "A").pk, scores={**full(), "limits": 6}
        ),
        "“在法定期限内立案、决定、送达”得分应在0至5分之间",
    )
    assert snapshot(review) == before


def test_a_deduction_without_its_reason_is_refused_by_the_service_and_changes_nothing(city):
    review = draw(city)
    before = snapshot(review)
    assert_refused(
        lambda: review_services.file_review_score(
            actor=city.supervisor,
            entry_id=entry(review, "A").pk,
            scores={**full(), "true": 0},
            reasons={"true": "   "},
        ),
        "“证据真实、客观，与待证事实关联”扣7分，请写明扣分理由",
    )
    assert snapshot(review) == before


def test_a_supervisor_of_another_subtree_may_not_score_and_nothing_changes(city):
    review = draw(city)
    before = snapshot(review)
    assert_refused(
        lambda: review_services.file_review_score(
            actor=city.county_supervisor, entry_id=entry(review, "A").pk, scores=full()
        ),
        "无权评查该案卷",
    )
    assert snapshot(review) == before


def test_a_round_drawn_under_the_old_checklist_keeps_it_and_reads_under_the_headings(
    city, settings
):
    settings.FILE_REVIEW_STANDARD = "2024"
    review = draw(city)
    assert review.standard == "2024"
    old = {**full("2024"), "archive": 3}
    review_services.file_review_score(
        actor=city.supervisor,
        entry_id=entry(review, "A").pk,
        scores=old,
        reasons={"archive": "缺目录"},
    )
    settings.FILE_REVIEW_STANDARD = standards.CURRENT
    e = entry(review, "A")
    assert e.total == 98
    html = login(city.supervisor).get(f"/supervision/reviews/{review.pk}/").content.decode()
    assert "归档完整" in html and "案卷评查标准（2024年版，八项）" in html


# --- publishing and scope -------------------------------------------------------------------


def test_a_round_with_an_unscored_file_cannot_be_published_and_nothing_changes(city):
    review = draw(city)
    score_all(city, review)
    e = entry(review, "G")
    FileReviewCase.objects.filter(pk=e.pk).update(scores=None, total=None, grade="")
    before = snapshot(review)
    assert_refused(
        lambda: review_services.file_review_publish(actor=city.supervisor, review_id=review.pk),
        "尚有1件案卷未评分，评分完毕后才能公布结果",
    )
    assert snapshot(review) == before


def test_a_published_round_is_final(city):
    review = draw(city)
    score_all(city, review)
    review_services.file_review_publish(actor=city.supervisor, review_id=review.pk)
    before = snapshot(review)
    assert_refused(
        lambda: review_services.file_review_score(
            actor=city.supervisor, entry_id=entry(review, "A").pk, scores=full()
        ),
        "本次评查结果已公布，不能再修改评分",
    )
    assert snapshot(review) == before


def test_results_are_published_per_unit_with_average_and_grade_counts(city):
    review = draw(city)
    low = {**full(), "procedure": 0, "proportion": 0, "discretion": 0, "complete": 0}
    score_all(city, review, A=low)  # 59: one point short of 合格
    review_services.file_review_publish(actor=city.supervisor, review_id=review.pk)
    results = {r.unit_code: r for r in review_selectors.review_results(review)}
    cgj = results["371500-CGJ"]
    assert (cgj.drawn, cgj.scored, cgj.lowest) == (2, 2, 59)  # A and E
    assert str(cgj.average) == "79.50"
    assert cgj.grades == {"excellent": 1, "pass": 0, "fail": 1}
    published = Entry.objects.filter(stream=review.stream, action="file_review_publish").get()
    assert {"unit": "371500-CGJ", "cases": 2, "average": "79.50", "grades": cgj.grades} in (
        published.payload["units"]
    )


def test_before_publication_the_unit_sees_nothing_and_after_it_only_its_own_files(city):
    review = draw(city)
    score_all(city, review, A={**full(), "archive": 0})
    url = f"/supervision/reviews/{review.pk}/"
    assert login(city.chief).get(url).status_code == 404
    review_services.file_review_publish(actor=city.supervisor, review_id=review.pk)
    html = login(city.chief).get(url).content.decode()
    assert "本单位评查结果" in html and "扣分理由" in html
    others = Case.objects.filter(pk__in=review.cases.values("case_id")).exclude(unit=city.cgj)
    assert others.exists()
    for c in others.select_related("unit"):
        assert f"/cases/{c.pk}/" not in html and c.unit.name not in html
    mine = Case.objects.get(case_no="A")
    assert f"/cases/{mine.pk}/" in html
    assert "保存评分" not in html
    assert login(city.chief).get("/supervision/reviews/").status_code == 200


def test_a_colleague_of_another_unit_and_an_outsider_get_404(city):
    review = draw(city)
    score_all(city, review)
    review_services.file_review_publish(actor=city.supervisor, review_id=review.pk)
    url = f"/supervision/reviews/{review.pk}/"
    assert login(city.supervisor).get(url).status_code == 200
    for user in (city.county_supervisor, city.other_officer, city.sysadmin):
        assert login(user).get(url).status_code == 404, user.username
    assert login(city.sysadmin).get("/supervision/reviews/").status_code == 404
    r = Client().get(url)
    assert r.status_code == 302 and "/login" in r["Location"]


def test_the_page_keeps_a_refused_sheet_and_says_why(city):
    review = draw(city)
    e = entry(review, "A")
    before = snapshot(review)
    form = {k: str(v) for k, v in full().items()} | {"limits": "1", "remarks": "草稿意见"}
    r = login(city.supervisor).post(f"/supervision/reviews/{review.pk}/files/{e.pk}/score/", form)
    assert r.status_code == 400
    html = r.content.decode()
    assert "扣4分，请写明扣分理由" in html and "草稿意见" in html
    assert snapshot(review) == before
    form["why-limits"] = "超期送达"
    r = login(city.supervisor).post(f"/supervision/reviews/{review.pk}/files/{e.pk}/score/", form)
    assert r.status_code == 302
    assert entry(review, "A").total == 96


def test_a_file_of_another_round_cannot_be_scored_through_this_one(city):
    review, other = draw(city), draw(city, name="另一")
    e = entry(other, "A")
    url = f"/supervision/reviews/{review.pk}/files/{e.pk}/score/"
    assert login(city.supervisor).post(url, full()).status_code == 404


# --- ranking and findings -------------------------------------------------------------------


def test_the_dashboard_ranks_units_by_their_average_in_the_period_of_publication(city):
    review = draw(city)
    score_all(city, review, A={**full(), "archive": 0}, C={**full(), "lawful": 0})
    period = Period.year(clock.today().year)
    assert dashboard(city.city, period)["ranking"] == []
    review_services.file_review_publish(actor=city.supervisor, review_id=review.pk)
    ranking = dashboard(city.city, period)["ranking"]
    by_unit = [(r.rank, r.unit.code, r.cases, str(r.average)) for r in ranking]
    c_unit = Case.objects.get(case_no="C").unit.code
    assert by_unit[-1] == (3, c_unit, 1, "93.00")
    assert by_unit[-2] == (2, "371500-CGJ", 2, "98.00")
    assert dashboard(city.city, Period.year(clock.today().year - 1))["ranking"] == []
    html = login(city.supervisor).get("/supervision/").content.decode()
    assert "案卷评查排名" in html and "98.00" in html


def test_a_finding_on_a_reviewed_file_becomes_a_supervision_item(city):
    review = draw(city)
    e = entry(review, "A")
    r = login(city.supervisor).post(
        f"/supervision/reviews/{review.pk}/files/{e.pk}/item/",
        {"title": "决定书未载明救济途径", "detail": "第3页"},
    )
    assert r.status_code == 302
    item = Item.objects.get(case_id=e.case_id, title="决定书未载明救济途径")
    assert item.statute == review_services.FINDING_STATUTE and review.name in item.detail
    assert Entry.objects.filter(stream=review.stream, action="file_review_item").exists()
    assert Entry.objects.filter(stream=item.stream, action="item_raise").exists()


def test_a_finding_without_a_title_is_refused_and_raises_nothing(city):
    review = draw(city)
    e = entry(review, "A")
    before = snapshot(review)
    assert_refused(
        lambda: review_services.file_review_raise_item(
            actor=city.supervisor, entry_id=e.pk, title="  "
        ),
        "请填写监督事项",
    )
    assert snapshot(review) == before


# --- the API --------------------------------------------------------------------------------


def bearer(user: Any) -> dict[str, str]:
    from demo.testing import otp_code
    from orgs.identity import totp_device

    body = {"username": user.username, "password": PASSWORD}
    if totp_device(user) is not None:
        body["otp_token"] = otp_code(user)
    r = Client().post("/api/auth/token", body, content_type="application/json")
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def test_the_api_scores_a_file_and_refuses_a_bad_sheet_with_422_and_no_change(city):
    review = draw(city)
    e = entry(review, "A")
    url = f"/api/supervision/reviews/{review.pk}/files/{e.pk}/score"
    auth = bearer(city.supervisor)
    before = snapshot(review)
    for bad in (
        {"scores": {**full(), "limits": 10**30}},
        {"scores": {**full(), "nope\x00": 1}},
        {"scores": {**full(), "limits": 0}},
        {"scores": "x"},
    ):
        r = Client().post(url, bad, content_type="application/json", **auth)
        assert r.status_code == 422, r.content
        assert r.json()["errors"]
    assert snapshot(review) == before
    body = {"scores": {**full(), "limits": 0}, "reasons": {"limits": "超期"}}
    r = Client().post(url, body, content_type="application/json", **auth)
    assert r.status_code == 200
    assert r.json()["total"] == 95 and r.json()["headings"]["legal"] == 35
    assert r.json()["grade"] == "excellent"


def test_the_api_publishes_and_a_unit_reads_only_its_own_results(city):
    review = draw(city)
    score_all(city, review)
    auth = bearer(city.supervisor)
    detail = f"/api/supervision/reviews/{review.pk}"
    assert Client().get(detail, **bearer(city.chief)).status_code == 404
    r = Client().post(f"{detail}/publish", content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["published_at"]
    r = Client().post(f"{detail}/publish", content_type="application/json", **auth)
    assert r.status_code == 422 and r.json()["errors"] == ["本次评查结果已经公布"]
    mine = Client().get(detail, **bearer(city.chief)).json()
    assert [u["unit"] for u in mine["units"]] == ["371500-CGJ"]
    assert {f["unit"] for f in mine["files"]} == {"371500-CGJ"}
    assert Client().get(detail, **bearer(city.other_officer)).status_code == 404
    assert Client().get(detail, **bearer(city.county_supervisor)).status_code == 404
    ranking = Client().get("/api/supervision/reviews/ranking", **auth).json()
    assert ranking[0]["rank"] == 1 and ranking[0]["average"] == "100.00"
    assert Client().get("/api/supervision/reviews/ranking", **bearer(city.chief)).status_code == 404
    std = Client().get("/api/supervision/reviews/standard", **bearer(city.county_officer)).json()
    assert [h["label"] for h in std["headings"]] == ["合法", "过罚相当", "文书规范", "证据真实完整"]


def test_a_supervisor_of_another_subtree_cannot_publish_or_raise_through_the_pages(city):
    review = draw(city)
    score_all(city, review)
    e = entry(review, "A")
    before = snapshot(review)
    client = login(city.county_supervisor)
    assert client.post(f"/supervision/reviews/{review.pk}/publish/").status_code == 404
    item = {"title": "越权提出", "detail": ""}
    url = f"/supervision/reviews/{review.pk}/files/{e.pk}/item/"
    assert client.post(url, item).status_code == 404
    assert login(city.chief).post(url, item).status_code == 404
    assert snapshot(review) == before


def test_huge_and_unknown_ids_are_404_not_errors(city):
    auth = bearer(city.supervisor)
    huge = 10**30
    assert Client().get(f"/api/supervision/reviews/{huge}", **auth).status_code in (404, 422)
    assert Client().get(f"/api/supervision/reviews/{2**62}", **auth).status_code == 404
    url = f"/supervision/reviews/{2**62}/files/{2**62}/score/"
    assert login(city.supervisor).post(url, {}).status_code == 404
    r = Client().get("/api/supervision/reviews/standard?version=%00", **auth)
    assert r.status_code == 422 and r.json()["errors"]  # the platform refuses a NUL anywhere


def test_the_api_draws_a_round_for_a_supervisor_only_and_refuses_a_reversed_period(city):
    body = {
        "name": "接口评查",
        "method": "random",
        "per_unit": 1,
        "seed": "s1",
        "period_start": "2022-01-01",
        "period_end": "2022-12-31",
    }
    r = Client().post(
        "/api/supervision/reviews", body, content_type="application/json", **bearer(city.supervisor)
    )
    assert r.status_code == 200 and r.json()["standard"] == standards.CURRENT
    assert FileReview.objects.get(pk=r.json()["id"]).cases.count() == 3
    n = FileReview.objects.count()
    reversed_ = {**body, "period_start": "2023-01-01"}
    r = Client().post(
        "/api/supervision/reviews",
        reversed_,
        content_type="application/json",
        **bearer(city.supervisor),
    )
    assert r.status_code == 422 and r.json()["errors"] == ["结案日期止不能早于结案日期起"]
    r = Client().post(
        "/api/supervision/reviews", body, content_type="application/json", **bearer(city.chief)
    )
    assert r.status_code == 404
    assert FileReview.objects.count() == n
