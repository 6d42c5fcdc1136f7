"""The record is append-only in the database itself, not only by the application's habit.

Triggers refuse UPDATE and DELETE of entries, checkpoints and checkpoint items, and let a
stream's head move forward only (its seq grows; the checkpoint mark never goes back); on
PostgreSQL they also refuse TRUNCATE. The one way past them is the maintenance switch that the
test database's flush uses (ledger/testing.py): on PostgreSQL the session setting
`zhifa.ledger_maintenance = on`, on SQLite a row in the table `ledger_maintenance` (not a model,
so no flush empties it). In production the application's PostgreSQL role also loses UPDATE,
DELETE and TRUNCATE on these tables (README, production), and whoever owns the database and lifts
the triggers anyway is found by the signed checkpoints (ledger verify --witness).
"""

from django.db import migrations

APPEND_ONLY = ("ledger_entry", "ledger_checkpoint", "ledger_checkpointitem")
MESSAGE = "全过程记录只能追加，不得修改或删除"

SQLITE_GUARD = "NOT EXISTS (SELECT 1 FROM ledger_maintenance)"
SQLITE_FORWARD = [
    "CREATE TABLE IF NOT EXISTS ledger_maintenance (reason TEXT NOT NULL)",
    *(
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"WHEN {SQLITE_GUARD} BEGIN SELECT RAISE(ABORT, '{MESSAGE}（{table}）'); END"
        for table in APPEND_ONLY
        for op in ("UPDATE", "DELETE")
    ),
    "CREATE TRIGGER ledger_head_forward_only BEFORE UPDATE ON ledger_head "
    f"WHEN {SQLITE_GUARD} AND (NEW.stream <> OLD.stream OR NEW.seq < OLD.seq"
    " OR (NEW.seq = OLD.seq AND NEW.hash <> OLD.hash)"
    " OR NEW.checkpointed_seq < OLD.checkpointed_seq) "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}：链头只能前移（ledger_head）'); END",
    "CREATE TRIGGER ledger_head_no_delete BEFORE DELETE ON ledger_head "
    f"WHEN {SQLITE_GUARD} BEGIN SELECT RAISE(ABORT, '{MESSAGE}（ledger_head）'); END",
]
SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {t}_no_{op}" for t in APPEND_ONLY for op in ("update", "delete")),
    "DROP TRIGGER IF EXISTS ledger_head_forward_only",
    "DROP TRIGGER IF EXISTS ledger_head_no_delete",
    "DROP TABLE IF EXISTS ledger_maintenance",
]

PG_MAINTENANCE = "current_setting('zhifa.ledger_maintenance', true) = 'on'"
PG_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF {PG_MAINTENANCE} THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}（%，%）', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION ledger_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF {PG_MAINTENANCE} THEN
            RETURN NEW;
        END IF;
        IF NEW.stream = OLD.stream
           AND (NEW.seq > OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash = OLD.hash))
           AND NEW.checkpointed_seq >= OLD.checkpointed_seq THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}：链头只能前移（ledger_head）'
            USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    *(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()"
        for table in APPEND_ONLY
    ),
    "CREATE TRIGGER ledger_head_append_only BEFORE DELETE ON ledger_head "
    "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()",
    "CREATE TRIGGER ledger_head_forward_only BEFORE UPDATE ON ledger_head "
    "FOR EACH ROW EXECUTE FUNCTION ledger_head_forward_only()",
    *(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()"
        for table in (*APPEND_ONLY, "ledger_head")
    ),
]
PG_BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_{what} ON {table}"
        for table in (*APPEND_ONLY, "ledger_head")
        for what in ("append_only", "no_truncate")
    ),
    "DROP TRIGGER IF EXISTS ledger_head_forward_only ON ledger_head",
    "DROP FUNCTION IF EXISTS ledger_append_only()",
    "DROP FUNCTION IF EXISTS ledger_head_forward_only()",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        )
    ]
