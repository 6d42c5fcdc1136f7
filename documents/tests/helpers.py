"""Read generated documents back: PDF text and fonts (pypdf), DOCX text (python-docx)."""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document as Docx
from pypdf import PdfReader

from cases.models import Case
from cases.tests.flow import act, advance, register
from conftest import move

VERIFY = re.compile(r"核验码：[A-Z0-9]+扫码或访问以下网址核验：\S+?/documents/verify/[A-Z0-9]+/")
FOOTER = re.compile(rf"—\s*\d+\s*—|{VERIFY.pattern}")


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Lines and pages break anywhere in CJK text: compare without the layout's line breaks and
    # the page numbers (— 1 —) that a page break puts in the middle of a sentence.
    text = "".join((page.extract_text() or "").replace("\n", "") for page in reader.pages)
    return FOOTER.sub("", text)


def pdf_footers(content: bytes) -> list[str]:
    """The verification footer of each page (code and address), as extracted."""
    reader = PdfReader(io.BytesIO(content))
    return [
        m.group(0)
        for page in reader.pages
        for m in [VERIFY.search((page.extract_text() or "").replace("\n", ""))]
        if m
    ]


def pdf_fonts(content: bytes) -> set[str]:
    """Base font names of every font the PDF's pages use (e.g. ABCDEF+NotoSerifCJKsc-Regular)."""
    reader = PdfReader(io.BytesIO(content))
    names: set[str] = set()
    for page in reader.pages:
        resources: Any = page.get("/Resources") or {}
        fonts: Any = resources.get_object().get("/Font") or {}
        for ref in fonts.get_object().values():
            font = ref.get_object()
            names.add(str(font.get("/BaseFont")))
            for desc in font.get("/DescendantFonts") or []:
                names.add(str(desc.get_object().get("/BaseFont")))
    return names


def embedded_cjk(content: bytes) -> bool:
    """Some font is a Noto CJK font embedded as a file (not merely named)."""
    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        fonts: Any = page["/Resources"].get_object().get("/Font") or {}
        for ref in fonts.get_object().values():
            font = ref.get_object()
            for desc in font.get("/DescendantFonts") or [font]:
                d = desc.get_object()
                fd = d.get("/FontDescriptor")
                if "CJK" in str(d.get("/BaseFont")) and fd is not None:
                    fd = fd.get_object()
                    if any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                        return True
    return False


def docx_text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def closed_case(org: Any, **register_overrides: Any) -> Case:
    case = advance(org, register(org, **register_overrides), until="closing_approve")
    return act(org, case, "closing_approve")


def hearing_case(org: Any) -> Case:
    """A case whose party has the hearing right and had a hearing (行政处罚法 Art. 63-64)."""
    org.matter.legal_max = 200000
    org.matter.bands = None
    org.matter.save()
    case = advance(org, register(org), until="investigation_report")
    big = [
        {"party": 0, "outcome": "penalty", "penalties": [{"type": "fine", "amount": "150000.00"}]}
    ]
    case = act(org, case, "investigation_report", proposals=big)
    for step in ("investigation_review", "legal_review", "penalty_approve", "notice_issue"):
        case = act(org, case, step)
    move(days=20)
    hearing = {
        "party": 0,
        "kind": "hearing",
        "hearing": {
            "requested_on": "2025-03-05",
            "notified_on": "2025-03-06",
            "held_on": "2025-03-17",
            "chair": org.legal.pk,
            "record": "当事人到场陈述申辩，称广告牌已自行拆除",
        },
    }
    return act(org, case, "notice_response", responses=[hearing])
