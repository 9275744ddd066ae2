"""Public reads of the catalog: search with filters, one procedure with everything a citizen needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from dvc.catalog.models import DocumentRequirement, LifeEvent, Procedure, Sector
from dvc.catalog.text import fold, tokens


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


def search(filters: Filters) -> QuerySet[Procedure]:
    """Accent- and case-insensitive, word-order tolerant; exact code first, then name matches, then the rest.

    Every word must appear (in the name, code, sector, result or agencies); the pre-folded columns make
    SQLite and PostgreSQL return the same rows in the same order.
    """
    found = published().select_related("sector")
    words = tokens(filters.q)
    for word in words:  # each word must start a word of the text: "hon" finds "hôn", not "thông"
        found = found.filter(search_text__contains=" " + word)
    if filters.sector:
        found = found.filter(sector__code=filters.sector)
    if filters.level:
        found = found.filter(level=filters.level)
    if filters.service_level:
        found = found.filter(service_level=filters.service_level)
    if filters.life_event:
        found = found.filter(life_events__code=filters.life_event)
    if filters.agency:
        from dvc.agencies.models import Agency

        agency = Agency.objects.filter(code=filters.agency).first()
        if agency is None:
            return found.none()
        found = found.filter(Q(agencies=agency) | Q(agencies__isnull=True, level=agency.level))
    if not words:
        return found.distinct().order_by("name_folded", "code")
    phrase = " " + fold(filters.q)
    all_in_name = Q()
    for word in words:
        all_in_name &= Q(name_folded__contains=" " + word)
    rank = Case(
        When(code=filters.q.strip(), then=Value(0)),
        When(name_folded__startswith=phrase, then=Value(1)),
        When(name_folded__contains=phrase, then=Value(2)),
        When(all_in_name, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    return found.distinct().annotate(rank=rank).order_by("rank", "name_folded", "code")


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
    return Sector.objects.filter(procedures__in=published()).distinct().order_by("name")


def life_events() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.order_by("position", "name")
