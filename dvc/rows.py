"""Reading rows cheaply: one row by its key without the ORDER BY that ``QuerySet.first()`` adds, and the rows of a
statement written out turned into model instances without ``RawQuerySet``'s per-call setup.

``first()`` orders an unordered query by its primary key (an ordered one keeps the model's order). To place that
order, Django 5.2 matches it against every selected column, hashing each one (an ``inspect`` signature bound per
column, about 20 µs each): 1 ms for a token read with its user, 3–4 ms for a dossier read with its relations, on
every request that reads one (issue 20: measured with pyinstrument). A read by a primary or unique key has one row
at most and needs no order.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def one_row(rows: QuerySet[M]) -> M | None:
    """The row ``rows`` selects by a primary or unique key, or None."""
    return next(iter(rows.order_by()[:1]), None)


def from_db_value(field: Any, value: Any, connection: Any) -> Any:
    """A value a statement written out read for ``field``, as the ORM would read it (a UUID, an aware time, JSON)."""
    column = field.get_col(field.model._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
        value = converter(value, column, connection)
    return value


def key_param(model: type[Model], value: Any, connection: Any) -> Any | None:
    """``value`` as a statement written out takes ``model``'s primary key on ``connection`` (a UUID is 32 hex digits
    on SQLite), or None when it is not a key of that kind (an id typed in an address: a 404, not an error)."""
    field = model._meta.pk
    try:
        return field.get_db_prep_value(field.to_python(value), connection)
    except ValidationError:
        return None


def raw_models(
    model: type[M], sql: str, params: Sequence[Any], *, using: str, related: dict[str, type[Model]] | None = None
) -> list[M]:
    """The rows of ``sql`` as instances of ``model``, as ``model.objects.db_manager(using).raw(sql, params)`` gives
    them: the model's columns through the ORM's converters, every other column set as an attribute as read.
    ``related``: for each name of a foreign key, the model its columns are read as, selected as ``<name>__<column>``
    (a missing row, all nulls, is None), as ``select_related`` would set it.

    ``RawQuerySet`` works out, on every call, which column is which field and what converts each (its
    ``resolve_model_init_order`` compares every field with every column): 0.2–0.3 ms a read for the 60 columns of a
    dossier or the 25 of an account, more than reading the row (issue 20: a read of the token's account and of the
    citizen's dossier in nearly every API request). That plan depends only on the models, the columns and the
    database, so it is kept per process.
    """
    connection = connections[using]
    adapt = connection.ops.adapt_unknown_value  # as ``RawQuery`` adapts its parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(value) for value in params])
        columns = tuple(column[0] for column in cursor.description)
        rows = cursor.fetchall()
    if not rows:
        return []
    plans = row_plans(model, tuple(sorted((related or {}).items())), columns, using, connection.vendor)
    found = []
    for row in rows:
        values = list(row)
        made: dict[str, Any] = {}
        for name, (kind, names, positions, key_at, extras, converters) in plans.items():
            for position, convs, expression in converters:
                value = values[position]
                for convert in convs:
                    # The backend's converters by name, from this thread's connection (a plan outlives the one
                    # whose methods it read).
                    convert = getattr(connection.ops, convert) if isinstance(convert, str) else convert
                    value = convert(value, expression, connection)
                values[position] = value
            if name and values[key_at] is None:
                made[name] = None  # no row joined
                continue
            instance = kind.from_db(using, names, [values[p] for p in positions])
            for column, position in extras:
                setattr(instance, column, values[position])
            made[name] = instance
        instance = made.pop("")
        for name, value in made.items():
            setattr(instance, name, value)
        found.append(instance)
    return found


def related_columns(kind: type[Model], alias: str, name: str) -> str:
    """``kind``'s columns from the table aliased ``alias``, selected as ``<name>__<column>`` for ``raw_models``."""
    return ", ".join(f'{alias}."{f.column}" AS "{name}__{f.column}"' for f in kind._meta.concrete_fields)


@lru_cache(maxsize=256)
def row_plans(
    model: type[Model], related: tuple[tuple[str, type[Model]], ...], columns: tuple[str, ...], using: str, vendor: str
) -> dict[str, tuple[Any, ...]]:
    """The plan of ``raw_models``, kept per process: for ``model`` (under "") and each related name, (the model, its
    field names, their columns' positions, its key's position, the other columns with their positions, the converters
    by position), for
    rows of ``columns`` (``vendor``: a database of another kind converts otherwise). The other columns all go to
    ``model``. A backend's converter is kept by its name: its method belongs to one thread's connection."""
    connection = connections[using]
    identifier = connection.introspection.identifier_converter
    prefixes = {name: f"{name}__" for name, _kind in related}
    own = tuple((n, c) for n, c in enumerate(columns) if not any(c.startswith(prefix) for prefix in prefixes.values()))
    plans = {"": _plan(model, own, connection, identifier, extras=True)}
    for name, kind in related:
        prefix = prefixes[name]
        plans[name] = _plan(
            kind, tuple((n, c[len(prefix) :]) for n, c in enumerate(columns) if c.startswith(prefix)),
            connection, identifier, extras=False,
        )  # fmt: skip
    return plans


def _plan(kind: type[Model], columns: tuple[tuple[int, str], ...], connection: Any, identifier: Any, *, extras: bool
          ) -> tuple[Any, ...]:  # fmt: skip
    at: dict[str, int] = {}
    for n, column in columns:
        at.setdefault(column, n)  # a name selected twice is read from its first column, as ``RawQuerySet`` does
    by_column = {identifier(f.column): f for f in kind._meta.concrete_fields}
    if identifier(kind._meta.pk.column) not in at:
        raise ValueError(f"a raw read of {kind.__name__} must include its primary key")
    fields = [f for f in kind._meta.concrete_fields if identifier(f.column) in at]
    names = [f.attname for f in fields]
    positions = [at[identifier(f.column)] for f in fields]
    others = [(column, n) for n, column in columns if column not in by_column] if extras else []
    converters = []
    for field in fields:
        expression = field.get_col(kind._meta.db_table)
        backend = [
            convert.__name__ if getattr(convert, "__self__", None) is connection.ops else convert
            for convert in connection.ops.get_db_converters(expression)
        ]
        convs = backend + expression.get_db_converters(connection)
        if convs:
            converters.append((at[identifier(field.column)], convs, expression))
    return kind, names, positions, at[identifier(kind._meta.pk.column)], others, converters
