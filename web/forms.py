"""Django forms for the list filters and evidence uploads (step forms: see stepforms.py)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from cases.models import Case, Evidence
from law.calendar import MAX_PERIOD_DAYS, period_fits
from orgs.models import User
from web import selectors


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100)
    unit = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None)
    matter = forms.CharField(label="权责事项编码", required=False, max_length=40)
    step = forms.ChoiceField(label="环节", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *Case.Status.choices]
    )
    procedure = forms.ChoiceField(
        label="程序", required=False, choices=[("", "全部"), *Case.Procedure.choices]
    )
    date_field = forms.ChoiceField(
        label="日期类型",
        required=False,
        choices=[("discovered_on", "发现日期"), ("filed_on", "立案日期")],
    )
    date_from = forms.DateField(
        label="起", required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(label="止", required=False, widget=forms.DateInput({"type": "date"}))
    overdue = forms.BooleanField(label="仅看已超期", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = selectors.units_in_scope(user)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.TypedChoiceField)
        unit_field.choices = [("", "全部"), *((u.pk, u.name) for u in units)]
        step_field = self.fields["step"]
        assert isinstance(step_field, forms.ChoiceField)
        step_field.choices = [
            ("", "全部"),
            *((s.code, s.name) for s in selectors.all_steps()),
            ("end", "已办结"),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期")
        return data

    def to_filter(self) -> selectors.CaseFilter:
        d = self.cleaned_data
        return selectors.CaseFilter(
            q=d.get("q") or "",
            unit=d.get("unit"),
            matter=(d.get("matter") or "").strip(),
            step=d.get("step") or "",
            status=d.get("status") or "",
            procedure=d.get("procedure") or "",
            date_field=d.get("date_field") or "discovered_on",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            overdue=bool(d.get("overdue")),
        )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Evidence.Kind.choices)
    title = forms.CharField(label="名称", max_length=200)
    file = forms.FileField(label="文件")


# --- the holiday arrangement (issue 15 item 11) -----------------------------------------------

_PERIOD_RE = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:至|到|~|～|—)\s*(\d{4}-\d{1,2}-\d{1,2}))?\s*(.*)$"
)


def _day(raw: str) -> dt.date | None:
    try:
        y, m, d = (int(p) for p in raw.split("-"))
        return dt.date(y, m, d)
    except ValueError:
        return None


class CalendarForm(forms.Form):
    """One year of the State Council's 放假安排: holiday periods and 调休 working days as the
    notice lists them, or the CSV table `calendar_load` takes. `table` is the CSV either way."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label="放假日期（每行一段：起始日期 至 结束日期 节日名称）",
        required=False,
        widget=forms.Textarea({"rows": 8, "placeholder": "YYYY-MM-DD 至 YYYY-MM-DD 节日名称"}),
    )
    workdays = forms.CharField(
        label="调休上班日期（每行一天：日期 说明）",
        required=False,
        widget=forms.Textarea({"rows": 5, "placeholder": "YYYY-MM-DD 节日名称调休上班"}),
    )
    table = forms.CharField(
        label="或粘贴节假日表（CSV：date,kind,name）",
        required=False,
        widget=forms.Textarea({"rows": 8}),
    )

    def _lines(self, field: str, label: str, periods: bool) -> list[str]:
        out: list[str] = []
        text = self.cleaned_data.get(field) or ""
        for n, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            match = _PERIOD_RE.match(line)
            start = _day(match.group(1)) if match else None
            end = _day(match.group(2)) if match and match.group(2) else start
            if match is None or start is None or end is None:
                self.add_error(field, f"{label}第{n}行“{line}”无法识别，日期应为YYYY-MM-DD")
                continue
            name = match.group(3).strip().replace(",", "，")
            if not periods and match.group(2):
                self.add_error(field, f"{label}第{n}行：调休上班日每行只写一天")
                continue
            if not period_fits(start, end):
                self.add_error(
                    field, f"{label}第{n}行：结束日期应在起始日期之后{MAX_PERIOD_DAYS}天内"
                )
                continue
            kind = "holiday" if periods else "workday"
            day = start
            while day <= end:
                out.append(f"{day.isoformat()},{kind},{name}")
                day += dt.timedelta(days=1)
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        table = (data.get("table") or "").strip()
        entered = (data.get("holidays") or "").strip() or (data.get("workdays") or "").strip()
        if table and entered:
            raise forms.ValidationError("请只用一种方式填写：按通知逐段填写，或粘贴节假日表")
        if not table:
            rows = self._lines("holidays", "放假日期", True) + self._lines(
                "workdays", "调休上班日期", False
            )
            if self.errors:
                return data
            if not rows:
                raise forms.ValidationError("请填写放假日期和调休上班日期，或粘贴节假日表")
            table = "\n".join(["date,kind,name", *rows])
        data["table"] = table
        return data
