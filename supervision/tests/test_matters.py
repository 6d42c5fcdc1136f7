"""执法监督事项 under the 行政执法监督条例 (2026) through the services, on a real database: the
periods on their last lawful day and the day after, the 第三十三条 refusal, the objection, the
escalation to the government, officer measures, scope. Each refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from cases.models import Case, Review
from deadlines.models import Timer
from deadlines.services import run_timers_once
from law.calendar import SHANGHAI
from ledger.models import Entry
from procedure.engine import Refused
from supervision import matters, selectors
from supervision.models import Item, Matter, OfficerMeasure
from zhifa import clock

SENT = dt.date(2026, 4, 20)  # an 意见书 sent that day: the 30th day is 2026-05-20
LAST = dt.date(2026, 5, 20)


def at(day: dt.date, hour: int = 10) -> None:
    clock.set_now(dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI))


def snapshot(matter_id: int) -> tuple[Any, ...]:
    m = Matter.objects.get(pk=matter_id)
    fields = {f.attname: getattr(m, f.attname) for f in Matter._meta.concrete_fields}
    fields["evidence"] = str(fields["evidence"])
    return (
        fields,
        Entry.objects.filter(stream=m.stream).count(),
        list(Timer.objects.filter(subject=m.stream).values_list("kind", "status", "due_at")),
        OfficerMeasure.objects.filter(matter=m).count(),
    )


def refused(matter_id: int, call: Any, reason: str) -> None:
    before = snapshot(matter_id)
    with pytest.raises(Refused) as exc:
        call()
    assert any(reason in e for e in exc.value.errors), exc.value.errors
    assert snapshot(matter_id) == before


def opened(world: Any, case_no: str = "M-1", **kw: Any) -> Matter:
    return matters.matter_open(
        actor=world.supervisor,
        case=Case.objects.get(case_no=case_no),
        title="未按期公示处罚决定",
        facts="处罚决定作出后超过20个工作日未公示",
        **kw,
    )


def sent(world: Any, instrument: str = "opinion", **kw: Any) -> Matter:
    m = opened(world, **kw)
    return matters.matter_send(
        actor=world.supervisor, matter_id=m.pk, instrument=instrument, demand="限期公示并报告"
    )


def test_an_opinion_gives_thirty_calendar_days_from_the_day_after_it_is_sent(world):
    m = sent(world)
    assert (m.sent_on, m.reply_due_on) == (SENT, LAST)
    timer = Timer.objects.get(kind=matters.REPLY_TIMER, subject=m.stream)
    assert timer.due_at == dt.datetime(2026, 5, 21, tzinfo=SHANGHAI)


def test_a_correction_reported_on_the_last_lawful_day_is_not_late(world):
    m = sent(world)
    at(LAST, 23)
    m = matters.matter_answer(actor=world.chief, matter_id=m.pk, reply="已公示")
    assert selectors.matter_due(m, LAST) == (LAST, False)
    entry = Entry.objects.filter(stream=m.stream, action="matter_answer").get()
    assert entry.payload["late"] is False


def test_a_correction_reported_the_day_after_the_last_lawful_day_is_late(world):
    m = sent(world)
    at(LAST + dt.timedelta(days=1), 0)
    m = matters.matter_answer(actor=world.director, matter_id=m.pk, reply="已公示")
    assert selectors.matter_due(m, clock.today()) == (LAST, True)
    entry = Entry.objects.filter(stream=m.stream, action="matter_answer").get()
    assert entry.payload["late"] is True


# 国庆 2026: 10-01 to 10-07 off. An 意见书 sent on 2026-09-07 has its 30th day on 10-07, a holiday:
# the period binds the agency, so it does not roll over to the next working day (law/oversight.py).
HOLIDAY_SENT, HOLIDAY_LAST = dt.date(2026, 9, 7), dt.date(2026, 10, 7)


@pytest.mark.parametrize(("day", "late"), [(HOLIDAY_LAST, False), (dt.date(2026, 10, 8), True)])
def test_a_period_ending_on_a_holiday_does_not_roll_over_for_the_agency(world, day, late):
    at(HOLIDAY_SENT)
    m = sent(world)
    assert m.reply_due_on == HOLIDAY_LAST
    at(day, 9)
    m = matters.matter_answer(actor=world.chief, matter_id=m.pk, reply="已公示")
    entry = Entry.objects.filter(stream=m.stream, action="matter_answer").get()
    assert entry.payload["late"] is late


def test_the_urge_letter_period_is_its_own_setting(world, settings):
    settings.SUPERVISION_URGE_REPLY_DAYS = 15
    m = sent(world, instrument="urge")
    assert m.reply_due_on == SENT + dt.timedelta(days=15)


def test_the_worker_marks_an_unanswered_matter_late_the_day_after_and_not_before(world):
    m = sent(world)
    at(LAST, 23)
    run_timers_once()
    assert not Entry.objects.filter(stream=m.stream, action="matter_reply_overdue").exists()
    at(LAST + dt.timedelta(days=1), 0)
    run_timers_once()
    assert Entry.objects.filter(stream=m.stream, action="matter_reply_overdue").count() == 1
    assert selectors.matter_due(Matter.objects.get(pk=m.pk), clock.today()) == (LAST, True)


def test_a_proposal_to_the_government_is_refused_while_the_period_runs(world):
    m = sent(world)
    at(LAST)
    refused(
        m.pk,
        lambda: matters.matter_propose(actor=world.supervisor, matter_id=m.pk, proposal="建议通报"),
        "逾期未答复（整改）或者属于重大事项",
    )


def test_an_ignored_opinion_goes_to_the_government_the_day_after_its_last_day(world):
    m = sent(world)
    at(LAST + dt.timedelta(days=1))
    m = matters.matter_propose(actor=world.supervisor, matter_id=m.pk, proposal="建议责令改正")
    assert m.status == Matter.Status.PROPOSED
    entry = Entry.objects.filter(stream=m.stream, action="matter_propose").get()
    assert entry.payload["ignored"] is True


def test_a_major_matter_goes_to_the_government_at_once(world):
    m = sent(world, major=True)
    m = matters.matter_propose(actor=world.supervisor, matter_id=m.pk, proposal="建议责令改正")
    assert m.status == Matter.Status.PROPOSED


def test_the_government_decision_starts_a_thirty_day_report_period(world):
    m = sent(world, major=True)
    matters.matter_propose(actor=world.supervisor, matter_id=m.pk, proposal="建议责令改正")
    decided = dt.date(2026, 4, 22)
    at(dt.date(2026, 4, 25))
    m = matters.matter_decide(
        actor=world.supervisor,
        matter_id=m.pk,
        decided_on=decided,
        number="聊政决〔2026〕3号",
        content="责令限期改正",
    )
    assert m.report_due_on == dt.date(2026, 5, 22)
    at(dt.date(2026, 5, 22))
    on_time = matters.matter_report(actor=world.chief, matter_id=m.pk, report="已改正")
    assert selectors.matter_due(on_time, clock.today()) == (dt.date(2026, 5, 22), False)


def test_a_decision_report_the_day_after_its_last_day_is_late(world):
    m = sent(world, major=True)
    matters.matter_propose(actor=world.supervisor, matter_id=m.pk, proposal="建议")
    m = matters.matter_decide(
        actor=world.supervisor, matter_id=m.pk, decided_on=SENT, number="决3号", content="改正"
    )
    at(dt.date(2026, 5, 21))
    m = matters.matter_report(actor=world.chief, matter_id=m.pk, report="已改正")
    assert selectors.matter_due(m, clock.today()) == (LAST, True)
    assert Entry.objects.get(stream=m.stream, action="matter_report").payload["late"] is True


def test_a_decision_dated_before_the_proposal_is_refused_by_field(world):
    m = sent(world, major=True)
    matters.matter_propose(actor=world.supervisor, matter_id=m.pk, proposal="建议")
    before = snapshot(m.pk)
    with pytest.raises(Refused) as exc:
        matters.matter_decide(
            actor=world.supervisor,
            matter_id=m.pk,
            decided_on=SENT - dt.timedelta(days=1),
            number="决3号",
            content="改正",
        )
    assert exc.value.fields == {"decided_on": ["决定日期不能早于处理建议日期"]}
    assert snapshot(m.pk) == before


def test_a_matter_on_a_decision_under_pending_litigation_is_refused_and_steered_there(world):
    n, entries = Matter.objects.count(), Entry.objects.count()
    with pytest.raises(Refused) as exc:
        opened(world, case_no="M-2")
    (reason,) = exc.value.fields["case"]
    assert "正在行政诉讼中" in reason and "通过行政诉讼程序解决" in reason
    assert "第三十三条第三款" in reason
    assert (Matter.objects.count(), Entry.objects.count()) == (n, entries)


def test_once_the_litigation_has_ended_the_matter_may_be_opened(world):
    Review.objects.filter(decision__case__case_no="M-2").update(result="upheld")
    assert opened(world, case_no="M-2").status == Matter.Status.OPENED


def test_an_objection_rejected_obliges_the_agency_to_correct_within_a_new_period(world):
    m = sent(world)
    at(dt.date(2026, 5, 1))
    m = matters.matter_object(actor=world.chief, matter_id=m.pk, reason="该决定已依法公示")
    assert Timer.objects.get(subject=m.stream).status == Timer.Status.CANCELLED
    at(dt.date(2026, 5, 4))
    m = matters.matter_objection_decide(
        actor=world.supervisor, matter_id=m.pk, accept=False, ruling="公示内容不完整"
    )
    assert (m.status, m.reply_due_on) == (Matter.Status.SENT, dt.date(2026, 6, 3))


def test_an_objection_accepted_closes_the_matter(world):
    m = sent(world)
    matters.matter_object(actor=world.chief, matter_id=m.pk, reason="已公示")
    m = matters.matter_objection_decide(
        actor=world.supervisor, matter_id=m.pk, accept=True, ruling="异议成立"
    )
    assert m.status == Matter.Status.CLOSED and m.closing_note == "异议成立"


def test_the_agency_cannot_decide_its_own_objection(world):
    m = sent(world)
    matters.matter_object(actor=world.chief, matter_id=m.pk, reason="已公示")
    refused(
        m.pk,
        lambda: matters.matter_objection_decide(
            actor=world.director, matter_id=m.pk, accept=True, ruling="成立"
        ),
        "只有本级或上级执法监督员可以办理该操作",
    )


def test_a_handler_of_the_agency_cannot_answer_for_it(world):
    m = sent(world)
    refused(
        m.pk,
        lambda: matters.matter_answer(actor=world.handler, matter_id=m.pk, reply="已改"),
        "只有被监督单位的业务科长或分管局长可以办理该操作",
    )


def test_evidence_of_a_correction_is_kept_with_its_hash(world):
    m = sent(world)
    pdf = b"%PDF-1.7\n" + b"x" * 100
    m = matters.matter_answer(
        actor=world.chief, matter_id=m.pk, reply="已公示", evidence=pdf, filename="公示截图.pdf"
    )
    assert m.evidence.read() == pdf and m.evidence_name == "公示截图.pdf"
    entry = Entry.objects.get(stream=m.stream, action="matter_answer")
    assert entry.payload["evidence_sha256"] == m.evidence_sha256


def test_evidence_over_the_size_limit_is_refused_and_nothing_is_kept(world, settings):
    settings.SUPERVISION_EVIDENCE_MAX_BYTES = 1024
    m = sent(world)
    refused(
        m.pk,
        lambda: matters.matter_answer(
            actor=world.chief, matter_id=m.pk, reply="已公示", evidence=b"%PDF-" + b"x" * 1024
        ),
        "证明材料不能超过",
    )


def test_evidence_of_an_unknown_type_is_refused_whatever_its_name(world):
    m = sent(world)
    refused(
        m.pk,
        lambda: matters.matter_answer(
            actor=world.chief, matter_id=m.pk, reply="已公示", evidence=b"MZ\x90", filename="a.pdf"
        ),
        "证明材料仅支持PDF、JPG、PNG图片或Word（docx）文件",
    )


def test_an_officer_measure_is_a_recommendation_and_the_authority_decides_apart(world):
    m = sent(world)
    row = matters.measure_recommend(
        actor=world.supervisor,
        matter_id=m.pk,
        officer=world.handler.username,
        measure="retraining",
        reason="多次未按期公示",
    )
    assert row.decided_on is None and row.decision == ""
    row = matters.measure_decide(
        actor=world.supervisor,
        measure_id=row.pk,
        authority="聊城市城市管理局",
        decision="给予批评教育",
        decided_on=SENT,
    )
    assert (row.measure, row.decision) == ("retraining", "给予批评教育")
    actions = list(
        Entry.objects.filter(stream=m.stream).order_by("seq").values_list("action", flat=True)
    )
    assert actions[-2:] == ["matter_recommend", "matter_measure_decide"]


def test_an_officer_of_another_unit_cannot_be_the_subject_of_a_measure(world):
    m = sent(world)
    refused(
        m.pk,
        lambda: matters.measure_recommend(
            actor=world.supervisor,
            matter_id=m.pk,
            officer=world.other_officer.username,
            measure="criticism",
            reason="x",
        ),
        "执法人员应为被监督单位的在册人员",
    )


def test_the_outcome_is_circulated(world):
    m = sent(world)
    m = matters.matter_publish(
        actor=world.supervisor, matter_id=m.pk, kind="circulate", text="通报"
    )
    assert (m.publication, m.published_on, m.status) == ("circulate", SENT, Matter.Status.SENT)


def test_a_matter_opens_from_an_irregularity_of_a_rule(world):
    c = Case.objects.get(case_no="M-1")
    item = Item.objects.create(
        unit=c.unit, case=c, rule="disclosure_late", title="公示超期", created_at=clock.now()
    )
    m = matters.matter_open(
        actor=world.supervisor, source="irregularity", item_id=item.pk, title="公示超期", facts="x"
    )
    assert (m.unit, m.case, m.item) == (c.unit, c, item)


def test_a_complaint_clue_is_listed_and_escalated(world):
    m = matters.matter_open(
        actor=world.supervisor,
        source="complaint",
        unit=world.cgj,
        channel="12345",
        listed=True,
        escalated=True,
        title="群众反映乱罚款",
        facts="12345工单",
    )
    assert (m.listed, m.escalated, m.case) == (True, True, None)


def test_a_county_supervisor_cannot_open_a_matter_on_a_city_agency(world):
    n = Matter.objects.count()
    with pytest.raises(Refused) as exc:
        matters.matter_open(
            actor=world.county_supervisor,
            source="manual",
            unit=world.cgj,
            title="x",
            facts="y",
        )
    assert exc.value.fields["unit"] == ["被监督单位应为本辖区的行政执法机关"]
    assert Matter.objects.count() == n


def test_each_side_sees_only_its_matters(world):
    m = sent(world)
    draft = opened(world)
    assert selectors.get_matter_for_user(world.chief, m.pk) == m
    assert selectors.get_matter_for_user(world.supervisor, draft.pk) == draft
    for outsider in (world.county_supervisor, world.other_officer, world.sysadmin):
        with pytest.raises(Http404):
            selectors.get_matter_for_user(outsider, m.pk)
    with pytest.raises(Http404):  # not sent yet: the agency does not see it
        selectors.get_matter_for_user(world.chief, draft.pk)
    assert [x.pk for x in selectors.matters_todo(world.chief)] == [m.pk]
    assert selectors.matters_todo(world.handler) == []
    assert selectors.matters_todo(world.other_officer) == []


def test_a_matter_opens_from_a_file_review_finding(world):
    from supervision.models import FileReview, FileReviewCase

    c = Case.objects.get(case_no="M-1")
    review = FileReview.objects.create(
        name="评查",
        root=world.city,
        method="random",
        period_start=SENT,
        period_end=SENT,
        created_by=world.supervisor,
        created_at=clock.now(),
    )
    entry = FileReviewCase.objects.create(review=review, case=c, remarks="文书不规范")
    m = matters.matter_open(
        actor=world.supervisor,
        source="file_review",
        review_case_id=entry.pk,
        title="文书不规范",
        facts="评查发现",
    )
    assert (m.unit, m.case, m.review_case) == (c.unit, c, entry)
    with pytest.raises(Refused) as exc:
        matters.matter_open(
            actor=world.county_supervisor,
            source="file_review",
            review_case_id=entry.pk,
            title="x",
            facts="y",
        )
    assert exc.value.fields == {"review_case": ["评查案卷不存在或不在本辖区"]}


def test_the_worker_marks_an_unreported_decision_late_the_day_after_its_last_day(world):
    m = sent(world, major=True)
    matters.matter_propose(actor=world.supervisor, matter_id=m.pk, proposal="建议")
    matters.matter_decide(
        actor=world.supervisor, matter_id=m.pk, decided_on=SENT, number="决1号", content="改正"
    )
    at(LAST, 23)
    run_timers_once()
    assert not Entry.objects.filter(stream=m.stream, action="matter_report_overdue").exists()
    at(LAST + dt.timedelta(days=1), 0)
    run_timers_once()
    assert Entry.objects.filter(stream=m.stream, action="matter_report_overdue").count() == 1


def test_an_answered_matter_is_not_marked_late_by_the_worker(world):
    m = sent(world)
    matters.matter_answer(actor=world.chief, matter_id=m.pk, reply="已公示")
    at(LAST + dt.timedelta(days=1))
    run_timers_once()
    assert not Entry.objects.filter(stream=m.stream, action="matter_reply_overdue").exists()


def test_a_county_with_its_own_periods_gives_its_agencies_those(world):
    matters.oversight_periods_set(
        actor=world.supervisor,
        region_code="371502",
        urge_days=15,
        opinion_days=20,
        report_days=25,
        source="东昌府区行政执法监督办法第十条（示例）",
    )
    county = matters.matter_open(
        actor=world.supervisor,
        case=Case.objects.get(case_no="M-3"),
        title="超期",
        facts="未按期结案",
    )
    county = matters.matter_send(
        actor=world.supervisor, matter_id=county.pk, instrument="opinion", demand="改正"
    )
    assert county.reply_due_on == SENT + dt.timedelta(days=20)
    entry = Entry.objects.get(stream=county.stream, action="matter_send")
    assert entry.payload["source"].startswith("东昌府区")
    city_matter = sent(world)  # the city's own agency keeps the platform default
    assert city_matter.reply_due_on == LAST


def test_a_county_supervisor_cannot_set_the_city_periods(world):
    from supervision.models import OversightPeriods

    with pytest.raises(Refused) as exc:
        matters.oversight_periods_set(
            actor=world.county_supervisor,
            region_code="371500",
            urge_days=15,
            opinion_days=20,
            report_days=0,
            source="x",
        )
    assert exc.value.fields == {
        "region_code": ["区划应为本级或下一级行政区划"],
        "report_days": ["期限应为1至365日"],
    }
    assert not OversightPeriods.objects.exists()


def test_a_matter_goes_to_an_enforcement_body_not_to_a_justice_bureau(world):
    with pytest.raises(Refused) as exc:
        matters.matter_open(
            actor=world.supervisor, source="manual", unit=world.county_justice, title="x", facts="y"
        )
    assert exc.value.fields == {"unit": ["被监督单位应为本辖区的行政执法机关"]}
    assert not Matter.objects.exists()


def test_the_model_states_are_the_tables_states_with_the_same_names():
    from procedure.oversight import STATE_LABELS

    assert dict(Matter.Status.choices) == {s.value: label for s, label in STATE_LABELS.items()}


def _zip(**files: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name.replace("__", "/"), text)
    return buffer.getvalue()


def test_a_word_document_is_taken_as_evidence_and_kept_as_a_docx(world):
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("整改情况报告")
    buffer = io.BytesIO()
    document.save(buffer)
    m = sent(world)
    m = matters.matter_answer(
        actor=world.chief, matter_id=m.pk, reply="已整改", evidence=buffer.getvalue(), filename="x"
    )
    assert m.evidence.name.endswith(".docx")


def test_a_zip_that_is_not_a_word_document_is_refused_though_named_docx(world):
    m = sent(world)
    refused(
        m.pk,
        lambda: matters.matter_answer(
            actor=world.chief,
            matter_id=m.pk,
            reply="已公示",
            evidence=_zip(run__sh="rm -rf /"),
            filename="整改报告.docx",
        ),
        "证明材料仅支持PDF、JPG、PNG图片或Word（docx）文件",
    )
