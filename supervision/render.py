"""Rendering a statistics form: text (the console), CSV and an .xlsx laid out like the printed
table (title, two header rows with the seed's merged cells, units column, number formats)."""

from __future__ import annotations

import csv
import io
import unicodedata
from decimal import Decimal

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from supervision.selectors import Number, Table, format_wan
from supervision.tables import Group

WAN_FORMAT = "0.00####"


def cell_text(value: Number) -> str:
    return format_wan(value) if isinstance(value, Decimal) else str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, left: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return text + gap if left else gap + text


def as_text(table: Table) -> str:
    columns = table.spec.columns
    header = ["单位名称", *(c.label for c in columns)]
    body = [[r.label, *(cell_text(r.values[c.key]) for c in columns)] for r in table.all_rows()]
    widths = [max(_width(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [table.title, ""]
    for n, row in enumerate([header, *body]):
        lines.append(
            "  ".join(_pad(t, widths[i], left=i == 0 or n == 0) for i, t in enumerate(row))
        )
    lines.extend(f"提示：{w}" for w in table.warnings)
    return "\n".join(lines) + "\n"


# Excel reads a CSV file as the machine's ANSI code page (GBK here) unless it starts with the
# UTF-8 byte order mark: every CSV the platform writes (download, `stats --format csv`) has it.
CSV_BOM = "\ufeff"


def as_csv(table: Table) -> str:
    """The form as CSV text, UTF-8 with a BOM so Excel opens it with the Chinese intact."""
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["单位名称", *(c.label for c in table.spec.columns)])
    for r in table.all_rows():
        writer.writerow([r.label, *(cell_text(r.values[c.key]) for c in table.spec.columns)])
    return out.getvalue()


def as_xlsx(table: Table) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = table.spec.title[:31]
    columns = table.spec.columns
    last = len(columns) + 1
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.cell(1, 1, table.title).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = center
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.cell(2, 1, "单位名称")
    ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    col = 2
    for h in table.spec.header:
        if isinstance(h, Group):
            ws.cell(2, col, h.label)
            end = col + len(h.columns) - 1
            if end > col:
                ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=end)
            for i, c in enumerate(h.columns):
                ws.cell(3, col + i, c.label)
            col = end + 1
        else:
            ws.cell(2, col, h.label)
            ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
            col += 1
    for row in (2, 3):
        for k in range(1, last + 1):
            cell = ws.cell(row, k)
            cell.alignment = center
            cell.border = box
            cell.font = Font(bold=True)
    for n, r in enumerate(table.all_rows(), start=4):
        ws.cell(n, 1, r.label).border = box
        for i, c in enumerate(columns, start=2):
            value = r.values[c.key]
            cell = ws.cell(n, i, value)  # Decimal kept exact: openpyxl writes its digits
            cell.number_format = WAN_FORMAT if c.wan else "0"
            cell.border = box
        if r.label == "合计":
            for k in range(1, last + 1):
                ws.cell(n, k).font = Font(bold=True)
    ws.column_dimensions["A"].width = 18
    for i in range(2, last + 1):
        ws.column_dimensions[get_column_letter(i)].width = 12
    ws.row_dimensions[3].height = 60
    foot = 4 + len(table.all_rows())
    for j, w in enumerate(table.warnings):
        ws.cell(foot + j, 1, f"提示：{w}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
