"""The catalog search index, held in each process's memory and rebuilt when the catalog version changes.

The national catalog has a few thousand procedures: their folded words fit in a few megabytes, so a search
is a few set intersections and a sort in Python (well under a millisecond) plus one query for the page shown.
Ranking is therefore identical on SQLite and PostgreSQL. Every catalog write bumps ``CatalogState.version``
(see ``services.catalog_changed``); a process reads that one row at most every ``VERSION_SECONDS`` and rebuilds
the index if it moved, so an edit shows at once in the process that made it and within seconds in the others.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from django.utils import timezone

from dvc.catalog.models import CatalogState, Procedure, SearchWord
from dvc.catalog.text import fold
from dvc.collation import vi_key


@dataclass(frozen=True)
class Entry:
    pk: int
    code: str
    name_folded: str
    level: str
    service_level: str
    sector: str
    life_events: frozenset[str]
    agencies: frozenset[str]
    published: bool
    effective_from: dt.date | None
    effective_to: dt.date | None
    name: str = ""  # what a list of results shows (the API answers a search from the index alone, issue 20)
    processing_days: int = 0

    def in_force(self, today: dt.date) -> bool:
        return (
            self.published
            and (self.effective_from is None or self.effective_from <= today)
            and (self.effective_to is None or self.effective_to >= today)
        )


@dataclass
class Index:
    version: int
    entries: dict[int, Entry] = field(default_factory=dict)
    words: dict[str, set[int]] = field(default_factory=dict)
    position: dict[int, int] = field(default_factory=dict)  # alphabetical place of each procedure
    sector_names: dict[str, str] = field(default_factory=dict)


_lock = threading.Lock()
_index: Index | None = None


# How long a process trusts the version it last read. Reading it on every public page was a tenth of the server's
# time in the crowd benchmark; a catalog edit made in another process shows this much later.
VERSION_SECONDS = 2.0
_version_read: tuple[float, int] | None = None


def catalog_version() -> int:
    """Changes with every catalog write (``services.catalog_changed``): what cached catalog pages are keyed on."""
    global _version_read
    now = time.monotonic()
    read = _version_read
    if read is not None and now - read[0] < VERSION_SECONDS:
        return read[1]
    # The primary's, always: the index built for it must be read from the same database (never a lagging replica).
    state = CatalogState.objects.using("default").filter(pk=1).values_list("version", flat=True).first()
    _version_read = (now, int(state or 0))
    return _version_read[1]


def forget_version() -> None:
    """This process changed the catalog: read the version again on the next request."""
    global _version_read
    _version_read = None


def _build(version: int) -> Index:
    index = Index(version=version)
    life_events: dict[int, set[str]] = {}
    for pk, code in Procedure.life_events.through.objects.using("default").values_list(
        "procedure_id", "lifeevent__code"
    ):
        life_events.setdefault(pk, set()).add(code)
    agencies: dict[int, set[str]] = {}
    for pk, code in Procedure.agencies.through.objects.using("default").values_list("procedure_id", "agency__code"):
        agencies.setdefault(pk, set()).add(code)
    rows = Procedure.objects.using("default").values_list(
        "pk",
        "code",
        "name",
        "name_folded",
        "level",
        "service_level",
        "sector__code",
        "is_published",
        "effective_from",
        "effective_to",
        "processing_days",
        "sector__name",
    )
    names: dict[int, str] = {}
    for pk, code, name, name_folded, level, service_level, sector, published, start, end, days, sector_name in rows:
        names[pk] = name
        index.entries[pk] = Entry(
            pk, code, name_folded, level, service_level, sector,
            frozenset(life_events.get(pk, ())), frozenset(agencies.get(pk, ())), published, start, end, name, days,
        )  # fmt: skip
        index.sector_names[sector] = sector_name
    for word, pk in SearchWord.objects.using("default").values_list("word", "procedure_id").iterator(chunk_size=5000):
        index.words.setdefault(word, set()).add(pk)
    alphabetical = sorted(index.entries.values(), key=lambda e: (vi_key(names[e.pk]), e.code))
    index.position = {entry.pk: place for place, entry in enumerate(alphabetical)}
    return index


def current() -> Index:
    """The index for the catalog as it is now (one small query when nothing changed)."""
    global _index
    version = catalog_version()
    index = _index
    if index is None or index.version != version:
        with _lock:
            if _index is None or _index.version != version:
                _index = _build(version)
            index = _index
    return index


def ranked_ids(
    *,
    words: list[str],
    query: str,
    sector: str = "",
    level: str = "",
    service_level: str = "",
    life_event: str = "",
    agency: tuple[str, str] | None = None,
) -> list[int]:
    """Procedure ids in force that contain every word and pass the filters, best first.

    Order: exact code, then name starting with the query, name containing it, name containing every word,
    other matches; in Vietnamese alphabetical order (dvc.collation) within each group. ``agency`` is (code, level):
    a procedure with no listed agencies is handled by every agency of its level.
    """
    index = current()
    today = timezone.localdate()
    if words:
        sets = sorted((index.words.get(word, set()) for word in words), key=len)
        candidates: set[int] = set(sets[0]).intersection(*sets[1:])
    else:
        candidates = set(index.entries)
    found = []
    for pk in candidates:
        entry = index.entries.get(pk)
        if entry is None or not entry.in_force(today):
            continue
        if (sector and entry.sector != sector) or (level and entry.level != level):
            continue
        if (service_level and entry.service_level != service_level) or (
            life_event and life_event not in entry.life_events
        ):
            continue
        if agency is not None and agency[0] not in entry.agencies and (entry.agencies or entry.level != agency[1]):
            continue
        found.append(entry)
    phrase = " " + fold(query)
    stripped = query.strip()
    padded_words = [f" {word} " for word in words]
    position = index.position
    size = len(position) + 1

    def rank(entry: Entry) -> int:
        name = entry.name_folded
        if not words or entry.code == stripped:
            group = 0
        elif name.startswith(phrase):
            group = 1
        elif phrase in name:
            group = 2
        elif all(word in name for word in padded_words):
            group = 3
        else:
            group = 4
        return group * size + position[entry.pk]

    found.sort(key=rank)
    return [entry.pk for entry in found]


class Results(Sequence[Procedure]):
    """Search results: the ranked ids, with rows loaded only for the slice asked for (one query a page)."""

    def __init__(self, ids: list[int], only: tuple[str, ...]) -> None:
        self.ids = ids
        self.only = only

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:  # type: ignore[override]  # Paginator calls count() when present
        return len(self.ids)

    def _load(self, ids: list[int]) -> list[Procedure]:
        rows = Procedure.objects.select_related("sector").only(*self.only).in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]

    @overload
    def __getitem__(self, item: int) -> Procedure: ...

    @overload
    def __getitem__(self, item: slice) -> list[Procedure]: ...

    def __getitem__(self, item: int | slice) -> Procedure | list[Procedure]:
        if isinstance(item, slice):
            return self._load(self.ids[item])
        return self._load([self.ids[item]])[0]

    def __iter__(self) -> Iterator[Procedure]:
        for start in range(0, len(self.ids), 500):
            yield from self._load(self.ids[start : start + 500])
