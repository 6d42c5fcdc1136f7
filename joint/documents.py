"""《违法停车提示单》 as a PDF (WeasyPrint, Noto CJK fonts), for posting on the car."""

from __future__ import annotations

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML  # type: ignore[import-untyped]

from joint.models import ParkingReport
from joint.plates import KIND_LABELS


def notice_pdf(report: ParkingReport) -> bytes:
    qr = segno.make(f"{report.notice_no}|{report.plate}|{report.reported_at.isoformat()}")
    html = render_to_string(
        "joint/notice_pdf.html",
        {
            "r": report,
            "kind": KIND_LABELS.get(report.plate_kind, ""),
            "reported_at": timezone.localtime(report.reported_at),
            "window_ends_at": timezone.localtime(report.window_ends_at),
            "warning": report.outcome == ParkingReport.Outcome.WARNING,
            "qr": qr.svg_data_uri(scale=3, border=1),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
