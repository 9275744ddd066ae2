"""Which agencies receive a procedure: those the catalog lists for it, or every agency of its level in force."""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone

from dvc.agencies.models import AdminUnit, Agency
from dvc.agencies.units import unit_by_id
from dvc.catalog.models import Procedure
from dvc.collation import vi_order
from dvc.rows import raw_models

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


# The agency and its eligibility in one statement written out (a draft's start): the ORM took longer to build the
# nested EXISTS of ``_receiving`` than PostgreSQL took to run it (issue 20). The same rule, kept equal to it by
# dvc/catalog/tests/test_competence.py: in force today, and listed for the procedure, or of its level and kind when
# the catalog lists no agency in force.
_AGENCY_FOR_SQL = (
    "SELECT a.*, (a.effective_from <= %s AND (a.effective_to IS NULL OR a.effective_to >= %s) AND ("
    "EXISTS (SELECT 1 FROM catalog_procedure_agencies l WHERE l.procedure_id = %s AND l.agency_id = a.id) "
    "OR (a.level = %s AND a.kind IN (%s, %s) AND NOT EXISTS ("
    "SELECT 1 FROM catalog_procedure_agencies l INNER JOIN agencies_agency b ON b.id = l.agency_id "
    "WHERE l.procedure_id = %s AND b.effective_from <= %s AND (b.effective_to IS NULL OR b.effective_to >= %s)"
    ")))) AS receiving FROM agencies_agency a WHERE a.code = %s"
)


def agency_for(procedure: Procedure, code: str) -> Agency | None:
    """The agency of that code, read with its eligibility for ``procedure`` in the same query (a draft's start)."""
    level = Procedure.Level(procedure.level)
    kinds = [str(kind) for kind in _KINDS_BY_LEVEL[level]]
    db = router.db_for_read(Agency)
    today = connections[db].ops.adapt_datefield_value(timezone.localdate())
    # A level with one kind of agency names it twice.
    params = [today, today, procedure.pk, str(level), kinds[0], kinds[-1], procedure.pk, today, today, code]
    found = next(iter(raw_models(Agency, _AGENCY_FOR_SQL, params, using=db)), None)
    if found is not None and found.receiving:  # type: ignore[attr-defined]
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
