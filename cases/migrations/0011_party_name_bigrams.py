"""Two characters find a party by any part of its name (恒达 finds 聊城市恒达管道工程有限公司).

A trigram index cannot serve a two-character term: it holds no trigram to look up, and a
LIKE '%恒达%' reads every party. On PostgreSQL a GIN index over the name's character pairs
(`zhifa_bigrams`, an immutable SQL function) answers `zhifa_bigrams(UPPER(name)) @> ARRAY['恒达']`
from the index; web.selectors.search asks exactly that. SQLite migrates with nothing to do (its
search reads the names, which is what an embedded database of one city holds).
"""

from __future__ import annotations

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION zhifa_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
  FROM generate_series(1, length(t) - 1) AS i
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS cases_party_name_bigrams ON cases_party "
        "USING gin (zhifa_bigrams(UPPER(name)))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS cases_party_name_bigrams")
    schema_editor.execute("DROP FUNCTION IF EXISTS zhifa_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_merge_harm_and_summary")]

    operations = [migrations.RunPython(create, drop)]
