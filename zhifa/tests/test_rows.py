"""zhifa.rows: the step path's rows are the ORM's rows, and its cursor is a connection's cursor."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_init, pre_init
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Party
from cases.tests.flow import register
from zhifa import rows
from zhifa.rows import Columns

pytestmark = pytest.mark.django_db


def test_no_model_has_an_init_of_its_own_or_init_signal_receivers_which_build_would_skip() -> None:
    for model in apps.get_models():
        assert model.__init__ is Model.__init__, model
        assert not pre_init.has_listeners(model), model
        assert not post_init.has_listeners(model), model


def _read(columns: Columns, sql: str, key: int) -> tuple[Any, Any]:
    with rows.cursor() as cur:
        cur.execute(sql, [key])
        row = cur.fetchone()
    built = columns.build(row)
    orm = columns.model.from_db(connection.alias, columns.names, columns.values(row))
    return built, orm


def test_a_built_row_is_the_instance_from_db_makes_with_the_same_fields_deferred(org) -> None:
    case = register(org)
    qn = connection.ops.quote_name
    whole = Columns(Case, "c")
    built, orm = _read(
        whole, f"SELECT {whole.sql} FROM {qn('cases_case')} c WHERE c.id = %s", case.pk
    )
    assert type(built) is Case and built.pk == case.pk
    assert {f: getattr(built, f) for f in whole.names} == {f: getattr(orm, f) for f in whole.names}
    assert (
        (built._state.adding, built._state.db)
        == (orm._state.adding, orm._state.db)
        == (
            False,
            connection.alias,
        )
    )
    assert built.get_deferred_fields() == orm.get_deferred_fields() == set()
    assert built.unit == case.unit  # a relation loads as the ORM's does

    party = case.parties.get()
    some = Columns(Party, "p", only=("name", "case_id"))
    built_party, orm_party = _read(
        some, f"SELECT {some.sql} FROM {qn('cases_party')} p WHERE p.id = %s", party.pk
    )
    assert built_party.get_deferred_fields() == orm_party.get_deferred_fields()
    assert "id_number" in built_party.get_deferred_fields()
    assert built_party.name == party.name
    with CaptureQueriesContext(connection) as ran:
        assert built_party.id_number == party.id_number  # a deferred field loads when read
    assert len(ran.captured_queries) == 1
    # Saved, it is an UPDATE of its row, as an instance read by the ORM is.
    built.facts = "改"
    built.save(update_fields=["facts"])
    assert Case.objects.get(pk=case.pk).facts == "改" and Case.objects.count() == 1


def test_the_step_paths_cursor_runs_and_logs_statements_as_the_connections_cursor_does(org) -> None:
    case = register(org)
    sql = f"SELECT id, step FROM {connection.ops.quote_name('cases_case')} WHERE id = %s"
    with CaptureQueriesContext(connection) as ran:
        for _ in range(3):  # the same statement again: converted or prepared once, same answer
            with rows.cursor() as cur:
                cur.execute(sql, [case.pk])
                assert cur.fetchall() == [(case.pk, case.step)]
        with rows.cursor() as cur:
            cur.execute("SELECT 1 WHERE 'a%%' LIKE %s", ["a%"])  # an escaped %, a literal one
            assert cur.fetchall() == [(1,)]
    assert len(ran.captured_queries) == 4
    assert all("cases_case" in q["sql"] for q in ran.captured_queries[:3])
