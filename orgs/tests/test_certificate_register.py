"""The register of 执法证: who issues, suspends, reinstates and revokes, within which subtree, and
what each refusal leaves (nothing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from conftest import move
from demo.testing import Org
from ledger.models import Entry
from orgs.models import Certificate, User
from orgs.selectors import (
    certificate_for_user,
    certificates_for_user,
    expiring_certificates,
    non_enforcing_staff,
    published_officers,
    valid_certificates,
)
from orgs.services import (
    certificate_register,
    certificate_reinstate,
    certificate_revoke,
    certificate_suspend,
    user_upsert,
)
from procedure.roles import Role
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db


@dataclass
class Admins:
    cgj: User  # 市城管局's 执法证管理员: its own unit
    scjg: User  # another agency's
    justice: User  # 市司法局's: every unit under the city government
    county_justice: User  # 东昌府区司法局's: its county only
    newcomer: User  # a 在编 officer of 市城管局 without a certificate
    contractor: User  # a 合同制 worker of 市城管局


def _person(username: str, unit: Any, *roles: Role, employment: str = "staff") -> User:
    user = user_upsert(
        username=username, full_name=username, unit=unit, roles=roles, password_hash="!"
    )
    if employment != "staff":
        User.objects.filter(pk=user.pk).update(employment=employment)
        user.refresh_from_db()
    return user


@pytest.fixture
def admins(org: Org) -> Admins:
    return Admins(
        cgj=_person("cgj-certadmin", org.cgj, Role.CERT_ADMIN),
        scjg=_person("scjg-certadmin", org.scjg, Role.CERT_ADMIN),
        justice=_person("sfj-certadmin", org.justice, Role.CERT_ADMIN),
        county_justice=_person("county-certadmin", org.county_justice, Role.CERT_ADMIN),
        newcomer=_person("newcomer", org.cgj, Role.HANDLER),
        contractor=_person("contractor", org.cgj, Role.HANDLER, employment="contract"),
    )


def issue(actor: User, holder: User, **changes: Any) -> Certificate:
    today = clock.today()
    kwargs: dict[str, Any] = {
        "actor": actor,
        "holder_id": holder.pk,
        "number": "37150020250001",
        "valid_from": today,
        "valid_until": today + dt.timedelta(days=3 * 365),
        "scope": "城市管理",
        "region_code": "371500",
        "issuer": "山东省人民政府",
        "training_hours": 60,
        "exam_on": today - dt.timedelta(days=20),
        "exam_score": Decimal("86.5"),
    }
    kwargs.update(changes)
    return certificate_register(**kwargs)


def written() -> tuple[int, int, list[tuple[str, str, dt.date | None]]]:
    return (
        Certificate.objects.count(),
        Entry.objects.filter(stream__startswith="certificate:").count(),
        list(Certificate.objects.order_by("pk").values_list("number", "status", "status_on")),
    )


def test_an_agency_administrator_issues_a_certificate_and_the_register_records_it(org, admins):
    cert = issue(admins.cgj, admins.newcomer)
    assert cert.status_for(clock.today()) == "valid"
    assert cert.issued_by == admins.cgj and cert.region_id == "371500"
    entry = Entry.objects.get(stream=f"certificate:{cert.pk}")
    assert entry.action == "certificate_issue" and entry.role == "cert_admin"
    assert entry.payload["exam_score"] == "86.5" and entry.actor_id == admins.cgj.pk
    assert valid_certificates(clock.today()).filter(user=admins.newcomer).exists()


def test_a_contract_worker_is_refused_a_certificate_by_the_shandong_article_ten(org, admins):
    assert_refused(
        lambda: issue(admins.cgj, admins.contractor),
        "合同制人员不得从事行政执法",
        "第十条",
        field="holder",
        unchanged=written,
    )


@pytest.mark.parametrize("employment", ["dispatched", "seconded", "other"])
def test_dispatched_seconded_and_other_staff_are_refused_a_certificate(org, admins, employment):
    User.objects.filter(pk=admins.newcomer.pk).update(employment=employment)
    assert_refused(
        lambda: issue(admins.cgj, admins.newcomer),
        "不得从事行政执法",
        field="holder",
        unchanged=written,
    )


def test_a_score_below_the_pass_mark_is_refused_and_the_pass_mark_itself_is_enough(org, admins):
    assert_refused(
        lambda: issue(admins.cgj, admins.newcomer, exam_score=Decimal("59.9")),
        "未达到合格分数",
        field="exam_score",
        unchanged=written,
    )
    assert issue(admins.cgj, admins.newcomer, exam_score=Decimal("60")).pk


def test_a_certificate_cannot_be_issued_before_the_exam_is_taken(org, admins):
    tomorrow = clock.today() + dt.timedelta(days=1)
    assert_refused(
        lambda: issue(admins.cgj, admins.newcomer, exam_on=tomorrow),
        "考试合格后发放",
        field="exam_on",
        unchanged=written,
    )


def test_a_certificate_already_expired_is_refused_and_one_ending_today_is_issued(org, admins):
    today = clock.today()
    yesterday = today - dt.timedelta(days=1)
    assert_refused(
        lambda: issue(
            admins.cgj,
            admins.newcomer,
            valid_from=yesterday - dt.timedelta(days=5),
            valid_until=yesterday,
            exam_on=yesterday - dt.timedelta(days=10),
        ),
        "不能发放已过期的证件",
        field="valid_until",
        unchanged=written,
    )
    cert = issue(
        admins.cgj, admins.newcomer, valid_from=yesterday, valid_until=today, exam_on=yesterday
    )
    assert cert.status_for(today) == "valid"


def test_an_officer_holding_a_certificate_in_force_is_refused_a_second_over_the_same_days(
    org, admins
):
    assert_refused(
        lambda: issue(admins.cgj, org.handler),
        "已持有有效期重叠的执法证C-handler",
        field="valid_from",
        unchanged=written,
    )


def test_far_dates_nul_and_a_used_number_are_refused_by_field(org, admins):
    refusal = assert_refused(
        lambda: issue(
            admins.cgj,
            admins.newcomer,
            number="C-handler",
            scope="城管\x00",
            valid_until=dt.date(9999, 12, 31),
            training_hours=70000,
            exam_score=Decimal("101"),
            region_code="999999",
        ),
        "该证件号已登记",
        field="number",
        unchanged=written,
    )
    assert set(refusal.fields) == {
        "number",
        "scope",
        "valid_until",
        "training_hours",
        "exam_score",
        "region",
    }


def test_an_administrator_of_another_agency_cannot_issue_to_our_officer(org, admins):
    assert_refused(
        lambda: issue(admins.scjg, admins.newcomer),
        "不是本单位（辖区）的在职人员",
        field="holder",
        unchanged=written,
    )


def test_the_justice_bureau_administrator_issues_to_any_unit_of_the_city(org, admins):
    issue(admins.justice, admins.newcomer)
    assert_refused(
        lambda: issue(admins.county_justice, admins.newcomer, number="X-2"),
        "不是本单位（辖区）的在职人员",
        field="holder",
        unchanged=written,
    )


def test_a_supervisor_without_the_administrator_role_cannot_issue(org, admins):
    assert_refused(
        lambda: issue(org.supervisor, admins.newcomer),
        "只有执法证管理员可以管理执法证",
        unchanged=written,
    )


def test_the_register_reads_by_scope_for_an_insider_another_agency_and_an_outsider(org, admins):
    cert = Certificate.objects.get(user=org.handler)
    assert certificate_for_user(admins.cgj, cert.pk, manage=True) == cert
    assert certificate_for_user(admins.justice, cert.pk, manage=True) == cert
    assert certificate_for_user(org.supervisor, cert.pk) == cert  # reads the city
    for outsider in (admins.scjg, admins.county_justice, org.county_supervisor, org.handler):
        with pytest.raises(Http404):
            certificate_for_user(outsider, cert.pk)
    with pytest.raises(Http404):
        certificate_for_user(org.supervisor, cert.pk, manage=True)  # reads, does not manage
    assert set(certificates_for_user(admins.scjg).values_list("user__unit", flat=True)) == {
        org.scjg.pk
    }


def test_suspension_stops_the_certificate_from_its_day_and_reinstatement_restores_it(org, admins):
    cert = Certificate.objects.get(user=org.handler)
    today = clock.today()
    certificate_suspend(actor=admins.cgj, certificate_id=cert.pk, reason="涉嫌违纪", on=today)
    cert.refresh_from_db()
    assert cert.status_for(today) == "suspended"
    assert cert.status_for(today - dt.timedelta(days=1)) == "valid"  # steps before the suspension
    assert not valid_certificates(today).filter(pk=cert.pk).exists()
    assert valid_certificates(today - dt.timedelta(days=1)).filter(pk=cert.pk).exists()
    certificate_reinstate(actor=admins.cgj, certificate_id=cert.pk, reason="调查结束，不予处分")
    cert.refresh_from_db()
    assert cert.status_for(today) == "valid"
    actions = Entry.objects.filter(stream=f"certificate:{cert.pk}").order_by("seq")
    assert list(actions.values_list("action", flat=True)) == [
        "certificate_suspend",
        "certificate_reinstate",
    ]


def test_a_suspension_cannot_be_dated_tomorrow_nor_given_without_a_reason(org, admins):
    cert = Certificate.objects.get(user=org.handler)
    tomorrow = clock.today() + dt.timedelta(days=1)
    assert_refused(
        lambda: certificate_suspend(
            actor=admins.cgj, certificate_id=cert.pk, reason="涉嫌违纪", on=tomorrow
        ),
        "生效日期不能晚于今天",
        field="on",
        unchanged=written,
    )
    assert_refused(
        lambda: certificate_suspend(
            actor=admins.cgj, certificate_id=cert.pk, reason="  ", on=clock.today()
        ),
        "不能为空",
        field="reason",
        unchanged=written,
    )


def test_only_a_suspended_certificate_is_reinstated_and_a_revoked_one_never(org, admins):
    cert = Certificate.objects.get(user=org.handler)
    assert_refused(
        lambda: certificate_reinstate(actor=admins.cgj, certificate_id=cert.pk, reason="恢复"),
        "只有暂扣的证件可以恢复",
        field="status",
        unchanged=written,
    )
    certificate_revoke(
        actor=admins.cgj,
        certificate_id=cert.pk,
        kind="revoke",
        reason="徇私枉法",
        on=clock.today(),
    )
    assert_refused(
        lambda: certificate_reinstate(actor=admins.cgj, certificate_id=cert.pk, reason="恢复"),
        "只有暂扣的证件可以恢复",
        field="status",
        unchanged=written,
    )
    assert_refused(
        lambda: certificate_suspend(
            actor=admins.cgj, certificate_id=cert.pk, reason="再次暂扣", on=clock.today()
        ),
        "只有有效的证件可以暂扣",
        field="status",
        unchanged=written,
    )
    cert.refresh_from_db()
    assert cert.status_label(clock.today()) == "吊销"


def test_an_administrator_of_another_agency_finds_no_certificate_to_suspend(org, admins):
    cert = Certificate.objects.get(user=org.handler)
    before = written()
    with pytest.raises(Http404):
        certificate_suspend(
            actor=admins.scjg, certificate_id=cert.pk, reason="涉嫌违纪", on=clock.today()
        )
    assert written() == before


def test_expiry_is_computed_from_the_date_the_last_valid_day_counts(org, admins):
    cert = Certificate.objects.get(user=org.handler)
    Certificate.objects.filter(pk=cert.pk).update(valid_until=clock.today())
    cert.refresh_from_db()
    assert cert.status_for(clock.today()) == "valid"
    assert valid_certificates(clock.today()).filter(pk=cert.pk).exists()
    move(days=1)
    assert cert.status_for(clock.today()) == "expired"
    assert not valid_certificates(clock.today()).filter(pk=cert.pk).exists()
    assert cert.status == "valid"  # nothing stored changed: no job needed


def test_the_supervisor_sees_what_expires_within_the_window_of_its_subtree_only(org, admins):
    today = clock.today()
    Certificate.objects.filter(user=org.handler).update(valid_until=today + dt.timedelta(days=60))
    Certificate.objects.filter(user=org.chief).update(valid_until=today + dt.timedelta(days=61))
    Certificate.objects.filter(user=org.county_officer).update(
        valid_until=today + dt.timedelta(days=5)
    )
    city = set(expiring_certificates(org.supervisor, today, 60).values_list("user", flat=True))
    assert city == {org.handler.pk, org.county_officer.pk}
    county = expiring_certificates(org.county_supervisor, today, 60)
    assert set(county.values_list("user", flat=True)) == {org.county_officer.pk}


def test_contract_staff_are_listed_for_the_supervisor_and_never_count_as_certified(org, admins):
    assert list(non_enforcing_staff(org.supervisor)) == [admins.contractor]
    assert list(non_enforcing_staff(org.county_supervisor)) == []
    User.objects.filter(pk=org.handler.pk).update(employment="seconded")
    assert not valid_certificates(clock.today()).filter(user=org.handler).exists()


def test_the_published_officers_show_name_number_scope_and_status_and_nothing_private(org, admins):
    cert = Certificate.objects.get(user=org.chief)
    certificate_suspend(actor=admins.cgj, certificate_id=cert.pk, reason="违纪", on=clock.today())
    published = {p.number: p for p in published_officers(org.cgj)}
    assert published["C-chief"].status == "暂扣"
    assert published["C-handler"].status == "有效"
    assert published["C-handler"].unit == "聊城市城市管理局"
    assert set(vars(published["C-handler"])) == {
        "name",
        "unit",
        "number",
        "scope",
        "region",
        "status",
    }


def test_loading_a_certificate_as_data_refuses_a_contract_worker_too(org, admins):
    from orgs.services import certificate_issue

    before = written()
    assert_refused(
        lambda: certificate_issue(
            user=admins.contractor,
            number="LOAD-1",
            valid_from=dt.date(2025, 1, 1),
            valid_until=dt.date(2027, 12, 31),
            scope="城管",
        ),
        "合同制人员不得从事行政执法",
    )
    assert written() == before
