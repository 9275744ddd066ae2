"""The citizen's dossier pages: start, fill in, attach, submit, receipt, my dossiers, withdraw, public lookup."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvc.accounts.forms import OtpForm
from dvc.accounts.models import User
from dvc.accounts.throttle import client_ip
from dvc.agencies.calendar import due_moment
from dvc.catalog import eform
from dvc.catalog import selectors as catalog_selectors
from dvc.catalog.answers import readable_answers
from dvc.catalog.competence import receiving_agencies_query
from dvc.documents.responses import pdf_response
from dvc.dossiers.citizen import (
    aftercare,
    drafting,
    filing,
    forms,
    papers,
    selectors,
    sending,
    signing,
    supplement,
)  # fmt: skip
from dvc.dossiers.citizen.agency_choice import agency_choice
from dvc.dossiers.documents.receipt import receipt_pdf
from dvc.dossiers.lifecycle.states import EDITABLE, RATEABLE, WITHDRAWABLE
from dvc.dossiers.models import Dossier, DossierAttachment
from dvc.errors import DomainError, InvalidInput, add_to_form
from dvc.payments.fees import fee_lines_for
from dvc.payments.selectors import fee_summary
from dvc.vault.models import StoredFile
from dvc.vault.views import file_response


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@login_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    procedure = catalog_selectors.procedure_detail(code)
    if procedure is None:
        raise Http404
    applicant = _user(request)
    choice = agency_choice(request, procedure, applicant)
    agencies = choice["agencies"]
    previous = drafting.previous_dossier(applicant, procedure)
    form = forms.StartForm(
        request.POST or None,
        receiving=receiving_agencies_query(procedure),
        shown=agencies,
        can_reuse=previous is not None,
        preselect=choice["own"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = drafting.dossier_start(
                applicant=applicant,
                procedure=procedure,
                agency=form.cleaned_data["agency"],
                reuse_previous=bool(form.cleaned_data.get("reuse_previous")),
            )
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            return redirect("dossiers:edit", dossier_id=dossier.pk)
    # A draft already begun is offered first: people otherwise start the same dossier again and again.
    drafts = (
        Dossier.objects.filter(applicant=applicant, procedure=procedure, status=Dossier.Status.DRAFT)
        .select_related("agency")
        .order_by("-updated_at")[:5]
    )
    context = {"procedure": procedure, "form": form, "drafts": drafts, "previous": previous, **choice}
    return render(request, "dossiers/start.html", context)


def _edit_context(
    dossier: Dossier,
    *,
    answers: dict | None = None,
    errors: dict | None = None,
    delivery: forms.DeliveryForm | None = None,
) -> dict:
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
            papers.vault_choices(dossier=dossier, requirement=r),
        )
        for r in dossier.procedure.requirements.all()
    ]
    return {
        "dossier": dossier,
        "supplement": selectors.open_supplement(dossier),
        "procedure": dossier.procedure,
        "widgets": eform.layout(
            dossier.procedure.form_schema, answers if answers is not None else dossier.form_data, errors
        ),
        "delivery": delivery or forms.DeliveryForm(dossier=dossier),
        "requirements": requirements,
        "problems": errors,
    }


def filing_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``login_required`` for the filing page's actions, keeping what was typed when the session has ended."""

    @wraps(view)
    def wrapper(request: HttpRequest, dossier_id: uuid.UUID, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, dossier_id, *args, **kwargs)
        if request.method == "POST" and filing.carries_draft(request.POST):
            filing.keep_until_login(request, str(dossier_id))
            messages.info(
                request,
                _(
                    "Phiên đăng nhập đã hết hạn nên hồ sơ chưa được lưu. Những gì bạn vừa nhập vẫn được giữ lại: "
                    "hãy đăng nhập lại, hệ thống sẽ lưu vào hồ sơ và mở lại trang khai."
                ),
            )
        return redirect_to_login(reverse("dossiers:edit", args=[dossier_id]))

    return wrapper


def _page_again(request: HttpRequest, posted: filing.Posted) -> HttpResponse:
    """The answers could not be saved (a delivery choice is incomplete): the page again, as typed, with the reason;
    the papers chosen with it are attached all the same."""
    attached, errors = filing.attach_chosen(posted.dossier, _user(request), request.FILES)
    for name in attached:
        messages.success(request, _("Đã đính kèm “%(name)s”.") % {"name": name})
    context = _edit_context(posted.dossier, answers=posted.answers, errors=errors, delivery=posted.delivery)
    return render(request, "dossiers/edit.html", context)


def _back_to_page(
    request: HttpRequest, dossier: Dossier, anchor: str, attached: list[str], errors: dict
) -> HttpResponse:
    if errors:
        filing.stash_errors(request, dossier, errors)
        messages.error(request, _("Có tệp chưa đính kèm được. Xem lý do ngay dưới giấy tờ đó."))
        anchor = "req-" + next(iter(errors)).removeprefix("requirement-")
    for name in attached:
        messages.success(request, _("Đã đính kèm “%(name)s”.") % {"name": name})
    return redirect(reverse("dossiers:edit", args=[dossier.pk]) + (f"#{anchor}" if anchor else ""))


@filing_login
def edit(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """The draft: e-form, delivery, notices and papers in one form; every button saves what was typed first
    ("Lưu lại" keeps it, "Tiếp tục" checks it and goes to sending)."""
    dossier = selectors.dossier_of(request.user, dossier_id)
    if dossier.status not in EDITABLE:
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    actor = _user(request)
    if request.method != "POST":
        if filing.restore_after_login(request, dossier, actor):
            messages.success(request, _("Đã lưu những gì bạn nhập trước khi phiên đăng nhập hết hạn."))
            dossier.refresh_from_db()
        errors = filing.take_errors(request, dossier)
        return render(request, "dossiers/edit.html", _edit_context(dossier, errors=errors))
    posted = filing.save_posted(request, dossier, actor)
    if request.headers.get("X-Autosave") == "1":  # the page's script, after typing stops: answers only, no files
        return HttpResponse(status=204 if posted.saved else 422)
    if "choose_province" in request.POST or not posted.saved:
        return _page_again(request, posted)
    dossier = posted.dossier
    attached, errors = filing.attach_chosen(dossier, actor, request.FILES)
    if errors:
        return _back_to_page(request, dossier, "", attached, errors)
    if "continue" in request.POST:
        problems = sending.submission_problems(dossier)
        if problems:
            messages.error(request, _("Hồ sơ chưa đủ để gửi. Vui lòng xem các mục được đánh dấu."))
            context = _edit_context(dossier, answers=posted.answers, errors=problems, delivery=posted.delivery)
            return render(request, "dossiers/edit.html", context)
        return redirect("dossiers:submit", dossier_id=dossier.pk)
    messages.success(request, _("Đã lưu hồ sơ. Bạn có thể quay lại gửi sau trong mục “Hồ sơ chưa gửi”."))
    return _back_to_page(request, dossier, "", attached, {})


@filing_login
@require_POST
def upload(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """A paper uploaded with "Tải lên": the answers on the page are saved first, then every file chosen."""
    dossier = selectors.dossier_of(request.user, dossier_id)
    actor = _user(request)
    posted = filing.save_posted(request, dossier, actor)
    if not posted.saved:
        return _page_again(request, posted)
    dossier = posted.dossier
    attached, errors = filing.attach_chosen(dossier, actor, request.FILES)
    form = forms.UploadForm(request.POST, request.FILES)
    if "file" in request.FILES and form.is_valid():  # the one-file form (no page around it)
        requirement = dossier.procedure.requirements.filter(pk=form.cleaned_data["requirement"]).first()
        if requirement is not None:
            one, refused = filing.attach_chosen(dossier, actor, {f"file-{requirement.pk}": form.cleaned_data["file"]})
            attached, errors = attached + one, errors | refused
    if not attached and not errors:
        messages.error(request, _("Vui lòng chọn tệp trước khi bấm “Tải lên”."))
    chosen = request.POST.get("requirement", "")
    return _back_to_page(request, dossier, f"req-{chosen}" if chosen.isdigit() else "giay-to", attached, errors)


@filing_login
@require_POST
def use_from_vault(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    posted = filing.save_posted(request, dossier, _user(request))
    if not posted.saved:
        return _page_again(request, posted)
    dossier = posted.dossier
    chosen = request.POST.get("vault_choice", "")  # "<requirement>:<stored file>" from the filing page's button
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
        messages.success(
            request, _("Đã dùng “%(name)s” từ kho dữ liệu.") % {"name": stored.title or stored.original_name}
        )
    return redirect(reverse("dossiers:edit", args=[dossier.pk]) + f"#req-{requirement.pk}")


@filing_login
@require_POST
def upload_signed_form(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    posted = filing.save_posted(request, dossier, _user(request))
    if not posted.saved:
        return _page_again(request, posted)
    dossier = posted.dossier
    upload = request.FILES.get("signed_file") or request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Vui lòng chọn tệp để tải lên."))
    else:
        try:
            dossier = signing.dossier_attach_signed_form(dossier=dossier, actor=_user(request), upload=upload)
        except InvalidInput as exc:
            messages.error(request, filing.error_text(exc))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Chữ ký số hợp lệ. Người ký: %(name)s.") % {"name": dossier.signed_by})
    return redirect(reverse("dossiers:edit", args=[dossier.pk]) + "#ky-so")


@filing_login
@require_POST
def remote_sign_start(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    posted = filing.save_posted(request, dossier, _user(request))  # the declaration signed is the one on the page
    if not posted.saved:
        return _page_again(request, posted)
    dossier = posted.dossier
    try:
        session = signing.dossier_remote_sign_start(dossier=dossier, actor=_user(request), ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(reverse("dossiers:edit", args=[dossier.pk]) + "#ky-so")
    return redirect("dossiers:remote_sign", dossier_id=dossier.pk, session_id=session.pk)


@login_required
def remote_sign(request: HttpRequest, dossier_id: uuid.UUID, session_id: uuid.UUID) -> HttpResponse:
    """Confirm the remote signature with the code the provider sent (built-in provider: SMS OTP)."""
    dossier = selectors.dossier_of(request.user, dossier_id)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = signing.dossier_remote_sign_confirm(
                dossier=dossier,
                actor=_user(request),
                session_id=session_id,
                code=form.cleaned_data["otp"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Chữ ký số hợp lệ. Người ký: %(name)s.") % {"name": dossier.signed_by})
            return redirect(reverse("dossiers:edit", args=[dossier.pk]) + "#ky-so")
    return render(request, "dossiers/remote_sign.html", {"dossier": dossier, "form": form})


@filing_login
@require_POST
def remove_attachment(request: HttpRequest, dossier_id: uuid.UUID, attachment_id: int) -> HttpResponse:
    attachment = selectors.attachment_of(request.user, dossier_id, attachment_id)
    posted = filing.save_posted(request, attachment.dossier, _user(request))
    if not posted.saved:
        return _page_again(request, posted)
    try:
        papers.dossier_remove_attachment(dossier=attachment.dossier, actor=_user(request), attachment=attachment)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(reverse("dossiers:edit", args=[dossier_id]) + "#giay-to")


@login_required
def attachment_file(request: HttpRequest, dossier_id: uuid.UUID, attachment_id: int) -> HttpResponseBase:
    attachment = selectors.attachment_of(request.user, dossier_id, attachment_id)
    return file_response(attachment.stored_file)


@filing_login
def printable(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """ "In biểu mẫu": the e-form as filled so far, as a PDF (from the filing page: what is typed, saved first)."""
    dossier = selectors.dossier_of(request.user, dossier_id)
    if request.method == "POST":
        posted = filing.save_posted(request, dossier, _user(request))
        if not posted.saved:
            return _page_again(request, posted)
        dossier = posted.dossier
    return pdf_response(signing.declaration_pdf(dossier), f"to-khai-{dossier.procedure.code}.pdf")


@login_required
def submit(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    if dossier.status not in EDITABLE:
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    form = forms.SubmitForm(
        request.POST or None,
        initial={"idempotency_key": secrets.token_urlsafe(24)},
        schema=dossier.procedure.form_schema,
    )
    supplementing = dossier.status == Dossier.Status.NEEDS_SUPPLEMENT
    if request.method == "POST" and form.is_valid():
        try:
            if supplementing:
                sent = supplement.dossier_send_supplement(dossier=dossier, actor=_user(request))
            else:
                sent = sending.dossier_submit(
                    dossier=dossier, actor=_user(request), idempotency_key=form.cleaned_data["idempotency_key"]
                )
        except InvalidInput as exc:
            messages.error(request, str(exc.message))
            return render(request, "dossiers/edit.html", _edit_context(dossier, errors=exc.errors))
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            if supplementing:
                messages.success(request, _("Đã gửi bổ sung hồ sơ %(code)s.") % {"code": sent.code})
                return redirect("dossiers:detail", dossier_id=sent.pk)
            return redirect(reverse("dossiers:detail", args=[sent.pk]) + "?vua-gui=1")  # the confirmation panel
    lines = fee_lines_for(dossier)
    context = {
        **_edit_context(dossier),
        "form": form,
        "answers": readable_answers(dossier.procedure.form_schema, dossier.form_data),
        "problems": sending.submission_problems(dossier),
        "lines": lines,
        "total": sum(line.amount for line in lines),
    }
    return render(request, "dossiers/submit.html", context)


@login_required
def detail(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    context = {
        "dossier": dossier,
        "events": dossier.events.select_related("actor"),
        "attachments": dossier.attachments.select_related("stored_file", "requirement"),
        "withdraw_form": forms.WithdrawForm() if dossier.status in WITHDRAWABLE else None,
        "supplement": selectors.open_supplement(dossier),
        "rating": getattr(dossier, "rating", None),
        "rating_form": forms.RatingForm() if dossier.status in RATEABLE else None,
        "issued": dossier.issued_results.order_by("-signed_at").first(),
        "timeline": selectors.timeline(dossier) if dossier.code else [],
        "just_sent": request.GET.get("vua-gui") == "1" and dossier.status == Dossier.Status.SUBMITTED,
        **fee_summary(dossier),
    }
    if context["just_sent"] and dossier.submitted_at:  # counted from the sending; fixed when an officer receives it
        context["expected"] = due_moment(
            agency=dossier.agency, received_at=dossier.submitted_at, working_days=dossier.procedure.processing_days
        )
    return render(request, "dossiers/detail.html", context)


@login_required
def receipt(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    if not dossier.code:
        raise Http404
    lookup = request.build_absolute_uri(reverse("dossiers:lookup") + f"?ma={dossier.code}")
    return pdf_response(receipt_pdf(dossier, lookup_url=lookup), f"bien-nhan-{dossier.code}.pdf")


@login_required
def result(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponseBase:
    dossier = selectors.dossier_of(request.user, dossier_id)
    if dossier.result_file is None:
        raise Http404
    return file_response(dossier.result_file)


@login_required
@require_POST
def rate(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    form = forms.RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chấm điểm đủ các mục."))
        return redirect(reverse("dossiers:detail", args=[dossier.pk]) + "#danh-gia")
    try:
        aftercare.dossier_rate(dossier=dossier, actor=_user(request), **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect(reverse("dossiers:detail", args=[dossier.pk]) + "#danh-gia")


@login_required
@require_POST
def withdraw(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    form = forms.WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng ghi lý do rút hồ sơ."))
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    try:
        aftercare.dossier_withdraw(dossier=dossier, actor=_user(request), reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã rút hồ sơ."))
    return redirect("dossiers:detail", dossier_id=dossier.pk)


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    folder = request.GET.get("muc", "")
    folders = [(key, label) for key, (label, _statuses) in selectors.FOLDERS.items()]
    folders.insert(4, (selectors.UNPAID_FOLDER, selectors.UNPAID_LABEL))
    context = {"folder": folder, "folders": folders, "dossiers": selectors.dossiers_of(request.user, folder)[:100]}
    return render(request, "dossiers/mine.html", context)
