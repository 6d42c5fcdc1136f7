"""在线陈述申辩、申请听证: the public page where a party answers its 行政处罚事先告知书 with the
code the notice prints (cases.services.responses). No login; not cached (the form carries a
CSRF token); a refusal keeps what was typed and names the field."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.services.responses import ResponseIn, party_response_submit
from disclosure.portal import site_context
from law.responses import ID_TAIL_LENGTH, RELATION_LABELS, STATEMENT_MAX
from procedure.engine import Refused

TEMPLATE = "disclosure/response.html"


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    base = {
        "relations": RELATION_LABELS.items(),
        "statement_max": STATEMENT_MAX,
        "tail_length": ID_TAIL_LENGTH,
    }
    return render(request, TEMPLATE, {**site_context(request), **base, **context}, status=status)


def response(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse("不支持该请求方法。", status=405, headers={"Allow": "GET, HEAD, POST"})
    if request.method != "POST":
        form = {"code": request.GET.get("code", "")[:40], "relation": "self"}
        return _page(request, {"form": form, "fields": {}})
    form = request.POST
    given = ResponseIn(
        code=form.get("code", "")[:40],
        id_tail=form.get("id_tail", "")[:20],
        submitter=form.get("submitter", ""),
        relation=form.get("relation", ""),
        statement=form.get("statement", ""),
        wants_hearing=form.get("hearing") == "yes",
    )
    try:
        entry = party_response_submit(given)
    except Refused as exc:
        kept = {k: form.get(k, "") for k in ("code", "submitter", "relation", "statement")}
        kept["hearing"] = form.get("hearing", "")
        return _page(request, {"form": kept, "fields": exc.fields}, status=422)
    return _page(
        request,
        {"done": entry.payload, "at": entry.at, "seq": entry.seq, "hash": entry.hash},
    )
