"""Benchmark: generating the decision (行政处罚决定书) as PDF and DOCX for N cases.

    .venv/bin/python -m bench.bench_documents [--cases N] [--db sqlite|postgres]

It uses a database of its own, made afresh (never the development database): SQLite
<ZHIFA_VAR_DIR or /tmp/zhifa-bench-documents>/bench-documents.sqlite3, or PostgreSQL
`zhifa_bench_documents` on postgres@127.0.0.1:5432. It brings N cases to the delivery step
through the services, then times, per case:

- the PDF alone (context + Django template + WeasyPrint), and the DOCX alone (docxtpl);
- the whole first issue (number, code, both files, storage, ledger entry) — what a first
  download costs;
- a re-download (the stored document returned);

and as the baseline, measured in the same run, a bare WeasyPrint page with the same fonts and
a single line of text: the floor every PDF pays for font loading and subsetting.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DB = "zhifa_bench_documents"
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _prepare(db: str) -> Path:
    var = Path(os.environ.get("ZHIFA_VAR_DIR") or "/tmp/zhifa-bench-documents")
    var.mkdir(parents=True, exist_ok=True)
    os.environ["ZHIFA_VAR_DIR"] = str(var)
    # A throwaway database: a key of its own for the run (DEBUG off needs one).
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    if db == "sqlite":
        sqlite = var / "bench-documents.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite}"
    else:
        host = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *host, "--if-exists", PG_DB], check=True)
        subprocess.run(["createdb", *host, PG_DB], check=True)
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    return var


def _org() -> Any:
    from bench.org import build_org

    return build_org()


def _rate(label: str, n: int, seconds: float) -> float:
    rate = n / seconds if seconds else float("inf")
    print(f"  {label:<44} {n:>5} in {seconds:7.2f} s  = {rate:7.1f} documents/s")
    return rate


def _timed(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    var = _prepare(args.db)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    media = Path(tempfile.mkdtemp(prefix="media-", dir=var))
    settings.MEDIA_ROOT = media
    call_command("migrate", verbosity=0)

    from weasyprint import HTML  # type: ignore[import-untyped]

    from cases.tests.flow import advance, register
    from documents.content import document_context, latest_entry
    from documents.render import render_docx, render_pdf, verify_url
    from documents.services import document_issue
    from zhifa import clock

    clock.set_now(START)
    org = _org()
    n = args.cases
    print(f"bench_documents: {n} cases on {args.db}, bringing them to the delivery step…")
    t0 = time.perf_counter()
    cases = [advance(org, register(org), until="delivery") for _ in range(n)]
    print(f"  set-up: {time.perf_counter() - t0:.1f} s")

    def ctx_for(case: Any) -> dict[str, Any]:
        party = case.parties.get()
        entry = latest_entry(case, "decision_issue")
        assert entry is not None
        ctx = document_context(case, "decision", party, entry)
        ctx.update(code="BENCH00000", verify_url=verify_url("BENCH00000"), issued_on="")
        return ctx

    contexts = [ctx_for(c) for c in cases]
    # Warm up: fonts loaded, templates compiled.
    render_pdf("decision", contexts[0])
    render_docx("decision", contexts[0])
    bare = (
        "<html><body style=\"font-family:'Noto Serif CJK SC'\"><p>"
        "行政处罚决定书 聊城管罚决〔2025〕1号</p></body></html>"
    )
    HTML(string=bare).write_pdf()

    print("Results")
    it = iter(contexts)
    base = _rate(
        "baseline: bare WeasyPrint page, CJK fonts",
        n,
        _timed(lambda: HTML(string=bare).write_pdf(), n),
    )
    pdf = _rate(
        "decision PDF (template + WeasyPrint)",
        n,
        _timed(lambda: render_pdf("decision", next(it)), n),
    )
    it = iter(contexts)
    docx = _rate("decision DOCX (docxtpl)", n, _timed(lambda: render_docx("decision", next(it)), n))
    ids = iter([c.pk for c in cases])
    issue = _rate(
        "first download: issue (PDF+DOCX, number, ledger)",
        n,
        _timed(
            lambda: document_issue(
                case_id=next(ids), kind="decision", party_index=0, actor=org.handler
            ),
            n,
        ),
    )
    ids = iter([c.pk for c in cases])
    again = _rate(
        "re-download: stored document returned",
        n,
        _timed(
            lambda: document_issue(
                case_id=next(ids), kind="decision", party_index=0, actor=org.handler
            ),
            n,
        ),
    )
    print(f"  decision PDF / bare page ratio: {pdf / base:.2f} (1.00 = no cost beyond fonts)")
    print(f"  issue / (PDF+DOCX render) ratio: {issue / (1 / (1 / pdf + 1 / docx)):.2f}")
    print(f"  re-download / first download: {again / issue:.1f}× faster")
    shutil.rmtree(media, ignore_errors=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
