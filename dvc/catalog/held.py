"""Procedures as a dossier needs them, held in each process for the catalog's version (issue 20, part 2).

Every request on a draft read its procedure again: a wide row (the e-form, the result form, the texts) joined to
the dossier, then its papers and its fees, three to five queries and most of the ORM's work per request. A
procedure changes only through the catalog's services and admin, which change the catalog's version
(``services.catalog_changed``); a process keeps each procedure it read, with its sector, papers and fees, until that
version changes (read at most every ``search_index.VERSION_SECONDS``, as the catalog pages are). A procedure,
paper or fee saved in this process empties the store at once.

What is held is shared by the requests of a process: read it, never change it.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from dvc.catalog.models import DocumentRequirement, Fee, Procedure, Sector
from dvc.catalog.search_index import catalog_version
from dvc.rows import one_row

MAX_HELD = 2000  # procedures; the national catalog has about 1,900 in force
MAX_AGE = 600.0  # seconds: a backstop, should a change ever reach the catalog without changing its version

_lock = threading.Lock()
_held: dict[int, Procedure] = {}
_codes: dict[str, int] = {}
_version: int | None = None
_emptied = 0.0


def _store() -> tuple[dict[int, Procedure], int]:
    global _version, _emptied
    version = catalog_version()
    if version != _version or time.monotonic() - _emptied > MAX_AGE:
        with _lock:
            _held.clear()
            _codes.clear()
            _version, _emptied = version, time.monotonic()
    return _held, version


def held_procedure(pk: int) -> Procedure | None:
    """The procedure ``pk`` with its sector, papers (``requirements.all()``) and fees (``fees.all()``)."""
    store, version = _store()
    found = store.get(pk)
    if found is None:
        found = one_row(
            Procedure.objects.using("default")
            .select_related("sector")
            .prefetch_related("requirements", "fees")
            .filter(pk=pk)
        )
        if found is None:
            return None
        with _lock:
            # Kept only under the version it was read for: a change committed while it was read has emptied the
            # store and moved the version, and this copy may predate it.
            if _version == version:
                if len(store) >= MAX_HELD:
                    store.clear()
                    _codes.clear()
                store[pk] = found
    return found


def held_procedure_by_code(code: str) -> Procedure | None:
    """The procedure of that code (in force or not: the caller checks), held as ``held_procedure``."""
    _store()  # the codes are emptied with the procedures
    pk = _codes.get(code)
    if pk is None:
        pk = Procedure.objects.using("default").filter(code=code).values_list("pk", flat=True).first()
        if pk is None:
            return None
        _codes[code] = pk
    return held_procedure(pk)


def requirement_of(procedure: Procedure, pk: int) -> DocumentRequirement | None:
    """One paper of the procedure, from the papers held with it."""
    return next((r for r in procedure.requirements.all() if r.pk == pk), None)


def forget() -> None:
    global _version
    with _lock:
        _held.clear()
        _codes.clear()
        _version = None


def _changed(**_kwargs: Any) -> None:
    forget()
    transaction.on_commit(forget)  # again once the change is visible: a read meanwhile may have kept the old row


for _model in (Procedure, DocumentRequirement, Fee, Sector):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"held-{_model.__name__}-save")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"held-{_model.__name__}-delete")
