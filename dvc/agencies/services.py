"""Writes of the agencies app: reference data loading, agencies, office hours and the working calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from dvc.accounts.models import User
from dvc.agencies import calendar_held, units
from dvc.agencies.models import AdminUnit, Agency, CalendarDay, OfficeHours, StaffRole
from dvc.agencies.reference import commune_code, load_reference, province_code


@dataclass(frozen=True)
class LoadResult:
    provinces: int
    communes: int
    created: int
    updated: int


def _upsert(
    level: str, code: str, fields: dict[str, Any], existing: dict[str, AdminUnit]
) -> tuple[AdminUnit, bool, bool]:
    unit = existing.get(code)
    if unit is None:
        return AdminUnit.objects.create(level=level, code=code, **fields), True, False
    changed = any(getattr(unit, name) != value for name, value in fields.items())
    if changed:
        for name, value in fields.items():
            setattr(unit, name, value)
        unit.save(update_fields=list(fields))
    return unit, False, changed


def admin_units_load(*, data: dict[str, Any] | None = None) -> LoadResult:
    """Load the official two-tier list (34 provinces, 3,321 communes); idempotent, updates by code."""
    data = data or load_reference()
    created = updated = 0
    with transaction.atomic():
        existing_provinces = {u.code: u for u in AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE)}
        provinces: dict[str, AdminUnit] = {}
        for item in data["provinces"]:
            code = province_code(item["code"])
            unit, was_created, was_updated = _upsert(
                AdminUnit.Level.PROVINCE,
                code,
                {"name": item["name"], "division_type": item["division_type"], "parent": None},
                existing_provinces,
            )
            provinces[code] = unit
            created += was_created
            updated += was_updated
        existing_communes = {u.code: u for u in AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE)}
        new_communes = []
        for item in data["communes"]:
            code = commune_code(item["code"])
            fields = {
                "name": item["name"],
                "division_type": item["division_type"],
                "parent": provinces[province_code(item["province_code"])],
            }
            if code in existing_communes:
                _unit, _created, was_updated = _upsert(AdminUnit.Level.COMMUNE, code, fields, existing_communes)
                updated += was_updated
            else:
                new_communes.append(AdminUnit(level=AdminUnit.Level.COMMUNE, code=code, **fields))
        AdminUnit.objects.bulk_create(new_communes, batch_size=500)
        created += len(new_communes)
    units.forget()  # bulk_create sends no signal: this process reads the new map at once, others within units.TTL
    return LoadResult(
        provinces=AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE, effective_to__isnull=True).count(),
        communes=AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, effective_to__isnull=True).count(),
        created=created,
        updated=updated,
    )


def office_hours_set(*, agency: Agency, periods: dict[int, list[tuple[dt.time, dt.time]]]) -> None:
    """Replace an agency's weekly opening periods (weekday 0 = Monday)."""
    with transaction.atomic():
        OfficeHours.objects.filter(agency=agency).delete()
        OfficeHours.objects.bulk_create(
            OfficeHours(agency=agency, weekday=weekday, opens_at=opens, closes_at=closes)
            for weekday, day_periods in periods.items()
            for opens, closes in day_periods
        )
        calendar_held.changed()  # bulk_create sends no signal


def calendar_day_set(
    *, date: dt.date, kind: str, agency: Agency | None = None, note: str = "", actor: User | None = None
) -> CalendarDay:
    """Add a day off or a make-up working day to the national calendar (agency None) or one agency's."""
    with transaction.atomic():
        day, _created = CalendarDay.objects.update_or_create(
            agency=agency, date=date, defaults={"kind": kind, "note": note, "created_by": actor}
        )
    return day


AGENCY_ADMIN_GROUP = "Quản trị cơ quan"
# What an agency admin may do in the admin site; the rows are further limited to their own agencies.
AGENCY_ADMIN_PERMISSIONS = [
    "view_agency",
    "change_agency",
    "view_officehours",
    "add_officehours",
    "change_officehours",
    "delete_officehours",
    "view_calendarday",
    "add_calendarday",
    "change_calendarday",
    "delete_calendarday",
    "view_staffrole",
    "add_staffrole",
    "change_staffrole",
    "view_procedure",
    "add_procedure",
    "change_procedure",
    "view_fee",
    "add_fee",
    "change_fee",
    "delete_fee",
    "view_documentrequirement",
    "add_documentrequirement",
    "change_documentrequirement",
    "delete_documentrequirement",
    "view_sector",
    "view_lifeevent",
]


def staff_role_grant(*, user: User, agency: Agency, role: str, title: str = "") -> StaffRole:
    """Give an officer a role in an agency (with the title a leader signs under); an agency admin also gets the
    admin site, scoped to it."""
    with transaction.atomic():
        defaults: dict[str, object] = {"is_active": True}
        if title:
            defaults["title"] = title.strip()[:100]
        staff_role, _created = StaffRole.objects.update_or_create(
            user=user, agency=agency, role=role, defaults=defaults
        )
        if role == StaffRole.Role.AGENCY_ADMIN:
            group, _ = Group.objects.get_or_create(name=AGENCY_ADMIN_GROUP)
            group.permissions.set(
                Permission.objects.filter(
                    content_type__app_label__in=("agencies", "catalog"), codename__in=AGENCY_ADMIN_PERMISSIONS
                )
            )
            user.groups.add(group)
            if not user.is_staff:
                type(user).objects.filter(pk=user.pk).update(is_staff=True)
                user.is_staff = True
    return staff_role
