"""Public agency directory: where to file, when the counter is open, upcoming days off."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dvc.agencies import selectors
from dvc.agencies.calendar import WorkingCalendar
from dvc.agencies.models import Agency, OfficeHours


def agency_list(request: HttpRequest) -> HttpResponse:
    roots = list(selectors.agencies().prefetch_related("children"))
    return render(request, "agencies/list.html", {"roots": roots})


def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = Agency.objects.select_related("admin_unit", "parent", "successor").filter(code=code).first()
    if agency is None:
        raise Http404
    calendar = WorkingCalendar(agency)
    today = timezone.localdate()
    upcoming = [today + dt.timedelta(days=offset) for offset in range(0, 60)]
    days_off = [day for day in upcoming if day.weekday() < 5 and not calendar.is_working_day(day)]
    extra_days = [day for day in upcoming if day.weekday() >= 5 and calendar.is_working_day(day)]
    hours = [(label, calendar.office_hours_for_weekday(weekday)) for weekday, label in OfficeHours.Weekday.choices]
    context = {
        "agency": agency,
        "children": selectors.agencies(parent_code=agency.code),
        "hours": hours,
        "days_off": days_off,
        "extra_days": extra_days,
    }
    return render(request, "agencies/detail.html", context)
