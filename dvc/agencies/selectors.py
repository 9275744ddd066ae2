"""Public reads of the agencies app (administrative units and the agency tree are public facts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dvc.agencies import units
from dvc.agencies.models import AdminUnit, Agency, StaffRole
from dvc.collation import vi_order


def admin_units(*, level: str | None = None, parent_code: str | None = None) -> QuerySet[AdminUnit]:
    """Units in force today; communes of one province with ``parent_code``."""
    units = AdminUnit.objects.filter(effective_to__isnull=True).select_related("parent")
    if parent_code:
        units = units.filter(parent__code=parent_code, parent__level=AdminUnit.Level.PROVINCE)
    elif level:
        units = units.filter(level=level)
    else:
        units = units.filter(level=AdminUnit.Level.PROVINCE)
    return units.order_by(vi_order("name"))


def agencies(*, parent_code: str | None = None, on: dt.date | None = None) -> QuerySet[Agency]:
    """Agencies in force on ``on`` (today by default): top-level ones, or the children of ``parent_code``."""
    found = Agency.objects.effective(on or timezone.localdate()).select_related("admin_unit", "parent")
    if parent_code:
        return found.filter(parent__code=parent_code).order_by(vi_order("name"))
    return found.filter(parent__isnull=True).order_by(vi_order("name"))


def agencies_administered_by(user: Any) -> QuerySet[Agency]:
    """Agencies whose catalogue, staff and calendar ``user`` may manage (every agency for a superuser)."""
    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    return Agency.objects.filter(
        staff_roles__user=user, staff_roles__role=StaffRole.Role.AGENCY_ADMIN, staff_roles__is_active=True
    ).distinct()


def unit_names(codes: Iterable[str]) -> dict[str, str]:
    """The names of administrative units by code (read once per process, ``units``)."""
    return units.unit_names({c for c in codes if c})


def address_text(address: dict[str, Any] | None, names: dict[str, str] | None = None) -> str:
    """An address as the post office writes it: "Số 12 phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội".

    ``names``: unit names already read (``unit_names``), for a list of addresses at the cost of one query."""
    address = address or {}
    codes = [str(address.get("commune") or ""), str(address.get("province") or "")]
    names = names if names is not None else unit_names(codes)
    parts = [str(address.get("line") or "").strip(), *(names.get(code, code) for code in codes)]
    return ", ".join(part for part in parts if part)
