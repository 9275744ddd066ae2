"""Public reads of the catalog: search with filters, one procedure with everything a citizen needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from dvc.agencies.models import Agency
from dvc.catalog.models import DocumentRequirement, LifeEvent, Procedure, Sector
from dvc.catalog.search_index import Results, ranked_ids
from dvc.catalog.text import tokens
from dvc.collation import vi_order


@dataclass(frozen=True)
class Filters:
    q: str = ""
    sector: str = ""
    level: str = ""
    service_level: str = ""
    agency: str = ""
    life_event: str = ""

    @property
    def narrowing(self) -> bool:
        return any((self.sector, self.level, self.service_level, self.agency, self.life_event))


def published() -> QuerySet[Procedure]:
    today = timezone.localdate()
    return Procedure.objects.filter(is_published=True).filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=today),
        Q(effective_to__isnull=True) | Q(effective_to__gte=today),
    )


def is_published(procedure: Procedure) -> bool:
    """``published()`` of one procedure already read (held, ``catalog.held``)."""
    today = timezone.localdate()
    return (
        procedure.is_published
        and (procedure.effective_from is None or procedure.effective_from <= today)
        and (procedure.effective_to is None or procedure.effective_to >= today)
    )


def linked_groups_of(code: str) -> list[Procedure]:
    """The published linked procedures (liên thông) that include the procedure ``code`` as one of their parts: a
    citizen about to file one part alone is shown that one filing does them all."""
    groups = published().exclude(components=[]).only("code", "name", "name_en", "processing_days", "components")
    return [group for group in groups if any(c.get("procedure") == code for c in group.components or [])]


def parts_of(procedure: Procedure) -> list[tuple[str, str]]:
    """(part name, kind of agency that handles it) of a linked procedure, in order."""
    items = procedure.components or []
    names = dict(Procedure.objects.filter(code__in=[c.get("procedure") for c in items]).values_list("code", "name"))
    kinds = dict(Agency.Kind.choices)
    return [(names.get(c.get("procedure"), ""), str(kinds.get(c.get("agency_kind"), "")) or procedure.implementing_body)
            for c in items]  # fmt: skip


# Only what a result row shows.
LIST_FIELDS = (
    "code", "name", "name_en", "name_folded", "level", "service_level", "processing_days", "sector__code",
    "sector__name", "sector__name_en",
)  # fmt: skip


def search(filters: Filters) -> Results:
    """Accent- and case-insensitive, word-order tolerant; exact code first, then name matches, then the rest.

    Every word of the query must be a word of the procedure (name, code, sector, result or agencies).
    Served from the in-memory index (``search_index``), so SQLite and PostgreSQL give the same order.
    """
    agency = None
    if filters.agency:
        found = Agency.objects.filter(code=filters.agency).values_list("code", "level").first()
        if found is None:
            return Results([], LIST_FIELDS)
        agency = (found[0], found[1])
    ids = ranked_ids(
        words=tokens(filters.q),
        query=filters.q,
        sector=filters.sector,
        level=filters.level,
        service_level=filters.service_level,
        life_event=filters.life_event,
        agency=agency,
    )
    return Results(ids, LIST_FIELDS)


def procedure_detail(code: str) -> Procedure | None:
    return (
        published()
        .select_related("sector")
        .prefetch_related(
            "life_events",
            "agencies",
            "fees",
            Prefetch("requirements", DocumentRequirement.objects.order_by("position", "pk")),
        )
        .filter(code=code)
        .first()
    )


def sectors() -> QuerySet[Sector]:
    return Sector.objects.filter(procedures__in=published()).distinct().order_by(vi_order("name"))


def life_events() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.order_by("position", "name")
