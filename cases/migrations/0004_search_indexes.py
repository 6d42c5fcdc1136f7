"""Indexes for the workspace on a million cases: a handler's 待办, a whole lead number, and the
search by part of a name or number.

The search indexes are PostgreSQL only. Django's icontains is UPPER(col) LIKE UPPER('%x%'):
pg_trgm GIN indexes on UPPER(col) serve it; a pattern-ops btree on UPPER(party name) serves the
prefix search used for short names (a two-character Chinese name has no trigram). SQLite
migrates with nothing to do.
"""

from __future__ import annotations

from django.db import migrations, models

INDEXES = (
    ("cases_party_name_trgm", "cases_party", "gin (UPPER(name) gin_trgm_ops)"),
    ("cases_party_name_prefix", "cases_party", "(UPPER(name) text_pattern_ops)"),
    ("cases_case_case_no_trgm", "cases_case", "gin (UPPER(case_no) gin_trgm_ops)"),
    ("cases_case_lead_no_trgm", "cases_case", "gin (UPPER(lead_no) gin_trgm_ops)"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, spec in INDEXES:
        using = "USING " if spec.startswith("gin") else ""
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {using}{spec}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_imported_review_decision_number")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["handler", "status", "step"], name="cases_case_handler_a560b9_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["lead_no"], name="cases_case_lead_no_638a2b_idx"),
        ),
        migrations.RunPython(create, drop),
    ]
