"""The same writes as the service layer, as hand-written SQL: the floor the services are measured
against.

One transaction per action, exactly like the services (case_register, evidence_add, then one per
step), writing the same rows and the same values: the case row, its party, the evidence row and
file, the 文号 counters, the legal time limits, the decision and its penalty items, a ledger
entry per action SM3-chained onto the stream's head, and the notices a step sends (the unit's
approvers told when the next step waits for them, with an SMS where they asked for one; the
actor's own notice of the case read when they act on it).

Derived values (due dates, the hearing right, the heaviest penalty, the next step and its label)
are computed with the same pure functions the services use (law.*, procedure.*, ledger.chain);
configuration that the services read from the database on every call (the holiday table, the
hearing thresholds, the unit, the users' roles and their SMS wishes) is read once, with SQL, when
the writer is built, and whom a case's notices are waiting for is kept in memory.

What is *not* here is everything that is not a write: the guards, the CaseFacts snapshot and the
reads that feed it. That is the point of the comparison.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from cases.notify import APPROVERS, SETTLED
from law import rules
from law.calendar import WorkingCalendar
from law.limits import LIMITS_BY_CODE, due_date
from law.penalties import AMOUNT_TYPES, PenaltyType, heaviest
from law.validators import birth_date_from_id
from ledger.chain import GENESIS, canonical_json, entry_hash
from procedure.engine import END
from procedure.general import GENERAL
from procedure.guards import parse_items
from procedure.roles import Role
from zhifa import clock
from zhifa.fields import stored as stored_value


class StaleStep(RuntimeError):
    """The case was not at the step the action is for (the compare-and-set matched no row)."""


def _steps_path(order: Sequence[str]) -> list[str]:
    return [GENERAL.first, *order, END]


class BareWriter:
    """Writes one case's actions with parameterised SQL on `django.db.connection`."""

    def __init__(self, *, unit_id: int, order: Sequence[str], decisions: Mapping[str, str]):
        self.postgres = connection.vendor == "postgresql"
        self.json = "%s::jsonb" if self.postgres else "%s"
        self.lock = " FOR UPDATE" if self.postgres else ""  # SQLite: BEGIN IMMEDIATE locks
        # What the current action computed; recorded in its ledger entry like the services do.
        self.result: dict[str, Any] = {}
        with connection.cursor() as cur:
            cur.execute(
                "SELECT u.short, u.name, r.code, r.parent_code FROM orgs_unit u "
                "JOIN orgs_region r ON r.code = u.region_id WHERE u.id = %s",
                [unit_id],
            )
            short, name, region, parent = cur.fetchone()
            self.unit_id = unit_id
            self.unit_label = short or name
            # The hearing thresholds of the unit's region, its parent or grandparent (Art. 63).
            cur.execute("SELECT parent_code FROM orgs_region WHERE code = %s", [parent])
            row = cur.fetchone()
            codes = [region, parent, row[0] if row else ""]
            cur.execute(
                "SELECT region_code, fine_person, fine_organisation, confiscation_person, "
                "confiscation_organisation FROM catalog_hearingthreshold "
                "WHERE region_code IN (%s, %s, %s)",
                codes,
            )
            found = {r[0]: r[1:] for r in cur.fetchall()}
            t = next(found[c] for c in codes if c in found)
            self.thresholds = rules.HearingThresholds(*(Decimal(str(v)) for v in t))
            cur.execute("SELECT day, working FROM deadlines_calendarday")
            overrides = {
                d if isinstance(d, dt.date) else dt.date.fromisoformat(d): bool(w)
                for d, w in cur.fetchall()
            }
            cur.execute("SELECT year FROM deadlines_calendaryear")
            self.calendar = WorkingCalendar(overrides, [y for (y,) in cur.fetchall()])
            cur.execute(
                "SELECT u.id, u.username, u.full_name, g.role FROM orgs_user u "
                "JOIN orgs_rolegrant g ON g.user_id = u.id WHERE u.unit_id = %s",
                [unit_id],
            )
            self.roles: dict[int, set[Role]] = {}
            self.names: dict[int, str] = {}
            for uid, username, full_name, role in cur.fetchall():
                self.roles.setdefault(uid, set()).add(Role(role))
                self.names[uid] = full_name or username
            # The active officers with a phone who asked for approval notices by SMS.
            cur.execute(
                "SELECT u.id, u.is_active, u.phone, s.sms_kinds FROM orgs_user u "
                "LEFT JOIN notices_noticesetting s ON s.user_id = u.id WHERE u.unit_id = %s",
                [unit_id],
            )
            self.active: set[int] = set()
            self.sms: set[int] = set()
            for uid, active, phone, kinds in cur.fetchall():
                if active:
                    self.active.add(uid)
                if phone and isinstance(_json(kinds), list) and APPROVAL in _json(kinds):
                    self.sms.add(uid)
        # Who holds a notice of which case still unread (case id -> user ids), and each case's
        # number as its notices name it (the 立案 number once given, the 案源 number before).
        self.unread: dict[int, set[int]] = {}
        self.labels: dict[int, str] = {}
        # (label, next step) of every step on the path the benchmark takes, from the step table.
        path = _steps_path(order)
        self.route: dict[str, tuple[str, str]] = {}
        for code, nxt in itertools.pairwise(path):
            transition = GENERAL.step(code).transition(decisions[code])
            assert transition is not None, code
            assert not isinstance(transition.to, str) or transition.to == nxt, (code, nxt)
            self.route[code] = (transition.label, nxt)
        self.warn_days = dt.timedelta(days=settings.DEADLINE_WARN_DAYS)
        self.media = Path(settings.MEDIA_ROOT)
        self.defaults = {table: _column_defaults(table) for table in INSERTED}
        self.json_columns = {table: _json_columns(table) for table in INSERTED}
        self._sql_cache: dict[tuple[str, tuple[str, ...], bool], str] = {}

    # --- helpers -----------------------------------------------------------------------------

    def _insert(
        self, cur: Any, table: str, values: Mapping[str, Any], *, returning: bool = False
    ) -> int | None:
        """INSERT one row: `values`, plus the model's default for every other defaulted column
        (so a column added later with a default does not break the benchmark)."""
        row = {**self.defaults[table], **values}
        key = (table, tuple(v.sql if isinstance(v, _Sql) else c for c, v in row.items()), returning)
        sql = self._sql_cache.get(key)
        if sql is None:
            quote = connection.ops.quote_name
            marks = [
                v.sql
                if isinstance(v, _Sql)
                else self.json
                if c in self.json_columns[table]
                else "%s"
                for c, v in row.items()
            ]
            sql = (
                f"INSERT INTO {table} ({', '.join(quote(c) for c in row)}) "
                f"VALUES ({', '.join(marks)}){' RETURNING id' if returning else ''}"
            )
            self._sql_cache[key] = sql
        params: list[Any] = []
        for v in row.values():
            params.extend(v.params if isinstance(v, _Sql) else [v])
        cur.execute(sql, params)
        return int(cur.fetchone()[0]) if returning else None

    def _party_json(self, cur: Any, column: str, value: Any, case_id: int, index: int) -> None:
        cur.execute(
            f'UPDATE cases_party SET {column} = {self.json} WHERE case_id = %s AND "index" = %s',
            [canonical_json(value), case_id, index],
        )

    def _ts(self, value: dt.datetime) -> Any:
        return connection.ops.adapt_datetimefield_value(value)

    def _role(self, actor_id: int, step: str) -> str:
        have = self.roles.get(actor_id, set())
        return next((r.value for r in sorted(GENERAL.step(step).roles) if r in have), "")

    def _number(self, cur: Any, kind: str, label: str, on: dt.date) -> str:
        cur.execute(
            "INSERT INTO cases_numbersequence (unit_id, kind, year, last) VALUES (%s, %s, %s, 1) "
            "ON CONFLICT (unit_id, kind, year) DO UPDATE "
            "SET last = cases_numbersequence.last + 1 RETURNING last",
            [self.unit_id, kind, on.year],
        )
        return f"{self.unit_label}{label}〔{on.year}〕{cur.fetchone()[0]}号"

    def _ledger(
        self,
        cur: Any,
        case_id: int,
        action: str,
        payload: dict[str, Any],
        actor_id: int,
        role: str,
        *,
        new: bool = False,
    ) -> int:
        stream = f"case:{case_id}"
        if new:
            prev, seq = GENESIS, 1
        else:
            cur.execute(f"SELECT seq, hash FROM ledger_head WHERE stream = %s{self.lock}", [stream])
            last, prev = cur.fetchone()
            seq = last + 1
        at = timezone.now()
        name = self.names[actor_id]
        body = {
            "stream": stream,
            "seq": seq,
            "at": at.isoformat(),
            "actor_id": actor_id,
            "actor_name": name,
            "role": role,
            "action": action,
            "payload": payload,
        }
        digest = entry_hash(prev, body)
        self._insert(
            cur,
            "ledger_entry",
            {
                "stream": stream,
                "seq": seq,
                "prev_hash": prev,
                "hash": digest,
                "at": self._ts(at),
                "actor_id": actor_id,
                "actor_name": name,
                "role": role,
                "action": action,
                "payload": canonical_json(payload),
            },
        )
        if new:
            self._insert(cur, "ledger_head", {"stream": stream, "seq": seq, "hash": digest})
        else:
            cur.execute(
                "UPDATE ledger_head SET seq = %s, hash = %s WHERE stream = %s",
                [seq, digest, stream],
            )
        return seq

    def _notify(self, cur: Any, case_id: int, step: str, actor_id: int, seq: int) -> None:
        """The actor's unread notice of the case is read; when the next step waits for an
        approver, the unit's active officers in that role (but the actor) are told, one row
        each in one INSERT, with an SMS for those who asked."""
        stream = f"case:{case_id}"
        waiting = self.unread.get(case_id, set())
        if actor_id in waiting:
            cur.execute(
                "UPDATE notices_notice SET read_at = %s WHERE user_id = %s AND subject = %s "
                f"AND kind IN ({', '.join(['%s'] * len(SETTLED))}) AND read_at IS NULL",
                [self._ts(timezone.now()), actor_id, stream, *SETTLED],
            )
            waiting.discard(actor_id)
        nxt = self.route[step][1]
        if nxt == END:
            return
        roles = GENERAL.step(nxt).roles & APPROVERS
        told = sorted(
            u
            for u, have in self.roles.items()
            if have & roles and u in self.active and u != actor_id
        )
        if not told:
            return
        name = GENERAL.step(nxt).name
        text = f"案件{self.labels[case_id]}待您办理“{name}”（{self.names[actor_id]}提交）"
        url = reverse("case-detail", args=[case_id])
        row = [APPROVAL, stream, f"entry:{seq}", url, text, self._ts(timezone.now())]
        cur.execute(
            "INSERT INTO notices_notice (user_id, kind, subject, occasion, url, text, created_at, "
            "read_at, sms, sms_at) VALUES "
            + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, NULL, %s, NULL)"] * len(told))
            + " ON CONFLICT DO NOTHING",
            [v for u in told for v in (u, *row, "pending" if u in self.sms else "")],
        )
        self.unread.setdefault(case_id, set()).update(told)

    def _step_done(
        self,
        cur: Any,
        case_id: int,
        step: str,
        actor_id: int,
        decision: str,
        data: Mapping[str, Any],
        changes: Mapping[str, Any],
    ) -> None:
        """Move the case on (compare-and-set on its step) and append the step's ledger entry."""
        label, nxt = self.route[step]
        cols = {"previous_step": step, "step": nxt, "updated_at": self._ts(timezone.now())}
        cols.update(changes)
        quote = connection.ops.quote_name
        assignments = ", ".join(
            f"{quote(c)} = {v.sql if isinstance(v, _Sql) else '%s'}" for c, v in cols.items()
        )
        params: list[Any] = []
        for v in cols.values():
            params.extend(v.params if isinstance(v, _Sql) else [v])
        cur.execute(
            f"UPDATE cases_case SET {assignments} WHERE id = %s AND step = %s",
            [*params, case_id, step],
        )
        if cur.rowcount != 1:
            raise StaleStep(f"case {case_id} is not at {step}")
        payload = {
            "decision": decision,
            "label": label,
            "next": nxt,
            "data": dict(data),
            "result": self.result,
        }
        self.result = {}
        if "case_no" in changes:
            self.labels[case_id] = changes["case_no"]
        seq = self._ledger(cur, case_id, step, payload, actor_id, self._role(actor_id, step))
        self._notify(cur, case_id, step, actor_id, seq)

    def _deadline_start(
        self,
        cur: Any,
        case_id: int,
        code: str,
        starts_on: dt.date,
        party_index: int | None,
        amount: int | None = None,
    ) -> dt.date:
        limit = LIMITS_BY_CODE[code]
        if amount is not None:
            limit = dataclasses.replace(limit, amount=amount)
        due = due_date(limit, starts_on, self.calendar)
        self._insert(
            cur,
            "deadlines_deadline",
            {
                "case_id": case_id,
                "party_id": _party(case_id, party_index) if party_index is not None else None,
                "code": code,
                "name": limit.name,
                "citation": limit.citation,
                "starts_on": starts_on,
                "due_on": due,
                "warn_on": max(starts_on, due - self.warn_days),
            },
        )
        return due

    def _deadline_stop(self, cur: Any, case_id: int, code: str, on: dt.date) -> None:
        """Met when running or approaching; an overdue limit keeps its status (one statement)."""
        cur.execute(
            "UPDATE deadlines_deadline SET stopped_on = %s, status = CASE WHEN status IN "
            "('running', 'approaching') THEN 'met' ELSE status END "
            "WHERE case_id = %s AND code = %s AND stopped_on IS NULL",
            [on, case_id, code],
        )

    # --- the actions ---------------------------------------------------------------------------

    def register(self, *, actor_id: int, kwargs: Mapping[str, Any]) -> int:
        today = clock.today()
        parties: Sequence[Mapping[str, Any]] = kwargs["parties"]
        now = self._ts(timezone.now())
        label, nxt = self.route[GENERAL.first]
        clue = kwargs["clue"].strip()
        with transaction.atomic(), connection.cursor() as cur:
            lead_no = self._number(cur, "lead", "案源", today)
            case_id = self._insert(
                cur,
                "cases_case",
                {
                    "unit_id": self.unit_id,
                    "procedure": "general",
                    "lead_no": lead_no,
                    "case_no": "",
                    "source": kwargs["source"],
                    "clue": clue,
                    "place": kwargs.get("place", ""),
                    "discovered_on": kwargs["discovered_on"],
                    "act_on": kwargs.get("act_on"),
                    "act_ended_on": kwargs.get("act_ended_on"),
                    "facts": "",
                    "step": nxt,
                    "status": "lead",
                    "outcome": "",
                    "handler_id": actor_id,
                    "complex": False,
                    "previous_step": GENERAL.first,
                    "created_at": now,
                    "updated_at": now,
                },
                returning=True,
            )
            assert case_id is not None
            party_model = apps.get_model("cases", "Party")
            for n, raw in enumerate(parties):
                number = str(raw.get("id_number", "")).strip().upper()
                sealed_number, number_index = stored_value(party_model, "id_number", number)
                self._insert(
                    cur,
                    "cases_party",
                    {
                        "case_id": case_id,
                        "index": n,
                        "kind": raw["kind"],
                        "name": str(raw["name"]).strip(),
                        "id_number": sealed_number,
                        "id_number_index": number_index,
                        "address": str(raw.get("address", "")),
                        "phone": stored_value(party_model, "phone", str(raw.get("phone", "")))[0],
                        "legal_rep": str(raw.get("legal_rep", "")),
                        "birth_date": (
                            birth_date_from_id(number) if raw["kind"] == "person" else None
                        ),
                    },
                )
            data = {
                "procedure": "general",
                "lead_no": lead_no,
                "source": kwargs["source"],
                "clue": clue,
                "place": kwargs.get("place", ""),
                "discovered_on": kwargs["discovered_on"],
                "act_on": kwargs.get("act_on"),
                "matter": kwargs.get("matter_code"),
                "parties": [dict(p) for p in parties],
            }
            payload = {
                "decision": "submit",
                "label": label,
                "next": nxt,
                "data": data,
                "result": {},
            }
            role = self._role(actor_id, GENERAL.first)
            self.labels[case_id] = lead_no
            seq = self._ledger(cur, case_id, GENERAL.first, payload, actor_id, role, new=True)
            self._notify(cur, case_id, GENERAL.first, actor_id, seq)
        return case_id

    def evidence_add(
        self,
        *,
        case_id: int,
        actor_id: int,
        kind: str,
        title: str,
        content: bytes,
        filename: str,
        content_type: str,
    ) -> None:
        sha = hashlib.sha256(content).hexdigest()
        sm3 = hashlib.new("sm3", content).hexdigest()
        dot = filename.rfind(".")
        name = dt.datetime.now().strftime("evidence/%Y/%m/") + sm3 + filename[dot:].lower()
        with transaction.atomic(), connection.cursor() as cur:
            path = self.media / name
            os.makedirs(path.parent, exist_ok=True)
            with open(path, "xb") as fh:
                fh.write(content)
            evidence_id = self._insert(
                cur,
                "cases_evidence",
                {
                    "case_id": case_id,
                    "kind": kind,
                    "title": title.strip(),
                    "file": name,
                    "content_type": content_type,
                    "size": len(content),
                    "sha256": sha,
                    "sm3": sm3,
                    "collected_by_id": actor_id,
                    "collected_at": self._ts(clock.now()),
                },
                returning=True,
            )
            payload = {
                "evidence_id": evidence_id,
                "kind": kind,
                "title": title.strip(),
                "size": len(content),
                "sha256": sha,
                "sm3": sm3,
                "filename": filename,
            }
            self._ledger(cur, case_id, "evidence_add", payload, actor_id, Role.HANDLER.value)

    def act(
        self, *, case_id: int, actor_id: int, step: str, decision: str, data: Mapping[str, Any]
    ) -> None:
        today = clock.today()
        with transaction.atomic(), connection.cursor() as cur:
            effect = getattr(self, f"_{step}", None)
            changes = effect(cur, case_id, data, today) if effect else {}
            self._step_done(cur, case_id, step, actor_id, decision, data, changes)

    # --- what each step writes besides the case row and the ledger entry ---------------------

    def _filing_request(self, cur: Any, case_id: int, data: Any, today: dt.date) -> Changes:
        return {
            "matter_id": _Sql(
                "(SELECT id FROM catalog_matter WHERE code = %s)", data["matter_code"]
            ),
            "co_handler_id": _Sql(
                "(SELECT id FROM orgs_user WHERE username = %s AND unit_id = %s)",
                data["co_handler"],
                self.unit_id,
            ),
            "complex": bool(data.get("complex", False)),
            "facts": str(data["summary"]),
        }

    def _filing_approve(self, cur: Any, case_id: int, data: Any, today: dt.date) -> Changes:
        case_no = self._number(cur, "filing", "罚立", today)
        self._deadline_start(cur, case_id, "decision_limit", today, None)
        self.result = {"case_no": case_no, "filed_on": today}
        return {"case_no": case_no, "filed_on": today, "status": "open"}

    def _investigation_report(self, cur: Any, case_id: int, data: Any, today: dt.date) -> Changes:
        for p in data["proposals"]:
            proposal = {k: v for k, v in p.items() if k != "party"}
            self._party_json(cur, "proposal", proposal, case_id, int(p["party"]))
        return {"facts": str(data["facts"])}

    def _notice_issue(self, cur: Any, case_id: int, data: Any, today: dt.date) -> Changes:
        served_on = dt.date.fromisoformat(data["served_on"])
        cur.execute('SELECT "index", kind, proposal FROM cases_party WHERE case_id = %s', [case_id])
        notified = []
        for index, kind, stored in cur.fetchall():
            proposal = _json(stored) or {}
            if proposal.get("outcome") != "penalty":
                continue
            items, _ = parse_items(proposal.get("penalties", []))
            right, reasons = rules.hearing_right(
                party_kind=kind, penalties=items, thresholds=self.thresholds
            )
            notified.append(
                {
                    "party": index,
                    "penalties": proposal.get("penalties", []),
                    "rights": ["陈述", "申辩", *(["要求听证"] if right else [])],
                    "hearing_reasons": reasons,
                }
            )
            cur.execute(
                f"UPDATE cases_party SET notified = {self.json}, hearing_right = %s "
                'WHERE case_id = %s AND "index" = %s',
                [canonical_json(proposal.get("penalties", [])), right, case_id, index],
            )
        window_end = self._deadline_start(cur, case_id, "hearing_request", served_on, None)
        self.result = {
            "served_on": served_on,
            "response_window_end": window_end,
            "notified": notified,
        }
        return {}

    def _notice_response(self, cur: Any, case_id: int, data: Any, today: dt.date) -> Changes:
        for r in data["responses"]:
            self._party_json(cur, "response", r, case_id, int(r["party"]))
        self._deadline_stop(cur, case_id, "hearing_request", today)
        return {}

    def _decision_issue(self, cur: Any, case_id: int, data: Any, today: dt.date) -> Changes:
        issued = []
        for d in data["decisions"]:
            penalty = d["outcome"] == "penalty"
            items, _ = parse_items(d.get("penalties", []) if penalty else [])
            number = self._number(cur, "decision", "罚决" if penalty else "不罚决", today)
            kind = heaviest(t for t, _ in items).value if items else ""
            total = sum((a for t, a in items if t in AMOUNT_TYPES and a), Decimal("0"))
            issued.append(
                {
                    "party": int(d["party"]),
                    "number": number,
                    "heaviest": kind,
                    "total_amount": total,
                }
            )
            decision_id = self._insert(
                cur,
                "cases_decision",
                {
                    "case_id": case_id,
                    "party_id": _party(case_id, int(d["party"])),
                    "number": number,
                    "outcome": d["outcome"],
                    "decided_on": today,
                    "facts": str(d.get("facts", "")),
                    "basis": str(d.get("basis", "")),
                    "performance": str(d.get("performance", "")),
                    "reason": str(d.get("reason", "")),
                    "heaviest": kind,
                    "total_amount": total,
                },
                returning=True,
            )
            for t, a in items:
                self._insert(
                    cur,
                    "cases_penaltyitem",
                    {"decision_id": decision_id, "type": t.value, "amount": a},
                )
            self._deadline_start(cur, case_id, "delivery", today, int(d["party"]))
            if d["outcome"] == "penalty" and items:
                # A fine of the general procedure is published (disclosure.selectors.in_scope):
                # its 7 working days run from the decision.
                self._deadline_start(
                    cur,
                    case_id,
                    "disclosure_penalty",
                    today,
                    int(d["party"]),
                    amount=settings.DISCLOSURE_PENALTY_WORKING_DAYS,
                )
        self._deadline_stop(cur, case_id, "decision_limit", today)
        self.result = {"decided_on": today, "decisions": issued}
        return {}

    def _delivery(self, cur: Any, case_id: int, data: Any, today: dt.date) -> Changes:
        dues: dict[int, dt.date] = {}
        for d in data["deliveries"]:
            on = dt.date.fromisoformat(d["delivered_on"])
            party = int(d["party"])
            cur.execute(
                "SELECT d.outcome, EXISTS (SELECT 1 FROM cases_penaltyitem i WHERE "
                "i.decision_id = d.id AND i.type IN (%s, %s)) FROM cases_decision d JOIN "
                'cases_party p ON p.id = d.party_id WHERE p.case_id = %s AND p."index" = %s',
                [PenaltyType.FINE.value, PenaltyType.CONFISCATE_GAINS.value, case_id, party],
            )
            outcome, pays = cur.fetchone()
            due = None
            if outcome == "penalty" and pays:
                due = self._deadline_start(cur, case_id, "payment", on, party)
                dues[party] = due
            cur.execute(
                "UPDATE cases_decision SET delivered_on = %s, delivery_method = %s, "
                "payment_due = %s WHERE party_id = "
                '(SELECT id FROM cases_party WHERE case_id = %s AND "index" = %s)',
                [on, str(d["method"]), due, case_id, party],
            )
        self._deadline_stop(cur, case_id, "delivery", today)
        if dues:
            self.result = {"payment_due": dues}
        return {}

    def _execution(self, cur: Any, case_id: int, data: Any, today: dt.date) -> Changes:
        for e in data["executions"]:
            execution = {k: v for k, v in e.items() if k != "party"}
            on = dt.date.fromisoformat(execution.get("paid_on") or execution.get("applied_on"))
            cur.execute(
                f"UPDATE cases_decision SET execution = {self.json}, executed_on = %s "
                "WHERE outcome = 'penalty' AND party_id = "
                '(SELECT id FROM cases_party WHERE case_id = %s AND "index" = %s) '
                "RETURNING total_amount",
                [canonical_json(execution), on, case_id, int(e["party"])],
            )
            (owed,) = cur.fetchone()
            # 行政强制法: paying more than the fine is a surcharge, an enforcement that counts.
            if execution.get("kind") == "paid" and Decimal(
                str(execution.get("amount", "0"))
            ) > Decimal(str(owed)):
                self._insert(
                    cur, "coercion_enforcement", {"case_id": case_id, "type": "surcharge", "on": on}
                )
        self._deadline_stop(cur, case_id, "payment", today)
        return {}

    def _closing_approve(self, cur: Any, case_id: int, data: Any, today: dt.date) -> Changes:
        # The case ends: whatever limit still runs is cancelled.
        cur.execute(
            "UPDATE deadlines_deadline SET status = 'cancelled', stopped_on = %s "
            "WHERE case_id = %s AND stopped_on IS NULL",
            [today, case_id],
        )
        cur.execute(
            "SELECT c.outcome, c.transferred_on, EXISTS (SELECT 1 FROM cases_decision d "
            "WHERE d.case_id = c.id AND d.outcome = 'penalty'), EXISTS (SELECT 1 FROM "
            "cases_decision d WHERE d.case_id = c.id) FROM cases_case c WHERE c.id = %s",
            [case_id],
        )
        current, transferred_on, penalised, decided = cur.fetchone()
        outcome = current or (
            "penalty"
            if penalised
            else "no_penalty"
            if decided
            else "transfer"
            if transferred_on
            else ""
        )
        self.result = {"outcome": outcome, "closed_on": today}
        return {"status": "closed", "closed_on": today, "outcome": outcome}


APPROVAL = "approval"  # the kind of notice that tells an approver a case waits


class _Sql:
    """A column value given as an SQL expression with its own parameters."""

    def __init__(self, sql: str, *params: Any) -> None:
        self.sql = sql
        self.params = list(params)


def _json(value: Any) -> Any:
    """A JSON column as read through a bare cursor: text on SQLite, text or parsed on PostgreSQL."""
    return json.loads(value) if isinstance(value, str | bytes) else value


Changes = dict[str, Any]

# The tables the bare writer INSERTs into.
INSERTED = (
    "cases_case",
    "cases_party",
    "cases_evidence",
    "cases_decision",
    "cases_penaltyitem",
    "deadlines_deadline",
    "ledger_entry",
    "ledger_head",
    "coercion_enforcement",
)


def _model(table: str) -> type[models.Model]:
    return next(m for m in apps.get_models() if m._meta.db_table == table)


def _column_defaults(table: str) -> dict[str, Any]:
    """Column -> what the ORM would insert when the field is not given: its default, or "" for
    a NOT NULL text column. Keys and fields without either are left to the INSERT's columns."""
    out: dict[str, Any] = {}
    for f in _model(table)._meta.concrete_fields:
        if f.primary_key or not (f.has_default() or (f.empty_strings_allowed and not f.null)):
            continue
        value = f.get_default()
        if isinstance(f, models.JSONField):
            value = canonical_json(value)
        out[f.column] = value
    return out


def _json_columns(table: str) -> frozenset[str]:
    return frozenset(
        f.column for f in _model(table)._meta.concrete_fields if isinstance(f, models.JSONField)
    )


def _party(case_id: int, index: int) -> _Sql:
    return _Sql('(SELECT id FROM cases_party WHERE case_id = %s AND "index" = %s)', case_id, index)
