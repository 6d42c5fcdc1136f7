from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from disclosure.portal import public_page, site_context


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "disclosure/home.html", site_context(request))
