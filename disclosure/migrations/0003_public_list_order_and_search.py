"""The public list at a million decisions: its order from an index, and its searches.

The list (all of it, or one agency's) is read newest first: partial indexes on what is on the site
in that order let a page, a deep page (at most MAX_PAGE) and the bounded count stop after the rows
they need. The search by part of a party's name or of a 文号 is LIKE '%x%': on PostgreSQL a
trigram GIN index serves three characters and more, and the index of character pairs
(`zhifa_bigrams`, cases migration 0011) serves two. SQLite builds the two btrees only.
"""

from django.db import migrations, models

SEARCH_INDEXES = (
    ("pub_party_trgm", "gin (party_name gin_trgm_ops)"),
    ("pub_party_bigrams", "gin (zhifa_bigrams(party_name))"),
    ("pub_number_trgm", "gin (number gin_trgm_ops)"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, spec in SEARCH_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON disclosure_publication USING {spec}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_party_name_bigrams"),
        ("disclosure", "0002_decision_corrections"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                condition=models.Q(("status__in", ("published", "withdrawn"))),
                fields=["-published_on", "-id"],
                name="pub_site_order",
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                condition=models.Q(("status__in", ("published", "withdrawn"))),
                fields=["unit", "-published_on", "-id"],
                name="pub_site_unit",
            ),
        ),
        migrations.RunPython(create, drop),
    ]
