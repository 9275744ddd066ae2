"""Official reference lists offered as choices in e-forms (issue 16, part 8: nationality and ethnicity were free
text): the 54 ethnic groups of Việt Nam in their official order, and every ISO 3166-1 country by its Vietnamese name
(Việt Nam first, the rest in Vietnamese alphabetical order).

A ``select`` field names its list with ``"options_from": "dan_toc"`` or ``"quoc_tich"`` instead of ``options``; the
value kept is the Vietnamese name, as it is written on civil-status papers.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from dvc.catalog.text import fold
from dvc.collation import vi_key

DATA = Path(__file__).resolve().parent / "data" / "reference"
LISTS = ("dan_toc", "quoc_tich")
STATELESS = "Không quốc tịch"  # Luật Quốc tịch Việt Nam 2008, Điều 3: người không quốc tịch


@cache
def _items(name: str) -> tuple[dict[str, str], ...]:
    items = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))["items"]
    if name == "quoc_tich":
        home = [i for i in items if i["code"] == "VN"]
        rest = sorted((i for i in items if i["code"] != "VN"), key=lambda i: vi_key(i["vi"]))
        items = [*home, *rest, {"code": "", "vi": STATELESS, "en": "Stateless"}]
    return tuple(items)


def options_of(spec: dict[str, Any]) -> list[dict[str, str]]:
    """The choices of a ``select`` field: its own ``options``, or the reference list it names."""
    source = spec.get("options_from")
    if source not in LISTS:
        return list(spec.get("options") or [])
    return [{"value": i["vi"], "label": i["vi"], "label_en": i["en"]} for i in _items(source)]


def allowed(spec: dict[str, Any]) -> frozenset[str]:
    """The values a ``select`` field accepts (a reference list's, kept per process: every answer's check asks)."""
    source = spec.get("options_from")
    if source not in LISTS:
        return frozenset(option["value"] for option in spec.get("options") or [])
    return _values(source)


@cache
def _values(name: str) -> frozenset[str]:
    return frozenset(i["vi"] for i in _items(name))


@cache
def _by_folded(name: str) -> dict[str, str]:
    """Each item's Vietnamese and English names, folded, to its Vietnamese name (the first item wins a tie)."""
    found: dict[str, str] = {}
    for item in _items(name):
        for written in (item["vi"], item["en"]):
            found.setdefault(fold(written), item["vi"])
    return found


def canonical(spec: dict[str, Any], value: Any) -> Any:
    """A reference-list answer as the list writes it: "Việt nam", "viet nam" or "Vietnam" typed when the field was
    free text become "Việt Nam", so answers kept from before the lists still count (unknown ones stay as typed)."""
    source = spec.get("options_from")
    if source not in LISTS or not isinstance(value, str) or not value.strip():
        return value
    return _by_folded(source).get(fold(value), value)
