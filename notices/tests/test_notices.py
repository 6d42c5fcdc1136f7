"""Notices on a real database: each event tells exactly the people it concerns, once; SMS only for
those who asked, collapsed into one digest beyond the threshold; nobody reads another's notice."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from cases.services.preservations import preservation_approve, preservation_request
from cases.tests.flow import act, advance, register
from cases.tests.test_preservation import ITEMS
from conftest import SHANGHAI
from deadlines.models import Deadline
from deadlines.services import run_worker_once
from law.personal import mask_phone
from notices.models import Notice
from notices.services import notice_emit, notice_settings_set, notices_sms_due
from orgs.models import User
from outbox.models import Delivery, OutboxMessage
from procedure.engine import Refused
from supervision import matters
from zhifa import clock

pytestmark = pytest.mark.django_db


def told(kind: str, **filters: Any) -> list[str]:
    """The usernames told of `kind`, one entry per notice, sorted."""
    rows = Notice.objects.filter(kind=kind, **filters).values_list("user__username", flat=True)
    return sorted(rows)


def on(day: dt.date) -> None:
    clock.set_now(dt.datetime.combine(day, dt.time(9), tzinfo=SHANGHAI))


def phone(user: User, number: str) -> User:
    User.objects.filter(pk=user.pk).update(phone=number)
    user.refresh_from_db()
    return user


def sms_to(number: str) -> list[str]:
    # The recipient is stored encrypted without a search index: compare the decrypted values.
    sms = OutboxMessage.objects.filter(channel="sms").order_by("id")
    return [m.body for m in sms if m.recipient == number]


# --- the events ---------------------------------------------------------------------------------


def test_a_case_returned_by_the_chief_tells_its_handler_and_co_handler_and_no_one_else(org):
    case = advance(org, register(org), until="filing_review")
    act(org, case, "filing_review", decision="return", opinion="材料不全，退回补充")
    notices = Notice.objects.filter(kind=Notice.Kind.RETURNED)
    assert told(Notice.Kind.RETURNED) == ["cohandler", "handler"]
    assert {n.subject for n in notices} == {case.stream}
    assert all("退回补充" in n.text and "立案申请" in n.text for n in notices)
    assert {n.url for n in notices} == {f"/cases/{case.pk}/"}


def test_the_legal_reviewers_request_for_more_investigation_tells_the_handlers(org):
    case = advance(org, register(org), until="legal_review")
    assert told(Notice.Kind.APPROVAL, text__contains="法制审核") == ["legal"]
    act(org, case, "legal_review", decision="supplement", opinion="证据不足，补充调查")
    assert told(Notice.Kind.RETURNED) == ["cohandler", "handler"]
    assert all("调查取证" in n.text for n in Notice.objects.filter(kind=Notice.Kind.RETURNED))


def test_a_step_taken_forward_tells_no_handler_that_the_case_came_back(org):
    case = advance(org, register(org), until="filing_review")
    act(org, case, "filing_review")  # 同意
    assert told(Notice.Kind.RETURNED) == []


def test_an_approval_waiting_tells_the_units_officers_in_that_role_only(org):
    case = register(org)  # 案源登记 → 案源处置审批 (业务科长)
    assert told(Notice.Kind.APPROVAL) == ["chief"]  # not the other agency's 科长
    case = advance(org, case, until="filing_approve")  # … → 立案审批 (分管局长)
    waiting = told(Notice.Kind.APPROVAL, text__contains="立案审批")
    assert waiting == ["director"]
    assert told(Notice.Kind.APPROVAL, user=org.other_officer) == []
    assert told(Notice.Kind.APPROVAL, user=org.handler) == []


def test_acting_on_the_case_reads_the_actors_waiting_notice_of_it_and_no_one_elses(org):
    case = register(org)
    other = register(org, act_on=clock.today() - dt.timedelta(days=11))
    act(org, case, "lead_approve")
    read = Notice.objects.filter(user=org.chief, kind=Notice.Kind.APPROVAL, read_at__isnull=False)
    assert [n.subject for n in read] == [case.stream]  # the other case's is still unread
    assert Notice.objects.get(subject=other.stream, user=org.chief).read_at is None


def test_an_approval_is_not_announced_to_the_approver_who_moved_it_there(org):
    # The chief who approves the 立案审核 is not told of the 立案审批 (the director's).
    case = advance(org, register(org), until="filing_review")
    before = told(Notice.Kind.APPROVAL, user=org.chief)
    act(org, case, "filing_review")
    assert told(Notice.Kind.APPROVAL, user=org.chief) == before


def test_a_limit_approaching_tells_the_handlers_on_its_warning_day_and_not_the_day_before(org):
    case = advance(org, register(org), until="investigation")
    d = Deadline.objects.get(case=case, code="decision_limit")
    on(d.warn_on - dt.timedelta(days=1))
    run_worker_once()
    assert told(Notice.Kind.LIMIT_APPROACHING) == []
    on(d.warn_on)
    run_worker_once()
    assert told(Notice.Kind.LIMIT_APPROACHING) == ["cohandler", "handler"]
    assert told(Notice.Kind.LIMIT_APPROACHING, user=org.chief) == []


def test_a_limit_passes_the_day_after_its_last_lawful_day_and_a_rerun_tells_no_one_again(org):
    case = advance(org, register(org), until="investigation")
    d = Deadline.objects.get(case=case, code="decision_limit")
    on(d.due_on)  # the last lawful day: approaching, not passed
    run_worker_once()
    assert told(Notice.Kind.LIMIT_OVERDUE) == []
    on(d.due_on + dt.timedelta(days=1))
    run_worker_once()
    assert told(Notice.Kind.LIMIT_OVERDUE) == ["cohandler", "handler"]
    # The worker's row is done: the next passes, and the same event made again, add nothing.
    run_worker_once()
    notice_emit(
        users=[org.handler, org.co_handler],
        kind=Notice.Kind.LIMIT_OVERDUE,
        subject=case.stream,
        occasion=f"deadline:{d.pk}",
        text="再次",
    )
    assert told(Notice.Kind.LIMIT_OVERDUE) == ["cohandler", "handler"]
    assert Notice.objects.filter(text="再次").count() == 0


def test_a_supervision_matter_sent_tells_the_agencys_chief_and_director_only(org):
    m = matters.matter_open(
        actor=org.supervisor, source="manual", unit=org.cgj, title="未按期公示", facts="超期未公示"
    )
    assert told(Notice.Kind.MATTER) == []  # opened, not yet sent
    matters.matter_send(actor=org.supervisor, matter_id=m.pk, instrument="urge", demand="限期公示")
    assert told(Notice.Kind.MATTER) == ["chief", "director"]
    assert {n.url for n in Notice.objects.filter(kind=Notice.Kind.MATTER)} == {
        f"/supervision/matters/{m.pk}/"
    }


def test_a_matter_sent_back_for_another_correction_tells_the_agency_heads_again(org):
    m = matters.matter_open(
        actor=org.supervisor, source="manual", unit=org.cgj, title="未按期公示", facts="超期未公示"
    )
    matters.matter_send(actor=org.supervisor, matter_id=m.pk, instrument="urge", demand="限期公示")
    matters.matter_answer(actor=org.chief, matter_id=m.pk, reply="已公示")
    assert told(Notice.Kind.MATTER) == ["chief", "director"]  # the answer tells no one
    matters.matter_return(actor=org.supervisor, matter_id=m.pk, note="公示内容不全")
    assert told(Notice.Kind.MATTER) == ["chief", "chief", "director", "director"]
    assert told(Notice.Kind.MATTER, text__contains="退回重新整改") == ["chief", "director"]


def test_a_preservation_request_tells_the_director_and_the_approval_reads_it(org):
    case = advance(org, register(org), until="investigation")
    item = preservation_request(
        case_id=case.pk, actor=org.handler, items=ITEMS, reason="当事人正在拆除，证据可能灭失"
    )
    subject = f"{case.stream}/preservation:{item.pk}"
    assert told(Notice.Kind.APPROVAL, subject=subject) == ["director"]
    # It links to the section, asked open (the case page folds it otherwise).
    url = Notice.objects.get(subject=subject).url
    assert url == f"/cases/{case.pk}/?open=preservations#preservations"
    preservation_approve(
        case_id=case.pk, actor=org.director, preservation_id=item.pk, approved=True, opinion="同意"
    )
    assert Notice.objects.get(subject=subject).read_at is not None
    assert told(Notice.Kind.APPROVAL, subject=subject) == ["director"]  # carrying out: officers


def test_a_refused_step_tells_no_one(org):
    case = advance(org, register(org), until="filing_review")
    before = Notice.objects.count()
    with pytest.raises(Refused):
        act(org, case, "filing_review", decision="return", opinion="")
    assert Notice.objects.count() == before


# --- SMS ----------------------------------------------------------------------------------------


def test_an_sms_goes_only_to_the_officer_who_turned_it_on_for_that_kind(org):
    handler = phone(org.handler, "13800001111")
    phone(org.co_handler, "13800002222")
    notice_settings_set(user=handler, sms_kinds=[Notice.Kind.RETURNED])
    case = advance(org, register(org), until="filing_review")
    act(org, case, "filing_review", decision="return", opinion="材料不全，退回补充")
    notices_sms_due()
    assert len(sms_to("13800001111")) == 1
    assert "退回" in sms_to("13800001111")[0]
    assert sms_to("13800002222") == []  # the co-handler did not ask
    notices_sms_due()  # nothing sent twice
    assert len(sms_to("13800001111")) == 1


def test_an_approval_waiting_is_marked_for_sms_only_for_an_approver_who_asked_and_has_a_phone(
    org,
):
    notice_settings_set(user=phone(org.chief, "13800003333"), sms_kinds=[Notice.Kind.APPROVAL])
    director = phone(org.director, "13800004444")
    notice_settings_set(user=director, sms_kinds=[Notice.Kind.APPROVAL])
    phone(director, "")  # turned on, then the number was removed
    case = register(org)  # 案源处置审批 waits for the 科长
    chief = Notice.objects.get(user=org.chief, kind=Notice.Kind.APPROVAL, subject=case.stream)
    assert chief.sms == Notice.Sms.PENDING
    advance(org, case, until="filing_approve")  # 立案审批 waits for the 分管局长
    waiting = Notice.objects.get(
        user=org.director, kind=Notice.Kind.APPROVAL, text__contains="立案审批"
    )
    assert waiting.sms == Notice.Sms.NONE
    notice_settings_set(user=phone(org.chief, "13800003333"), sms_kinds=[Notice.Kind.RETURNED])
    other = register(org, act_on=clock.today() - dt.timedelta(days=11))
    assert Notice.objects.get(user=org.chief, subject=other.stream).sms == Notice.Sms.NONE


def test_an_sms_setting_for_another_kind_sends_nothing_for_this_one(org):
    handler = phone(org.handler, "13800001111")
    notice_settings_set(user=handler, sms_kinds=[Notice.Kind.LIMIT_OVERDUE])
    case = advance(org, register(org), until="filing_review")
    act(org, case, "filing_review", decision="return", opinion="材料不全，退回补充")
    notices_sms_due()
    assert sms_to("13800001111") == []


def emit(user: User, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        notice_emit(
            users=[user],
            kind=Notice.Kind.APPROVAL,
            subject=f"case:{1000 + i}",
            occasion="entry:2",
            text=f"案件{i}待您审批",
        )


def test_notices_up_to_the_threshold_go_one_message_each(org, settings):
    settings.NOTICE_DIGEST_THRESHOLD = 3
    chief = phone(org.chief, "13900003333")
    notice_settings_set(user=chief, sms_kinds=[Notice.Kind.APPROVAL])
    emit(chief, 3)
    notices_sms_due()
    assert len(sms_to("13900003333")) == 3


def test_one_more_than_the_threshold_collapses_into_one_digest(org, settings):
    settings.NOTICE_DIGEST_THRESHOLD = 3
    chief = phone(org.chief, "13900003333")
    notice_settings_set(user=chief, sms_kinds=[Notice.Kind.APPROVAL])
    emit(chief, 4)
    notices_sms_due()
    assert sms_to("13900003333") == [
        "【执法办案平台】您有 4 条待办提醒（待审批），请登录平台查看。"
    ]
    assert Notice.objects.filter(user=chief, sms=Notice.Sms.DIGESTED).count() == 4


def test_notices_after_a_digest_wait_for_the_next_window(org, settings):
    settings.NOTICE_DIGEST_THRESHOLD = 3
    settings.NOTICE_DIGEST_MINUTES = 30
    chief = phone(org.chief, "13900003333")
    notice_settings_set(user=chief, sms_kinds=[Notice.Kind.APPROVAL])
    emit(chief, 4)
    notices_sms_due()
    emit(chief, 2, start=10)
    clock.set_now(clock.now() + dt.timedelta(minutes=29))
    notices_sms_due()
    assert len(sms_to("13900003333")) == 1  # still inside the window of the first digest
    clock.set_now(clock.now() + dt.timedelta(minutes=2))
    notices_sms_due()  # a new window: the two held ones are few enough to go one by one
    assert sms_to("13900003333")[1:] == [
        "【执法办案平台】案件10待您审批",
        "【执法办案平台】案件11待您审批",
    ]


def test_the_worker_sends_the_sms_copies_through_the_outbox(org):
    handler = phone(org.handler, "13800001111")
    notice_settings_set(user=handler, sms_kinds=[Notice.Kind.RETURNED])
    case = advance(org, register(org), until="filing_review")
    act(org, case, "filing_review", decision="return", opinion="材料不全，退回补充")
    call_command("run_worker", "--once", stdout=io.StringIO())
    delivered = [
        d
        for d in Delivery.objects.filter(channel="sms").order_by("id")
        if d.recipient == "13800001111"
    ]
    assert [d.body for d in delivered] == sms_to("13800001111")
    assert len(delivered) == 1 and "退回" in delivered[0].body


def test_sms_cannot_be_turned_on_without_a_mobile_number_and_the_refusal_changes_nothing(org):
    with pytest.raises(Refused) as exc:
        notice_settings_set(user=org.handler, sms_kinds=[Notice.Kind.RETURNED])
    assert "手机号" in exc.value.fields["sms_kinds"][0]
    handler = phone(org.handler, "13800001111")
    with pytest.raises(Refused) as exc:
        notice_settings_set(user=handler, sms_kinds=["returned", "lottery"])
    assert exc.value.fields["sms_kinds"] == ["提醒类型不正确"]
    assert not hasattr(handler, "notice_setting") or handler.notice_setting.sms_kinds == []


def test_a_phone_number_is_masked_on_the_pages():
    assert mask_phone("13800001111") == "138****1111"


# --- pages and access ---------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def a_returned_case(org: Any) -> Notice:
    case = advance(org, register(org), until="filing_review")
    act(org, case, "filing_review", decision="return", opinion="材料不全，退回补充")
    return Notice.objects.get(user=org.handler, kind=Notice.Kind.RETURNED)


def test_the_bell_counts_the_unread_and_reading_the_list_marks_nothing(org):
    notice = a_returned_case(org)
    page = logged_in(org.handler).get("/notices/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="bell"' in html and "提醒，1 条未读" in html
    assert notice.text in html
    notice.refresh_from_db()
    assert notice.read_at is None  # a GET never writes


def test_marking_read_by_post_opens_the_case_and_clears_the_count(org):
    notice = a_returned_case(org)
    c = logged_in(org.handler)
    answer = c.post(f"/notices/{notice.pk}/read/")
    assert answer.status_code == 302 and answer["Location"] == notice.url
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "条未读" not in c.get("/notices/").content.decode()


@pytest.mark.parametrize("who", ["co_handler", "other_officer", "supervisor"])
def test_nobody_reads_or_marks_another_officers_notice(org, who):
    # The co-handler has a notice of the same case, the other agency's officer none, the
    # supervisor reads the case but not the handler's notices: each gets 404.
    notice = a_returned_case(org)
    c = logged_in(getattr(org, who))
    assert c.post(f"/notices/{notice.pk}/read/").status_code == 404
    assert notice.text not in c.get("/notices/").content.decode() or who == "co_handler"
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_notice_number_out_of_range_is_404(org):
    c = logged_in(org.handler)
    assert c.post(f"/notices/{2**70}/read/").status_code == 404
    assert c.get("/notices/?page=99999999999999999999").status_code == 200


def test_the_settings_page_saves_sms_kinds_and_shows_the_number_masked(org):
    phone(org.handler, "13800001111")
    c = logged_in(org.handler)
    assert "138****1111" in c.get("/notices/settings/").content.decode()
    answer = c.post("/notices/settings/", {"sms_kinds": ["returned", "limit_overdue"]})
    assert answer.status_code == 302
    org.handler.refresh_from_db()
    assert org.handler.notice_setting.sms_kinds == ["limit_overdue", "returned"]
    refused = c.post("/notices/settings/", {"sms_kinds": ["x\u00a0"]})
    assert refused.status_code == 422 and "提醒类型不正确" in refused.content.decode()
    org.handler.notice_setting.refresh_from_db()
    assert org.handler.notice_setting.sms_kinds == ["limit_overdue", "returned"]


def test_the_notice_pages_need_a_login(client):
    assert client.get("/notices/").status_code == 302
    assert client.post("/notices/1/read/").status_code == 302
