"""The officers' pages: queues, a dossier with the actions the officer's role allows, the one-stop forms,
counter intake and the register. Every page answers 403 for another agency's dossier; every view of a dossier's
personal data is written to the audit log.
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
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvc.accounts.models import User
from dvc.accounts.throttle import client_ip
from dvc.accounts.validators import normalize_id_number, normalize_mobile_phone
from dvc.agencies.models import Agency, StaffRole
from dvc.catalog import eform
from dvc.catalog.models import Procedure
from dvc.catalog.printable import _shown
from dvc.dossiers import backoffice, notices, queues, results
from dvc.dossiers.models import Dossier, DossierAttachment, IssuedResult
from dvc.dossiers.receipt import receipt_pdf
from dvc.dossiers.results import verification_facts
from dvc.dossiers.services import agency_receives
from dvc.dossiers.views import _pdf
from dvc.errors import DomainError, Forbidden, InvalidInput
from dvc.vault.signing import verify_signed_pdf
from dvc.vault.views import file_response


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in and holding a back-office role somewhere; a ``Forbidden`` from a service becomes a 403 page."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not queues.staff_agencies(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc

    return wrapper


def _officer(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    officer = _officer(request)
    mine = queues.staff_agencies(officer)
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=mine).order_by("name")}
    chosen = request.GET.get("co_quan", "")
    agency_ids = [int(chosen)] if chosen.isdigit() and int(chosen) in mine else list(mine)
    roles = set().union(*(mine[a] for a in agency_ids))
    available = queues.queues_for(roles)
    slug = request.GET.get("hang", "")
    if slug not in {q.slug for q in available}:
        slug = available[0].slug
    date_from = _date_param(request, "tu_ngay")
    date_to = _date_param(request, "den_ngay")
    found = queues.queue(
        officer,
        slug,
        agency_ids=agency_ids,
        procedure=request.GET.get("thu_tuc", "").strip()[:32],
        status=request.GET.get("trang_thai", ""),
        date_from=date_from,
        date_to=date_to,
        q=request.GET.get("q", "")[:100],
    )
    number = request.GET.get("trang", "1")
    page = queues.page_of(
        found, int(number) if number.isdigit() else 1, searching=bool(request.GET.get("q", "").strip())
    )
    rows = queues.rows(page.dossiers)
    backoffice.audit(officer, "view_queue", ip=client_ip(request), detail=f"{slug} {len(rows)}")
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
            "chosen": chosen,
            "statuses": [c for c in Dossier.Status.choices if c[0] != Dossier.Status.DRAFT],
            "filters": request.GET,
            "query": query.urlencode(),
            "can_intake": bool(roles & backoffice.ALLOWED["counter_intake"]),
        },
    )


def _date_param(request: HttpRequest, name: str) -> dt.date | None:
    value = request.GET.get(name, "")
    return parse_date(value) if _is_date(value) else None


def _is_date(value: str | None) -> bool:
    try:
        return bool(value) and parse_date(value or "") is not None
    except ValueError:
        return False


def _answers(dossier: Dossier) -> list[tuple[str, str]]:
    specs = (dossier.procedure.form_schema or {}).get("fields", [])
    shown = []
    for spec in specs:
        value = dossier.form_data.get(spec["name"])
        if isinstance(value, dict):
            text = ", ".join(str(v) for v in value.values() if v)
        elif isinstance(value, list):
            text = "; ".join(", ".join(str(v) for v in item.values() if v) for item in value if isinstance(item, dict))
        else:
            text = _shown(spec, value)
        if text:
            shown.append((spec["label"], text))
    return shown


def _detail_context(request: HttpRequest, dossier: Dossier, **extra: Any) -> dict[str, Any]:
    officer = _officer(request)
    roles = backoffice.roles_in(officer, dossier.agency_id)
    allowed = {action for action, who in backoffice.ALLOWED.items() if who & roles}
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
    return {
        "dossier": dossier,
        "row": rows[0],
        "roles": roles,
        "allowed": allowed,
        "is_leader": StaffRole.Role.LEADER in roles,
        "is_appraiser": StaffRole.Role.LEADER in roles or dossier.assigned_to_id == officer.pk,
        "answers": _answers(dossier),
        "attachments": dossier.attachments.select_related("requirement", "stored_file").order_by("created_at"),
        "requirements": dossier.procedure.requirements.all(),
        "events": dossier.events.select_related("actor"),
        "supplements": dossier.supplement_requests.select_related("requested_by").prefetch_related("requirements"),
        "extensions": dossier.extensions.select_related("issued_by"),
        "steps": queues.control_steps(dossier),
        "specialists": specialists,
        "result_methods": Dossier.ResultMethod.choices,
        "today": timezone.localdate(),
        "posted": {},
        "issued": dossier.issued_results.order_by("-signed_at").first(),
        **_payments(dossier),
        **extra,
    }


def _payments(dossier: Dossier) -> dict[str, Any]:
    from dvc.payments.models import FeeLine, PaymentAttempt, Receipt

    lines = list(FeeLine.objects.filter(dossier=dossier))
    return {
        "lines": lines,
        "total": sum(line.amount for line in lines),
        "attempts": list(PaymentAttempt.objects.filter(dossier=dossier).order_by("-created_at")[:20]),
        "payment_receipt": Receipt.objects.filter(dossier=dossier).first(),
    }


@staff_required
def detail(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = queues.staff_dossier(request.user, dossier_id)
    backoffice.audit(_officer(request), "view", dossier, ip=client_ip(request))
    return render(request, "dossiers/staff/detail.html", _detail_context(request, dossier))


def _requirements(dossier: Dossier, ids: list[str]) -> list[Any]:
    wanted = {int(i) for i in ids if i.isdigit()}
    return list(dossier.procedure.requirements.filter(pk__in=wanted))


ACTIONS: dict[str, Callable[[HttpRequest, Dossier, User, str], Any]] = {
    "tiep-nhan": lambda r, d, u, ip: backoffice.dossier_receive(dossier=d, actor=u, ip=ip),
    "yeu-cau-bo-sung": lambda r, d, u, ip: backoffice.dossier_ask_supplement(
        dossier=d,
        actor=u,
        requirements=_requirements(d, r.POST.getlist("requirements")),
        note=r.POST.get("note", ""),
        ip=ip,
    ),
    "tu-choi": lambda r, d, u, ip: backoffice.dossier_refuse(
        dossier=d, actor=u, reason=r.POST.get("reason", ""), ip=ip
    ),
    "dung": lambda r, d, u, ip: backoffice.dossier_suspend(dossier=d, actor=u, reason=r.POST.get("reason", ""), ip=ip),
    "giao": lambda r, d, u, ip: backoffice.dossier_assign(
        dossier=d, actor=u, specialist=_specialist(r.POST.get("specialist", "")), ip=ip
    ),
    "tao-du-thao": lambda r, d, u, ip: backoffice.dossier_generate_result(dossier=d, actor=u, ip=ip),
    "tai-du-thao": lambda r, d, u, ip: backoffice.dossier_upload_result(dossier=d, actor=u, upload=_upload(r), ip=ip),
    "de-xuat": lambda r, d, u, ip: backoffice.dossier_propose(
        dossier=d, actor=u, decision=r.POST.get("decision", ""), note=r.POST.get("note", ""), ip=ip
    ),
    "tra-lai": lambda r, d, u, ip: backoffice.dossier_send_back(dossier=d, actor=u, note=r.POST.get("note", ""), ip=ip),
    "phe-duyet": lambda r, d, u, ip: backoffice.dossier_approve(dossier=d, actor=u, ip=ip),
    "tra-ket-qua": lambda r, d, u, ip: backoffice.dossier_return_result(
        dossier=d, actor=u, method=r.POST.get("method", ""), note=r.POST.get("note", ""), ip=ip
    ),
    "tien-mat": lambda r, d, u, ip: _payments_module().payment_record_cash(dossier=d, officer=u, ip=ip),
    "hoan-tien": lambda r, d, u, ip: _refund(r, d, u, ip),
    "mien-phi": lambda r, d, u, ip: _payments_module().fee_exempt(
        dossier=d, officer=u, reason=r.POST.get("reason", ""), ip=ip
    ),
    "gia-han": lambda r, d, u, ip: backoffice.dossier_extend(
        dossier=d, actor=u, reason=r.POST.get("reason", ""), new_due=_date(r.POST.get("new_due", "")), ip=ip
    ),
}
DONE = {
    "tiep-nhan": _("Đã tiếp nhận hồ sơ. Giấy tiếp nhận và hẹn trả kết quả đã sẵn sàng để in."),
    "yeu-cau-bo-sung": _("Đã gửi yêu cầu bổ sung cho người nộp."),
    "tu-choi": _("Đã từ chối hồ sơ và báo cho người nộp."),
    "dung": _("Đã dừng giải quyết hồ sơ và báo cho người nộp."),
    "giao": _("Đã giao hồ sơ cho chuyên viên thụ lý."),
    "tao-du-thao": _("Đã tạo dự thảo kết quả."),
    "tai-du-thao": _("Đã tải lên dự thảo kết quả."),
    "de-xuat": _("Đã gửi đề xuất tới lãnh đạo."),
    "tra-lai": _("Đã trả lại hồ sơ cho chuyên viên."),
    "phe-duyet": _("Đã phê duyệt. Kết quả đã được ký số và gửi vào kho dữ liệu của người nộp."),
    "tra-ket-qua": _("Đã trả kết quả."),
    "gia-han": _("Đã gửi văn bản xin lỗi và hẹn lại ngày trả kết quả."),
    "tien-mat": _("Đã ghi nhận nộp tiền mặt và lập biên lai."),
    "hoan-tien": _("Đã ghi nhận hoàn tiền."),
    "mien-phi": _("Đã miễn phí, lệ phí cho hồ sơ."),
}


def _payments_module() -> Any:
    from dvc.payments import services as payments

    return payments


def _refund(request: HttpRequest, dossier: Dossier, officer: User, ip: str) -> Any:
    from dvc.payments.models import PaymentAttempt

    chosen = _uuid(request.POST.get("attempt", ""))
    attempt = PaymentAttempt.objects.filter(dossier=dossier, pk=chosen).first() if chosen else None
    if attempt is None:
        raise InvalidInput({"attempt": [_("Vui lòng chọn lần thanh toán cần hoàn tiền.")]})
    amount = request.POST.get("amount", "").replace(".", "").strip()
    if not amount.isdigit():
        raise InvalidInput({"amount": [_("Số tiền hoàn phải lớn hơn 0 và không quá số đã thu.")]})
    return _payments_module().refund_record(
        attempt=attempt, officer=officer, amount=int(amount), reason=request.POST.get("reason", ""), ip=ip
    )


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _specialist(value: str) -> User:
    found = User.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if found is None:
        raise InvalidInput({"specialist": [_("Vui lòng chọn chuyên viên.")]})
    return found


def _upload(request: HttpRequest) -> Any:
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput({"file": [_("Vui lòng chọn tệp để tải lên.")]})
    return upload


def _date(value: str) -> dt.date:
    try:
        parsed = parse_date(value.strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInput({"new_due": [_("Vui lòng nhập ngày hẹn mới (ngày/tháng/năm).")]})
    return parsed


@staff_required
@require_POST
def act(request: HttpRequest, dossier_id: uuid.UUID, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    dossier = queues.staff_dossier(request.user, dossier_id)
    try:
        ACTIONS[action](request, dossier, _officer(request), client_ip(request))
    except InvalidInput as exc:
        text = " ".join(t for texts in exc.errors.values() for t in texts) or str(exc.message)
        context = _detail_context(request, dossier, error_action=action, error=text, posted=request.POST)
        return render(request, "dossiers/staff/detail.html", context, status=422)
    except Forbidden:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("staff:detail", dossier_id=dossier.pk)
    messages.success(request, str(DONE[action]))
    return redirect("staff:detail", dossier_id=dossier.pk)


@staff_required
def attachment(request: HttpRequest, dossier_id: uuid.UUID, attachment_id: int) -> HttpResponseBase:
    dossier = queues.staff_dossier(request.user, dossier_id)
    found = DossierAttachment.objects.select_related("stored_file").filter(pk=attachment_id, dossier=dossier).first()
    if found is None:
        raise Http404
    backoffice.audit(
        _officer(request), "view_file", dossier, ip=client_ip(request), detail=found.stored_file.original_name
    )
    return file_response(found.stored_file)


@staff_required
def document(request: HttpRequest, dossier_id: uuid.UUID, name: str) -> HttpResponseBase:
    """The dossier's files and one-stop forms: signed form, draft and signed result, forms 01–06."""
    dossier = queues.staff_dossier(request.user, dossier_id)
    backoffice.audit(_officer(request), "view_document", dossier, ip=client_ip(request), detail=name)
    if name == "to-khai-ky-so" and dossier.signed_form:
        return file_response(dossier.signed_form)
    if name == "du-thao" and dossier.draft_result:
        return file_response(dossier.draft_result)
    if name == "ket-qua" and dossier.result_file:
        return file_response(dossier.result_file)
    code = dossier.code or "ho-so"
    if name == "mau-01":
        return _pdf(receipt_pdf(dossier, lookup_url=f"{settings.SITE_URL}/tra-cuu/?ma={code}"), f"{code}-mau-01.pdf")
    if name == "mau-02":
        request_ = dossier.supplement_requests.select_related("requested_by").first()
        if request_ is not None:
            return _pdf(notices.supplement_pdf(dossier, request_), f"{code}-mau-02.pdf")
    if name == "mau-03" and dossier.status == Dossier.Status.REFUSED:
        return _pdf(notices.refusal_pdf(dossier, _closing_officer(dossier, "refused")), f"{code}-mau-03.pdf")
    if name == "mau-04":
        extension = dossier.extensions.select_related("issued_by").last()
        if extension is not None:
            return _pdf(notices.extension_pdf(dossier, extension), f"{code}-mau-04.pdf")
    if name == "mau-05" and dossier.status == Dossier.Status.SUSPENDED:
        return _pdf(notices.suspension_pdf(dossier, _closing_officer(dossier, "suspended")), f"{code}-mau-05.pdf")
    if name == "mau-06":
        return _pdf(notices.control_slip_pdf(dossier), f"{code}-mau-06.pdf")
    raise Http404


def _closing_officer(dossier: Dossier, action: str) -> str:
    event = dossier.events.filter(action=action).select_related("actor").last()
    return event.actor.full_name if event and event.actor else ""


@staff_required
def intake(request: HttpRequest) -> HttpResponse:
    """Counter intake, step 1: choose the procedure (by code) and the agency."""
    officer = _officer(request)
    mine = queues.staff_agencies(officer)
    agencies = [
        a
        for a in Agency.objects.filter(pk__in=mine).order_by("name")
        if mine[a.pk] & backoffice.ALLOWED["counter_intake"]
    ]
    if not agencies:
        raise PermissionDenied
    code = request.GET.get("thu_tuc", "").strip()
    procedure = Procedure.objects.filter(code=code, is_published=True).first() if code else None
    if code and procedure is None:
        messages.error(request, _("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code[:32]})
    if procedure is None:
        procedures = Procedure.objects.filter(is_published=True).order_by("name").only("code", "name")
        return render(request, "dossiers/staff/intake_start.html", {"procedures": procedures, "agencies": agencies})
    allowed_agencies = [a for a in agencies if agency_receives(procedure, a)]
    if not allowed_agencies:
        messages.error(request, _("Cơ quan của bạn không tiếp nhận thủ tục này."))
        return redirect("staff:intake")
    context: dict[str, Any] = {
        "procedure": procedure,
        "agencies": allowed_agencies,
        "requirements": [(r, []) for r in procedure.requirements.all()],
        "result_methods": [c for c in Dossier.ResultMethod.choices if c[0] in procedure.result_channels]
        or [(Dossier.ResultMethod.COUNTER.value, Dossier.ResultMethod.COUNTER.label)],
        "widgets": eform.layout(procedure.form_schema or {}, {}),
        "posted": {},
        "errors": {},
    }
    if request.method != "POST":
        return render(request, "dossiers/staff/intake.html", context)
    post = request.POST
    answers = eform.answers_from_post(procedure.form_schema or {}, post)
    if "choose_province" in post:  # without JavaScript: the chosen province's communes, keeping what was typed
        context.update(widgets=eform.layout(procedure.form_schema or {}, answers), posted=post)
        messages.info(request, _("Đã hiện danh sách xã, phường. Vui lòng chọn lại tệp giấy tờ trước khi tiếp nhận."))
        return render(request, "dossiers/staff/intake.html", context)
    errors: dict[str, list[str]] = {}
    id_number = normalize_id_number(post.get("id_number", ""))
    if len(id_number) not in (9, 12) or not id_number.isdigit():
        errors["id_number"] = [_("Số định danh gồm 12 số (CCCD) hoặc 9 số (CMND).")]
    full_name = " ".join(post.get("full_name", "").split())[:255]
    if not full_name:
        errors["full_name"] = [_("Vui lòng nhập họ và tên.")]
    phone = ""
    if post.get("phone", "").strip():
        try:
            phone = normalize_mobile_phone(post["phone"])
        except ValidationError:
            errors["phone"] = [_("Số điện thoại di động không hợp lệ.")]
    birth_date = None
    if post.get("birth_date"):
        birth_date = parse_date(post["birth_date"]) if _is_date(post["birth_date"]) else None
        if birth_date is None:
            errors["birth_date"] = [_("Ngày sinh không hợp lệ.")]
    agency = next((a for a in allowed_agencies if str(a.pk) == post.get("agency")), None)
    if agency is None:
        errors["agency"] = [_("Vui lòng chọn cơ quan tiếp nhận.")]
    scans: dict[int, UploadedFile] = {}
    for requirement in procedure.requirements.all():
        scan = request.FILES.get(f"scan-{requirement.pk}")
        if isinstance(scan, UploadedFile):
            scans[requirement.pk] = scan
    if not errors and agency is not None:
        try:
            dossier = backoffice.counter_intake(
                actor=officer,
                agency=agency,
                procedure=procedure,
                id_number=id_number,
                full_name=full_name,
                phone=phone,
                birth_date=birth_date,
                form_data=answers,
                scans=scans,
                result_method=post.get("result_method", Dossier.ResultMethod.COUNTER),
                ip=client_ip(request),
            )
        except InvalidInput as exc:
            errors.update(exc.errors)
        except DomainError as exc:
            errors["form"] = [str(exc.message)]
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s. Mã hồ sơ đã được gửi qua SMS; hãy in giấy tiếp nhận cho người nộp.")
                % {"code": dossier.code},
            )
            return redirect("staff:detail", dossier_id=dossier.pk)
    context.update(
        widgets=eform.layout(procedure.form_schema or {}, answers, errors),
        posted=post,
        errors=errors,
        requirements=[(r, errors.get(f"requirement-{r.pk}", [])) for r in procedure.requirements.all()],
    )
    return render(request, "dossiers/staff/intake.html", context, status=422)


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    """Form 07, sổ theo dõi hồ sơ: per agency and period, on screen, as Excel and as PDF."""
    officer = _officer(request)
    mine = queues.staff_agencies(officer)
    agencies = list(Agency.objects.filter(pk__in=mine).order_by("name"))
    chosen = next((a for a in agencies if str(a.pk) == request.GET.get("co_quan")), agencies[0])
    today = timezone.localdate()
    start = _date_param(request, "tu_ngay") or today.replace(day=1)
    end = _date_param(request, "den_ngay") or today
    found = (
        Dossier.objects.filter(agency=chosen, submitted_at__date__gte=start, submitted_at__date__lte=end)
        .exclude(status=Dossier.Status.DRAFT)
        .select_related("procedure", "received_by")
        .order_by("submitted_at", "pk")
    )
    rows = notices.register_rows(found[:5000])
    period = f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    backoffice.audit(officer, "view_register", ip=client_ip(request), detail=f"{chosen.code} {period}")
    export = request.GET.get("xuat")
    if export == "xlsx":
        response = HttpResponse(
            notices.register_xlsx(chosen.name, period, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{chosen.code}-{start:%Y%m%d}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response
    if export == "pdf":
        return _pdf(notices.register_pdf(chosen.name, period, rows), f"so-theo-doi-{chosen.code}-{start:%Y%m%d}.pdf")
    return render(
        request,
        "dossiers/staff/register.html",
        {
            "agencies": agencies,
            "chosen": chosen,
            "start": start,
            "end": end,
            "rows": rows,
            "columns": notices.REGISTER_COLUMNS,
        },
    )


def verify(request: HttpRequest, issued_id: uuid.UUID) -> HttpResponse:
    """Public: the QR code on a result opens this page. It checks the stored document's signature now and shows
    the issuing agency, date and dossier code, but no personal data. A PDF can be uploaded to compare with it."""
    issued = IssuedResult.objects.select_related("dossier", "stored_file").filter(pk=issued_id).first()
    if issued is None:
        raise Http404
    with issued.stored_file.file.open("rb") as handle:
        original = handle.read()
    problem = ""
    try:
        verify_signed_pdf(original)
    except InvalidInput as exc:
        problem = str(exc.message)
    checked: dict[str, Any] | None = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            checked = {"ok": False, "message": _("Vui lòng chọn tệp PDF cần kiểm tra.")}
        elif upload.size and upload.size > 20 * 1024 * 1024:
            checked = {"ok": False, "message": _("Tệp quá lớn (tối đa 20 MB).")}
        else:
            data = upload.read()
            if results.sha256(data) == issued.sha256:
                checked = {"ok": True, "message": _("Tệp trùng khớp với văn bản gốc đã ký số.")}
            else:
                try:
                    verify_signed_pdf(data)
                    reason = _("Tệp có chữ ký hợp lệ nhưng không phải văn bản này.")
                except InvalidInput as exc:
                    reason = str(exc.message)
                checked = {"ok": False, "message": _("Tệp KHÔNG khớp với văn bản gốc. %(reason)s") % {"reason": reason}}
    return render(
        request,
        "dossiers/verify.html",
        {"facts": verification_facts(issued), "problem": problem, "checked": checked, "issued": issued},
    )
