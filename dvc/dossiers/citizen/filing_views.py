"""The citizen's filing pages: the task list of a draft and each of its sections (e-form, papers, delivery,
signature), with the actions on them (upload, take from the vault, remove, sign, print).

Every action saves what its page posted first (``filing.save_posted``); "Lưu và tiếp tục" checks the section and
goes on to the next one, so the shortest way through is one page per section (issue 16, part 2).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvc.accounts.forms import AppApprovalForm, OtpForm
from dvc.accounts.models import User
from dvc.accounts.throttle import client_ip
from dvc.catalog import eform, verified
from dvc.catalog.eform_errors import error_summary
from dvc.documents.responses import pdf_response
from dvc.dossiers.citizen import filing, forms, on_behalf, papers, selectors, sending, signing, tasklist
from dvc.dossiers.lifecycle.states import EDITABLE
from dvc.dossiers.models import Dossier, DossierAttachment
from dvc.errors import DomainError, InvalidInput, add_to_form
from dvc.vault import csc
from dvc.vault.models import RemoteSigning, StoredFile


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def section_url(dossier: Dossier | uuid.UUID, section: str, anchor: str = "") -> str:
    dossier_id = dossier.pk if isinstance(dossier, Dossier) else dossier
    url = (
        reverse("dossiers:section", args=[dossier_id, section])
        if section
        else reverse("dossiers:edit", args=[dossier_id])
    )
    return url + (f"#{anchor}" if anchor else "")


def problem_links(dossier: Dossier, problems: dict[str, list[str]]) -> list[dict[str, str]]:
    """What still stops sending, each message a link to the section (and the field) where it is put right."""
    links: list[dict[str, str]] = []
    for key, texts in problems.items():
        part = tasklist.section_of_problem(key)
        anchor = {tasklist.PAPERS: f"req-{key.removeprefix('requirement-')}", tasklist.SIGNATURE: "ky-so"}.get(
            part, "id_" + re.sub(r"[^a-zA-Z0-9_-]", "_", f"f-{key}") if part == tasklist.FORM else ""
        )
        url = (
            reverse("dossiers:on_behalf", args=[dossier.pk])
            if part == tasklist.OWNER
            else section_url(dossier, part, anchor)
        )
        links.extend({"url": url, "message": str(text)} for text in texts)
    return links


def edit_context(
    dossier: Dossier,
    *,
    section: str = "",
    answers: dict | None = None,
    errors: dict | None = None,
    delivery: forms.DeliveryForm | None = None,
) -> dict:
    """What a section page (or the check page, ``section=""``) shows; ``errors`` by field or ``requirement-<id>``."""
    attachments = list(dossier.attachments.filter(replaced_at__isnull=True).select_related("stored_file"))
    by_requirement: dict[int | None, list[DossierAttachment]] = {}
    for attachment in attachments:
        by_requirement.setdefault(attachment.requirement_id, []).append(attachment)
    errors = errors or {}
    requirements = [
        (
            r,
            by_requirement.get(r.pk, []),
            errors.get(f"requirement-{r.pk}", []),
            papers.vault_choices(dossier=dossier, requirement=r) if section == tasklist.PAPERS else [],
        )
        for r in dossier.procedure.requirements.all()
        if not sending.exempt(r, dossier)  # not asked of whom the catalog exempts (issue 16, part 9)
    ]
    widgets = eform.layout(dossier.procedure.form_schema, answers if answers is not None else dossier.form_data, errors)
    verified.mark(widgets, verified.names(dossier.procedure.form_schema, on_behalf.vouching_user(dossier)))
    return {
        "dossier": dossier,
        "supplement": selectors.open_supplement(dossier),
        "procedure": dossier.procedure,
        "section": section,
        "section_title": tasklist.TITLES.get(section, ""),
        "widgets": widgets,
        "signing_providers": csc.providers() if section == tasklist.SIGNATURE else [],
        "field_errors": error_summary(widgets) if section == tasklist.FORM else [],
        "delivery": delivery or forms.DeliveryForm(dossier=dossier),
        "requirements": requirements,
        "problems": errors,
        "paper_errors": [(r, e) for r, _files, e, _choices in requirements if e],
        "next_section": tasklist.next_section(dossier, section) if section else None,
        "exempted": [r for r in dossier.procedure.requirements.all() if sending.exempt(r, dossier)],
    }


def filing_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``login_required`` for the filing pages' actions, keeping what was typed when the session has ended."""

    @wraps(view)
    def wrapper(request: HttpRequest, dossier_id: uuid.UUID, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, dossier_id, *args, **kwargs)
        section = kwargs.get("part") or ""
        if request.method == "POST" and filing.carries_draft(request.POST):
            filing.keep_until_login(request, str(dossier_id))
            section = filing.posted_section(request.POST) or section
            messages.info(
                request,
                _(
                    "Phiên đăng nhập đã hết hạn nên hồ sơ chưa được lưu. Những gì bạn vừa nhập vẫn được giữ lại: "
                    "hãy đăng nhập lại, hệ thống sẽ lưu vào hồ sơ và mở lại trang khai."
                ),
            )
        return redirect_to_login(section_url(dossier_id, section if section in tasklist.ORDER else ""))

    return wrapper


def filing_action(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A button of a filing page: signed in (what was typed is kept otherwise), POST only, and the page's fields
    saved before the action runs on the saved dossier."""

    @filing_login
    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest, dossier_id: uuid.UUID, *args: Any, **kwargs: Any) -> HttpResponse:
        dossier = selectors.dossier_of(request.user, dossier_id)
        posted = filing.save_posted(request, dossier, _user(request))
        if not posted.saved:
            return _page_again(request, posted)
        return view(request, posted.dossier, *args, **kwargs)

    return wrapper


def _page_again(request: HttpRequest, posted: filing.Posted) -> HttpResponse:
    """The answers could not be saved (a delivery choice is incomplete, a field is closed during a supplement), or
    a province was chosen without JavaScript: the page again, as typed, with the reason."""
    section = filing.posted_section(request.POST) or (
        tasklist.DELIVERY if posted.delivery is not None and posted.delivery.errors else tasklist.FORM
    )
    attached, errors = filing.attach_chosen(posted.dossier, _user(request), request.FILES)
    for name in attached:
        messages.success(request, _("Đã đính kèm “%(name)s”.") % {"name": name})
    if posted.error:
        messages.error(request, posted.error)
    context = edit_context(
        posted.dossier, section=section, answers=posted.answers, errors=errors, delivery=posted.delivery
    )
    return render(request, "dossiers/edit.html", context)


def _back_to_page(
    request: HttpRequest, dossier: Dossier, section: str, anchor: str, attached: list[str], errors: dict
) -> HttpResponse:
    if errors:
        filing.stash_errors(request, dossier, errors)
        messages.error(request, _("Có tệp chưa đính kèm được. Xem lý do ngay dưới giấy tờ đó."))
        section, anchor = tasklist.PAPERS, "req-" + next(iter(errors)).removeprefix("requirement-")
    for name in attached:
        messages.success(request, _("Đã đính kèm “%(name)s”.") % {"name": name})
    return redirect(section_url(dossier, section, anchor))


def _attach_also(request: HttpRequest, dossier: Dossier) -> None:
    """Files chosen for other papers travel with any button of the papers page: attach them too, never drop them."""
    attached, errors = filing.attach_chosen(dossier, _user(request), request.FILES)
    for name in attached:
        messages.success(request, _("Đã đính kèm “%(name)s”.") % {"name": name})
    if errors:
        filing.stash_errors(request, dossier, errors)
        messages.error(request, _("Có tệp chưa đính kèm được. Xem lý do ngay dưới giấy tờ đó."))


def _attach_signed(request: HttpRequest, dossier: Dossier, upload: Any) -> bool:
    """Keep a declaration signed elsewhere (USB token, SIM signature); False when refused (the reason is in the
    messages)."""
    try:
        signed = signing.dossier_attach_signed_form(dossier=dossier, actor=_user(request), upload=upload)
    except InvalidInput as exc:
        messages.error(request, filing.error_text(exc))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Chữ ký số hợp lệ. Người ký: %(name)s.") % {"name": signed.signed_by})
        return True
    return False


def _signed_too(request: HttpRequest, dossier: Dossier) -> bool:
    """A signed declaration chosen on the signature page goes with "Lưu lại" and "Lưu và tiếp tục" too."""
    upload = request.FILES.get("signed_file")
    return upload is None or _attach_signed(request, dossier, upload)


def _editable(request: HttpRequest, dossier_id: uuid.UUID) -> Dossier | None:
    dossier = selectors.dossier_of(request.user, dossier_id)
    return dossier if dossier.status in EDITABLE else None


@filing_login
def edit(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """The task list: each section with its status, then "Kiểm tra và gửi" (a post carrying every part, as older
    pages sent, is saved as before)."""
    dossier = _editable(request, dossier_id)
    if dossier is None:
        return redirect("dossiers:detail", dossier_id=dossier_id)
    if request.method == "POST":
        return _save(request, dossier, "")
    if filing.restore_after_login(request, dossier, _user(request)):
        messages.success(request, _("Đã lưu những gì bạn nhập trước khi phiên đăng nhập hết hạn."))
        dossier.refresh_from_db()
    problems = sending.submission_problems(dossier)
    attached = dossier.attachments.filter(replaced_at__isnull=True).exists()
    listed = tasklist.tasks(dossier, problems, attached=attached)
    context = {
        "dossier": dossier,
        "procedure": dossier.procedure,
        "supplement": selectors.open_supplement(dossier),
        "tasks": listed,
        "done": sum(task.status == tasklist.DONE for task in listed),
        # "Kiểm tra và gửi" opens once every section is done (a section never opened is not done, even when its
        # defaults would pass): the list and the check page never disagree.
        "ready": not problems and all(task.status == tasklist.DONE for task in listed),
        "owner_problems": problems.get("owner", []),
    }
    return render(request, "dossiers/tasks.html", context)


@filing_login
def section(request: HttpRequest, dossier_id: uuid.UUID, part: str) -> HttpResponse:
    """One section of the draft on its own page."""
    if part not in tasklist.ORDER:
        raise Http404
    dossier = _editable(request, dossier_id)
    if dossier is None:
        return redirect("dossiers:detail", dossier_id=dossier_id)
    if part not in tasklist.sections_of(dossier):
        return redirect("dossiers:edit", dossier_id=dossier.pk)
    if request.method == "POST":
        return _save(request, dossier, part)
    if filing.restore_after_login(request, dossier, _user(request)):
        messages.success(request, _("Đã lưu những gì bạn nhập trước khi phiên đăng nhập hết hạn."))
        dossier.refresh_from_db()
    errors = filing.take_errors(request, dossier)
    return render(request, "dossiers/edit.html", edit_context(dossier, section=part, errors=errors))


def _save(request: HttpRequest, dossier: Dossier, part: str) -> HttpResponse:
    """A section's form posted: save it, attach the papers chosen, then "Lưu lại" returns to the task list and
    "Lưu và tiếp tục" checks the section and opens the next one (or the check page)."""
    actor = _user(request)
    posted = filing.save_posted(request, dossier, actor)
    if request.headers.get("X-Autosave") == "1":  # the page's script, after typing stops: answers only, no files
        return HttpResponse(status=204 if posted.saved else 422)
    if "choose_province" in request.POST or not posted.saved:
        return _page_again(request, posted)
    dossier = posted.dossier
    attached, errors = filing.attach_chosen(dossier, actor, request.FILES)
    if errors:
        return _back_to_page(request, dossier, part, "", attached, errors)
    if not _signed_too(request, dossier):
        return redirect(section_url(dossier, tasklist.SIGNATURE))
    dossier.refresh_from_db()
    if part == tasklist.PAPERS:
        tasklist.mark(dossier, part, tasklist.STARTED)
    if "continue" not in request.POST:
        messages.success(request, _("Đã lưu hồ sơ. Bạn có thể quay lại gửi sau trong mục “Hồ sơ chưa gửi”."))
        return _back_to_page(request, dossier, "", "", attached, {})
    problems = sending.submission_problems(dossier)
    if part:
        mine = {key: msgs for key, msgs in problems.items() if tasklist.section_of_problem(key) == part}
        if mine:  # the section is saved as it is, and shown again with what is missing
            messages.error(request, _("Mục này chưa xong. Vui lòng xem các chỗ được đánh dấu."))
            context = edit_context(dossier, section=part, answers=posted.answers, errors=mine, delivery=posted.delivery)
            return render(request, "dossiers/edit.html", context)
        tasklist.mark(dossier, part, tasklist.FINISHED)
        following = tasklist.next_section(dossier, part)
        for name in attached:
            messages.success(request, _("Đã đính kèm “%(name)s”.") % {"name": name})
        return redirect(section_url(dossier, following) if following else reverse("dossiers:submit", args=[dossier.pk]))
    if problems:
        messages.error(request, _("Hồ sơ chưa đủ để gửi. Vui lòng xem các mục được đánh dấu."))
    return redirect("dossiers:submit", dossier_id=dossier.pk)


@filing_action
def upload(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """A paper uploaded with "Tải lên": what the page posted is saved first, then every file chosen."""
    actor = _user(request)
    attached, errors = filing.attach_chosen(dossier, actor, request.FILES)
    form = forms.UploadForm(request.POST, request.FILES)
    if "file" in request.FILES and form.is_valid():  # the one-file form (no page around it)
        requirement = dossier.procedure.requirements.filter(pk=form.cleaned_data["requirement"]).first()
        if requirement is not None:
            one, refused = filing.attach_chosen(dossier, actor, {f"file-{requirement.pk}": form.cleaned_data["file"]})
            attached, errors = attached + one, errors | refused
    if not attached and not errors:
        messages.error(request, _("Vui lòng chọn tệp trước khi bấm “Tải lên”."))
    if attached:
        tasklist.mark(dossier, tasklist.PAPERS, tasklist.STARTED)
    chosen = request.POST.get("requirement", "")
    anchor = f"req-{chosen}" if chosen.isdigit() else ""
    return _back_to_page(request, dossier, tasklist.PAPERS, anchor, attached, errors)


@filing_action
def use_from_vault(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    _attach_also(request, dossier)
    chosen = request.POST.get("vault_choice", "")  # "<requirement>:<stored file>" from the papers page's button
    requirement_raw, _sep, file_raw = chosen.partition(":")
    try:
        requirement_id, file_id = (
            int(requirement_raw or request.POST.get("requirement", "")),
            uuid.UUID(file_raw or request.POST.get("stored_file", "")),
        )
    except ValueError as exc:
        raise Http404 from exc
    requirement = dossier.procedure.requirements.filter(pk=requirement_id).first()
    stored = StoredFile.objects.filter(owner=request.user.pk, pk=file_id).first()
    if requirement is None or stored is None:
        raise Http404
    try:
        papers.dossier_attach_from_vault(dossier=dossier, actor=_user(request), requirement=requirement, stored=stored)
    except InvalidInput as exc:
        messages.error(request, filing.error_text(exc))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        tasklist.mark(dossier, tasklist.PAPERS, tasklist.STARTED)
        messages.success(
            request, _("Đã dùng “%(name)s” từ kho dữ liệu.") % {"name": stored.title or stored.original_name}
        )
    return redirect(section_url(dossier, tasklist.PAPERS, f"req-{requirement.pk}"))


@filing_action
def upload_signed_form(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    upload = request.FILES.get("signed_file") or request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Vui lòng chọn tệp để tải lên."))
    else:
        _attach_signed(request, dossier, upload)
    return redirect(section_url(dossier, tasklist.SIGNATURE))


@filing_action
def remote_sign_start(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    try:
        session = signing.dossier_remote_sign_start(
            dossier=dossier, actor=_user(request), ip=client_ip(request), provider=request.POST.get("provider", "")
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(section_url(dossier, tasklist.SIGNATURE))
    return redirect("dossiers:remote_sign", dossier_id=dossier.pk, session_id=session.pk)


@login_required
def remote_sign(request: HttpRequest, dossier_id: uuid.UUID, session_id: uuid.UUID) -> HttpResponse:
    """Confirm the remote signature with the code the provider sent (built-in provider: SMS OTP); signed, the
    citizen goes straight on to what is left (the signature is the last section)."""
    dossier = selectors.dossier_of(request.user, dossier_id)
    session = RemoteSigning.objects.filter(pk=session_id, owner=dossier.applicant).first()
    if session is None:
        raise Http404
    posted = request.POST if request.method == "POST" else None
    form = OtpForm(posted) if session.needs_code else AppApprovalForm(posted)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = signing.dossier_remote_sign_confirm(
                dossier=dossier,
                actor=_user(request),
                session_id=session_id,
                code=form.cleaned_data.get("otp", ""),
                ip=client_ip(request),
            )
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Chữ ký số hợp lệ. Người ký: %(name)s.") % {"name": dossier.signed_by})
            following = tasklist.next_section(dossier, tasklist.SIGNATURE)
            return redirect(
                section_url(dossier, following) if following else reverse("dossiers:submit", args=[dossier.pk])
            )
    provider = next((p for p in csc.providers() if p.name == session.provider), None)
    context = {"dossier": dossier, "form": form, "session": session, "provider": provider}
    return render(request, "dossiers/remote_sign.html", context)


@filing_login
@require_POST
def remove_attachment(request: HttpRequest, dossier_id: uuid.UUID, attachment_id: int) -> HttpResponse:
    attachment = selectors.attachment_of(request.user, dossier_id, attachment_id)
    posted = filing.save_posted(request, attachment.dossier, _user(request))
    if not posted.saved:
        return _page_again(request, posted)
    _attach_also(request, attachment.dossier)
    try:
        papers.dossier_remove_attachment(dossier=attachment.dossier, actor=_user(request), attachment=attachment)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(section_url(dossier_id, tasklist.PAPERS))


@filing_login
def printable(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """ "In tờ khai": the e-form as filled so far, as a PDF (from a filing page: what is typed, saved first)."""
    dossier = selectors.dossier_of(request.user, dossier_id)
    if request.method == "POST":
        posted = filing.save_posted(request, dossier, _user(request))
        if not posted.saved:
            return _page_again(request, posted)
        dossier = posted.dossier
    return pdf_response(signing.declaration_pdf(dossier), f"to-khai-{dossier.procedure.code}.pdf")
