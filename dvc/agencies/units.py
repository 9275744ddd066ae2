"""The administrative units, read once per process (issue 20, part 2).

Every draft, answer and submission checked its address answers and the agency's province against the unit table:
up to eight queries of the same 3,400 rows per submission, rows that change only when the state redraws the map
(``manage.py import_admin_units``). The units are now loaded whole, at most once every ``TTL`` per process; a unit
saved or deleted in this process empties it at once (signals), an import does too, and other processes see the
change within ``TTL``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from dvc.agencies.models import AdminUnit

TTL = 300.0  # seconds: how long another process may answer with the map as it was


@dataclass(frozen=True)
class _Units:
    by_id: dict[int, AdminUnit]
    by_code: dict[tuple[str, str], AdminUnit]
    loaded: float


_lock = threading.Lock()
_units: _Units | None = None


def _load() -> _Units:
    found = _units
    if found is not None and time.monotonic() - found.loaded < TTL:
        return found
    with _lock:
        found = _units  # another thread may have read it meanwhile
        if found is not None and time.monotonic() - found.loaded < TTL:
            return found
        return _read()


def _read() -> _Units:
    global _units
    rows = list(AdminUnit.objects.using("default").all())
    by_id = {unit.pk: unit for unit in rows}
    for unit in rows:  # the parent from the same read, so unit.parent makes no query
        if unit.parent_id is not None and unit.parent_id in by_id:
            unit.parent = by_id[unit.parent_id]
    _units = _Units(by_id, {(unit.level, unit.code): unit for unit in rows}, time.monotonic())
    return _units


def unit_by_id(pk: int | None) -> AdminUnit | None:
    """The unit ``pk``; one the map does not hold yet (made by another process since it was read) is read afresh
    with the whole map, at most once a second."""
    if pk is None:
        return None
    units = _load()
    found = units.by_id.get(pk)
    if found is None and time.monotonic() - units.loaded > 1.0:
        with _lock:
            found = _read().by_id.get(pk)
    return found


def unit_code(pk: int | None) -> str:
    """The code of the unit ``pk`` (a person's province or commune), "" for none."""
    unit = unit_by_id(pk)
    return unit.code if unit is not None else ""


def current_province(code: str) -> AdminUnit | None:
    """A province in force today by its code."""
    unit = _load().by_code.get((AdminUnit.Level.PROVINCE, code))
    return unit if unit is not None and unit.effective_to is None else None


def commune_of(province: AdminUnit | None, code: str) -> AdminUnit | None:
    """The commune of that code within that province."""
    unit = _load().by_code.get((AdminUnit.Level.COMMUNE, code))
    return unit if province is not None and unit is not None and unit.parent_id == province.pk else None


def unit_names(codes: set[str]) -> dict[str, str]:
    """Names of the units these codes stand for (a province's two digits or a commune's five)."""
    by_code = _load().by_code
    found = {}
    for code in codes:
        unit = by_code.get((AdminUnit.Level.PROVINCE, code)) or by_code.get((AdminUnit.Level.COMMUNE, code))
        if unit is not None:
            found[code] = unit.name
    return found


def forget() -> None:
    """Read the units afresh at the next use (an import, a test's own units)."""
    global _units
    _units = None


def _changed(**_kwargs: object) -> None:
    forget()
    transaction.on_commit(forget)  # again once the change is visible: a read meanwhile may have kept the old map


post_save.connect(_changed, sender=AdminUnit, dispatch_uid="units-forget-save")
post_delete.connect(_changed, sender=AdminUnit, dispatch_uid="units-forget-delete")
