"""The citizen's dossier pages: start, fill in, attach, submit, receipt, my dossiers, withdraw, public lookup."""

from __future__ import annotations

import secrets
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvc.accounts.forms import OtpForm
from dvc.accounts.models import User
from dvc.accounts.throttle import client_ip
from dvc.catalog import eform
from dvc.catalog import selectors as catalog_selectors
from dvc.catalog.answers import readable_answers
from dvc.catalog.competence import receiving_agencies
from dvc.documents.responses import pdf_response
from dvc.dossiers.citizen import aftercare, drafting, forms, papers, selectors, sending, signing, supplement
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


def _error_text(error: InvalidInput) -> str:
    """Every reason of a refused input, as one message for the top of the page."""
    return " ".join(text for texts in error.errors.values() for text in texts) or str(error.message)


@login_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    procedure = catalog_selectors.procedure_detail(code)
    if procedure is None:
        raise Http404
    agencies = receiving_agencies(procedure)
    applicant = _user(request)
    previous = drafting.previous_dossier(applicant, procedure)
    form = forms.StartForm(request.POST or None, agencies=agencies, can_reuse=previous is not None)
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
    context = {"procedure": procedure, "form": form, "agencies": agencies, "drafts": drafts, "previous": previous}
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


@login_required
def edit(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """The draft: e-form, delivery and notices ("Lưu lại" keeps it, "Tiếp tục" checks it and goes to sending)."""
    dossier = selectors.dossier_of(request.user, dossier_id)
    if dossier.status not in EDITABLE:
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    if request.method != "POST":
        return render(request, "dossiers/edit.html", _edit_context(dossier))
    answers = eform.answers_from_post(dossier.procedure.form_schema, request.POST)
    delivery = forms.DeliveryForm(request.POST, dossier=dossier)
    if "choose_province" in request.POST or not delivery.is_valid():
        return render(request, "dossiers/edit.html", _edit_context(dossier, answers=answers, delivery=delivery))
    try:
        dossier = drafting.dossier_save_draft(
            dossier=dossier,
            actor=_user(request),
            form_data=answers,
            submission_method=delivery.cleaned_data["submission_method"],
            result_method=delivery.cleaned_data["result_method"],
            delivery_address=delivery.delivery_address(),
            notify_sms=delivery.cleaned_data["notify_sms"],
            notify_email=delivery.cleaned_data["notify_email"],
        )
    except DomainError as exc:
        add_to_form(delivery, exc)
        return render(request, "dossiers/edit.html", _edit_context(dossier, answers=answers, delivery=delivery))
    if "continue" in request.POST:
        problems = sending.submission_problems(dossier)
        if problems:
            messages.error(request, _("Hồ sơ chưa đủ để gửi. Vui lòng xem các mục được đánh dấu."))
            return render(
                request,
                "dossiers/edit.html",
                _edit_context(dossier, answers=answers, errors=problems, delivery=delivery),
            )
        return redirect("dossiers:submit", dossier_id=dossier.pk)
    messages.success(request, _("Đã lưu hồ sơ. Bạn có thể quay lại gửi sau trong mục “Hồ sơ chưa gửi”."))
    return redirect("dossiers:edit", dossier_id=dossier.pk)


@login_required
@require_POST
def upload(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    form = forms.UploadForm(request.POST, request.FILES)
    requirement = None
    if form.is_valid():
        requirement = dossier.procedure.requirements.filter(pk=form.cleaned_data["requirement"]).first()
    if requirement is None:
        messages.error(request, str(form.errors.get("file", [_("Không tải lên được tệp. Vui lòng thử lại.")])[0]))
        return redirect(reverse("dossiers:edit", args=[dossier.pk]) + "#giay-to")
    try:
        attachment = papers.dossier_attach(
            dossier=dossier, actor=_user(request), requirement=requirement, upload=form.cleaned_data["file"]
        )
    except InvalidInput as exc:
        messages.error(request, _error_text(exc))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã đính kèm “%(name)s”.") % {"name": attachment.stored_file.original_name})
    return redirect(reverse("dossiers:edit", args=[dossier.pk]) + f"#req-{requirement.pk}")


@login_required
@require_POST
def use_from_vault(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    try:
        requirement_id, file_id = (
            int(request.POST.get("requirement", "")),
            uuid.UUID(request.POST.get("stored_file", "")),
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
        messages.error(request, _error_text(exc))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Đã dùng “%(name)s” từ kho dữ liệu.") % {"name": stored.title or stored.original_name}
        )
    return redirect(reverse("dossiers:edit", args=[dossier.pk]) + f"#req-{requirement.pk}")


@login_required
@require_POST
def upload_signed_form(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Vui lòng chọn tệp để tải lên."))
    else:
        try:
            dossier = signing.dossier_attach_signed_form(dossier=dossier, actor=_user(request), upload=upload)
        except InvalidInput as exc:
            messages.error(request, _error_text(exc))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Chữ ký số hợp lệ. Người ký: %(name)s.") % {"name": dossier.signed_by})
    return redirect(reverse("dossiers:edit", args=[dossier.pk]) + "#ky-so")


@login_required
@require_POST
def remote_sign_start(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
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


@login_required
@require_POST
def remove_attachment(request: HttpRequest, dossier_id: uuid.UUID, attachment_id: int) -> HttpResponse:
    attachment = selectors.attachment_of(request.user, dossier_id, attachment_id)
    try:
        papers.dossier_remove_attachment(dossier=attachment.dossier, actor=_user(request), attachment=attachment)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(reverse("dossiers:edit", args=[dossier_id]) + "#giay-to")


@login_required
def attachment_file(request: HttpRequest, dossier_id: uuid.UUID, attachment_id: int) -> HttpResponseBase:
    attachment = selectors.attachment_of(request.user, dossier_id, attachment_id)
    return file_response(attachment.stored_file)


@login_required
def printable(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """ "In biểu mẫu": the e-form as filled so far, as a PDF."""
    dossier = selectors.dossier_of(request.user, dossier_id)
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
            else:
                messages.success(request, _("Đã gửi hồ sơ. Mã hồ sơ của bạn là %(code)s.") % {"code": sent.code})
            return redirect("dossiers:detail", dossier_id=sent.pk)
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
        **fee_summary(dossier),
    }
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
