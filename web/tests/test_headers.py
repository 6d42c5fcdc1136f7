"""Every page carries a CSP without inline script or style, and answers with personal data are
not kept by any cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from api.tests.test_api_flow import ApiUser
from cases.tests.flow import register
from web.tests.test_reads import signed_in

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_the_login_page_and_a_case_page_carry_a_policy_without_inline_code(org):
    case = register(org)
    client = signed_in(org.chief.username)
    for r in (Client().get("/login/"), client.get(f"/cases/{case.pk}/")):
        policy = r["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"), "inline script"),
    (re.compile(r"<style\b"), "style element"),
    (re.compile(r"\sstyle=\""), "style attribute"),
    (re.compile(r"\son[a-z]+=\""), "event handler attribute"),
]


def test_no_page_template_holds_inline_script_or_style():
    # The PDF templates are WeasyPrint's input, never a browser's: their <style> is theirs.
    found = []
    for path in ROOT.glob("**/templates/**/*.html"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(".venv") or "/pdf/" in rel or rel.endswith("_pdf.html"):
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{rel}: {what}" for rx, what in INLINE if rx.search(text)]
    assert not found, found


def test_case_pages_party_data_and_api_answers_are_not_stored(org):
    case = register(org)
    client = signed_in(org.chief.username)
    assert client.get(f"/cases/{case.pk}/")["Cache-Control"] == "no-store"
    assert client.get(f"/cases/?q={case.parties.first().id_number}")["Cache-Control"] == "no-store"
    api = ApiUser(Client(), org.chief.username)
    assert api.get(f"/api/cases/{case.pk}")["Cache-Control"] == "no-store"
    assert api.get("/api/cases")["Cache-Control"] == "no-store"
