"""The dossier's history: one row per change, and the statistics it feeds, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from dvc.accounts.models import User
from dvc.dossiers.models import Dossier, DossierEvent
from dvc.dossiers.public_rows import hold_on_commit
from dvc.stats.services import figures_apply


def dossier_facts(dossier: Dossier) -> dict[str, Any]:
    """What the statistics need to know of the dossier at this moment (so they can be rebuilt from history)."""
    return {
        "agency": dossier.agency_id,
        "procedure": dossier.procedure_id,
        "channel": dossier.channel,
        "status": dossier.status,
        "received": dossier.received_at.isoformat() if dossier.received_at else None,
        "due": dossier.due_at.isoformat() if dossier.due_at else None,
        "extended": dossier.extended_until is not None,
        "paused": dossier.paused_at is not None,
    }


def record_event(
    dossier: Dossier, *, actor: User | None, action: str, before: str = "", after: str = "", note: str = ""
) -> DossierEvent:
    """Write the history row of a change and add it to the statistics (TT 03/2025 on reporting one-stop results).

    Called inside the transaction of the change, so the figures commit or roll back with it.
    """
    event = event_for(dossier, actor=actor, action=action, before=before, after=after, note=note)
    event.save(force_insert=True)
    event_counted(event)
    return event


def event_for(
    dossier: Dossier, *, actor: User | None, action: str, before: str = "", after: str = "", note: str = ""
) -> DossierEvent:
    """The history row of a change, not yet written: for a caller that writes it in the same statement as the
    change (``together.writes_together``), then calls ``event_counted`` in the change's transaction."""
    return DossierEvent(
        dossier=dossier, actor=actor, action=action, from_status=before, to_status=after, note=note,
        data=dossier_facts(dossier),
    )  # fmt: skip


def event_counted(event: DossierEvent) -> None:
    """What a written history row changes besides itself: the statistics, and the public lookup's cached row."""
    figures_apply(event)
    hold_on_commit(event.dossier)  # the public lookup's cached row (issue 20)
