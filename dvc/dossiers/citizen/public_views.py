"""Public pages about dossiers, for anyone without signing in: the lookup by code (seed 003 Bước 4) and the
verification of a signed result by its QR code. Neither shows personal data beyond a masked name."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dvc.accounts import captcha as check_code
from dvc.accounts import throttle
from dvc.accounts.throttle import client_ip
from dvc.accounts.validators import normalize_id_number
from dvc.dossiers.citizen import forms, selectors
from dvc.dossiers.citizen.lookup import lookup_allow, lookup_by_code
from dvc.dossiers.models import IssuedResult
from dvc.errors import InvalidInput, RateLimited
from dvc.vault.signing import verify_signed_pdf
from dvc.web.shell import render_page


def lookup(request: HttpRequest) -> HttpResponse:
    """Public lookup (seed 003 Bước 4): by code (GET, the SMS link), or by CCCD (POST, with a captcha); names are
    masked and shown only with the security code or to the applicant."""
    by_code = forms.CodeLookupForm(request.GET if "ma" in request.GET else None)
    ip = client_ip(request)
    by_cccd: forms.CccdLookupForm | None
    if check_code.wants_new(request.POST):  # "Đổi mã khác" or the question instead of the image
        by_cccd = check_code.fresh(forms.CccdLookupForm, request.POST, ip)
    else:
        by_cccd = forms.CccdLookupForm(request.POST, ip=ip) if request.method == "POST" else None
    if by_cccd is None and not by_code.is_bound:
        by_cccd = forms.CccdLookupForm()  # the plain page offers both; a code lookup stores no captcha challenge
    lines = None
    status = 200
    asked = by_cccd if by_cccd is not None and by_cccd.is_bound else by_code
    if asked.is_bound and asked.is_valid():
        data = asked.cleaned_data
        try:
            if data.get("ma"):
                lines = lookup_by_code(ip=ip, code=data["ma"], security_code=data.get("bm", ""), viewer=request.user)
            else:
                lookup_allow(ip=ip, code="")  # a CCCD lookup counts per client only
                lines = selectors.public_lookup(
                    id_number=normalize_id_number(data.get("cccd", "")), security_code=data.get("bm", ""),
                    viewer=request.user,
                )  # fmt: skip
        except RateLimited as exc:
            asked.add_error(None, str(exc.message))
            status = 429
        if data.get("bm") and lines and not any(line.procedure for line in lines):
            asked.add_error("bm", _("Mã bảo mật không đúng với mã hồ sơ."))
    context = {"by_code": by_code, "by_cccd": by_cccd, "lines": lines}
    response = render_page(request, "dossiers/lookup.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _verification_facts(issued: IssuedResult) -> dict[str, Any]:
    """What the public verification page may show: issuing agency, date, dossier code; no personal data."""
    return {
        "agency": issued.agency_name,
        "agency_code": issued.agency_code,
        "document": issued.document_title,
        "signed_at": issued.signed_at,
        "code": issued.dossier.code,
    }


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
    status = 200
    if request.method == "POST":
        window = throttle.hit(throttle.make_key("verify-ip", client_ip(request)), window=dt.timedelta(minutes=10))
        if window.count > settings.DVC_VERIFY_UPLOADS_PER_CLIENT:
            checked = {"ok": False, "message": _("Bạn kiểm tra quá nhiều lần. Vui lòng thử lại sau ít phút.")}
            status = 429
    if request.method == "POST" and status == 200:
        upload = request.FILES.get("file")
        if upload is None:
            checked = {"ok": False, "message": _("Vui lòng chọn tệp PDF cần kiểm tra.")}
        elif upload.size and upload.size > 20 * 1024 * 1024:
            checked = {"ok": False, "message": _("Tệp quá lớn (tối đa 20 MB).")}
        else:
            data = upload.read()
            if hashlib.sha256(data).hexdigest() == issued.sha256:
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
        {"facts": _verification_facts(issued), "problem": problem, "checked": checked, "issued": issued},
        status=status,
    )
