"""What a request for more papers opens (form 02 of TT 03/2025/TT-VPCP): the papers it names and the e-form answers
the officer chose; nothing else of the dossier may change while it is answered (NĐ 118/2025/NĐ-CP: one complete
list of what is missing, and only that)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dvc.catalog.answers import readable_answers
from dvc.dossiers.models import Dossier, SupplementRequest
from dvc.errors import InvalidInput


def open_request(dossier: Dossier) -> SupplementRequest | None:
    """The request the applicant is answering, while the dossier waits for them."""
    if dossier.status != Dossier.Status.NEEDS_SUPPLEMENT:
        return None
    return dossier.supplement_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()


def require_answers_in_scope(dossier: Dossier, answers: dict[str, Any], delivery: dict[str, Any]) -> None:
    """``InvalidInput`` when a supplement would change an answer, or how papers and results travel, that the
    officer did not open."""
    request = open_request(dossier)
    if request is None:
        return
    opened = set(request.fields)
    changed = {name for name in {*answers, *dossier.form_data} if answers.get(name) != dossier.form_data.get(name)}
    moved = [name for name, value in delivery.items() if getattr(dossier, name) != value]
    if changed - opened or moved:
        labels = _labels(dossier)
        allowed = ", ".join(labels.get(name, name) for name in sorted(opened)) or _("không mục nào của tờ khai")
        message = _(
            "Trong lúc bổ sung, bạn chỉ sửa được những gì cơ quan yêu cầu (%(allowed)s) và các giấy tờ được nêu. "
            "Muốn thay đổi khác, vui lòng liên hệ cơ quan tiếp nhận."
        ) % {"allowed": allowed}
        raise InvalidInput({"__all__": [message]}, message=message)


def require_paper_in_scope(dossier: Dossier, requirement_id: int | None) -> None:
    """During a supplement, only the papers the request names may be replaced (all of them when it names none)."""
    request = open_request(dossier)
    if request is None:
        return
    named = set(request.requirements.values_list("pk", flat=True))
    if named and requirement_id not in named:
        message = _("Giấy tờ này không nằm trong yêu cầu bổ sung của cơ quan.")
        raise InvalidInput({"requirement": [message]}, message=message)


def answer_changes(dossier: Dossier, request: SupplementRequest) -> list[dict[str, str]]:
    """What the supplement changed in the answers, for the officer: label, before, after, each written as the
    officer's page writes answers (unit names, dd/mm/yyyy, Có/Không), in the e-form's order."""
    labels = _labels(dossier)
    before, after = request.answers_before or {}, dossier.form_data
    schema = dossier.procedure.form_schema
    shown_before = {a.name: a.text for a in readable_answers(schema, before)}
    shown_after = {a.name: a.text for a in readable_answers(schema, after)}
    order = {name: index for index, name in enumerate(labels)}
    return [
        {
            "label": labels.get(name, name),
            "before": shown_before.get(name, _text(before.get(name))),
            "after": shown_after.get(name, _text(after.get(name))),
        }
        for name in sorted({*before, *after}, key=lambda n: (order.get(n, len(order)), n))
        if before.get(name) != after.get(name)
    ]


def _labels(dossier: Dossier) -> dict[str, str]:
    return {spec["name"]: spec["label"] for spec in (dossier.procedure.form_schema or {}).get("fields", [])}


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v)
    if isinstance(value, list):
        return "; ".join(_text(item) for item in value)
    return "" if value is None else str(value)
