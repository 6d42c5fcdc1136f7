"""Web forms validated exactly as the API validates: by the pydantic schema of each step.

A form posts flat names that spell the schema's shape: `proposals.0.penalties.1.amount`,
`records.0.officers[]` (a list of values). `collect` rebuilds the nested payload, `validate`
runs the schema and returns errors in Chinese keyed by the same dotted names, so a template puts
each message next to its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from cases.payloads import STEP_SCHEMAS, error_message

IGNORED = frozenset({"csrfmiddlewaretoken", "decision"})


def schema_for(step: str) -> type[BaseModel] | None:
    return STEP_SCHEMAS.get(step)


def _put(tree: dict[str, Any], parts: list[str], value: Any) -> None:
    node = tree
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):  # a name used both as a leaf and as a branch
            return
    node[parts[-1]] = value


def _lists(node: Any) -> Any:
    """Turn dicts keyed "0", "1"… into lists in index order, dropping rows left empty."""
    if not isinstance(node, dict):
        return node
    out = {k: _lists(v) for k, v in node.items()}
    out = {k: v for k, v in out.items() if v not in ({}, None)}
    if out and all(k.isdigit() for k in node):
        return [out[k] for k in sorted(out, key=int)]
    if not out and node and all(k.isdigit() for k in node):
        return []
    return out


def collect(post: Mapping[str, Any]) -> dict[str, Any]:
    """The nested payload of a flat POST. Empty fields are left out (the schema's defaults or
    its "required" message apply); a name ending in [] collects every value; a repeated name
    takes its last value (hidden "false" before a checkbox)."""
    tree: dict[str, Any] = {}
    getlist = getattr(post, "getlist", None)
    for key in post:
        if key in IGNORED:
            continue
        if key.endswith("[]"):
            raw = getlist(key) if getlist else post[key]
            # A textarea posts one value with a line per item; checkboxes post one each.
            values = [line.strip() for v in raw for line in str(v).splitlines() if line.strip()]
            if values:
                _put(tree, key[:-2].split("."), values)
            continue
        values = getlist(key) if getlist else [post[key]]
        value = str(values[-1]).strip() if values else ""
        if value == "":
            continue
        _put(tree, key.split("."), value)
    result = _lists(tree)
    return result if isinstance(result, dict) else {}


def as_form(value: Any) -> Any:
    """A recorded payload in the shape a form posts: every leaf as text ("true"/"false" for a
    flag), so a form reopened from the record shows what was submitted."""
    if isinstance(value, dict):
        return {str(k): as_form(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_form(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "form"
        out.setdefault(loc, []).append(error_message(err))
    return out


def validate(
    schema: type[BaseModel], payload: dict[str, Any], decision: str | None = None
) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """(the JSON-ready payload, {}) when valid, else (None, {dotted name: [Chinese messages]})."""
    data = dict(payload)
    if decision is not None and "decision" in schema.model_fields:
        data["decision"] = decision
    try:
        model = schema.model_validate(data)
    except ValidationError as exc:
        return None, errors_of(exc)
    return model.model_dump(mode="json"), {}


def summary(errors: Mapping[str, list[str]]) -> list[str]:
    """Every error as one line naming its part of the form, for the box above the form."""
    out: list[str] = []
    for loc, messages in errors.items():
        parts = loc.split(".")
        where = field_label(loc)
        if len(parts) > 1 and parts[1].isdigit():
            where += f"第{int(parts[1]) + 1}项"
        out.extend(f"{where}：{m}" for m in messages)
    return out


def field_label(loc: str) -> str:
    """A Chinese name for the part of the form an error belongs to."""
    labels = {
        "decision": "决定",
        "opinion": "意见",
        "reason": "理由",
        "matter_code": "权责事项",
        "co_handler": "协办人",
        "records": "笔录",
        "proposals": "拟处理意见",
        "responses": "陈述申辩/听证",
        "decisions": "处罚决定",
        "deliveries": "送达",
        "executions": "执行",
        "parties": "当事人",
        "penalties": "处罚种类",
        "collective_discussion": "集体讨论",
        "served_on": "送达日期",
        "facts": "违法事实",
        "basis": "依据",
        "summary": "简要案情",
        "act_on": "违法行为发生日期",
        "act_ended_on": "违法行为终了日期",
        "harmful_consequences": "危害后果",
        "source": "案件来源",
        "clue": "案源线索",
        "discovered_on": "发现日期",
        "place": "地点",
        "certificate_shown": "出示执法证件",
        "kind": "方式",
        "amount": "金额",
        "paid_on": "缴款日期",
        "receipt_no": "票据号",
        "extension_reason": "延期理由",
        "form": "表单",
    }
    return labels.get(loc.split(".")[0], loc)
