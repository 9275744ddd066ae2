"""The states from which each change may start (DESIGN.md "Dossier states"), and how each history action reads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dvc.dossiers.models import Dossier

S = Dossier.Status


class ChangedMeanwhile(Exception):
    """A change's conditional update found the dossier no longer in the state the change starts from (another
    request changed it first). Raised inside the change's transaction, so that what was written with the update
    rolls back; the caller then answers with a ``Conflict`` that says what happened."""


# A draft, or a dossier sent back for more papers, may be edited by its applicant.
EDITABLE = (S.DRAFT, S.NEEDS_SUPPLEMENT)
# NĐ 118/2025: more papers may be asked for before receipt or while processing (the clock then
# pauses, Điều 21).
SUPPLEMENT_FROM = (S.SUBMITTED, S.PROCESSING)
# The applicant may take back a draft or a dossier no officer has received yet.
WITHDRAWABLE = (S.DRAFT, S.SUBMITTED)
# A rating is given once a result exists.
RATEABLE = (S.RESULT_READY, S.RETURNED)
# How a history action reads to an officer ("handled by X (tiếp nhận) at ...").
ACTION_LABELS = {
    "received": _("tiếp nhận"),
    "supplement_requested": _("yêu cầu bổ sung"),
    "supplemented": _("gửi bổ sung"),
    "refused": _("từ chối"),
    "suspended": _("dừng giải quyết"),
    "assigned": _("giao thụ lý"),
    "proposed": _("đề xuất"),
    "sent_back": _("trả lại chuyên viên"),
    "result_ready": _("phê duyệt, ký kết quả"),
    "returned": _("trả kết quả"),
    "extended": _("gia hạn"),
    "withdrawn": _("rút hồ sơ"),
    "owner_set": _("khai nộp hộ"),
}
