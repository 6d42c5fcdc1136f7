"""The log of every unmasked view of personal data: an append-only ledger stream of its own
(`pii:access`), hash-chained as every record is, which the 审计管理员 reads on /sanyuan/audit/.

An entry says who (account and the role acted in), when, which record and which fields, and why:
a deliberate reveal (显示完整) with the reason given, or an authorised use such as issuing a 文书
that prints the party's whole ID number, or downloading one (a POST; the GET only says so).
"""

from __future__ import annotations

from typing import Any

from ledger.services import ledger_append

STREAM = "pii:access"
ACTIONS = {
    "pii_reveal": "查看完整个人信息",
    "pii_document": "文书载明完整个人信息",
    "pii_document_download": "下载载明完整个人信息的文书",
}
FIELD_LABELS = {"id_number": "证件号码", "phone": "联系电话"}


def personal_access_record(
    *,
    actor: Any,
    role: str,
    action: str,
    record: str,
    fields: list[str],
    reason: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """One access, appended in the caller's transaction (so a refused action logs nothing).

    `record` names what was read ("case:12/party:1", "complaint:5"), `fields` which numbers."""
    if action not in ACTIONS:
        raise ValueError(f"unknown personal data access {action}")
    ledger_append(
        stream=STREAM,
        action=action,
        payload={"record": record, "fields": sorted(fields), "reason": reason, **(extra or {})},
        actor_id=getattr(actor, "pk", None),
        actor_name=str(actor),
        role=role,
    )
