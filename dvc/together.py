"""Several writes in one statement on PostgreSQL: data-modifying WITH clauses (issue 20, part 2).

A draft's creation wrote its row and its history row in a transaction: BEGIN, two INSERTs, COMMIT, four round trips
for two rows. One statement is atomic by itself, so on PostgreSQL the writes go as ``WITH w0 AS (INSERT … RETURNING
…), w1 AS (…) SELECT …``: one round trip. Each clause is the SQL Django compiles for the same write, so what is
written is what ``save()`` or ``update()`` would write (defaults, ``auto_now_add``, JSON encoding).

All clauses of one statement read the same snapshot, taken when it starts, and none sees what another writes. So
the writes of one call must touch different rows (PostgreSQL keeps only one of two changes to a row in one
statement), and a clause must not rely on seeing what a concurrent transaction commits while the statement waits
on a lock: put such a write in a later statement, after the lock is taken (``papers.attach_stored``). Elsewhere
(SQLite) the writes run one after another in a transaction, with the same results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import ProgrammingError, connections, router, transaction
from django.db.models import Model, QuerySet, signals
from django.db.models.sql import InsertQuery, UpdateQuery

from dvc.rows import from_db_value


@dataclass(frozen=True)
class Insert:
    """A new row: ``obj`` gets its primary key as ``save()`` would give it; the model's ``pre_save`` and
    ``post_save`` receivers run as for ``save()`` (an ``Update`` sends none, as ``QuerySet.update`` sends none)."""

    obj: Model


@dataclass(frozen=True)
class Update:
    """``rows.update(**values)``; its result is the number of rows changed, or ``returning``'s value in the one row
    changed (None when none was; more than one is refused, on either database). The values may read a clause given
    as ``writes_together``'s ``before`` (``RawSQL("(SELECT … FROM name)")``), on PostgreSQL only."""

    rows: QuerySet[Any]
    values: dict[str, Any]
    returning: str = ""


def writes_together(
    writes: Sequence[Insert | Update], *, before: tuple[str, str, list[Any]] | None = None
) -> list[Any]:
    """Run ``writes`` atomically, in one statement on PostgreSQL; a result for each: the new primary key of an
    ``Insert``, what an ``Update`` says (see ``Update``). ``before``: ``(name, sql, params)`` of a clause that runs
    first in the same statement (PostgreSQL only)."""
    first = writes[0]
    model = type(first.obj) if isinstance(first, Insert) else first.rows.model
    alias = router.db_for_write(model)
    connection = connections[alias]
    for write in writes:
        if isinstance(write, Insert):  # as save() does: a related object not yet saved is refused, not written NULL
            obj: Any = write.obj
            obj._prepare_related_fields_for_save(operation_name="writes_together")
            # and the model's pre_save receivers run (django-tasks-db's sets a task row's run_after)
            signals.pre_save.send(sender=type(obj), instance=obj, raw=False, using=alias, update_fields=None)
    compiled = [_compiled(write, alias) for write in writes]
    row: list[Any] = []
    if connection.vendor != "postgresql":
        # One statement each (INSERT and UPDATE … RETURNING: SQLite ≥ 3.35), in one transaction.
        if before is not None:
            raise ValueError("a clause of one's own runs only on PostgreSQL")
        with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
            for (sql, values, _), write in zip(compiled, writes, strict=True):
                cursor.execute(sql, values)
                returned = cursor.fetchall()
                if isinstance(write, Update) and not write.returning:
                    row.append(len(returned))
                elif len(returned) > 1:  # as PostgreSQL refuses it: the transaction is rolled back
                    raise ProgrammingError("more than one row returned by a subquery used as an expression")
                else:
                    row.append(returned[0][0] if returned else None)
    else:
        clauses, params = [], []
        if before is not None:
            name, sql, values = before
            clauses.append(f"{name} AS ({sql})")
            params.extend(values)
        for n, (sql, values, _) in enumerate(compiled):
            clauses.append(f"w{n} AS ({sql})")
            params.extend(values)
        results = ", ".join(result.format(name=f"w{n}") for n, (_, _, result) in enumerate(compiled))
        # A failure marks the caller's transaction for rollback, as save() and update() do.
        with transaction.mark_for_rollback_on_error(using=alias), connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(clauses)} SELECT {results}", params)
            row = list(cursor.fetchone())
    for n, write in enumerate(writes):
        if isinstance(write, Insert):
            _saved(write.obj, row[n], alias)
            row[n] = write.obj.pk
            signals.post_save.send(
                sender=type(write.obj), instance=write.obj, created=True, raw=False, using=alias, update_fields=None
            )
        elif write.returning and row[n] is not None:
            row[n] = from_db_value(write.rows.model._meta.get_field(write.returning), row[n], connection)
    return row


def _compiled(write: Insert | Update, alias: str) -> tuple[str, list[Any], str]:
    """The write's SQL with a RETURNING clause, its parameters, and the SELECT item that reads its result."""
    if isinstance(write, Insert):
        obj = write.obj
        opts = obj._meta
        fields = [f for f in opts.local_concrete_fields if not f.generated]
        if obj.pk is None:
            fields = [f for f in fields if f is not opts.auto_field]
        insert = InsertQuery(type(obj))
        insert.insert_values(fields, [obj])
        compiler = insert.get_compiler(using=alias)
        compiler.returning_fields = [opts.pk]
        ((sql, values),) = compiler.as_sql()
        return sql, list(values), "(SELECT * FROM {name})"
    update: Any = write.rows.query.chain(UpdateQuery)
    update.add_update_values(write.values)
    sql, values = update.get_compiler(alias).as_sql()
    connection = connections[alias]
    if write.returning:
        column = connection.ops.quote_name(write.rows.model._meta.get_field(write.returning).column)
        return f"{sql} RETURNING {column}", list(values), "(SELECT * FROM {name})"
    return f"{sql} RETURNING 1", list(values), "(SELECT count(*) FROM {name})"


def _saved(obj: Model, pk: Any, alias: str) -> None:
    obj.pk = from_db_value(obj._meta.pk, pk, connections[alias])
    obj._state.adding = False
    obj._state.db = alias
