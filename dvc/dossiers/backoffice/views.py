"""The officers' pages: queues, a dossier with the actions the officer's role allows, and its documents.

Every page answers 403 for another agency's dossier; every view of a dossier's personal data is written to the
audit log. The actions go through the one registry (``actions``) that the API uses too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from dvc.accounts.models import User
from dvc.accounts.throttle import client_ip
from dvc.agencies.models import Agency, StaffRole
from dvc.catalog import result_form
from dvc.catalog.answers import readable_answers
from dvc.collation import vi_order
from dvc.documents.responses import pdf_response
from dvc.dossiers.backoffice import queues
from dvc.dossiers.backoffice.actions import BY_PAGE, ActionInput
from dvc.dossiers.backoffice.audit import audit
from dvc.dossiers.backoffice.control_slip import control_steps
from dvc.dossiers.backoffice.decision import final_is_current
from dvc.dossiers.backoffice.extracts import copies_asked
from dvc.dossiers.backoffice.permissions import ALLOWED, roles_in, staff_agencies
from dvc.dossiers.backoffice.signing_queue import signing_of
from dvc.dossiers.documents import notices
from dvc.dossiers.documents.control_slip import control_slip_pdf
from dvc.dossiers.documents.postal_label import postal_label_pdf
from dvc.dossiers.documents.receipt import receipt_pdf
from dvc.dossiers.lifecycle import postal
from dvc.dossiers.lifecycle.applicant import postal_address
from dvc.dossiers.lifecycle.clock import component_days
from dvc.dossiers.models import Dossier, DossierAttachment, IssuedResult, ResultSigning
from dvc.errors import DomainError, Forbidden, InvalidInput
from dvc.payments.selectors import fee_summary
from dvc.vault.models import StoredFile
from dvc.vault.services import stored_pages
from dvc.vault.views import file_response

# Session key: the claim codes of the walk-in citizens this officer has just filed for, to print on their form 01.
CLAIM_CODES = "counter_claim_codes"


def issued_papers(attachments: Any) -> list[DossierAttachment]:
    """Each attachment with ``issued``: the result an agency issued on the portal that it is (a paper reused from the
    vault), while its bytes are still those signed; the officer then sees who issued it (issue 19, part 3)."""
    found = list(attachments)
    issued = IssuedResult.objects.filter(stored_file_id__in=[a.stored_file_id for a in found])
    by_file = {result.stored_file_id: result for result in issued}
    for attachment in found:
        result = by_file.get(attachment.stored_file_id)
        attachment.issued = result if result and result.sha256 == attachment.stored_file.sha256 else None
    return found


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in and holding a back-office role somewhere; a ``Forbidden`` from a service becomes a 403 page."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not staff_agencies(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc

    return wrapper


def officer_of(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


# The search box takes codes, names and personal id numbers: the term travels in a POST and waits in the session, so
# it never appears in an address, the browser's history, a Referer header or the web server's access log.
SEARCH_KEY = "queue_search"


def _search_term(request: HttpRequest) -> str:
    return str(request.session.get(SEARCH_KEY, "")) if request.GET.get("tim") else ""


def _search_redirect(request: HttpRequest, filters: Any, term: str) -> HttpResponse:
    term = term.strip()[:100]
    query = filters.copy()
    for name in ("q", "csrfmiddlewaretoken", "trang", "tim"):
        query.pop(name, None)
    if term:
        request.session[SEARCH_KEY] = term
        query["tim"] = "1"
    else:
        request.session.pop(SEARCH_KEY, None)
    return redirect(f"{request.path}?{query.urlencode()}")


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _search_redirect(request, request.POST, request.POST.get("q", ""))
    if "q" in request.GET:  # an old bookmark or a typed address: take the term out of the address
        return _search_redirect(request, request.GET, request.GET.get("q", ""))
    officer = officer_of(request)
    mine = staff_agencies(officer)
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=mine).order_by(vi_order("name"))}
    chosen = request.GET.get("co_quan", "")
    agency_ids = [int(chosen)] if chosen.isdigit() and int(chosen) in mine else list(mine)
    roles = set().union(*(mine[a] for a in agency_ids))
    available = queues.queues_for(roles)
    slug = request.GET.get("hang", "")
    if slug not in {q.slug for q in available}:
        slug = available[0].slug
    date_from = date_param(request, "tu_ngay")
    date_to = date_param(request, "den_ngay")
    term = _search_term(request)
    found = queues.queue(
        officer,
        slug,
        agency_ids=agency_ids,
        procedure=request.GET.get("thu_tuc", "").strip()[:32],
        status=request.GET.get("trang_thai", ""),
        date_from=date_from,
        date_to=date_to,
        q=term,
    )
    number = request.GET.get("trang", "1")
    page = queues.page_of(found, int(number) if number.isdigit() else 1, searching=bool(term))
    rows = queues.rows(page.dossiers)
    audit(officer, "view_queue", ip=client_ip(request), detail=f"{slug} {len(rows)}")
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "dossiers/staff/queue.html",
        {
            "queues": available,
            "slug": slug,
            "rows": rows,
            "page": page,
            "agencies": agencies.values(),
            # The ward police and social insurance keep no civil-status register (Luật Hộ tịch 2014 Điều 12).
            "keeps_register": any(
                a.kind not in (Agency.Kind.COMMUNE_POLICE, Agency.Kind.SOCIAL_INSURANCE) for a in agencies.values()
            ),
            "chosen": chosen,
            "statuses": [c for c in Dossier.Status.choices if c[0] != Dossier.Status.DRAFT],
            "filters": request.GET,
            "term": term,
            "query": query.urlencode(),
            "can_intake": bool(roles & ALLOWED["counter_intake"]),
            "can_receive": slug in ("moi", "viec-cua-toi") and bool(roles & ALLOWED["receive"]),
            "can_assign": slug in ("dang-xu-ly", "viec-cua-toi", "tat-ca") and bool(roles & ALLOWED["assign"]),
            "specialists": (
                User.objects.filter(
                    staff_roles__agency_id__in=agency_ids,
                    staff_roles__role__in=(StaffRole.Role.SPECIALIST, StaffRole.Role.LEADER),
                    staff_roles__is_active=True,
                )
                .distinct()
                .order_by("full_name")
                if slug in ("dang-xu-ly", "viec-cua-toi", "tat-ca")
                else []
            ),
        },
    )


def date_param(request: HttpRequest, name: str) -> dt.date | None:
    value = request.GET.get(name, "")
    return parse_date(value) if is_date(value) else None


def is_date(value: str | None) -> bool:
    try:
        return bool(value) and parse_date(value or "") is not None
    except ValueError:
        return False


def read_stored(stored: StoredFile) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


def linked_family(dossier: Dossier) -> dict[str, Any]:
    """A linked dossier's group and all its parts, for the officer of any one of them (issue 19)."""
    if not (dossier.parent_id or dossier.is_group):
        return {}
    group = dossier.parent if dossier.parent_id else dossier
    parts = Dossier.objects.filter(parent=group).select_related("procedure", "agency").order_by("submitted_at", "code")
    return {"group": group, "group_parts": list(parts)}


def _detail_context(request: HttpRequest, dossier: Dossier, **extra: Any) -> dict[str, Any]:
    officer = officer_of(request)
    roles = roles_in(officer, dossier.agency_id)
    allowed = {action for action, who in ALLOWED.items() if who & roles}
    specialists = (
        User.objects.filter(
            staff_roles__agency=dossier.agency,
            staff_roles__role__in=(StaffRole.Role.SPECIALIST, StaffRole.Role.LEADER),
            staff_roles__is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )
    rows = queues.rows([dossier])
    form = result_form.parse(dossier.procedure.result_form or {})
    posted = request.POST if request.method == "POST" else {}
    officer_fields = [
        (spec, posted.get(f"r-{spec.name}", (dossier.result_data or {}).get(spec.name, "")))
        for spec in (form.officer_fields if form else [])
    ]
    final = dossier.final_result if final_is_current(dossier, officer) else None
    final_pages = []
    if final is not None and dossier.stage == "approve":  # every page: the leader signs all of them
        count = stored_pages(final)
        final_pages = [reverse("staff:document_page", args=[dossier.pk, "ban-cuoi", n]) for n in range(1, count + 1)]
    signing = signing_of(dossier)
    return {
        "signing": signing,
        "signing_active": signing is not None and signing.state in ResultSigning.ACTIVE,
        "copies_asked": copies_asked(dossier, form),
        "officer_fields": officer_fields,
        "final": final,
        "final_pages": final_pages,
        "dossier": dossier,
        "row": rows[0],
        "roles": roles,
        "allowed": allowed,
        "is_leader": StaffRole.Role.LEADER in roles,
        "is_appraiser": StaffRole.Role.LEADER in roles or dossier.assigned_to_id == officer.pk,
        "answers": readable_answers(dossier.procedure.form_schema, dossier.form_data),
        "attachments": issued_papers(
            dossier.attachments.select_related("requirement", "stored_file").order_by("created_at")
        ),
        "requirements": dossier.procedure.requirements.all(),
        "form_fields": [(f["name"], f["label"]) for f in (dossier.procedure.form_schema or {}).get("fields", [])],
        "events": dossier.events.select_related("actor"),
        "supplements": dossier.supplement_requests.select_related("requested_by").prefetch_related("requirements"),
        "extensions": dossier.extensions.select_related("issued_by"),
        "steps": control_steps(dossier),
        "specialists": specialists,
        "result_methods": Dossier.ResultMethod.choices,
        "postal_operators": [(code, o.get("name", code)) for code, o in postal.operators().items()],
        "tracking_url": postal.tracking_url(dossier),
        "today": timezone.localdate(),
        "posted": {},
        "issued": dossier.issued_results.filter(copy_number=0).order_by("-signed_at").first(),
        "copies": dossier.issued_results.filter(copy_number__gt=0)
        .select_related("stored_file")
        .order_by("copy_number"),
        "postal_address": postal_address(dossier),
        **linked_family(dossier),
        # A part of a linked dossier has the internal deadline its group gives it (NĐ 63/2024/NĐ-CP).
        "processing_days": component_days(dossier) if dossier.parent_id else dossier.procedure.processing_days,
        **fee_summary(dossier, attempts=True),
        **extra,
    }


@staff_required
def detail(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = queues.staff_dossier(request.user, dossier_id)
    context = _detail_context(request, dossier)
    # The page's own refresh while the result is being signed is the same view, not a new one (issue 20, part 3).
    if not (request.GET.get("dang-ky-so") and context["signing_active"]):
        audit(officer_of(request), "view", dossier, ip=client_ip(request))
    return render(request, "dossiers/staff/detail.html", context)


def _action_input(request: HttpRequest) -> ActionInput:
    post = request.POST
    upload = request.FILES.get("file")
    return ActionInput(
        note=post.get("note", ""),
        reason=post.get("reason", ""),
        requirements=[int(i) for i in post.getlist("requirements") if i.isascii() and i.isdigit()],
        fields=[name[:48] for name in post.getlist("fields")][:50],
        specialist_pk=post.get("specialist", ""),
        decision=post.get("decision", ""),
        method=post.get("method", ""),
        operator=post.get("operator", ""),
        new_due=post.get("new_due", ""),
        upload=upload if isinstance(upload, UploadedFile) else None,
        attempt=post.get("attempt", ""),
        amount=post.get("amount", ""),
        result_data={key[2:]: str(post.get(key, ""))[:2000] for key in post if key.startswith("r-")},
        final_sha256=post.get("final_sha256", "")[:64],
        from_page=True,
    )


@staff_required
@require_POST
def act(request: HttpRequest, dossier_id: uuid.UUID, action: str) -> HttpResponse:
    found = BY_PAGE.get(action)
    if found is None:
        raise Http404
    dossier = queues.staff_dossier(request.user, dossier_id)
    try:
        found.run(dossier, officer_of(request), _action_input(request), client_ip(request))
    except InvalidInput as exc:
        text = " ".join(t for texts in exc.errors.values() for t in texts) or str(exc.message)
        context = _detail_context(request, dossier, error_action=action, error=text, posted=request.POST)
        return render(request, "dossiers/staff/detail.html", context, status=422)
    except Forbidden:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("staff:detail", dossier_id=dossier.pk)
    messages.success(request, str(found.done))
    return redirect("staff:detail", dossier_id=dossier.pk)


@staff_required
def attachment(request: HttpRequest, dossier_id: uuid.UUID, attachment_id: int) -> HttpResponseBase:
    dossier = queues.staff_dossier(request.user, dossier_id)
    found = DossierAttachment.objects.select_related("stored_file").filter(pk=attachment_id, dossier=dossier).first()
    if found is None:
        raise Http404
    audit(officer_of(request), "view_file", dossier, ip=client_ip(request), detail=found.stored_file.original_name)
    return file_response(found.stored_file)


@staff_required
def document(request: HttpRequest, dossier_id: uuid.UUID, name: str) -> HttpResponseBase:
    """The dossier's files and one-stop forms: signed form, draft and signed result, forms 01–06."""
    dossier = queues.staff_dossier(request.user, dossier_id)
    audit(officer_of(request), "view_document", dossier, ip=client_ip(request), detail=name)
    if name == "to-khai-ky-so" and dossier.signed_form:
        return file_response(dossier.signed_form)
    if name == "du-thao" and dossier.draft_result:
        return file_response(dossier.draft_result)
    if name == "ban-cuoi" and dossier.final_result:
        return file_response(dossier.final_result)
    if name == "ket-qua" and dossier.result_file:
        return file_response(dossier.result_file)
    code = dossier.code or "ho-so"
    if name == "mau-01":
        claim = request.session.get(CLAIM_CODES, {}).get(str(dossier.pk), "")
        lookup = f"{settings.SITE_URL}/tra-cuu/?ma={code}"
        return pdf_response(receipt_pdf(dossier, lookup_url=lookup, claim_code=claim), f"{code}-mau-01.pdf")
    if name == "mau-02":
        request_ = dossier.supplement_requests.select_related("requested_by").first()
        if request_ is not None:
            return pdf_response(notices.supplement_pdf(dossier, request_), f"{code}-mau-02.pdf")
    if name == "mau-03" and dossier.status == Dossier.Status.REFUSED:
        return pdf_response(notices.refusal_pdf(dossier, _closing_officer(dossier, "refused")), f"{code}-mau-03.pdf")
    if name == "mau-04":
        extension = dossier.extensions.select_related("issued_by").last()
        if extension is not None:
            return pdf_response(notices.extension_pdf(dossier, extension), f"{code}-mau-04.pdf")
    if name == "mau-05" and dossier.status == Dossier.Status.SUSPENDED:
        return pdf_response(
            notices.suspension_pdf(dossier, _closing_officer(dossier, "suspended")), f"{code}-mau-05.pdf"
        )
    if name == "nhan-buu-gui" and postal_address(dossier):
        postage = sum(line.amount for line in fee_summary(dossier)["lines"] if line.kind == "postal")
        paid = dossier.fee_status != Dossier.FeeStatus.UNPAID
        label = postal_label_pdf(
            dossier,
            address=postal_address(dossier),
            operator=postal.operator_name(dossier.postal_operator),
            postage=postage if paid else 0,
        )
        return pdf_response(label, f"{code}-nhan-buu-gui.pdf")
    if name == "mau-06":
        return pdf_response(control_slip_pdf(dossier), f"{code}-mau-06.pdf")
    raise Http404


def _closing_officer(dossier: Dossier, action: str) -> str:
    event = dossier.events.filter(action=action).select_related("actor").last()
    return event.actor.full_name if event and event.actor else ""
