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


# --- error pages: in Chinese, with a way back (issue: the officer's working day, item 8) --------


def test_a_page_that_does_not_exist_answers_a_chinese_404_with_a_way_home(org):
    client = Client()
    client.force_login(org.handler)
    r = client.get("/no/such/page/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "页面不存在" in html and 'href="/"' in html and "Not Found" not in html


def test_a_form_posted_without_its_csrf_token_answers_a_chinese_403_that_says_nothing_was_done(
    org,
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.handler)
    r = client.post("/cases/new/", {"clue": "x"})
    assert r.status_code == 403
    html = r.content.decode()
    assert "页面已过期" in html and "没有生效" in html and "CSRF verification failed" not in html


def test_the_server_error_page_is_chinese_and_says_nothing_was_saved(rf):
    from django.views.defaults import server_error

    r = server_error(rf.get("/"))
    assert r.status_code == 500
    html = r.content.decode()
    assert "系统出错，操作未生效" in html and "没有保存任何内容" in html
