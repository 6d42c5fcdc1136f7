"""Turn a document's context into PDF (WeasyPrint) and DOCX (docxtpl) bytes.

Templates an administrator can replace:
- PDF: the Django template ``documents/pdf/<name>.html``; a project-level
  ``templates/documents/pdf/<name>.html`` wins over the app's (template loader order).
- DOCX: ``<name>.docx`` looked up first in the directory named by the DOCUMENT_TEMPLATE_DIR
  setting or environment variable, then in ``documents/docx/`` of the app.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage  # type: ignore[import-untyped]
from weasyprint import HTML  # type: ignore[import-untyped]

APP_DOCX_DIR = Path(__file__).resolve().parent / "docx"


def template_dir() -> Path | None:
    configured = settings.DOCUMENT_TEMPLATE_DIR
    return Path(configured) if configured else None


def docx_template_path(name: str) -> Path:
    override = template_dir()
    if override is not None and (override / f"{name}.docx").is_file():
        return override / f"{name}.docx"
    return APP_DOCX_DIR / f"{name}.docx"


def public_url() -> str:
    """The address the public reaches the platform at, printed in the QR code."""
    return str(settings.PUBLIC_BASE_URL).rstrip("/")


def verify_url(code: str) -> str:
    return f"{public_url()}/documents/verify/{code}/"


def qr_svg_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=1))


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=1)
    return out.getvalue()


def render_pdf(template: str, ctx: dict[str, Any]) -> bytes:
    html = render_to_string(
        f"documents/pdf/{template}.html", {**ctx, "qr": qr_svg_data_uri(ctx["verify_url"])}
    )
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    assert pdf is not None
    return pdf


def render_docx(template: str, ctx: dict[str, Any]) -> bytes:
    tpl = DocxTemplate(str(docx_template_path(template)))
    qr = InlineImage(tpl, io.BytesIO(qr_png(ctx["verify_url"])), width=Mm(22))
    tpl.render({**ctx, "qr": qr}, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
