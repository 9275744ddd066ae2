"""Public reads of the agencies app (administrative units and the agency tree are public facts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dvc.agencies.models import AdminUnit, Agency, StaffRole


def admin_units(*, level: str | None = None, parent_code: str | None = None) -> QuerySet[AdminUnit]:
    """Units in force today; communes of one province with ``parent_code``."""
    units = AdminUnit.objects.filter(effective_to__isnull=True).select_related("parent")
    if parent_code:
        units = units.filter(parent__code=parent_code, parent__level=AdminUnit.Level.PROVINCE)
    elif level:
        units = units.filter(level=level)
    else:
        units = units.filter(level=AdminUnit.Level.PROVINCE)
    return units.order_by("name")


def agencies(*, parent_code: str | None = None, on: dt.date | None = None) -> QuerySet[Agency]:
    """Agencies in force on ``on`` (today by default): top-level ones, or the children of ``parent_code``."""
    found = Agency.objects.effective(on or timezone.localdate()).select_related("admin_unit", "parent")
    if parent_code:
        return found.filter(parent__code=parent_code).order_by("name")
    return found.filter(parent__isnull=True).order_by("name")


def agencies_administered_by(user: Any) -> QuerySet[Agency]:
    """Agencies whose catalogue, staff and calendar ``user`` may manage (every agency for a superuser)."""
    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    return Agency.objects.filter(
        staff_roles__user=user, staff_roles__role=StaffRole.Role.AGENCY_ADMIN, staff_roles__is_active=True
    ).distinct()
