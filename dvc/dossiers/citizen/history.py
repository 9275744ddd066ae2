"""The dossier's history as its applicant reads it (issue 17, part 7: the citizen's history showed the draft
result's file name and the specialist's opinion). Internal work — the draft, the proposal, a send-back, who was
assigned — stays with staff; the citizen sees what happened to the dossier, and the notes meant for them (what to
add, why it was refused or suspended, the new date), with the agency rather than an officer's name."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dvc.dossiers.models import Dossier

# Actions whose note is written for the applicant.
_NOTE_FOR_CITIZEN = {"withdrawn", "supplement_requested", "refused", "suspended", "extended", "refunded"}
# Internal steps, shown without their note under a label written for the citizen, or not at all (None).
_INTERNAL: dict[str, Promise | None] = {
    "assigned": _("Đang thẩm định hồ sơ"),
    "draft_result": None,
    "proposed": None,
    "sent_back": None,
    "result_ready": _("Đã có kết quả, lãnh đạo đã ký số"),
    "owner_set": None,  # whom the draft was for, as it was being filled: the page says it once, as it stands
}


@dataclass(frozen=True)
class Row:
    at: datetime
    action: str
    label: str  # "" : the usual label of the action
    note: str
    by: str
    by_applicant: bool
    from_status: str
    to_status: str


def group_history(dossier: Dossier, parts: list[Dossier]) -> list[Row]:
    """A linked dossier's history with its parts' steps in it, each part's named with its procedure and agency."""
    rows = citizen_history(dossier)
    for part in parts:
        who = f"{part.procedure.name} — {part.agency.name}"
        rows += [replace(row, by=who) for row in citizen_history(part) if not row.by_applicant]
    return sorted(rows, key=lambda row: row.at)


def citizen_history(dossier: Dossier) -> list[Row]:
    rows = []
    for event in dossier.events.select_related("actor").order_by("at", "pk"):
        label: Promise | str | None = ""
        if event.action in _INTERNAL:
            label = _INTERNAL[event.action]
            if label is None:
                continue
        mine = event.actor_id == dossier.applicant_id
        note = event.note if (mine or event.action in _NOTE_FOR_CITIZEN) and event.action not in _INTERNAL else ""
        by = str(_("Người nộp")) if mine else (dossier.agency.name if event.actor_id else "")
        rows.append(Row(event.at, event.action, str(label or ""), note, by, mine, event.from_status, event.to_status))
    return rows
