"""The station's photos of a record: sent with it (base64) or after it (multipart), judged by
their content, kept as evidence files with SHA-256 and SM3, shown to the record's officers only,
and carried into the case as its evidence when the overload is confirmed."""

from __future__ import annotations

import base64
import hashlib
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from conftest import PASSWORD
from ledger.models import Entry
from ledger.services import ledger_verify
from nonsite import services
from nonsite.models import WimPhoto, WimRecord
from nonsite.tests.test_ingest import post, rec

pytestmark = pytest.mark.django_db


def picture(fmt: str = "JPEG", colour: str = "orange", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def b64(content: bytes, name: str = "") -> dict[str, Any]:
    return {"name": name, "content_base64": base64.b64encode(content).decode()}


def test_photos_sent_with_a_record_are_kept_with_their_fingerprints_by_content(wim):
    jpeg, png = picture("JPEG"), picture("PNG", "blue")
    resp = post(wim, rec(60_000, photos=[b64(jpeg, "车牌"), b64(png, "侧面")]))
    assert resp.status_code == 200, resp.content
    r = WimRecord.objects.get()
    kept = list(r.photos.all())
    assert [(p.index, p.name, p.content_type) for p in kept] == [
        (1, "车牌", "image/jpeg"),
        (2, "侧面", "image/png"),
    ]
    assert kept[0].sha256 == hashlib.sha256(jpeg).hexdigest()
    assert kept[0].sm3 == hashlib.new("sm3", jpeg).hexdigest()
    assert kept[0].file.name.endswith(f"{kept[0].sm3}.jpg")
    assert kept[0].file.read() == jpeg
    # The batch resent after a lost answer keeps nothing twice.
    post(wim, rec(60_000, record_no=r.record_no, photos=[b64(jpeg), b64(png)]))
    assert WimPhoto.objects.count() == 2


def test_a_photo_that_is_not_a_jpeg_or_png_by_content_refuses_the_whole_batch(wim):
    html = b"<html><script>alert(1)</script></html>"
    resp = post(wim, rec(60_000), rec(60_000, plate="冀E22222", photos=[b64(html, "车牌.jpg")]))
    assert resp.status_code == 422
    assert "第2条记录第1张图像的内容不是JPEG或PNG图片" in resp.json()["errors"]
    assert WimRecord.objects.count() == 0 and WimPhoto.objects.count() == 0


def test_a_photo_at_the_size_limit_is_kept_and_one_byte_more_is_refused(wim):
    head = picture("JPEG")
    at_limit = head + b"\x00" * (services.MAX_PHOTO_BYTES - len(head))
    assert services.photo_errors([services.PhotoIn(at_limit)]) == []
    assert services.photo_errors([services.PhotoIn(at_limit + b"\x00")]) == [
        f"第1张图像超过{services.MAX_PHOTO_BYTES // 1024}KB"
    ]
    five = [services.PhotoIn(picture("PNG")) for _ in range(5)]
    assert "每条记录最多4张图像" in services.photo_errors(five)


def test_invalid_base64_is_refused_by_field(wim):
    resp = post(wim, rec(60_000, photos=[{"name": "车牌", "content_base64": "@@@@"}]))
    assert resp.status_code == 422
    assert resp.json()["fields"] == {
        "records[0].photos[0].content_base64": ["不是有效的base64编码"]
    }
    assert WimRecord.objects.count() == 0


def test_photos_sent_after_the_record_by_multipart_are_kept_once(wim):
    post(wim, rec(60_000, record_no="M1"))
    jpeg = picture("JPEG", "red")

    def upload(*files: bytes, record_no: str = "M1", key: str | None = None) -> Any:
        return Client().post(
            f"/api/nonsite/records/{record_no}/photos",
            {"photos": [SimpleUploadedFile(f"p{n}.jpg", f) for n, f in enumerate(files)]},
            headers={"X-Station-Key": key or wim.key},
        )

    resp = upload(jpeg)
    assert resp.status_code == 200, resp.content
    assert resp.json()[0]["sm3"] == hashlib.new("sm3", jpeg).hexdigest()
    assert upload(jpeg).status_code == 200  # resent: kept once
    assert WimPhoto.objects.count() == 1
    assert upload(b"GIF89a" + b"\x00" * 40).status_code == 422
    assert upload(jpeg, record_no="NOPE").json()["errors"] == ["本站没有记录号为“NOPE”的检测记录"]
    # Another station's key does not reach this station's record.
    assert upload(picture("PNG"), key=wim.other_key).status_code == 422
    assert WimPhoto.objects.count() == 1


def test_a_photo_is_shown_to_the_records_officers_and_is_404_to_anyone_else(wim):
    jpeg = picture("JPEG")
    post(wim, rec(60_000, photos=[b64(jpeg, "车牌")]))
    r = WimRecord.objects.get()
    url = f"/nonsite/records/{r.pk}/photos/1/"
    insider = Client()
    insider.login(username="jtj-officer", password=PASSWORD)
    page = insider.get(f"/nonsite/records/{r.pk}/").content.decode()
    assert f'src="{url}"' in page
    assert f'src="{url}"' in insider.get("/nonsite/queue/").content.decode()
    got = insider.get(url)
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
    assert b"".join(got.streaming_content) == jpeg  # type: ignore[attr-defined]
    assert insider.get(f"/nonsite/records/{r.pk}/photos/2/").status_code == 404
    api = insider.get(f"/api/nonsite/records/{r.pk}").json()
    assert api["photos"][0]["url"] == url and api["photos"][0]["sha256"]
    for username in ("county-jtj-officer", "handler"):  # another unit's colleague, an outsider
        c = Client()
        c.login(username=username, password=PASSWORD)
        assert c.get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_confirming_makes_the_photos_the_cases_evidence_with_the_same_fingerprints(wim):
    jpeg = picture("JPEG")
    post(wim, rec(60_000, photos=[b64(jpeg, "车牌")]))
    r = WimRecord.objects.get()
    case = services.wim_record_confirm(record_id=r.pk, actor=wim.officer)
    ev = case.evidence.get()
    assert (ev.kind, ev.sha256, ev.sm3) == (
        "photo",
        hashlib.sha256(jpeg).hexdigest(),
        hashlib.new("sm3", jpeg).hexdigest(),
    )
    assert ev.file.read() == jpeg
    entry = Entry.objects.get(stream=case.stream, action="evidence_add")
    assert entry.payload["sm3"] == ev.sm3 and entry.payload["source"]["wim_record"] == r.pk
    shown = Entry.objects.get(stream=case.stream, action="monitoring_evidence").payload
    assert shown["photos"][0]["sha256"] == ev.sha256
    c = Client()
    c.login(username="jtj-officer", password=PASSWORD)
    assert c.get(f"/cases/{case.pk}/evidence/{ev.pk}/").status_code == 200
    assert ledger_verify() == []


def test_a_batch_past_the_request_limit_is_refused_by_its_reason_not_a_server_error(wim):
    big = b64(picture("JPEG") + b"\x00" * (services.MAX_PHOTO_BYTES - 2000))
    resp = post(wim, rec(60_000, photos=[big, big, big]))
    assert resp.status_code == 422
    assert resp.json()["errors"][0].startswith("请求正文超过2560KB上限")
    assert WimRecord.objects.count() == 0


def test_the_same_photo_on_two_records_is_one_file(wim):
    jpeg = picture("JPEG", "green")
    post(wim, rec(60_000, photos=[b64(jpeg)]), rec(60_000, plate="冀E22222", photos=[b64(jpeg)]))
    names = set(WimPhoto.objects.values_list("file", flat=True))
    assert WimPhoto.objects.count() == 2 and len(names) == 1


def test_the_party_sees_its_records_photos_through_its_link_and_no_other(wim):
    from outbox.models import Delivery
    from outbox.services import outbox_send_due

    jpeg = picture("JPEG", "navy")
    post(wim, rec(60_000, photos=[b64(jpeg, "车牌")]))
    r = WimRecord.objects.get()
    services.wim_record_confirm(record_id=r.pk, actor=wim.officer)
    outbox_send_due()
    body = Delivery.objects.get(channel="sms").body
    link = body[body.index("/nonsite/q/") :]
    page = Client().get(link).content.decode()
    assert f'src="{link}photos/1/"' in page
    got = Client().get(f"{link}photos/1/")
    assert b"".join(got.streaming_content) == jpeg  # type: ignore[attr-defined]
    assert Client().get(f"{link}photos/2/").status_code == 404
    assert Client().get("/nonsite/q/not-a-token/photos/1/").status_code == 404
