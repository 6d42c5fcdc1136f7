"""The parties' ID and phone numbers as each reader sees them (law.personal): masked on every
read, and whole only on the answer to a deliberate reveal (显示完整, a POST) by an officer the rule
allows, logged on the `pii:access` stream."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from django.db import transaction

from cases.models import Case, Party
from cases.runner import FieldsRefused
from cases.selectors import get_case_for_user
from law.personal import (
    OWN_REASON,
    Relation,
    Sight,
    file_sight,
    mask_id_number,
    mask_phone,
    sight,
)
from orgs.models import User
from personal.services import personal_access_record
from procedure.engine import Refused

REASON_LIMIT = 200


def party_sight(user: User | None, case: Case) -> Sight:
    """How `user` sees the parties of a case it may read; None: the platform itself (the
    command line, exports to the province), which handles the whole numbers."""
    if user is None:
        return Sight.FULL
    return sight(_relation(user, case), frozenset(r.value for r in user.role_set))


def case_file_sight(user: User, case: Case) -> Sight:
    """How `user` may open a file of the case that prints a person's whole number (a 文书,
    the 卷宗): as it sees the parties; the 执法监督员 with a reason (law.personal.file_sight)."""
    return file_sight(_relation(user, case), frozenset(r.value for r in user.role_set))


def _relation(user: User, case: Case) -> Relation:
    if user.pk in (case.handler_id, case.co_handler_id):
        return Relation.OWN
    if user.unit_id is not None and user.unit_id == case.unit_id:
        return Relation.UNIT
    return Relation.OTHER


def masked_party(party: Party) -> Party:
    """A copy of the party for display, its numbers masked (never saved)."""
    shown = copy.copy(party)
    shown.id_number = mask_id_number(party.id_number, party.kind)
    shown.phone = mask_phone(party.phone)
    shown.save = _never_saved  # type: ignore[method-assign]
    return shown


def _never_saved(*args: object, **kwargs: object) -> None:
    raise RuntimeError("a masked copy of a party is for display only")


def parties_for(user: User | None, case: Case, parties: Iterable[Party]) -> list[Party]:
    """The parties as `user` reads them: masked for every officer (a read logs nothing, so it
    never shows a whole number); whole only for the platform itself (`user` None)."""
    if user is None:
        return list(parties)
    return [masked_party(p) for p in parties]


def party_reveal(*, actor: User, case_id: int, index: int, reason: str) -> Party:
    """The whole numbers of one party, for the case's own officers without a reason (logged as
    承办) or an approving officer of the case's unit with one; the access is logged (who, when,
    which party and fields, why)."""
    case = get_case_for_user(actor, case_id)
    seen = party_sight(actor, case)
    if seen is Sight.MASKED:
        raise Refused(["您的角色不能查看当事人的完整证件号码和联系电话"])
    party = case.parties.filter(index=index).first() if 0 <= index < 32768 else None
    if party is None:
        raise FieldsRefused({"index": ["当事人不存在"]})
    reason = reason.replace("\x00", "").strip()
    fields: dict[str, list[str]] = {}
    if not reason and seen is Sight.FULL:
        reason = OWN_REASON
    if not reason:
        fields["reason"] = ["请填写查看完整信息的事由"]
    elif len(reason) > REASON_LIMIT:
        fields["reason"] = [f"事由不能超过{REASON_LIMIT}字"]
    if fields:
        raise FieldsRefused(fields)
    numbers = [f for f in ("id_number", "phone") if getattr(party, f)]
    if party.kind != "person":
        numbers = [f for f in numbers if f != "id_number"]  # 统一社会信用代码 is public
    with transaction.atomic():
        personal_access_record(
            actor=actor,
            role=acting_role(actor),
            action="pii_reveal",
            record=f"case:{case.pk}/party:{party.index}",
            fields=numbers,
            reason=reason,
            extra={"case": case.case_no or case.lead_no},
        )
    return party


def acting_role(user: User) -> str:
    for role in ("handler", "section_chief", "legal_reviewer", "deputy_director"):
        if role in {r.value for r in user.role_set}:
            return role
    return next(iter(sorted(r.value for r in user.role_set)), "")
