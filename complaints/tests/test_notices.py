"""A complaint waiting for 受理 tells the officers of its unit who decide it (业务科长, 分管局长,
the dispatcher's 执法监督人员): filed to the unit or 转办 there; once, never the actor, never
another unit; acting on it reads the actor's notice."""

from __future__ import annotations

import pytest

from complaints import services
from notices.models import Notice
from procedure.engine import Refused

pytestmark = pytest.mark.django_db


def told(subject: str, **filters: object) -> list[str]:
    rows = Notice.objects.filter(kind=Notice.Kind.APPROVAL, subject=subject, **filters)
    return sorted(rows.values_list("user__username", flat=True))


def test_a_complaint_filed_to_a_unit_tells_its_deciders_and_no_handler_or_other_unit(org, file_one):
    c = file_one()
    assert told(c.stream) == ["chief", "director"]
    notice = Notice.objects.get(subject=c.stream, user=org.chief)
    assert notice.url == f"/complaints/{c.pk}/" and c.code in notice.text
    assert "待您受理审查" in notice.text and c.facts not in notice.text


def test_a_transfer_tells_the_receiving_unit_once_and_not_the_dispatcher_who_sent_it(org, file_one):
    c = file_one(unit="unknown")
    assert told(c.stream) == ["supervisor"]
    services.complaint_transfer(complaint_id=c.pk, actor=org.supervisor, unit_id=org.scjg.pk)
    assert told(c.stream) == ["scjg-officer", "supervisor"]
    assert told(c.stream, user=org.supervisor, read_at__isnull=True) == []  # done by acting
    assert "转办至本单位" in Notice.objects.get(subject=c.stream, user=org.other_officer).text
    services.complaint_accept(complaint_id=c.pk, actor=org.other_officer)
    assert told(c.stream) == ["scjg-officer", "supervisor"]  # 办理 is no approval: no one new
    assert told(c.stream, read_at__isnull=True) == []


def test_a_refused_transfer_tells_no_one(org, file_one):
    c = file_one()
    with pytest.raises(Refused):
        services.complaint_transfer(complaint_id=c.pk, actor=org.chief, unit_id=org.cgj.pk)
    assert told(c.stream) == ["chief", "director"]
