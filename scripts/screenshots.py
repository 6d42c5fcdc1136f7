"""Screenshots of the main pages for each role of the demo, on a phone and on a desktop.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 /tmp/shots \\
        --otp-secret <the demo's 验证器密钥 that scripts/run.sh prints>

It logs in through the login form as each role (the demo's logins by default, or --login
label=username, repeatable), opens the main pages by their addresses and saves one full-page PNG
per role, page and screen: <out>/<screen>/<role>-<page>.png, screen being phone (390×844) or
desktop (1366×900). The case page is the first case of that role's case list. It uses nothing but
addresses and the login form, so it runs against an older checkout too; a page that answers an
error (not there yet, or not this role's) is noted in <out>/index.tsv instead of saved.

Chromium is Debian's (/usr/bin/chromium, or CHROMIUM), driven by Playwright as the browser tests do.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import os
import re
import struct
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

SCREENS: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}

# The demo's roles (scripts/run.sh prints them), in the order a reader meets them.
DEMO_LOGINS = [
    ("handler", "371500-cgj-handler1"),
    ("chief", "371500-cgj-chief"),
    ("legal", "371500-cgj-legal"),
    ("head", "371500-cgj-director"),
    ("supervisor", "371500-sfj-supervisor"),
    ("sysadmin", "371500-sfj-sysadmin"),
    ("secadmin", "371500-sfj-secadmin"),
    ("auditadmin", "371500-sfj-auditadmin"),
]

# The main pages by address; "case" is found on the case list.
PAGES = [
    ("home", "/"),
    ("cases", "/cases/"),
    ("case", None),
    ("notices", "/notices/"),
    ("dashboard", "/supervision/"),
    ("stats", "/supervision/stats/"),
    ("portal", "/gs/"),
]

CASE_LINK = re.compile(r"^/cases/\d+/$")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]


def totp(secret: str, at: float | None = None) -> str:
    """The six-digit code of a base32 TOTP secret (RFC 6238, SHA-1, 30 seconds)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int((time.time() if at is None else at) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def log_in(browser: Browser, base: str, username: str, password: str, otp: str | None) -> Any:
    """The session of one login (its cookies), or None when the login form refuses it. A code is
    good once: when one was sent and refused, the next 30-second code is tried once more."""
    for attempt in range(2 if otp else 1):
        ctx = browser.new_context(locale="zh-CN")
        try:
            page = ctx.new_page()
            page.goto(f"{base}/login/")
            page.fill('input[name="username"]', username)
            page.fill('input[name="password"]', password)
            sent = bool(otp) and page.locator('input[name="otp_token"]').count() > 0
            if sent and otp:
                page.fill('input[name="otp_token"]', totp(otp))
            page.click('button[type="submit"]')
            page.wait_for_load_state("load")
            if "/login/" not in page.url:
                return ctx.storage_state()
        finally:
            ctx.close()
        if not sent:
            break
        if attempt == 0:
            time.sleep(30.5 - time.time() % 30)
    return None


def first_case(page: Page, base: str) -> str | None:
    page.goto(f"{base}/cases/")
    hrefs = page.locator("main a[href]").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    for href in hrefs:
        if href and CASE_LINK.match(href):
            return str(href)
    return None


def shoot(page: Page, base: str, path: str, out: Path) -> int:
    response = page.goto(f"{base}{path}", wait_until="load")
    status = response.status if response else 0
    if status < 400 and "/login/" not in page.url:
        out.parent.mkdir(parents=True, exist_ok=True)
        # The whole page at once: the window is made as tall as the page first, since a chart
        # that follows its box redraws itself wrongly on the capture's own passing resize.
        screen = page.viewport_size or {"width": 1366, "height": 900}
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.set_viewport_size({"width": screen["width"], "height": max(height, screen["height"])})
        page.wait_for_timeout(300)
        page.screenshot(path=str(out), full_page=True)
        page.set_viewport_size(screen)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", help="the platform's address, e.g. http://127.0.0.1:8000")
    parser.add_argument("out", type=Path, help="the directory the PNGs go to")
    parser.add_argument(
        "--login",
        action="append",
        metavar="LABEL=USERNAME",
        help="a role to log in as (repeatable); the demo's roles when none is given",
    )
    parser.add_argument("--password", default="Zhifa@2026", help="every login's password")
    parser.add_argument("--otp-secret", help="the base32 TOTP secret of the logins that need one")
    names = ",".join(n for n, _ in PAGES)
    parser.add_argument("--pages", help=f"a comma-separated subset of: {names}")
    parser.add_argument("--screens", default="phone,desktop", help="phone, desktop or both")
    args = parser.parse_args(argv)

    base = args.base.rstrip("/")
    logins = [tuple(s.split("=", 1)) for s in args.login] if args.login else DEMO_LOGINS
    wanted = set(args.pages.split(",")) if args.pages else {n for n, _ in PAGES}
    screens = [s for s in args.screens.split(",") if s in SCREENS]
    args.out.mkdir(parents=True, exist_ok=True)
    rows = ["role\tpage\tscreen\taddress\tstatus"]
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        for label, username in logins:
            state = log_in(browser, base, username, args.password, args.otp_secret)
            if state is None:
                print(f"{label}: 登录失败（{username}），跳过", file=sys.stderr)
                rows.append(f"{label}\tlogin\t-\t/login/\trefused")
                continue
            for screen in screens:
                ctx = browser.new_context(locale="zh-CN", storage_state=state, **SCREENS[screen])
                page = ctx.new_page()
                for name, path in PAGES:
                    if name not in wanted:
                        continue
                    if path is None:
                        path = first_case(page, base)
                        if path is None:
                            rows.append(f"{label}\t{name}\t{screen}\t-\tno case")
                            continue
                    status = shoot(page, base, path, args.out / screen / f"{label}-{name}.png")
                    rows.append(f"{label}\t{name}\t{screen}\t{path}\t{status}")
                    print(f"{label} {screen} {name} {path} {status}", file=sys.stderr)
                ctx.close()
        browser.close()
    (args.out / "index.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
