"""Payment pages: pay from "Hồ sơ của tôi" or by dossier code + security code without logging in, the gateway's
return and IPN addresses, and the receipt."""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dvc.accounts import captcha as check_code
from dvc.accounts import throttle
from dvc.accounts.models import User
from dvc.accounts.throttle import client_ip
from dvc.dossiers.backoffice.permissions import staff_agencies
from dvc.dossiers.citizen import selectors
from dvc.dossiers.models import Dossier
from dvc.errors import DomainError
from dvc.formtext import CitizenForm
from dvc.payments import gateway
from dvc.payments.models import Receipt
from dvc.payments.selectors import fee_summary
from dvc.vault.views import file_response

SESSION_KEY = "payable_dossiers"


def _payer(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@login_required
@require_POST
def pay_mine(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponseBase:
    dossier = selectors.dossier_of(request.user, dossier_id)
    try:
        _attempt, url = gateway.payment_start(dossier=dossier, payer=_payer(request), ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    return redirect(url)


class CodeForm(check_code.CheckedForm, CitizenForm):
    code = forms.CharField(label=gettext_lazy("Mã hồ sơ"), max_length=40)
    security_code = forms.CharField(
        label=gettext_lazy("Mã bảo mật"),
        max_length=12,
        help_text=gettext_lazy("In trên giấy tiếp nhận và gửi trong tin nhắn báo phí, gồm 6 ký tự."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    captcha = check_code.field(gettext_lazy("Vui lòng nhập mã kiểm tra."))


PAY_CODE_MISSES_PER_HOUR = 10


def _payable_by_code(code: str, security_code: str) -> Dossier | None:
    """The sent dossier with this code whose security code matches (compared in constant time)."""
    dossier = (
        Dossier.objects.filter(code=code.strip().upper())
        .exclude(status=Dossier.Status.DRAFT)
        .select_related("procedure", "agency")
        .first()
    )
    given = "".join(security_code.split()).upper()
    if dossier is None or not dossier.security_code or not constant_time_compare(given, dossier.security_code):
        return None
    return dossier


def pay_by_code(request: HttpRequest) -> HttpResponse:
    """Tiện ích → Thanh toán trực tuyến (seed 000): by dossier code and security code, no login needed."""
    dossier = None
    if check_code.wants_new(request.POST):  # "Đổi mã khác" or the question instead of the image
        form = check_code.fresh(CodeForm, request.POST, client_ip(request))
    else:
        form = CodeForm(request.POST or None, ip=client_ip(request))
    if request.method == "POST" and form.is_bound and form.is_valid():
        misses = throttle.make_key("paycode-miss-ip", client_ip(request))
        window = throttle.peek(misses)
        if window is not None and window.count >= PAY_CODE_MISSES_PER_HOUR:
            form.add_error(None, _("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau %(n)d phút.")
                           % {"n": (window.retry_after() + 59) // 60})  # fmt: skip
        else:
            dossier = _payable_by_code(form.cleaned_data["code"], form.cleaned_data["security_code"])
            if dossier is None:
                throttle.hit(misses, window=dt.timedelta(hours=1))
                form.add_error("code", _("Không tìm thấy hồ sơ có mã và mã bảo mật này."))
            else:
                allowed = set(request.session.get(SESSION_KEY, []))
                request.session[SESSION_KEY] = sorted(allowed | {str(dossier.pk)})[-20:]
    return render(
        request,
        "payments/pay_by_code.html",
        {
            "form": form,
            "dossier": dossier,
            "applicant": selectors.mask_name(dossier.applicant_data.get("full_name", "")) if dossier else "",
            **(fee_summary(dossier) if dossier else {"lines": [], "total": 0}),
        },
    )


@require_POST
def pay_by_code_start(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponseBase:
    if str(dossier_id) not in request.session.get(SESSION_KEY, []):
        raise Http404
    dossier = Dossier.objects.select_related("procedure").filter(pk=dossier_id).first()
    if dossier is None:
        raise Http404
    try:
        _attempt, url = gateway.payment_start(dossier=dossier, payer=_payer(request), ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("payments:by_code")
    return redirect(url)


@require_GET
def vnpay_return(request: HttpRequest) -> HttpResponse:
    """Where the payer's browser comes back: shows the outcome, changes nothing (the IPN does)."""
    attempt = gateway.record_return(request.GET)
    said_success = request.GET.get("vnp_ResponseCode") == "00" and request.GET.get("vnp_TransactionStatus") == "00"
    can_see = attempt is not None and (
        attempt.dossier.applicant_id == getattr(request.user, "pk", None)
        or str(attempt.dossier_id) in request.session.get(SESSION_KEY, [])
    )
    return render(
        request,
        "payments/return.html",
        {
            "attempt": attempt if can_see else None,
            "valid": attempt is not None,
            "said_success": said_success,
            "receipt": Receipt.objects.filter(attempt=attempt).first() if attempt and can_see else None,
        },
    )


@require_GET
def vnpay_ipn(request: HttpRequest) -> JsonResponse:
    """The gateway's server-to-server notice: ``{"RspCode", "Message"}`` as VNPay expects."""
    try:
        answer = gateway.ipn_handle(request.GET)
    except Exception:
        gateway.logger.exception("IPN failed")
        return JsonResponse({"RspCode": "99", "Message": "Unknown error"})
    return JsonResponse(answer.json())


def receipt(request: HttpRequest, number: str) -> HttpResponseBase:
    """The receipt PDF, for the applicant, whoever paid by code in this browser, and the agency's staff."""
    found = Receipt.objects.select_related("dossier", "stored_file").filter(number=number).first()
    if found is None or found.stored_file is None:
        raise Http404
    user = request.user
    allowed = (
        found.dossier.applicant_id == getattr(user, "pk", None)
        or str(found.dossier_id) in request.session.get(SESSION_KEY, [])
        or found.dossier.agency_id in staff_agencies(user)
    )
    if not allowed:
        raise Http404
    return file_response(found.stored_file)
