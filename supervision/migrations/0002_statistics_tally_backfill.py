"""Fill the statistics summary (cases.Tally) from the rows already held, once: from here on every
write keeps it (cases/counts.py)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def backfill(apps: Any, schema_editor: Any) -> None:
    from cases import counts

    counts.rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_reports_items_file_reviews"),
        ("cases", "0010_merge_harm_and_summary"),  # the case rows as the recount reads them
        ("coercion", "0002_measure_procedure"),
        ("inspections", "0001_inspections_and_targets"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
