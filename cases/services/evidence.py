"""Evidence (证据): one file registered with its SHA-256 and SM3 fingerprints and an entry on the
case's record, taken like a step on the step path (cases.steppath)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from typing import Any

import filetype
from django.core.files.base import ContentFile, File
from django.db import transaction

from cases import steppath
from cases.models import Case, Evidence
from ledger.services import StreamHead, StreamMoved, ledger_append
from orgs.models import User
from procedure.engine import Refused
from procedure.roles import Role
from zhifa import clock, rows

MAX_EVIDENCE_BYTES = 200 * 1024 * 1024
EVIDENCE_TYPES = {  # as filetype names them
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/pdf",
    "audio/mpeg",
    "audio/wav",
    "audio/x-wav",
    "audio/mp4",
    "video/mp4",
    "video/quicktime",
}


_Given = tuple[int, User, str, str, "File[Any]", str, tuple[str, str]]

#: The head of a file its type is read from (the longest signature filetype reads is far shorter).
SNIFF_BYTES = 8192


def sniffed_type(
    upload: File[Any] | bytes, allowed: Collection[str] = EVIDENCE_TYPES
) -> tuple[str, str] | None:
    """What the file is by its content, not by its name or declared type: (MIME type, suffix)
    for a kind in `allowed` (by default those the platform takes as case evidence), None
    otherwise (HTML, scripts, programs, a bare zip...). Every upload the platform keeps is
    recognised here, so one list of signatures (filetype's) decides what a file is."""
    if isinstance(upload, bytes):
        head = upload[:SNIFF_BYTES]
    else:
        upload.seek(0)
        head = upload.read(SNIFF_BYTES)
        upload.seek(0)
    kind = filetype.guess(head) if head else None
    if kind is None or kind.mime not in allowed:
        return None
    return kind.mime, f".{kind.extension}"


def evidence_add(
    *,
    case_id: int,
    actor: User,
    kind: str,
    title: str,
    content: bytes | File[Any],
    filename: str,
    content_type: str,
    fast: bool = True,
) -> Evidence:
    """Register one piece of evidence with its SHA-256 and SM3 fingerprints. Like a step, on the
    step path unless `fast` is False, and again on the ORM path should the case's record have
    moved between the read and the entry.

    `content` is the file (an upload is read in chunks, never whole) or its bytes. Its type is
    the one its content shows (filetype's signatures): a file whose content is none of the
    evidence types is refused whatever it is named or declared, and the stored type and suffix
    are the content's, so an HTML page sent as a PNG is never kept nor served as one."""
    upload: File[Any] = content if isinstance(content, File) else ContentFile(content)
    errors: list[str] = []
    sniffed: tuple[str, str] | None = None
    if kind not in Evidence.Kind.values:
        errors.append(f"证据类型“{kind}”无效")
    if not title.strip():
        errors.append("请填写证据名称")
    if not upload.size:
        errors.append("证据文件为空")
    elif upload.size > MAX_EVIDENCE_BYTES:
        errors.append(f"证据文件超过{MAX_EVIDENCE_BYTES // 1024 // 1024}MB上限")
    else:
        sniffed = sniffed_type(upload)
        if sniffed is None:
            declared = f"（声明为“{content_type}”）" if content_type else ""
            errors.append(
                f"不支持的文件类型：文件内容不是照片、PDF、音频或视频{declared}，"
                "仅支持 JPEG、PNG、WebP、PDF、MP3、WAV、M4A、MP4、MOV"
            )
    if errors or sniffed is None:
        raise Refused(errors)
    given: _Given = (case_id, actor, kind, title, upload, filename, sniffed)
    try:
        return _evidence_write(given, fast)
    except StreamMoved:
        if not fast:
            raise
        return _evidence_write(given, False)


def _evidence_write(given: _Given, fast: bool) -> Evidence:
    case_id, actor, kind, title, upload, filename, (content_type, suffix) = given
    with transaction.atomic():
        head: StreamHead | None = None
        if fast:
            locked = steppath.lock_case(case_id, actor.pk, clock.today())
            if locked is None:
                raise Case.DoesNotExist(f"Case {case_id} does not exist")
            case, head = locked.case, locked.head
        else:
            case = Case.objects.select_for_update().get(pk=case_id)
        if case.status == Case.Status.CLOSED:
            raise Refused(["案件已结案归档，不能再添加证据"])
        if actor.pk not in {case.handler_id, case.co_handler_id}:
            raise Refused(["只有本案承办人、协办人可以登记证据"])
        if case.step not in {
            "investigation",
            "filing_request",
            "lead_approve",
            "filing_review",
            "filing_approve",
            "simple_decide",
        }:
            raise Refused(["调查取证环节已结束，需补充证据请由审核人退回补充调查"])
        sha, sm3_hash = hashlib.sha256(), hashlib.new("sm3")
        for chunk in upload.chunks():
            sha.update(chunk)
            sm3_hash.update(chunk)
        sha256, sm3 = sha.hexdigest(), sm3_hash.hexdigest()
        ev = Evidence(
            case=case,
            kind=kind,
            title=title.strip(),
            content_type=content_type,
            size=upload.size,
            sha256=sha256,
            sm3=sm3,
            collected_by=actor,
            collected_at=clock.now(),
        )
        upload.seek(0)
        ev.file.save(f"{sm3}{suffix}", upload, save=False)
        rows.insert(ev)
        ledger_append(
            stream=case.stream,
            action="evidence_add",
            payload={
                "evidence_id": ev.pk,
                "kind": kind,
                "title": ev.title,
                "size": ev.size,
                "sha256": sha256,
                "sm3": sm3,
                "filename": filename,
            },
            actor_id=actor.pk,
            actor_name=str(actor),
            role=Role.HANDLER.value if actor.pk == case.handler_id else Role.CO_HANDLER.value,
            head=head,
        )
        return ev
