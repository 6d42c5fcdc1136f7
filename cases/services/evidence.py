"""Evidence (证据): one file registered with its SHA-256 and SM3 fingerprints and an entry on the
case's record, taken like a step on the step path (cases.steppath)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from cases import steppath
from cases.models import Case, Evidence
from ledger.services import StreamHead, StreamMoved, ledger_append
from orgs.models import User
from procedure.engine import Refused
from procedure.roles import Role
from zhifa import clock, rows

MAX_EVIDENCE_BYTES = 200 * 1024 * 1024
EVIDENCE_TYPES = {
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


def evidence_add(
    *,
    case_id: int,
    actor: User,
    kind: str,
    title: str,
    content: bytes,
    filename: str,
    content_type: str,
    fast: bool = True,
) -> Evidence:
    """Register one piece of evidence with its SHA-256 and SM3 fingerprints. Like a step, on the
    step path unless `fast` is False, and again on the ORM path should the case's record have
    moved between the read and the entry."""
    errors: list[str] = []
    if kind not in Evidence.Kind.values:
        errors.append(f"证据类型“{kind}”无效")
    if not title.strip():
        errors.append("请填写证据名称")
    if not content:
        errors.append("证据文件为空")
    if len(content) > MAX_EVIDENCE_BYTES:
        errors.append(f"证据文件超过{MAX_EVIDENCE_BYTES // 1024 // 1024}MB上限")
    if content_type not in EVIDENCE_TYPES:
        errors.append(f"不支持的文件类型“{content_type}”，仅支持照片、PDF、音频和视频")
    if errors:
        raise Refused(errors)
    given = (case_id, actor, kind, title, content, filename, content_type)
    try:
        return _evidence_write(given, fast)
    except StreamMoved:
        if not fast:
            raise
        return _evidence_write(given, False)


def _evidence_write(given: tuple[int, User, str, str, bytes, str, str], fast: bool) -> Evidence:
    case_id, actor, kind, title, content, filename, content_type = given
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
        sha = hashlib.sha256(content).hexdigest()
        sm3 = hashlib.new("sm3", content).hexdigest()
        ev = Evidence(
            case=case,
            kind=kind,
            title=title.strip(),
            content_type=content_type,
            size=len(content),
            sha256=sha,
            sm3=sm3,
            collected_by=actor,
            collected_at=clock.now(),
        )
        ev.file.save(f"{sm3}{_suffix(filename)}", ContentFile(content), save=False)
        rows.insert(ev)
        ledger_append(
            stream=case.stream,
            action="evidence_add",
            payload={
                "evidence_id": ev.pk,
                "kind": kind,
                "title": ev.title,
                "size": ev.size,
                "sha256": sha,
                "sm3": sm3,
                "filename": filename,
            },
            actor_id=actor.pk,
            actor_name=str(actor),
            role=Role.HANDLER.value if actor.pk == case.handler_id else Role.CO_HANDLER.value,
            head=head,
        )
        return ev


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    ext = filename[dot:].lower() if dot >= 0 else ""
    return ext if ext.isascii() and len(ext) <= 6 else ""
