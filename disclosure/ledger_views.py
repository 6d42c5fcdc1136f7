"""The public page of the record's signed checkpoints (全过程记录校验): anyone can copy the
signatures and the public key and check them, or pull them as JSON to keep a witness."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from disclosure.portal import public_page, site_context
from ledger.selectors import SIGNED_MESSAGE, SM2_USER_ID, signed_checkpoints, signing_public_key

PAGE = 100
FEED_PAGE = 1000
_MAX_ID = 2**63 - 1


def _after(request: HttpRequest) -> int | None:
    raw = request.GET.get("after", "0").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19 or int(raw) > _MAX_ID:
        return None
    return int(raw)


@public_page
def checkpoints(request: HttpRequest) -> HttpResponse:
    context = {
        **site_context(request),
        "checkpoints": signed_checkpoints(limit=PAGE, newest_first=True),
        "public_key": signing_public_key(),
        "signed_message": SIGNED_MESSAGE,
        "user_id": SM2_USER_ID,
    }
    return render(request, "disclosure/ledger_checkpoints.html", context)


@public_page
def checkpoints_feed(request: HttpRequest) -> HttpResponse:
    after = _after(request)
    if after is None:
        return JsonResponse(
            {"errors": ["参数 after 应为不小于 0 的检查点编号"], "fields": {"after": ["应为整数"]}},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    rows = signed_checkpoints(after=after, limit=FEED_PAGE)
    nxt = None
    if len(rows) == FEED_PAGE:
        nxt = f"{reverse('disclosure:ledger_checkpoints_feed')}?after={rows[-1]['id']}"
    return JsonResponse(
        {
            "algorithm": "SM2（GB/T 32918）签名，SM3 杂凑",
            "public_key": signing_public_key(),
            "user_id": SM2_USER_ID,
            "signed_message": SIGNED_MESSAGE,
            "checkpoints": rows,
            "next": nxt,
        },
        json_dumps_params={"ensure_ascii": False},
    )
