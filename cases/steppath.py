"""The statements a case step runs, built once per database, without the ORM's per-step work.

A step through the ORM spent about two thirds of its time building, compiling and materialising
its queries (bench_cases --profile). Here the same reads and writes are SQL strings built once
per database from the models' own fields, run through a cursor, and turned into model instances
with the fields' own converters (Model.from_db), so what the effects and the pages see is what
the ORM would have given them:

- `lock_case`: one statement takes the case row locked (FOR UPDATE OF the case where the database
  has row locks), with its unit, its matter, the head of its ledger stream, which of its
  officers and the actor hold a 执法证 valid today (orgs.selectors.valid_certificates, compiled
  into the statement), whether the step has a draft to drop and the actor notices to settle
  (most steps have neither, and then skip that DELETE and that UPDATE), and its parties in
  their order (one row each, their encrypted fields deferred), which every step's facts read;
- `case_parties`: the parties alone, for an action whose case was not taken by `lock_case`;
- `save_case`: one UPDATE of the fields an action changed.

The ORM path (steps.case_act with `fast=False`) stays as the reference: a test runs every step of
both procedures both ways and compares the rows written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from cases.models import Case, Decision, Evidence, Party, PenaltyItem, Preservation, StepDraft
from cases.notify import SETTLED
from catalog.models import Matter
from deadlines.models import Deadline
from ledger.models import Head
from ledger.services import StreamHead
from notices.models import Notice
from orgs.models import RoleGrant, Unit, User
from orgs.selectors import valid_certificates_sql
from zhifa import rows
from zhifa.fields import EncryptedCharField
from zhifa.rows import Columns


@dataclass(frozen=True)
class _Statements:
    case: Columns
    unit: Columns
    matter: Columns
    party: Columns
    decision: Columns
    item: Columns
    limit: Columns
    lock: str
    certs: str
    certs_params: Callable[[dt.date], list[Any]]
    parties: str
    decisions: str
    limits: str
    evidence: str
    matter_by_code: str
    implementers: str
    officer: str


_built: dict[str, _Statements] = {}


def _clear(model: type[Any]) -> list[str]:
    """The model's fields stored in the clear (not encrypted)."""
    return [f.attname for f in model._meta.concrete_fields if not isinstance(f, EncryptedCharField)]


def _statements() -> _Statements:
    vendor = connection.vendor
    found = _built.get(vendor)
    if found is not None:
        return found
    qn = connection.ops.quote_name
    case, unit = Columns(Case, "c"), Columns(Unit, "u")
    matter = Columns(Matter, "m")
    # A party's ID number and phone are SM4-encrypted and no step reads them: left deferred (a
    # read of one loads it), so a step does not decrypt them for every party it reads.
    party = Columns(Party, "p", only=tuple(_clear(Party)))
    decision, item = Columns(Decision, "d"), Columns(PenaltyItem, "i")
    limit = Columns(Deadline, "l", only=("code", "due_on"))
    certs, certs_params = valid_certificates_sql()
    if vendor == "postgresql":
        certified = "string_agg(v.user_id::text, ',')"
        lock = " FOR UPDATE OF c"
    else:
        certified = "group_concat(v.user_id, ',')"
        lock = ""  # SQLite: BEGIN IMMEDIATE already holds the database for the transaction
    head = Head._meta.db_table
    built = _Statements(
        case=case,
        unit=unit,
        matter=matter,
        party=party,
        decision=decision,
        item=item,
        limit=limit,
        lock=(
            f"SELECT {case.sql}, {unit.sql}, {matter.sql}, h.seq, h.hash, "
            f"(SELECT {certified} FROM ({certs}) v "
            "WHERE v.user_id IN (c.handler_id, c.co_handler_id, %s)), "
            f"EXISTS (SELECT 1 FROM {qn(StepDraft._meta.db_table)} d "
            "WHERE d.case_id = c.id AND d.step = c.step), "
            f"EXISTS (SELECT 1 FROM {qn(Notice._meta.db_table)} n "
            "WHERE n.user_id = %s AND n.subject = %s AND n.read_at IS NULL "
            f"AND n.kind IN ({', '.join(['%s'] * len(SETTLED))})), "
            f"{party.sql} "
            f"FROM {qn(Case._meta.db_table)} c "
            f"JOIN {qn(Unit._meta.db_table)} u ON u.id = c.unit_id "
            f"LEFT JOIN {qn(Matter._meta.db_table)} m ON m.id = c.matter_id "
            f"LEFT JOIN {qn(head)} h ON h.stream = %s "
            f"LEFT JOIN {qn(Party._meta.db_table)} p ON p.case_id = c.id "
            f"WHERE c.id = %s ORDER BY p.{qn('index')}{lock}"
        ),
        certs=f"SELECT DISTINCT v.user_id FROM ({certs}) v WHERE v.user_id IN ({{marks}})",
        certs_params=certs_params,
        parties=(
            f"SELECT {party.sql} FROM {qn(Party._meta.db_table)} p "
            f"WHERE p.case_id = %s ORDER BY p.{qn('index')}"
        ),
        decisions=(
            f"SELECT {decision.sql}, {item.sql} FROM {qn(Decision._meta.db_table)} d "
            f"LEFT JOIN {qn(PenaltyItem._meta.db_table)} i ON i.decision_id = d.id "
            "WHERE d.case_id = %s ORDER BY d.id, i.id"
        ),
        limits=(
            f"SELECT {limit.sql} FROM {qn(Deadline._meta.db_table)} l "
            "WHERE l.case_id = %s AND l.stopped_on IS NULL AND l.party_id IS NULL"
        ),
        evidence=f"SELECT COUNT(*) FROM {qn(Evidence._meta.db_table)} WHERE case_id = %s",
        matter_by_code=(
            f"SELECT {matter.sql} FROM {qn(Matter._meta.db_table)} m WHERE m.code = %s "
            "ORDER BY m.id LIMIT 1"
        ),
        implementers=(
            f"SELECT unit_id FROM {qn(Matter.implementing_units.through._meta.db_table)} "
            "WHERE matter_id = %s"
        ),
        officer=(
            f"SELECT u.id, r.role FROM {qn(User._meta.db_table)} u "
            f"LEFT JOIN {qn(RoleGrant._meta.db_table)} r ON r.user_id = u.id "
            "WHERE u.username = %s AND u.unit_id = %s ORDER BY u.id"
        ),
    )
    _built[vendor] = built
    return built


@dataclass
class Locked:
    """A case taken by `lock_case`: the model instance (unit and matter attached) and what the
    statement read beside it."""

    case: Case
    head: StreamHead
    certified: frozenset[int]
    drafts: bool  # a draft of the case's current step is saved
    waiting: bool  # the actor has notices of the case the step settles (notify.SETTLED) unread
    parties: list[Party]  # in their order, each with the case attached


def lock_case(case_id: int, actor_id: int, today: dt.date) -> Locked | None:
    """The case row locked, with its unit, matter, stream head, certified officers and parties;
    None when there is no such case."""
    s = _statements()
    with rows.cursor() as cursor:
        stream = f"case:{case_id}"
        cursor.execute(
            s.lock,
            [*s.certs_params(today), actor_id, actor_id, stream, *SETTLED, stream, case_id],
        )
        found = cursor.fetchall()
    if not found:
        return None
    row = found[0]
    case: Case = s.case.build(row)
    at = len(s.case)
    case.unit = s.unit.build(row, at)
    at += len(s.unit)
    if row[at] is not None:
        case.matter = s.matter.build(row, at)
    else:
        case.matter = None
    at += len(s.matter)
    seq, digest, certified, drafts, waiting = row[at : at + 5]
    at += 5
    head = StreamHead(int(seq), str(digest)) if seq is not None else StreamHead.EMPTY
    ids = frozenset(int(u) for u in str(certified).split(",")) if certified else frozenset()
    parties: list[Party] = []
    for each in found:
        if each[at] is not None:  # the party's id (a case without parties has one row of NULLs)
            party: Party = s.party.build(each, at)
            party.case = case
            parties.append(party)
    return Locked(case, head, ids, bool(drafts), bool(waiting), parties)


def certified_on(user_ids: Sequence[int | None], day: dt.date) -> frozenset[int]:
    """Those of these users (None: no one) holding a 执法证 valid on `day`: what
    orgs.selectors.certified_on answers, for officers other than those `lock_case` read (a step
    that names a 协办人)."""
    wanted = sorted({u for u in user_ids if u is not None})
    if not wanted:
        return frozenset()
    s = _statements()
    with rows.cursor() as cursor:
        cursor.execute(
            s.certs.replace("{marks}", ", ".join(["%s"] * len(wanted))),
            [*s.certs_params(day), *wanted],
        )
        return frozenset(int(u) for (u,) in cursor.fetchall())


def case_parties(case: Case) -> list[Party]:
    """The case's parties in their order, each with its case attached."""
    s = _statements()
    with rows.cursor() as cursor:
        cursor.execute(s.parties, [case.pk])
        found = cursor.fetchall()
    parties: list[Party] = []
    for row in found:
        party: Party = s.party.build(row)
        party.case = case
        parties.append(party)
    return parties


def save_case(case: Case, fields: Sequence[str]) -> None:
    """UPDATE the fields (attnames) an action changed, updated_at included: one statement."""
    rows.update(case, fields)


def case_decisions(case_id: int) -> list[tuple[Decision, list[PenaltyItem]]]:
    """The case's decisions in the order they were made, each with its penalty items."""
    s = _statements()
    with rows.cursor() as cursor:
        cursor.execute(s.decisions, [case_id])
        found = cursor.fetchall()
    out: list[tuple[Decision, list[PenaltyItem]]] = []
    at = len(s.decision)
    for row in found:
        if not out or out[-1][0].pk != row[0]:
            out.append((s.decision.build(row), []))
        if row[at] is not None:
            out[-1][1].append(s.item.build(row, at))
    return out


def open_limits(case_id: int) -> dict[str, dt.date]:
    """The case's running limits (not a party's), by code: their due days."""
    s = _statements()
    with rows.cursor() as cursor:
        cursor.execute(s.limits, [case_id])
        found = cursor.fetchall()
    limits = [s.limit.build(row) for row in found]
    return {d.code: d.due_on for d in limits}


def preservations_in_force(case_id: int) -> int:
    """The case's 先行登记保存 still in force: a case does not close while one is."""
    qn = connection.ops.quote_name
    with rows.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {qn(Preservation._meta.db_table)} "
            "WHERE case_id = %s AND status = %s",
            [case_id, Preservation.Status.IN_FORCE.value],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def evidence_count(case_id: int) -> int:
    s = _statements()
    with rows.cursor() as cursor:
        cursor.execute(s.evidence, [case_id])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def matter_by_code(code: str) -> Matter | None:
    """The catalogue matter of this code (the first, as `.filter(code=…).first()` gives it)."""
    s = _statements()
    with rows.cursor() as cursor:
        cursor.execute(s.matter_by_code, [code])
        row = cursor.fetchone()
    return s.matter.build(row) if row is not None else None


def implementing_units(matter_id: int) -> frozenset[int]:
    """The units the matter names as its 实施主体 (none: any unit may)."""
    with rows.cursor() as cursor:
        cursor.execute(_statements().implementers, [matter_id])
        return frozenset(int(u) for (u,) in cursor.fetchall())


def officer_roles(username: str, unit_id: int) -> tuple[int, frozenset[str]] | None:
    """The user of this username in the unit, and the roles granted them; None if no such user."""
    with rows.cursor() as cursor:
        cursor.execute(_statements().officer, [username, unit_id])
        found = cursor.fetchall()
    if not found:
        return None
    user_id = found[0][0]
    return user_id, frozenset(r for u, r in found if u == user_id and r is not None)
