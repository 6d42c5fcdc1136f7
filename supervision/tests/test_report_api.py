"""填报 over POST /api/supervision/reports, as the page: a unit chief reports its own unit's
figures (stored and recorded, a second report replacing the first), figures breaking the
table's identities are refused with nothing stored, a unit beyond the user's reach is 404, and
so is the operation for an officer without the role."""

from __future__ import annotations

import pytest
from django.test import Client

from api.tests.test_api_flow import ApiUser
from ledger.models import Entry
from supervision.models import FormReport

pytestmark = pytest.mark.django_db

FIGURES = {"accepted": "5", "granted": "4", "refused": "1", "revoked": "0"}


def stored() -> tuple[int, int, tuple[object, ...]]:
    return (
        FormReport.objects.count(),
        Entry.objects.filter(action__in=("report_submit", "report_replace")).count(),
        tuple(FormReport.objects.values_list("values", flat=True)),
    )


def test_a_unit_chief_reports_and_replaces_its_own_figures(org):
    chief = ApiUser(Client(), "chief")
    body = {"form": "permit", "unit_id": org.cgj.pk, "year": 2022, "values": FIGURES}
    r = chief.post("/api/supervision/reports", body)
    assert r.status_code == 201, r.content
    report = FormReport.objects.get()
    assert (report.unit, report.form, str(report.period_start)) == (org.cgj, "permit", "2022-01-01")
    assert report.values["granted"] == "4" and r.json()["id"] == report.pk
    assert Entry.objects.get(stream=f"report:{report.pk}").action == "report_submit"
    again = chief.post("/api/supervision/reports", {**body, "values": {**FIGURES, "granted": "3"}})
    assert again.status_code == 201 and again.json()["id"] == report.pk
    assert FormReport.objects.get().values["granted"] == "3"
    assert Entry.objects.filter(stream=f"report:{report.pk}", action="report_replace").exists()


def test_figures_breaking_the_tables_identities_are_refused_and_nothing_is_stored(org):
    chief = ApiUser(Client(), "chief")
    body = {"form": "permit", "unit_id": org.cgj.pk, "year": 2022}
    r = chief.post("/api/supervision/reports", {**body, "values": {**FIGURES, "granted": "5"}})
    assert r.status_code == 422
    assert r.json()["fields"] == {"values.accepted": ["许可数量与不予许可数量之和不能大于受理数量"]}
    r = chief.post("/api/supervision/reports", {**body, "values": {**FIGURES, "granted": "1.5"}})
    assert r.status_code == 422
    assert r.json()["fields"] == {"values.granted": ["“许可数量”应为不小于0的整数"]}
    r = chief.post("/api/supervision/reports", {**body, "form": "penalty", "values": FIGURES})
    assert r.status_code == 422 and "form" in r.json()["fields"]
    r = chief.post("/api/supervision/reports", {**body, "year": 1999, "values": FIGURES})
    assert r.status_code == 422 and "year" in r.json()["fields"]
    assert stored() == (0, 0, ())


def test_the_supervisor_reports_for_a_unit_of_its_subtree(org):
    supervisor = ApiUser(Client(), "supervisor")
    body = {"form": "permit", "unit_id": org.scjg.pk, "year": 2022, "values": FIGURES}
    assert supervisor.post("/api/supervision/reports", body).status_code == 201
    assert FormReport.objects.get().unit == org.scjg


@pytest.mark.parametrize(
    ("who", "unit"), [("handler", "cgj"), ("chief", "scjg"), ("county-officer", "cgj")]
)
def test_a_unit_beyond_reach_or_an_officer_without_the_role_is_404(org, who, unit):
    body = {"form": "permit", "unit_id": getattr(org, unit).pk, "year": 2022, "values": FIGURES}
    assert ApiUser(Client(), who).post("/api/supervision/reports", body).status_code == 404
    r = Client().post("/api/supervision/reports", body, content_type="application/json")
    assert r.status_code == 401
    assert stored() == (0, 0, ())


def test_the_openapi_document_lists_the_report_with_its_4xx_answers_and_columns():
    doc = Client().get("/api/openapi.json").json()
    post = doc["paths"]["/api/supervision/reports"]["post"]
    assert {"401", "403", "404", "422"} <= set(post["responses"])
    assert "accepted" in str(doc["components"]["schemas"]["FormReportIn"])
