"""Rows of a statement written out, as model instances (``dvc.rows.raw_models``): the same objects as the ORM's own
``raw()`` and ``select_related`` give, on either database, with the plan of each statement's columns kept."""

import datetime as dt

import pytest
from django.db import connection

from dvc.accounts.models import User
from dvc.accounts.tests.factories import UserFactory
from dvc.agencies.models import Agency
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import DossierFactory, ensure_catalog
from dvc.rows import key_param, raw_models, related_columns, row_plans


def _values(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.django_db
def test_a_row_is_the_instance_raw_gives_with_its_other_columns_as_attributes():
    user = UserFactory(last_login=dt.datetime(2026, 5, 4, 3, 2, 1, tzinfo=dt.UTC))
    sql = "SELECT u.*, 7 AS extra, u.full_name AS again FROM accounts_user u WHERE u.id = %s"
    (mine,) = raw_models(User, sql, [user.pk], using="default")
    (theirs,) = User.objects.raw(sql, [user.pk])
    assert _values(mine) == _values(theirs) == _values(User.objects.get(pk=user.pk))
    assert mine.last_login == dt.datetime(2026, 5, 4, 3, 2, 1, tzinfo=dt.UTC)  # an aware time, converted
    assert (mine.extra, mine.again) == (theirs.extra, theirs.again) == (7, user.full_name)
    assert not mine._state.adding and mine._state.db == "default"
    assert raw_models(User, sql, [-1], using="default") == []


@pytest.mark.django_db
def test_related_columns_become_the_related_instances_select_related_gives():
    ensure_catalog()
    dossier = DossierFactory()
    sql = (
        f"SELECT d.*, {related_columns(Agency, 'a', 'agency')}, {related_columns(User, 'u', 'received_by')} "  # noqa: S608 - the models' column names
        "FROM dossiers_dossier d INNER JOIN agencies_agency a ON a.id = d.agency_id "
        "LEFT OUTER JOIN accounts_user u ON u.id = d.received_by_id WHERE d.id = %s"
    )
    key = Dossier._meta.pk.get_db_prep_value(dossier.pk, connection)
    (mine,) = raw_models(Dossier, sql, [key], using="default",
                         related={"agency": Agency, "received_by": User})  # fmt: skip
    orm = Dossier.objects.select_related("agency", "received_by").get(pk=dossier.pk)
    assert _values(mine) == _values(orm)  # the UUID key, the JSON answers, the times: converted as the ORM does
    assert isinstance(mine.form_data, dict) and mine.form_data == orm.form_data
    assert _values(mine.agency) == _values(orm.agency)
    assert mine.received_by is None and orm.received_by is None  # no row joined: None, not an empty account
    assert not any(name.startswith(("agency__", "received_by__")) for name in vars(mine))


@pytest.mark.django_db
def test_the_plan_is_made_once_per_statement_shape():
    user = UserFactory()
    sql = "SELECT u.id, u.full_name, u.is_active FROM accounts_user u WHERE u.id = %s"
    raw_models(User, sql, [user.pk], using="default")
    before = row_plans.cache_info()
    (again,) = raw_models(User, sql, [user.pk], using="default")
    after = row_plans.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
    assert again.full_name == user.full_name
    assert "phone" in again.get_deferred_fields()  # a column not read is deferred, as with raw()


@pytest.mark.django_db
def test_a_plan_holds_no_method_of_one_connection():
    """A plan outlives the thread whose connection made it: the backend's converters are kept by name (SQLite has
    them for times, UUIDs and booleans), and called on the connection of the thread that reads."""
    ensure_catalog()
    dossier = DossierFactory()
    sql = f"SELECT d.*, {related_columns(User, 'u', 'applicant')} FROM dossiers_dossier d "  # noqa: S608
    sql += "INNER JOIN accounts_user u ON u.id = d.applicant_id WHERE d.id = %s"
    key = Dossier._meta.pk.get_db_prep_value(dossier.pk, connection)
    (read,) = raw_models(Dossier, sql, [key], using="default", related={"applicant": User})
    assert read.pk == dossier.pk and read.applicant.pk == dossier.applicant_id
    plans = row_plans(
        Dossier, (("applicant", User),), tuple(c for c in _columns(sql, key)), "default", connection.vendor
    )
    converters = [
        c
        for plan in plans.values()
        for _at, convs, _x in plan[-1]
        for c in convs  # the converters come last
    ]
    assert converters  # JSON answers, at least
    for convert in converters:
        assert (
            hasattr(connection.ops, convert)
            if isinstance(convert, str)
            else getattr(convert, "__self__", None) is not connection.ops
        )


def _columns(sql, key):
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        return [column[0] for column in cursor.description]


@pytest.mark.django_db
def test_a_statement_without_the_primary_key_is_refused():
    UserFactory()
    with pytest.raises(ValueError, match="primary key"):
        raw_models(User, "SELECT u.full_name FROM accounts_user u", [], using="default")


def test_related_columns_name_each_column_of_the_model():
    listed = related_columns(Agency, "a", "agency")
    quote = connection.ops.quote_name
    assert listed.count(" AS ") == len(Agency._meta.concrete_fields)
    assert f"a.{quote('code')} AS {quote('agency__code')}" in listed


@pytest.mark.django_db
def test_a_key_is_taken_as_the_database_keeps_it_and_anything_else_is_none():
    ensure_catalog()
    dossier = DossierFactory()
    sql = "SELECT d.* FROM dossiers_dossier d WHERE d.id = %s"
    for given in (dossier.pk, str(dossier.pk), dossier.pk.hex):
        (read,) = raw_models(Dossier, sql, [key_param(Dossier, given, connection)], using="default")
        assert read.pk == dossier.pk
    for typed in ("abc", "", "1 OR 1=1", "ffffffff-ffff"):
        assert key_param(Dossier, typed, connection) is None
