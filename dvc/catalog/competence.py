"""Which agencies receive a procedure: those the catalog lists for it, or every agency of its level in force."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from dvc.agencies.models import Agency
from dvc.catalog.models import Procedure
from dvc.collation import vi_order


def receiving_agencies_query(procedure: Procedure) -> QuerySet[Agency]:
    """Agencies that receive this procedure: those listed, or every agency of its level in force today.

    NĐ 118/2025: a dossier is received regardless of the applicant's address within the province.
    """
    today = timezone.localdate()
    listed = Agency.objects.effective(today).filter(procedures=procedure)
    if listed.exists():
        return listed
    kinds = {
        Procedure.Level.COMMUNE: (Agency.Kind.COMMUNE_CENTRE, Agency.Kind.COMMUNE_COMMITTEE),
        Procedure.Level.PROVINCE: (Agency.Kind.PROVINCE_CENTRE, Agency.Kind.DEPARTMENT),
        Procedure.Level.CENTRAL: (Agency.Kind.MINISTRY,),
    }[Procedure.Level(procedure.level)]
    return Agency.objects.effective(today).filter(level=procedure.level, kind__in=kinds)


def receiving_agencies(procedure: Procedure) -> list[Agency]:
    return list(receiving_agencies_query(procedure).select_related("admin_unit").order_by(vi_order("name")))


def agency_receives(procedure: Procedure, agency: Agency) -> bool:
    """One agency's eligibility, asked of the database (a commune procedure has 3,321 eligible centres)."""
    return receiving_agencies_query(procedure).filter(pk=agency.pk).exists()
