"""Django forms for the list filters and evidence uploads (step forms: see stepforms.py)."""

from __future__ import annotations

from typing import Any

from django import forms

from cases.models import Case, Evidence
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
