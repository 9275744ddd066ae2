"""The citizen's dossier pages around the filing: start, check and send, the dossier, receipt, result, rating,
withdrawal, my dossiers (the filing pages themselves are in ``filing_views``)."""

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

from dvc.accounts.models import User
from dvc.agencies.calendar import due_moment
from dvc.catalog import selectors as catalog_selectors
from dvc.catalog.answers import readable_answers
from dvc.catalog.competence import receiving_agencies_query
from dvc.documents.responses import pdf_response
from dvc.dossiers.citizen import (
    aftercare,
    drafting,
    forms,
    on_behalf,
    selectors,
    sending,
    supplement,
    tasklist,
)  # fmt: skip
from dvc.dossiers.citizen.agency_choice import agency_choice
from dvc.dossiers.citizen.filing_views import edit_context, problem_links, section_url
from dvc.dossiers.citizen.history import citizen_history, group_history
from dvc.dossiers.documents.notices import refusal_pdf
from dvc.dossiers.documents.receipt import receipt_pdf
from dvc.dossiers.lifecycle import postal
from dvc.dossiers.lifecycle.applicant import postal_address
from dvc.dossiers.lifecycle.messages import result_of_link
from dvc.dossiers.lifecycle.states import EDITABLE, RATEABLE, WITHDRAWABLE
from dvc.dossiers.models import Dossier
from dvc.errors import DomainError, InvalidInput, add_to_form
from dvc.payments.fees import fee_lines_for
from dvc.payments.selectors import fee_summary
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
            # Straight to the first section: the task list is where a citizen comes back to, not a step between.
            first = tasklist.next_section(dossier, "")
            return redirect(section_url(dossier, first or ""))
    # A draft already begun is offered first: people otherwise start the same dossier again and again.
    drafts = (
        Dossier.objects.filter(applicant=applicant, procedure=procedure, status=Dossier.Status.DRAFT)
        .select_related("agency")
        .order_by("-updated_at")[:5]
    )
    context = {"procedure": procedure, "form": form, "drafts": drafts, "previous": previous, **choice}
    return render(request, "dossiers/start.html", context)


@login_required
def attachment_file(request: HttpRequest, dossier_id: uuid.UUID, attachment_id: int) -> HttpResponseBase:
    attachment = selectors.attachment_of(request.user, dossier_id, attachment_id)
    return file_response(attachment.stored_file)


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
        except InvalidInput as exc:  # what stops it is listed below, each with a link to its section
            messages.error(request, str(exc.message))
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            if supplementing:
                messages.success(request, _("Đã gửi bổ sung hồ sơ %(code)s.") % {"code": sent.code})
                return redirect("dossiers:detail", dossier_id=sent.pk)
            return redirect(reverse("dossiers:detail", args=[sent.pk]) + "?vua-gui=1")  # the confirmation panel
    lines = fee_lines_for(dossier)
    problems = sending.submission_problems(dossier)
    context = {
        **edit_context(dossier),
        "parts": selectors.waiting_of(dossier, []) if dossier.procedure.components else [],
        "authorization": on_behalf.authorization_of(dossier) if dossier.owner_basis else None,
        "form": form,
        "answers": readable_answers(dossier.procedure.form_schema, dossier.form_data),
        "problems": problems,
        "problem_links": problem_links(dossier, problems),
        "lines": lines,
        "total": sum(line.amount for line in lines),
        "postal_address": postal_address(dossier),
    }
    return render(request, "dossiers/submit.html", context)


@login_required
def detail(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.readable_dossier(request.user, dossier_id)
    is_filer = dossier.applicant_id == request.user.pk
    context = {
        "is_filer": is_filer,
        "is_owner": dossier.owner_id == request.user.pk and not is_filer,
        "tracking_url": postal.tracking_url(dossier),
        "dossier": dossier,
        "events": group_history(dossier, components)
        if (components := selectors.components_of(dossier))
        else citizen_history(dossier),
        "attachments": dossier.attachments.select_related("stored_file", "requirement"),
        "withdraw_form": forms.WithdrawForm() if dossier.status in WITHDRAWABLE and is_filer else None,
        "supplement": selectors.open_supplement(dossier),
        "rating": getattr(dossier, "rating", None),
        "rating_form": forms.RatingForm() if dossier.status in RATEABLE and is_filer else None,
        "issued": dossier.issued_results.filter(copy_number=0).order_by("-signed_at").first(),
        "copies": dossier.issued_results.filter(copy_number__gt=0)
        .select_related("stored_file")
        .order_by("copy_number"),
        "timeline": selectors.timeline(dossier) if dossier.code else [],
        "just_sent": request.GET.get("vua-gui") == "1"
        and (dossier.status == Dossier.Status.SUBMITTED or (dossier.is_group and dossier.received_at is not None)),
        "components": components,
        "waiting": selectors.waiting_of(dossier, components),
        **fee_summary(dossier),
    }
    if (
        context["just_sent"] and dossier.submitted_at and not dossier.is_group
    ):  # counted from the sending; fixed when an officer receives it
        context["expected"] = due_moment(
            agency=dossier.agency, received_at=dossier.submitted_at, working_days=dossier.procedure.processing_days
        )
    return render(request, "dossiers/detail.html", context)


@login_required
def receipt(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.readable_dossier(request.user, dossier_id)
    if not dossier.code:
        raise Http404
    lookup = request.build_absolute_uri(reverse("dossiers:lookup") + f"?ma={dossier.code}")
    return pdf_response(receipt_pdf(dossier, lookup_url=lookup), f"bien-nhan-{dossier.code}.pdf")


@login_required
def refusal(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """Form 03 (TT 03/2025/TT-VPCP) of a refused dossier: the written refusal and its reason, for the applicant and
    the owner (the refusal message points here)."""
    dossier = selectors.readable_dossier(request.user, dossier_id)
    if dossier.status != Dossier.Status.REFUSED:
        raise Http404
    event = dossier.events.filter(action="refused").select_related("actor").last()
    officer = event.actor.full_name if event and event.actor else ""
    return pdf_response(refusal_pdf(dossier, officer), f"{dossier.code}-mau-03.pdf")


@login_required
def result(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponseBase:
    dossier = selectors.readable_dossier(request.user, dossier_id)
    if dossier.result_file is None:
        raise Http404
    return file_response(dossier.result_file)


def result_by_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """The signed result from the link in the result-ready message: no login, for 7 days, only while it is still
    the dossier's result."""
    found = result_of_link(token)
    dossier = (
        Dossier.objects.select_related("result_file").filter(pk=found[0], result_file_id=found[1]).first()
        if found
        else None
    )
    if dossier is None or dossier.result_file is None:
        return render(request, "dossiers/result_link_gone.html", status=404)
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
