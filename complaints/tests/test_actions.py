"""The unit's officers act on the complaints in their queue: scope, each action and its refusals,
立案 as a lead with source 投诉举报, the 受理 limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from cases.models import Case
from complaints import services
from complaints.models import Complaint
from complaints.selectors import waiting
from law.validators import make_credit_code
from ledger.models import Entry
from procedure.engine import END
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db

PARTY = {
    "kind": "organisation",
    "name": "聊城市某某餐饮有限公司",
    "id_number": make_credit_code("91371500MA3C0000"[:17].ljust(17, "0")),
    "address": "聊城市东昌府区柳园路88号",
}


def _logged(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _state(c: Complaint) -> tuple:
    c.refresh_from_db()
    entries = Entry.objects.filter(stream=c.stream).count()
    return (c.step, c.status, c.unit_id, c.reject_reason, c.result, c.case_id, entries)


def test_the_officers_of_the_unit_see_its_complaint_and_no_one_else_does(org, file_one):
    c = file_one()
    page = _logged(org.chief).get(f"/complaints/{c.pk}/")
    assert page.status_code == 200 and c.facts in page.content.decode()
    assert c.code in _logged(org.handler).get("/complaints/").content.decode()
    # A colleague of another unit: not found, and not in the queue.
    assert _logged(org.other_officer).get(f"/complaints/{c.pk}/").status_code == 404
    assert c.code not in _logged(org.other_officer).get("/complaints/").content.decode()
    assert _logged(org.other_officer).post(f"/complaints/{c.pk}/accept/").status_code == 404
    assert _state(c)[0] == "complaint_intake"
    # An outsider is sent to the login.
    r = Client().get(f"/complaints/{c.pk}/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert Client().get("/complaints/").status_code == 302


def test_a_photo_is_seen_only_by_whoever_sees_its_complaint(org, file_one):
    from complaints.services import PhotoIn
    from complaints.tests.conftest import jpeg

    c = file_one(photos=[PhotoIn(jpeg(), "a.jpg")])
    photo = c.photos.get()
    assert _logged(org.chief).get(f"/complaints/photos/{photo.pk}/").status_code == 200
    assert _logged(org.other_officer).get(f"/complaints/photos/{photo.pk}/").status_code == 404


def test_accepting_then_filing_creates_a_lead_with_source_complaint(org, file_one):
    c = file_one()
    r = _logged(org.chief).post(f"/complaints/{c.pk}/accept/")
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == Complaint.Status.ACCEPTED and c.decided_on == clock.today()
    r = _logged(org.handler).post(
        f"/complaints/{c.pk}/file/",
        {
            "party_kind": PARTY["kind"],
            "party_name": PARTY["name"],
            "party_id_number": PARTY["id_number"],
            "party_address": PARTY["address"],
        },
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == Complaint.Status.FILED and c.step == "complaint_filed"
    case = Case.objects.get()
    assert c.case == case
    assert case.source == Case.Source.COMPLAINT and case.unit == org.cgj
    assert case.status == Case.Status.LEAD and case.step == "lead_approve"  # step 1 ran
    assert c.code in case.clue and case.place == c.place
    actions = list(
        Entry.objects.filter(stream=c.stream).order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["complaint_submitted", "complaint_intake", "complaint_handling"]
    assert Entry.objects.filter(stream=case.stream, action="lead_register").exists()


def test_filing_with_a_party_whose_number_fails_its_check_digit_changes_nothing(org, file_one):
    c = file_one()
    services.complaint_accept(complaint_id=c.pk, actor=org.chief)
    before = _state(c)
    last = PARTY["id_number"][-1]
    bad = {**PARTY, "id_number": PARTY["id_number"][:-1] + ("0" if last != "0" else "1")}
    assert_refused(
        lambda: services.complaint_file(complaint_id=c.pk, actor=org.handler, parties=[bad]),
        "校验",
    )
    assert _state(c) == before and not Case.objects.exists()


def test_filing_is_refused_to_a_section_chief_who_is_not_a_handler(org, file_one):
    c = file_one()
    services.complaint_accept(complaint_id=c.pk, actor=org.chief)
    before = _state(c)
    assert_refused(
        lambda: services.complaint_file(complaint_id=c.pk, actor=org.chief, parties=[PARTY]),
        "须由承办人办理",
    )
    assert _state(c) == before and not Case.objects.exists()


def test_rejecting_without_a_reason_is_refused_and_changes_nothing(org, file_one):
    c = file_one()
    before = _state(c)
    assert_refused(
        lambda: services.complaint_reject(complaint_id=c.pk, actor=org.chief, reason="  "),
        "请填写不予受理的理由",
        field="reason",
    )
    assert _state(c) == before


def test_rejecting_with_a_reason_ends_the_complaint(org, file_one):
    c = file_one()
    services.complaint_reject(complaint_id=c.pk, actor=org.chief, reason="已过追责时效")
    c.refresh_from_db()
    assert (c.status, c.step, c.reject_reason) == ("rejected", END, "已过追责时效")
    assert_refused(lambda: services.complaint_accept(complaint_id=c.pk, actor=org.chief), "已办结")


def test_a_handler_may_not_decide_on_acceptance(org, file_one):
    c = file_one()
    before = _state(c)
    assert_refused(
        lambda: services.complaint_accept(complaint_id=c.pk, actor=org.handler),
        "投诉举报受理审查”须由",
    )
    assert _state(c) == before


def test_the_dispatcher_cannot_accept_but_transfers_to_the_unit_in_charge(org, file_one):
    c = file_one(unit="unknown")
    assert c.unit == org.justice
    before = _state(c)
    assert_refused(
        lambda: services.complaint_accept(complaint_id=c.pk, actor=org.supervisor),
        "不是执法单位",
    )
    assert _state(c) == before
    r = _logged(org.supervisor).post(f"/complaints/{c.pk}/transfer/", {"unit": org.scjg.pk})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.unit == org.scjg and c.status == "pending" and c.step == "complaint_intake"
    entry = Entry.objects.filter(stream=c.stream).last()
    assert entry is not None
    assert entry.payload["data"]["to_unit"] == org.scjg.code
    # Now it is the 市场监管局's: its officer accepts it, 城管局's sees nothing.
    assert _logged(org.other_officer).get(f"/complaints/{c.pk}/").status_code == 200
    assert _logged(org.chief).get(f"/complaints/{c.pk}/").status_code == 404
    services.complaint_accept(complaint_id=c.pk, actor=org.other_officer)


def test_a_transfer_to_the_same_unit_or_to_no_unit_is_refused(org, file_one):
    c = file_one()
    before = _state(c)
    for target, reason in ((org.cgj.pk, "不能转办给本单位"), ("x", "请选择"), (10**30, "请选择")):
        assert_refused(
            lambda t=target: services.complaint_transfer(
                complaint_id=c.pk, actor=org.chief, unit_id=t
            ),
            reason,
            field="unit",
        )
    assert _state(c) == before


def test_concluding_publishes_the_result_on_the_status_page(org, file_one, client):
    c = file_one()
    services.complaint_accept(complaint_id=c.pk, actor=org.chief)
    assert_refused(
        lambda: services.complaint_conclude(complaint_id=c.pk, actor=org.chief, result=""),
        "请填写办理结果",
        field="result",
    )
    services.complaint_conclude(complaint_id=c.pk, actor=org.chief, result="已责令当事人整改完毕")
    c.refresh_from_db()
    assert c.status == "concluded" and c.closed_on == clock.today()
    page = client.get("/gs/tousu/chaxun/", {"code": c.code}).content.decode()
    assert "办结" in page and "已责令当事人整改完毕" in page


def test_the_acceptance_limit_is_late_from_the_day_after_its_last_day(org, file_one):
    c = file_one()  # Monday 2025-03-03: the last day is Wednesday 2025-03-12
    assert c.accept_due_on == dt.date(2025, 3, 12)
    clock.set_now(clock.now().replace(day=12))
    assert [x.late for x in waiting(org.chief)] == [False]
    assert services.complaints_mark_overdue() is None
    assert "已超期" not in _logged(org.chief).get("/complaints/inbox/").content.decode()
    clock.set_now(clock.now().replace(day=13))
    assert [x.late for x in waiting(org.chief)] == [True]
    assert "已超期" in _logged(org.chief).get("/complaints/inbox/").content.decode()
    assert services.complaints_mark_overdue() == "投诉举报受理超期 1 件"
    assert services.complaints_mark_overdue() is None  # once
    assert Entry.objects.filter(stream=c.stream, action="complaint_overdue").count() == 1


def test_an_accepted_complaint_is_not_late(org, file_one):
    c = file_one()
    services.complaint_accept(complaint_id=c.pk, actor=org.chief)
    clock.set_now(clock.now() + dt.timedelta(days=30))
    assert services.complaints_mark_overdue() is None
    assert [x.late for x in waiting(org.chief)] == [False]


def test_the_limit_counts_working_days_over_a_holiday(org, file_one):
    # Filed Monday 2025-09-29: 9-30, then 国庆 (10-01 to 10-08) is skipped, 10-09, 10-10, the
    # 调休 Saturday 10-11 counts, 10-13, 10-14 and the seventh working day is 10-15.
    clock.set_now(clock.now().replace(month=9, day=29))
    c = file_one()
    assert c.accept_due_on == dt.date(2025, 10, 15)


def test_the_queue_filters_by_status_and_pages(org, file_one):
    cs = [file_one() for _ in range(3)]
    services.complaint_accept(complaint_id=cs[0].pk, actor=org.chief)
    client = _logged(org.chief)
    page = client.get("/complaints/", {"status": "accepted"}).content.decode()
    assert cs[0].code in page and cs[1].code not in page
    from complaints import selectors

    first = selectors.queue_page(org.chief, selectors.QueueFilter(), 1, size=2)
    second = selectors.queue_page(org.chief, selectors.QueueFilter(), 2, size=2)
    assert first.has_next and not second.has_next
    assert {c.pk for c in first.rows + second.rows} == {c.pk for c in cs}
    assert client.get("/complaints/", {"page": "99999999999", "from": "x"}).status_code == 200


def test_a_get_of_the_officer_pages_writes_nothing(org, file_one):
    c = file_one()
    before = _state(c)
    client = _logged(org.chief)
    for url in ("/complaints/", f"/complaints/{c.pk}/", "/complaints/inbox/", "/"):
        assert client.get(url).status_code == 200
    assert _state(c) == before


def test_a_complaint_waits_in_the_todo_of_those_who_decide_and_is_late_the_day_after(org, file_one):
    c = file_one()  # the last day of the acceptance limit is Wednesday 2025-03-12
    clock.set_now(clock.now().replace(day=12))
    html = _logged(org.chief).get("/").content.decode()
    row = html[html.index('<tr data-kind="complaint"') :]
    row = row[: row.index("</tr>")]
    assert c.code in row and "受理审查" in row and "2025-03-12" in row and "已超期" not in row
    clock.set_now(clock.now().replace(day=13))
    html = _logged(org.chief).get("/").content.decode()
    row = html[html.index('<tr data-kind="complaint"') :]
    assert "已超期" in row[: row.index("</tr>")]
    assert '<tr data-kind="complaint"' not in _logged(org.handler).get("/").content.decode()
    assert '<tr data-kind="complaint"' not in _logged(org.other_officer).get("/").content.decode()
