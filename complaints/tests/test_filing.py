"""The public files a 投诉举报 on the public site: checks by field, photos by their content, the
rate limits, and the status page by the tracking code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from complaints.models import Complaint, ComplaintPhoto
from complaints.tests.conftest import form, jpeg
from law.complaints import CODE_ALPHABET, CODE_LENGTH
from ledger.models import Entry
from zhifa import clock

pytestmark = pytest.mark.django_db
URL = "/gs/tousu/"


def _post(client: Client, data: dict, ip: str = "10.1.1.1"):
    return client.post(URL, data, REMOTE_ADDR=ip)


def _nothing_written() -> bool:
    return (
        not Complaint.objects.exists()
        and not ComplaintPhoto.objects.exists()
        and not Entry.objects.filter(stream__startswith="complaint:").exists()
    )


def test_the_form_is_a_public_section_and_needs_no_login(org, client):
    r = client.get(URL)
    assert r.status_code == 200
    assert "投诉举报" in r.content.decode()
    assert 'name="csrfmiddlewaretoken"' in r.content.decode()
    home = client.get("/gs/").content.decode()
    assert 'href="/gs/tousu/"' in home


def test_a_member_of_the_public_files_a_complaint_and_gets_a_tracking_code(org, client):
    r = _post(client, form(unit=str(org.cgj.pk)))
    assert r.status_code == 200
    c = Complaint.objects.get()
    assert len(c.code) == CODE_LENGTH and set(c.code) <= set(CODE_ALPHABET)
    assert c.code in r.content.decode()
    assert c.unit == org.cgj and c.chosen
    assert c.status == Complaint.Status.PENDING
    # Filed on Monday 2025-03-03: the 7th working day after is Wednesday 2025-03-12.
    assert c.accept_due_on == dt.date(2025, 3, 12)
    entry = Entry.objects.get(stream=c.stream)
    assert entry.action == "complaint_submitted" and entry.role == "public"
    assert entry.payload["unit"] == org.cgj.code


def test_a_complaint_whose_unit_is_unknown_goes_to_the_city_justice_bureau(org, client):
    r = _post(client, form(unit="unknown"))
    assert r.status_code == 200
    c = Complaint.objects.get()
    assert c.unit == org.justice and not c.chosen


def test_the_dispatcher_is_a_setting(org, client, settings):
    settings.COMPLAINT_DISPATCH_UNIT = org.county_justice.code
    _post(client, form(unit=""))
    assert Complaint.objects.get().unit == org.county_justice


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("happened_on", "2025-03-04", "不能晚于今天"),
        ("happened_on", "2019-01-01", "请核对"),
        ("happened_on", "9999-99-99", "年-月-日"),
        ("contact_phone", "12345678901", "手机号码"),
        ("contact_phone", "1391234567", "手机号码"),
        ("facts", "", "请填写反映的问题"),
        ("facts", "占道\x00经营", "空字符"),
        ("place", "x" * 201, "不能超过200字"),
        ("unit", "999999999999999999999", "请从列表中选择"),
        ("unit", "justice", "请从列表中选择"),
    ],
)
def test_a_refused_filing_says_why_by_field_and_writes_nothing(org, client, field, value, reason):
    r = _post(client, {**form(unit=str(org.cgj.pk)), field: value})
    assert r.status_code == 422
    page = r.content.decode()
    assert reason in page
    assert _nothing_written()


def test_the_justice_bureau_itself_is_not_on_the_list_a_complaint_may_name(org, client):
    r = _post(client, form(unit=str(org.justice.pk)))
    assert r.status_code == 422
    assert _nothing_written()


def test_the_last_day_the_form_takes_is_the_oldest_allowed(org, client, settings):
    oldest = clock.today() - dt.timedelta(days=settings.COMPLAINT_MAX_AGE_DAYS)
    assert _post(client, form(happened_on=oldest.isoformat())).status_code == 200
    too_old = oldest - dt.timedelta(days=1)
    assert _post(client, form(happened_on=too_old.isoformat()), ip="10.1.1.2").status_code == 422
    assert Complaint.objects.count() == 1


def test_a_photo_is_taken_by_its_content_and_kept_with_the_sniffed_type(org, client):
    photo = SimpleUploadedFile("scene.png", jpeg(), content_type="image/png")
    r = _post(client, {**form(unit=str(org.cgj.pk)), "photos": [photo]})
    assert r.status_code == 200
    kept = ComplaintPhoto.objects.get()
    assert kept.content_type == "image/jpeg"
    assert kept.file.name.endswith(".jpg")


def test_a_page_named_like_a_photo_is_refused_and_writes_nothing(org, client):
    fake = SimpleUploadedFile("scene.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    r = _post(client, {**form(unit=str(org.cgj.pk)), "photos": [fake]})
    assert r.status_code == 422
    assert "不是JPEG、PNG或WebP图片" in r.content.decode()
    assert _nothing_written()


def test_more_photos_than_the_setting_allows_are_refused(org, client, settings):
    settings.COMPLAINT_PHOTO_MAX_COUNT = 2
    photos = [SimpleUploadedFile(f"{n}.jpg", jpeg(), "image/jpeg") for n in range(3)]
    r = _post(client, {**form(unit=str(org.cgj.pk)), "photos": photos})
    assert r.status_code == 422
    assert "最多上传2张照片" in r.content.decode()
    assert _nothing_written()


def test_a_photo_over_the_size_setting_is_refused(org, client, settings):
    big = jpeg()
    settings.COMPLAINT_PHOTO_MAX_BYTES = len(big) - 1
    photo = SimpleUploadedFile("big.jpg", big, "image/jpeg")
    r = _post(client, {**form(unit=str(org.cgj.pk)), "photos": [photo]})
    assert r.status_code == 422
    assert "第1张照片超过" in r.content.decode()
    assert _nothing_written()


def test_a_body_larger_than_the_photos_allow_is_refused_before_it_is_read(org, client, settings):
    settings.COMPLAINT_PHOTO_MAX_COUNT = 1
    settings.COMPLAINT_PHOTO_MAX_BYTES = 1024
    padding = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"0" * 100_000, "image/jpeg")
    r = _post(client, {**form(), "photos": [padding]})
    assert r.status_code == 413
    assert "提交的内容过大" in r.content.decode()
    assert _nothing_written()


def test_a_filled_honeypot_is_refused_and_writes_nothing(org, client):
    r = _post(client, form(unit=str(org.cgj.pk), website="http://spam.example"))
    assert r.status_code == 422
    assert _nothing_written()


def test_the_form_keeps_its_csrf_check(org):
    client = Client(enforce_csrf_checks=True)
    r = client.post(URL, form(unit=str(org.cgj.pk)))
    assert r.status_code == 403
    assert _nothing_written()


def test_the_filing_past_the_limit_of_an_address_is_refused_with_429_and_writes_nothing(
    org, client, settings
):
    settings.COMPLAINT_LIMIT_PER_IP = 2
    for n in range(2):
        r = _post(client, form(unit=str(org.cgj.pk), contact_phone=f"1391234567{n}"))
        assert r.status_code == 200
    entries = Entry.objects.count()
    r = _post(client, form(unit=str(org.cgj.pk), contact_phone="13912345679"))
    assert r.status_code == 429
    assert "同一网络地址24小时内最多提交2件" in r.content.decode()
    assert 0 < int(r["Retry-After"]) <= 24 * 3600
    assert Complaint.objects.count() == 2 and Entry.objects.count() == entries
    # Another address is not held back; the same one is again once the window has passed.
    assert _post(client, form(contact_phone=""), ip="10.9.9.9").status_code == 200
    clock.set_now(clock.now() + dt.timedelta(hours=24, seconds=1))
    assert _post(client, form(contact_phone="")).status_code == 200


def test_the_filing_past_the_limit_of_a_phone_is_refused_from_any_address(org, client, settings):
    settings.COMPLAINT_LIMIT_PER_PHONE = 1
    assert _post(client, form(), ip="10.0.0.1").status_code == 200
    r = _post(client, form(), ip="10.0.0.2")
    assert r.status_code == 429
    assert "同一手机号码" in r.content.decode()
    assert Complaint.objects.count() == 1


def test_the_status_page_shows_the_status_and_masks_what_the_complainant_typed(
    org, client, file_one
):
    from complaints.services import complaint_reject

    c = file_one()
    reason = "不属于本机关职权范围，请向区市场监管局反映"
    complaint_reject(complaint_id=c.pk, actor=org.chief, reason=reason)
    r = client.get("/gs/tousu/chaxun/", {"code": c.code.lower()})
    page = r.content.decode()
    assert r.status_code == 200
    assert "不予受理" in page and "不属于本机关职权范围" in page
    assert "139****5678" in page and "王**" in page
    assert "13912345678" not in page and "王小明" not in page
    # No officer: neither the name, the username nor the role of who decided.
    for shown in (str(org.chief), org.chief.username, "业务科长"):
        assert shown not in page
    assert c.facts not in page


def test_an_unknown_code_finds_nothing(org, client):
    r = client.get("/gs/tousu/chaxun/", {"code": "ACDEFGHJKMNP"})
    assert r.status_code == 404
    assert "没有找到" in r.content.decode()
