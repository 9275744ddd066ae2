"""What every action of the filing page does first: keep what was typed.

Each section of the task list is one form: every button on it (choosing a province, "Lưu lại", "Lưu và tiếp tục",
uploading a paper) submits that form, so what was typed travels with every click and is saved before the action
(issue 16: a citizen typed the child's name, uploaded the birth certificate, and the name was gone). Each paper
chosen is attached on its own: one refused file never blocks the others, and its error is shown beside it. A
session that ends while the citizen types keeps the typed answers in the browser's session until they sign in.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from dvc.accounts.models import User
from dvc.catalog import eform
from dvc.dossiers.citizen import drafting, forms, papers, tasklist
from dvc.dossiers.lifecycle.states import EDITABLE
from dvc.dossiers.models import Dossier
from dvc.errors import DomainError, InvalidInput, add_to_form
from dvc.vault.combine import combine_pages

# The filing page's form carries draft=1: a request without it (an API client, an old page) saves no answers.
DRAFT_MARK = "draft"
SECTION_FIELD = "section"
_ERRORS_KEY = "filing_errors"
_PENDING_KEY = "filing_pending"


def error_text(error: InvalidInput) -> str:
    texts = [str(m) for messages in error.errors.values() for m in messages]
    return " ".join(texts) or str(error.message)


class Posted:
    """The answers and delivery choices posted with an action, once saved (or why they could not be)."""

    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self.answers: dict[str, Any] | None = None
        self.delivery: forms.DeliveryForm | None = None
        self.saved = True
        self.error = ""  # why the answers of a page without delivery choices could not be saved


def carries_draft(post: Any) -> bool:
    """The filing page's form was posted (its mark, or its answers and delivery fields)."""
    return post.get(DRAFT_MARK) == "1" or any(key.startswith(("f-", "d-")) for key in post)


def save_posted(request: HttpRequest, dossier: Dossier, actor: User, post: Any = None) -> Posted:
    """Save the draft posted with any action of the filing page; ``saved`` is False when the delivery choices
    cannot be kept (the page is shown again with the answers as typed and the reason)."""
    post = request.POST if post is None else post
    result = Posted(dossier)
    if not carries_draft(post) or dossier.status not in EDITABLE:
        return result
    section = posted_section(post)
    # Each section's page posts its own fields; what another page holds is kept as saved.
    takes_answers, takes_delivery = section in ("", tasklist.FORM), section in ("", tasklist.DELIVERY)
    result.answers = (
        eform.answers_from_post(dossier.procedure.form_schema, post) if takes_answers else dict(dossier.form_data)
    )
    delivery = {
        "submission_method": dossier.submission_method,
        "result_method": dossier.result_method,
        "delivery_address": dossier.delivery_address,
        "notify_sms": dossier.notify_sms,
        "notify_email": dossier.notify_email,
    }
    if takes_delivery:
        result.delivery = forms.DeliveryForm(post, dossier=dossier)
        if not result.delivery.is_valid():
            result.saved = False
            return result
        delivery = {
            **{key: result.delivery.cleaned_data[key] for key in delivery if key != "delivery_address"},
            "delivery_address": result.delivery.delivery_address(),
        }
    try:
        result.dossier = drafting.dossier_save_draft(dossier=dossier, actor=actor, form_data=result.answers, **delivery)
    except DomainError as exc:
        if section == tasklist.DELIVERY and result.delivery is not None:
            add_to_form(result.delivery, exc)
        else:
            result.error = error_text(exc) if isinstance(exc, InvalidInput) else str(exc.message)
        result.saved = False
        return result
    for begun in [section] if section else [tasklist.FORM, tasklist.DELIVERY]:
        tasklist.mark(result.dossier, begun, tasklist.STARTED)
    return result


def posted_section(post: Any) -> str:
    """The task-list section whose page was posted ("" for a post carrying every part, as the API's clients and
    older pages send)."""
    section = post.get(SECTION_FIELD, "")
    return section if section in tasklist.ORDER else ""


def attach_chosen(dossier: Dossier, actor: User, files: Any) -> tuple[list[str], dict[str, list[str]]]:
    """Attach every paper chosen on the page (``file-<requirement>``), each on its own: the names attached, and the
    errors by requirement for the files refused."""
    attached: list[str] = []
    errors: dict[str, list[str]] = {}
    for requirement in dossier.procedure.requirements.all():
        field = f"file-{requirement.pk}"
        chosen: list[UploadedFile] = files.getlist(field) if hasattr(files, "getlist") else [files.get(field)]
        chosen = [upload for upload in chosen if upload is not None]
        if not chosen:
            continue
        key = f"requirement-{requirement.pk}"
        try:
            upload = chosen[0]
            if len(chosen) > 1:  # front and back, several pages: one PDF for the paper
                if "pdf" not in (requirement.accepted_types or ["pdf"]):
                    raise InvalidInput({"file": [_("Giấy tờ này chỉ nhận một tệp ảnh.")]})
                upload = combine_pages(
                    chosen,
                    allowed=list(requirement.accepted_types) or ["pdf", "jpg", "png"],
                    file_limit_mb=requirement.max_size_mb,
                    name=f"{slugify(unidecode(requirement.name))[:60] or 'giay-to'}.pdf",
                )
            attachment = papers.dossier_attach(
                dossier=dossier, actor=actor, requirement=requirement, upload=upload, pages=len(chosen)
            )
        except InvalidInput as exc:
            errors[key] = [error_text(exc)]
        except DomainError as exc:
            errors[key] = [str(exc.message)]
        else:
            attached.append(attachment.stored_file.original_name)
    return attached, errors


def stash_errors(request: HttpRequest, dossier: Dossier, errors: dict[str, list[str]]) -> None:
    """Errors to show beside their papers on the next view of the page (after the redirect)."""
    request.session[_ERRORS_KEY] = {"dossier": str(dossier.pk), "errors": errors}


def take_errors(request: HttpRequest, dossier: Dossier) -> dict[str, list[str]]:
    kept = request.session.get(_ERRORS_KEY)
    if not kept or kept.get("dossier") != str(dossier.pk):
        return {}
    del request.session[_ERRORS_KEY]
    return dict(kept.get("errors") or {})


def keep_until_login(request: HttpRequest, dossier_id: str) -> None:
    """The session ended while the citizen typed: keep the posted answers (no files, no token) in this browser's
    session; they are restored only to the signed-in owner of the dossier."""
    post = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    request.session[_PENDING_KEY] = {"dossier": dossier_id, "post": post}


def restore_after_login(request: HttpRequest, dossier: Dossier, actor: User) -> bool:
    """Save the answers kept when the session ended, if they were typed into this dossier; True when done."""
    kept = request.session.get(_PENDING_KEY)
    if not kept or kept.get("dossier") != str(dossier.pk):
        return False
    del request.session[_PENDING_KEY]
    post = QueryDict(mutable=True)
    for key, values in (kept.get("post") or {}).items():
        post.setlist(key, [str(v) for v in values])
    return save_posted(request, dossier, actor, post=post).saved
