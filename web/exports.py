"""The case list as a spreadsheet: the same filters and the same scope as the list page
(`web.selectors.case_list`), one row a case. A GET that writes nothing; beyond
CASE_EXPORT_MAX_ROWS cases the officer is asked to narrow the filters instead of waiting."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

from web import selectors
from web.forms import CaseFilterForm
from web.views import _user
from zhifa import clock

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    ("案号", 26),
    ("案源编号", 26),
    ("当事人", 36),
    ("单位", 24),
    ("权责事项", 36),
    ("程序", 8),
    ("当前环节", 14),
    ("状态", 8),
    ("处理结果", 12),
    ("案件来源", 10),
    ("发现日期", 12),
    ("立案日期", 12),
    ("结案日期", 12),
    ("最近法定期限", 22),
    ("期限截止日", 12),
)
CHUNK = 500


@login_required
def case_list_xlsx(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CaseFilterForm(request.GET or None, user=user)
    if request.GET and not form.is_valid():
        errors = [
            f"{form.fields[k].label}：{'；'.join(str(m) for m in v)}"
            for k, v in form.errors.items()
        ]
        return render(request, "web/export_refused.html", {"reasons": errors}, status=422)
    f = form.to_filter() if request.GET else selectors.CaseFilter()
    qs = selectors.with_deadline(
        selectors.case_list(user, f).select_related("unit", "matter").order_by("-pk")
    )
    cap = int(settings.CASE_EXPORT_MAX_ROWS)
    ids = list(qs.values_list("pk", flat=True)[: cap + 1])
    if len(ids) > cap:
        reason = f"符合条件的案件超过{cap}件，请缩小筛选范围（如按单位、日期）后再导出"
        return render(request, "web/export_refused.html", {"reasons": [reason]}, status=422)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("案件列表")
    for n, (_, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + n)].width = width
    bold = Font(bold=True)
    header = []
    for title, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for start in range(0, len(ids), CHUNK):
        chunk = list(qs.filter(pk__in=ids[start : start + CHUNK]))
        selectors.attach_parties(chunk)
        for c in chunk:
            sheet.append(
                [
                    c.case_no,
                    c.lead_no,
                    "、".join(c.party_names),  # type: ignore[attr-defined]
                    c.unit.name,
                    f"{c.matter.code} {c.matter.name}" if c.matter else "",
                    c.get_procedure_display(),
                    selectors.step_label(c.step),
                    c.get_status_display(),
                    c.get_outcome_display() if c.outcome else "",
                    c.get_source_display(),
                    c.discovered_on,
                    c.filed_on,
                    c.closed_on,
                    getattr(c, "due_name", None) or "",
                    getattr(c, "due_on", None),
                ]
            )
    out = io.BytesIO()
    book.save(out)
    name = f"cases-{clock.today():%Y%m%d}.xlsx"
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
