"""E-form answers as a person reads them: the citizen's check page and the officer's dossier page.

Option labels instead of values, dates as dd/mm/yyyy, "Có"/"Không" for a checkbox, a person as name, birth date and
id number, an address with the names of its commune and province (not their codes), one line per row of a group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from dvc.agencies.selectors import unit_names
from dvc.catalog import reference
from dvc.catalog.bilingual import field_text
from dvc.documents.pdf import shown_answer


@dataclass(frozen=True)
class Answer:
    name: str
    label: str
    text: str
    lines: tuple[str, ...] = ()  # a person, an address or a group's rows, one per line on the page

    @property
    def shown_lines(self) -> tuple[str, ...]:
        return self.lines or (self.text,)


def _unit_codes(specs: list[dict[str, Any]], answers: dict[str, Any]) -> set[str]:
    codes: set[str] = set()
    for spec in specs:
        value = answers.get(spec["name"])
        if spec["type"] == "address" and isinstance(value, dict):
            codes.update(str(value.get(part) or "") for part in ("province", "commune"))
    return codes - {""}


def _simple(spec: dict[str, Any], value: Any) -> str:
    if spec["type"] == "checkbox":
        return _("Có") if value is True else (_("Không") if value is False else "")
    if spec["type"] == "select":  # the option as the reader's language names it
        return next((field_text(o) for o in reference.options_of(spec) if o["value"] == value), str(value or ""))
    return shown_answer(spec, value)


def _person(value: dict[str, Any]) -> list[str]:
    parts = [str(value.get("full_name") or "")]
    born = shown_answer({"type": "date"}, value.get("birth_date"))
    if born:
        parts.append(_("sinh ngày %(date)s") % {"date": born})
    if value.get("id_number"):
        parts.append(_("số định danh %(number)s") % {"number": value["id_number"]})
    return [p for p in parts if p]


def _address(value: dict[str, Any], names: dict[str, str]) -> str:
    parts = [str(value.get("line") or "")]
    parts += [names.get(str(value.get(part) or ""), str(value.get(part) or "")) for part in ("commune", "province")]
    return ", ".join(p for p in parts if p)


def readable_answers(schema: dict[str, Any] | None, answers: dict[str, Any] | None) -> list[Answer]:
    """Every answered question of the e-form, in the form's order (one query for the place names)."""
    specs = (schema or {}).get("fields", [])
    answers = answers or {}
    codes = _unit_codes(specs, answers)
    names = unit_names(set(codes)) if codes else {}
    shown: list[Answer] = []
    for spec in specs:
        value = answers.get(spec["name"])
        kind = spec["type"]
        lines: list[str] = []
        if kind == "person" and isinstance(value, dict):
            lines = _person(value)
            text = ", ".join(lines)
        elif kind == "address" and isinstance(value, dict):
            text = _address(value, names)
        elif kind == "group" and isinstance(value, list):
            rows = [
                ", ".join(t for t in (_simple(sub, row.get(sub["name"])) for sub in spec.get("fields", [])) if t)
                for row in value
                if isinstance(row, dict)
            ]
            lines = [r for r in rows if r]
            text = "; ".join(lines)
        elif isinstance(value, dict | list):
            text = ""
        else:
            text = _simple(spec, value)
        if text:
            shown.append(Answer(spec["name"], field_text(spec), text, tuple(lines) if len(lines) > 1 else ()))
    return shown
