"""The error summary of an e-form page (GOV.UK pattern): each problem once, linked to its field, named so that the
citizen knows whose field it is ("Người cha — Họ và tên", not "Họ và tên")."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dvc.catalog.eform import Widget


@dataclass(frozen=True)
class FieldError:
    anchor: str
    label: str
    message: str


def error_summary(widgets: list[Widget]) -> list[FieldError]:
    found: list[FieldError] = []
    for widget in widgets:
        found.extend(FieldError(widget.html_id, widget.label, str(m)) for m in widget.errors)
        for part in widget.parts:
            label = f"{widget.label} — {part.label}"
            found.extend(FieldError(part.html_id, label, str(m)) for m in part.errors)
        for index, row in enumerate(widget.rows, start=1):
            for cell in row:
                label = _("%(group)s, dòng %(n)s — %(field)s") % {
                    "group": widget.label,
                    "n": index,
                    "field": cell.label,
                }
                found.extend(FieldError(cell.html_id, label, str(m)) for m in cell.errors)
    return found
