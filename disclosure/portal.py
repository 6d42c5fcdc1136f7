"""The public site (执法公示门户): what every public page shares.

The site lives under its own prefix (`PUBLIC_SITE_PREFIX`, default `gs/`), needs no login, shows
nothing that is not published, and is cached: a public page is the same for everyone, so it says
`Cache-Control: public, max-age=PUBLIC_CACHE_SECONDS` and reads no session (no `Vary: Cookie`).

The sections of the site (事前公示, 处罚决定公示, 双随机抽查, 投诉举报…) belong to the apps that
publish them; each app names its section when it starts (AppConfig.ready), and the site's
navigation lists the registered sections in their order. The portal imports no module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True, slots=True)
class Section:
    url_name: str
    title: str
    order: int


_SECTIONS: dict[str, Section] = {}


def register_section(url_name: str, title: str, order: int = 50) -> None:
    """Put a page in the public site's navigation (the URL name of its index page)."""
    _SECTIONS[url_name] = Section(url_name, title, order)


def sections() -> list[tuple[str, str]]:
    """(address, title) of each registered section, in order; a section whose URL is not
    mounted is left out rather than breaking every public page."""
    out = []
    for s in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.title)):
        try:
            out.append((reverse(s.url_name), s.title))
        except NoReverseMatch:
            continue
    return out


#: What another app adds to an agency's 事前公示 page: given the unit, its part of the page as
#: HTML (rendered from the app's own template), or "" when it has nothing to show.
AgencyPart = Callable[[Any], str]
_AGENCY_PARTS: dict[str, tuple[int, AgencyPart]] = {}


def register_agency_part(name: str, part: AgencyPart, order: int = 50) -> None:
    """Add a part to each agency's 事前公示 page (e.g. its 随机抽查事项清单)."""
    _AGENCY_PARTS[name] = (order, part)


def agency_parts(unit: Any) -> list[str]:
    """The registered parts of an agency's page, in their order, those with something to show."""
    out = []
    for _, part in sorted(_AGENCY_PARTS.values(), key=lambda p: p[0]):
        html = part(unit)
        if html:
            out.append(html)
    return out


def public_page(
    view: Callable[..., HttpResponse] | None = None, *, max_age: int | None = None
) -> Any:
    """Marks a view of the public site: GET/HEAD only, cacheable by browsers and proxies.

    A POST view of the public site (a complaint) must not use this: it is not cacheable."""

    def wrap(fn: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(fn)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return HttpResponse("只接受 GET 请求。", status=405, headers={"Allow": "GET, HEAD"})
            response = fn(request, *args, **kwargs)
            if response.status_code == 200 and not response.has_header("Cache-Control"):
                seconds = settings.PUBLIC_CACHE_SECONDS if max_age is None else max_age
                response["Cache-Control"] = f"public, max-age={seconds}"
                # Tells web.middleware.NoStoreMiddleware the page does not vary by session.
                response.shared_page = True  # type: ignore[attr-defined]
            return response

        return inner

    return wrap(view) if view is not None else wrap


def site_context(request: HttpRequest) -> dict[str, Any]:
    """Template context of every public page (used by public/base.html)."""
    return {"public_sections": sections(), "public_site_name": settings.PUBLIC_SITE_NAME}
