"""Which agencies receive a procedure: those the catalog lists for it, or every agency of its level in force."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dvc.agencies.models import AdminUnit, Agency
from dvc.agencies.units import unit_by_id
from dvc.catalog.models import Procedure
from dvc.collation import vi_order
from dvc.rows import one_row

# The agencies of a procedure's level that receive it when the catalog lists none.
_KINDS_BY_LEVEL = {
    Procedure.Level.COMMUNE: (Agency.Kind.COMMUNE_CENTRE, Agency.Kind.COMMUNE_COMMITTEE),
    Procedure.Level.PROVINCE: (Agency.Kind.PROVINCE_CENTRE, Agency.Kind.DEPARTMENT),
    Procedure.Level.CENTRAL: (Agency.Kind.MINISTRY,),
}


def receiving_agencies_query(procedure: Procedure) -> QuerySet[Agency]:
    """Agencies that receive this procedure: those listed, or every agency of its level in force today.

    NĐ 118/2025: a dossier is received regardless of the applicant's address within the province.
    """
    today = timezone.localdate()
    listed = Agency.objects.effective(today).filter(procedures=procedure)
    if listed.exists():
        return listed
    kinds = _KINDS_BY_LEVEL[Procedure.Level(procedure.level)]
    return Agency.objects.effective(today).filter(level=procedure.level, kind__in=kinds)


def receiving_agencies(procedure: Procedure) -> list[Agency]:
    return list(receiving_agencies_query(procedure).select_related("admin_unit").order_by(vi_order("name")))


def _receiving(procedure: Procedure) -> QuerySet[Agency]:
    effective = Agency.objects.effective(timezone.localdate())
    kinds = _KINDS_BY_LEVEL[Procedure.Level(procedure.level)]
    by_level = Q(level=procedure.level, kind__in=kinds) & ~Exists(effective.filter(procedures=procedure))
    return effective.filter(Q(procedures=procedure) | by_level)


def agency_receives(procedure: Procedure, agency: Agency) -> bool:
    """One agency's eligibility, in one query (a commune procedure has 3,321 eligible centres): listed for the
    procedure, or of its level when the catalog lists no agency in force. An agency that ``agency_for`` read with
    this procedure carries the answer already: no query."""
    if getattr(agency, "receives_procedure", None) == procedure.pk:
        return True
    return _receiving(procedure).filter(pk=agency.pk).exists()


def agency_for(procedure: Procedure, code: str) -> Agency | None:
    """The agency of that code, read with its eligibility for ``procedure`` in the same query (a draft's start)."""
    receives = Exists(_receiving(procedure).filter(pk=OuterRef("pk")))
    found = one_row(Agency.objects.filter(code=code).annotate(receiving=receives))
    if found is not None and getattr(found, "receiving", False):
        found.receives_procedure = procedure.pk  # type: ignore[attr-defined]  # read by agency_receives
    return found


def in_province(agencies: QuerySet[Agency], province_code: str) -> QuerySet[Agency]:
    """The agencies of one province: its own (departments, centre) and those of its communes."""
    own = Q(admin_unit__level=AdminUnit.Level.PROVINCE, admin_unit__code=province_code)
    return agencies.filter(own | Q(admin_unit__parent__code=province_code))


def agency_province(agency: Agency) -> AdminUnit | None:
    unit = unit_by_id(agency.admin_unit_id)  # the map read once per process
    if unit is None:
        return None
    return unit if unit.level == AdminUnit.Level.PROVINCE else unit_by_id(unit.parent_id)


def outside_filing_area(procedure: Procedure, agency: Agency, province_id: int | None) -> bool:
    """True when the catalog's rule keeps an applicant living in province ``province_id`` from filing at
    ``agency``."""
    if procedure.filing_area != Procedure.FilingArea.PROVINCE or province_id is None:
        return False
    found = agency_province(agency)
    return found is not None and found.pk != province_id
