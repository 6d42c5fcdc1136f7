"""A party's 陈述、申辩 or 听证 request submitted online (行政处罚法第四十四、四十五、六十四条).

Each party's 行政处罚事先告知书 prints a code of its own (`response_code`): the case, the party's
place in it and a keyed MAC of both, so the code is checked without a table and cannot be made
up or moved to another case. With it and the last six characters of the party's 证件号码, the
party or its agent submits on the public site or through the API, no login needed; the rule of
what is accepted is `law.responses`. A submission is an entry on the case's record in the
party's name (it decides nothing: the 承办人 records the response at step 12, where the
submissions are shown and prefill the form), and the case's 承办人 and 协办人 are told.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from cases import steppath
from cases.models import Case, Party, ResponseTry
from cases.runner import FieldsRefused
from cases.selectors import RESPONSE_ACTION as ACTION
from cases.selectors import RESPONSE_STEP as STEP
from cases.selectors import earlier_submissions
from law import responses as rules
from law.complaints import CODE_ALPHABET
from law.limits import HEARING_REQUEST
from ledger.models import Entry
from ledger.services import ledger_append
from notices.models import Notice
from notices.services import notice_emit
from zhifa import clock

_MAC_LENGTH = 10
_CODE = re.compile(r"^([0-9]{1,12})-([0-9]{1,3})-([0-9A-Z]{10})$")
_WRONG = "查询码或证件号码后六位不正确，请核对告知书"
_CLOSED = "该查询码在一小时内输错次数过多，请稍后再试，或向承办机关提交书面意见"


def _mac(case_id: int, party_index: int) -> str:
    key = f"{settings.SECRET_KEY}:zhifa.cases.party-response".encode()
    digest = hmac.new(key, f"{case_id}:{party_index}".encode(), "sha256").digest()
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:_MAC_LENGTH])


def response_code(case_id: int, party_index: int) -> str:
    """The code printed on this party's 告知书, e.g. 1234-0-QX4K9ACMTR."""
    return f"{case_id}-{party_index}-{_mac(case_id, party_index)}"


def _parse(code: str) -> tuple[int, int] | None:
    found = _CODE.match("".join(code.split()).upper())
    if found is None:
        return None
    case_id, index, mac = int(found[1]), int(found[2]), found[3]
    if not hmac.compare_digest(mac, _mac(case_id, index)):
        return None
    return case_id, index


@dataclass(frozen=True)
class ResponseIn:
    code: str
    id_tail: str
    submitter: str
    relation: str
    statement: str
    wants_hearing: bool


def _refused(fields: dict[str, list[str]]) -> FieldsRefused:
    return FieldsRefused(fields)


def party_response_submit(given: ResponseIn) -> Entry:
    """Record the party's submission on the case's record, or refuse it by field, writing
    nothing but, for a valid code with a wrong ID-number tail, the try (ResponseTry): after
    RESPONSE_TRIES_PER_HOUR of them in an hour the code is refused until the oldest is an hour
    old, whatever the tail."""
    found = _parse(given.code)
    if found is None:
        raise _refused({"code": [_WRONG]})
    case_id, index = found
    since = clock.now() - dt.timedelta(hours=1)
    tries = ResponseTry.objects.filter(case_id=case_id, party_index=index, at__gt=since)
    if tries.count() >= settings.RESPONSE_TRIES_PER_HOUR:
        raise _refused({"code": [_CLOSED]})
    party = Party.objects.filter(case_id=case_id, index=index).first()
    if party is None:
        raise _refused({"code": [_WRONG]})
    if not rules.id_tail_matches(party.id_number, given.id_tail):
        # Kept although the submission is refused: the tries are what the limit counts.
        ResponseTry.objects.create(case_id=case_id, party_index=index, at=clock.now())
        raise _refused({"code": [_WRONG]})
    with transaction.atomic():
        # Read again under the case's lock, the tail with it: the check above only decided
        # whether a wrong try is counted, outside the transaction that would roll it back.
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        party = (
            Party.objects.filter(case_id=case_id, index=index).first() if case is not None else None
        )
        if (
            case is None
            or party is None
            or not rules.id_tail_matches(party.id_number, given.id_tail)
        ):
            raise _refused({"code": [_WRONG]})
        notified = party.notified is not None
        window_end = steppath.open_limits(case.pk).get(HEARING_REQUEST.code) if notified else None
        submission = rules.Submission(
            at_response_step=notified and case.step == STEP and case.status == Case.Status.OPEN,
            today=clock.today(),
            window_end=window_end,
            hearing_right=party.hearing_right,
            wants_hearing=given.wants_hearing,
            statement=given.statement.replace("\x00", ""),
            submitter=given.submitter.replace("\x00", ""),
            relation=given.relation,
            earlier=earlier_submissions(case, index),
        )
        errors = rules.submission_errors(submission)
        if errors:
            raise _refused(errors)
        submitter = submission.submitter.strip()
        entry = ledger_append(
            stream=case.stream,
            action=ACTION,
            payload={
                "party": index,
                "party_name": party.name,
                "submitter": submitter,
                "relation": submission.relation,
                "statement": submission.statement.strip(),
                "hearing": submission.wants_hearing,
                "on": submission.today,
                "window_end": window_end,
            },
            actor_id=None,
            actor_name=submitter,
            role="party",
        )
        what = "听证申请" if submission.wants_hearing else "陈述、申辩意见"
        notice_emit(
            users=[case.handler_id, case.co_handler_id],
            kind=Notice.Kind.PARTY_RESPONSE,
            subject=case.stream,
            occasion=f"entry:{entry.seq}",
            text=f"案件{case}的当事人“{party.name}”在线提交了{what}，请在“陈述申辩/听证”环节录入",
            url=reverse("case-detail", args=[case.pk]),
        )
    return entry
