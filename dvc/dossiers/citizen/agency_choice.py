"""Choosing where to file: a province (the citizen's own first), a search among its receiving agencies, the
citizen's own commune preselected, and only the agencies the catalog's rule allows (issue 16, part 6)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dvc.accounts.models import User
from dvc.agencies.models import AdminUnit, Agency
from dvc.catalog.competence import in_province, receiving_agencies_query
from dvc.catalog.models import Procedure
from dvc.catalog.text import fold
from dvc.collation import vi_order

# Above this many agencies a list is no choice on a phone: ask for the province (and a name) first.
SHOWN = 60


def agency_choice(request: HttpRequest, procedure: Procedure, applicant: User) -> dict[str, Any]:
    """What the start page offers: ``agencies`` (at most ``SHOWN``), ``provinces``, the ``province`` chosen,
    whether it is ``fixed`` by the rule, the search ``q``, ``more`` when the list was cut, ``own`` (the agency of
    the citizen's commune, preselected) and the rule in one line (``rule``)."""
    provinces = list(
        AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE, effective_to__isnull=True).order_by(vi_order("name"))
    )
    home = applicant.province
    fixed = procedure.filing_area == Procedure.FilingArea.PROVINCE and home is not None
    code = home.code if fixed and home else (request.GET.get("tinh", "") or (home.code if home else ""))[:8]
    province = next((p for p in provinces if p.code == code), None)
    q = " ".join(request.GET.get("q", "").split())[:100]
    found = receiving_agencies_query(procedure).select_related("admin_unit")
    if province is not None:
        found = in_province(found, province.code)
    if q:  # accents and case ignored: "ba dinh" finds "phường Ba Đình"
        wanted = fold(q)
        listed = [a for a in found.order_by(vi_order("name")) if wanted in fold(a.name)][: SHOWN + 1]
    else:
        listed = list(found.order_by(vi_order("name"))[: SHOWN + 1])
    if province is None and len(listed) > SHOWN:
        listed = []  # the whole country: choose a province first
    own: Agency | None = None
    if applicant.commune_id:
        own = next((a for a in listed if a.admin_unit_id == applicant.commune_id), None)
    return {
        "agencies": listed[:SHOWN],
        "more": len(listed) > SHOWN,
        "provinces": provinces,
        "province": province,
        "fixed": fixed,
        "q": q,
        "own": own,
        "rule": procedure.get_filing_area_display(),
    }
