"""Evidence is taken by what its content is, read and fingerprinted in chunks (issue: 等保, bad
input): a file is never trusted by its name or its declared type."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from cases.models import Evidence
from cases.services.evidence import evidence_add
from cases.tests.flow import JPEG, advance, register
from ledger.models import Entry
from procedure.testing import assert_refused

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"


def _add(org, case, content, name="photo.png", declared="image/png") -> Evidence:
    return evidence_add(
        case_id=case.pk,
        actor=org.handler,
        kind="photo",
        title="现场照片",
        content=SimpleUploadedFile(name, content, content_type=declared),
        filename=name,
        content_type=declared,
    )


def _entries() -> int:
    return Entry.objects.count()


@pytest.fixture
def at_investigation(org):
    case = register(org)
    return advance(org, case, until="investigation")


def test_an_html_page_declared_as_a_png_is_refused_and_nothing_is_kept(org, at_investigation):
    page = b"<!doctype html><html><script>alert(1)</script></html>"
    before = Evidence.objects.count()
    assert_refused(
        lambda: _add(org, at_investigation, page),
        "文件内容不是照片、PDF、音频或视频",
        "声明为“image/png”",
        unchanged=_entries,
    )
    assert Evidence.objects.count() == before


def test_a_jpeg_named_and_declared_as_a_png_is_kept_as_the_jpeg_it_is(org, at_investigation):
    ev = _add(org, at_investigation, JPEG, name="photo.png", declared="image/png")
    assert ev.content_type == "image/jpeg"
    assert ev.file.name.endswith(".jpg")


def test_a_pdf_declared_as_something_vague_is_kept_as_a_pdf(org, at_investigation):
    ev = _add(org, at_investigation, PDF, name="笔录", declared="application/octet-stream")
    assert ev.content_type == "application/pdf"
    assert ev.file.name.endswith(".pdf")


def test_a_program_renamed_as_a_photo_is_refused(org, at_investigation):
    assert_refused(
        lambda: _add(org, at_investigation, b"MZ\x90\x00" + b"\x00" * 60, name="a.jpg"),
        "不支持的文件类型",
        unchanged=_entries,
    )


def test_an_upload_on_disk_is_fingerprinted_in_chunks_to_the_hash_of_its_whole_content(
    org, at_investigation
):
    body = PNG + bytes(range(256)) * 40_000  # ~10 MB: many 64 KiB chunks
    upload = TemporaryUploadedFile("big.png", "image/png", len(body), None)
    upload.write(body)
    upload.seek(0)
    with upload:
        ev = evidence_add(
            case_id=at_investigation.pk,
            actor=org.handler,
            kind="photo",
            title="大图",
            content=upload,
            filename="big.png",
            content_type="image/png",
        )
    assert ev.size == len(body)
    assert ev.sha256 == hashlib.sha256(body).hexdigest()
    assert ev.sm3 == hashlib.new("sm3", body).hexdigest()
    with ev.file.open("rb") as stored:
        assert stored.read() == body
