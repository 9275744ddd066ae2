"""The filing task list (GOV.UK's "complete multiple tasks" pattern, issue 16 part 2).

A draft is filled in sections, each on its own page: the e-form, the papers, how the result comes back, the
signature where the procedure asks for one, then "Kiểm tra và gửi". Each section's status is what the citizen did
(begun, or finished with "Lưu và tiếp tục") checked against the dossier itself: a section marked finished whose
answers or papers no longer hold is shown as still in progress.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dvc.dossiers.models import Dossier

FORM = "to-khai"
PAPERS = "giay-to"
DELIVERY = "nhan-ket-qua"
SIGNATURE = "ky-so"
OWNER = "chu-ho-so"  # not a section of the list: the "Nộp hộ" page (citizen.on_behalf_views)
ORDER = (FORM, PAPERS, DELIVERY, SIGNATURE)
TITLES = {
    FORM: _("Tờ khai"),
    PAPERS: _("Giấy tờ"),
    DELIVERY: _("Cách nhận kết quả"),
    SIGNATURE: _("Ký số tờ khai"),
}

NOT_STARTED, IN_PROGRESS, DONE = "chua-bat-dau", "dang-lam", "da-xong"
STATUS_TEXT = {NOT_STARTED: _("Chưa bắt đầu"), IN_PROGRESS: _("Đang làm"), DONE: _("Đã xong")}

STARTED, FINISHED = "started", "done"


@dataclass(frozen=True)
class Task:
    section: str
    title: str
    status: str

    @property
    def status_text(self) -> str:
        return str(STATUS_TEXT[self.status])


def sections_of(dossier: Dossier) -> list[str]:
    """The sections this procedure needs, in order: no e-form, no "Tờ khai"; no paper to send, no "Giấy tờ";
    no signature asked, no "Ký số"."""
    procedure = dossier.procedure
    verified = dossier.applicant.identity_verified_at is not None and not dossier.owner_basis
    papers = any(
        not r.template_is_eform and not (r.exempt_verified_identity and verified) for r in procedure.requirements.all()
    )
    has_form = bool((procedure.form_schema or {}).get("fields"))
    wanted = {FORM: has_form, PAPERS: papers, DELIVERY: True, SIGNATURE: procedure.requires_signature}
    return [section for section in ORDER if wanted[section]]


def section_of_problem(key: str) -> str:
    """The section where a problem found by ``sending.submission_problems`` is put right."""
    if key.startswith("requirement-"):
        return PAPERS
    if key == "signed_form":
        return SIGNATURE
    if key == "owner":
        return OWNER
    if key in ("delivery_address", "submission_method", "result_method"):
        return DELIVERY
    return FORM


def tasks(dossier: Dossier, problems: dict[str, list[str]], *, attached: bool) -> list[Task]:
    """Each section with its status; ``problems`` are what still stops sending, ``attached`` whether any paper
    is attached."""
    unsettled = {section_of_problem(key) for key in problems}
    progress = dossier.filing_progress or {}
    listed = []
    for section in sections_of(dossier):
        mark = progress.get(section)
        if section == SIGNATURE:  # signing is the work itself: done when a valid signature covers the answers
            status = (
                DONE
                if dossier.signed_form_id and section not in unsettled
                else (IN_PROGRESS if dossier.signed_form_id else NOT_STARTED)
            )
        elif mark == FINISHED and section not in unsettled:
            status = DONE
        elif mark or (section == PAPERS and attached):
            status = IN_PROGRESS
        else:
            status = NOT_STARTED
        listed.append(Task(section, str(TITLES[section]), status))
    return listed


def next_section(dossier: Dossier, after: str) -> str | None:
    """The section after ``after`` in the list, or None when the next step is "Kiểm tra và gửi" (always, while
    answering a request for more papers: the rest was done before sending)."""
    sections = sections_of(dossier)
    if after and dossier.status == Dossier.Status.NEEDS_SUPPLEMENT:
        return None
    if after not in sections:
        return sections[0] if sections else None
    position = sections.index(after)
    return sections[position + 1] if position + 1 < len(sections) else None


def mark(dossier: Dossier, section: str, state: str) -> None:
    """Record that the citizen began or finished a section; "done" is never lowered back to "started"."""
    if section not in ORDER or state not in (STARTED, FINISHED):
        return
    with transaction.atomic():
        progress = (
            Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("filing_progress", flat=True).first()
        )
        if progress is None:
            return
        progress = dict(progress)
        if progress.get(section) == state or (progress.get(section) == FINISHED and state == STARTED):
            dossier.filing_progress = progress
            return
        progress[section] = state
        Dossier.objects.filter(pk=dossier.pk).update(filing_progress=progress)
        dossier.filing_progress = progress
