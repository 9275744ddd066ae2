"""Counter intake (seed 001): an officer files a walk-in citizen's dossier, choosing the procedure and agency, then
typing the answers and scanning the papers; the dossier is coded and received on the spot."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dvc.accounts.throttle import client_ip
from dvc.accounts.validators import normalize_id_number, normalize_mobile_phone, validate_cccd
from dvc.agencies.models import Agency
from dvc.catalog import eform
from dvc.catalog.competence import agency_receives
from dvc.catalog.models import Procedure
from dvc.collation import vi_order
from dvc.dossiers.backoffice.intake import counter_intake
from dvc.dossiers.backoffice.permissions import ALLOWED, staff_agencies
from dvc.dossiers.backoffice.views import CLAIM_CODES, is_date, officer_of, staff_required
from dvc.dossiers.models import Dossier
from dvc.errors import DomainError, InvalidInput


@staff_required
def intake(request: HttpRequest) -> HttpResponse:
    """Counter intake, step 1: choose the procedure (by code) and the agency."""
    officer = officer_of(request)
    mine = staff_agencies(officer)
    agencies = [
        a
        for a in Agency.objects.filter(pk__in=mine).order_by(vi_order("name"))
        if mine[a.pk] & ALLOWED["counter_intake"]
    ]
    if not agencies:
        raise PermissionDenied
    code = request.GET.get("thu_tuc", "").strip()
    procedure = Procedure.objects.filter(code=code, is_published=True).first() if code else None
    if code and procedure is None:
        messages.error(request, _("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code[:32]})
    if procedure is None:
        procedures = Procedure.objects.filter(is_published=True).order_by(vi_order("name")).only("code", "name")
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
    try:
        validate_cccd(id_number)
    except ValidationError as exc:
        errors["id_number"] = list(exc.messages)
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
        birth_date = parse_date(post["birth_date"]) if is_date(post["birth_date"]) else None
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
            filed = counter_intake(
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
            dossier = filed.dossier
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s. Mã hồ sơ đã được gửi qua SMS; hãy in giấy tiếp nhận cho người nộp.")
                % {"code": dossier.code},
            )
            if filed.claim_code:
                # Printed on this session's form 01 only: the code is kept nowhere else in the clear.
                request.session[CLAIM_CODES] = {
                    **request.session.get(CLAIM_CODES, {}),
                    str(dossier.pk): filed.claim_code,
                }
                messages.info(
                    request,
                    _("Người nộp chưa có tài khoản: giấy tiếp nhận in kèm mã nhận tài khoản để họ tự đăng ký sau."),
                )
            return redirect("staff:detail", dossier_id=dossier.pk)
    context.update(
        widgets=eform.layout(procedure.form_schema or {}, answers, errors),
        posted=post,
        errors=errors,
        requirements=[(r, errors.get(f"requirement-{r.pk}", [])) for r in procedure.requirements.all()],
    )
    return render(request, "dossiers/staff/intake.html", context, status=422)
