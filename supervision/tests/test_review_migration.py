"""Rounds scored before the four headings stay readable: the migration gives them the eight-item
standard they were scored with and the grade of their total."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from cases.models import Case
from conftest import PASSWORD
from exchange.export import dump
from exchange.load import import_lines
from orgs.services import regions_ensure
from supervision.models import FileReview, FileReviewCase
from supervision.tests.records import known_2022
from zhifa import clock

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("supervision", "0002_statistics_tally_backfill")]
AFTER = [("supervision", "0003_file_review_headings")]
OLD = {
    "subject": 10,
    "facts": 15,
    "evidence": 15,
    "basis": 15,
    "procedure": 20,
    "discretion": 10,
    "documents": 10,
    "archive": 5,
}


def migrate(target: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor


def test_a_round_scored_before_the_headings_keeps_its_checklist_and_gets_its_grade(org):
    regions_ensure()
    import_lines(dump(known_2022()).splitlines())
    cases = dict(Case.objects.filter(case_no__in=("A", "E", "C")).values_list("case_no", "pk"))
    try:
        old = migrate(BEFORE).loader.project_state(BEFORE).apps
        review = old.get_model("supervision", "FileReview").objects.create(
            name="2023年评查",
            root_id=org.city.pk,
            method="random",
            seed="s",
            per_unit=1,
            period_start="2022-01-01",
            period_end="2022-12-31",
            created_by_id=org.supervisor.pk,
            created_at=clock.now(),
        )
        rows = old.get_model("supervision", "FileReviewCase").objects
        rows.create(review_id=review.pk, case_id=cases["A"], scores=OLD, total=100)
        low = {**OLD, "procedure": 0, "facts": 4}
        rows.create(review_id=review.pk, case_id=cases["E"], scores=low, total=69)
        rows.create(review_id=review.pk, case_id=cases["C"])
    finally:
        migrate(AFTER)
    migrated = FileReview.objects.get(pk=review.pk)
    assert migrated.standard == "2024" and migrated.published_at is None
    grades = dict(
        FileReviewCase.objects.filter(review=migrated).values_list("case__case_no", "grade")
    )
    assert grades == {"A": "excellent", "E": "pass", "C": ""}
    client = Client()
    assert client.login(username=org.supervisor.username, password=PASSWORD)
    html = client.get(f"/supervision/reviews/{migrated.pk}/").content.decode()
    assert "案卷评查标准（2024年版，八项）" in html and "合法（45分） 小计45分" in html
