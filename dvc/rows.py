"""One row by its key, without the ORDER BY that ``QuerySet.first()`` adds.

``first()`` orders an unordered query by its primary key (an ordered one keeps the model's order). To place that
order, Django 5.2 matches it against every selected column, hashing each one (an ``inspect`` signature bound per
column, about 20 µs each): 1 ms for a token read with its user, 3–4 ms for a dossier read with its relations, on
every request that reads one (issue 20: measured with pyinstrument). A read by a primary or unique key has one row
at most and needs no order.
"""

from __future__ import annotations

from typing import Any, TypeVar

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
