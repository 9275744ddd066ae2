"""The built-in sandbox gateway (the embedded default): pages inside the portal that behave as VNPay's sandbox
does. It checks the merchant's signed URL, lets the payer choose a bank card, an e-wallet or Mobile Money and
succeed, fail or cancel, then sends the browser to the return URL and calls the IPN address with a request signed
like VNPay's, and answers status queries (querydr). It answers only while no real gateway is configured.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dvc.payments import vnpay
from dvc.payments.models import SandboxTransaction
from dvc.payments.tasks import sandbox_send_ipn

METHODS = {
    "NCB": ("ATM", _("Thẻ ATM nội địa — Ngân hàng NCB")),
    "VNPAYEWALLET": ("EWALLET", _("Ví điện tử")),
    "VNMOBILEMONEY": ("MOBILEMONEY", _("Mobile Money (tiền di động)")),
}
OUTCOMES = {  # (vnp_ResponseCode, vnp_TransactionStatus)
    "success": ("00", "00"),
    "fail": ("51", "02"),  # not enough money in the account
    "cancel": ("24", "02"),  # the payer cancelled
}


def _enabled() -> None:
    if not settings.DVC_PAYMENT_SANDBOX:
        raise Http404


def pay(request: HttpRequest) -> HttpResponseBase:
    _enabled()
    if request.method == "POST":
        try:
            posted = json.loads(request.POST.get("order", "{}"))
        except ValueError:
            posted = {}
        params = {str(k): str(v) for k, v in posted.items()} if isinstance(posted, dict) else {}
    else:
        params = {k: str(v) for k, v in request.GET.items()}
    cfg = vnpay.config_for_terminal(params.get("vnp_TmnCode", ""))  # the merchant the order names, its own secret
    if cfg is None or not vnpay.verify(params, cfg.secret):
        return render(request, "payments/sandbox_error.html", {"reason": _("Sai chữ ký (mã lỗi 70)")}, status=400)
    raw_amount = params.get("vnp_Amount", "0")
    amount = int(raw_amount) // 100 if raw_amount.isdigit() else 0
    if request.method != "POST":
        context: dict[str, Any] = {
            "amount": amount, "order_info": params.get("vnp_OrderInfo", ""), "txn_ref": params.get("vnp_TxnRef", ""),
            "methods": [(code, label) for code, (_kind, label) in METHODS.items()], "order": json.dumps(params),
        }  # fmt: skip
        return render(request, "payments/sandbox.html", context)
    method = request.POST.get("method", "NCB")
    outcome = request.POST.get("outcome", "success")
    if method not in METHODS or outcome not in OUTCOMES:
        return render(request, "payments/sandbox_error.html", {"reason": _("Lựa chọn không hợp lệ")}, status=400)
    response_code, status = OUTCOMES[outcome]
    transaction_no = str(secrets.randbelow(10**8)).zfill(8)
    pay_date = vnpay.timestamp(timezone.now())
    SandboxTransaction.objects.update_or_create(
        txn_ref=params.get("vnp_TxnRef", ""),
        defaults={"amount": amount, "response_code": response_code, "transaction_status": status,
                  "transaction_no": transaction_no, "bank_code": method, "card_type": METHODS[method][0],
                  "order_info": params.get("vnp_OrderInfo", "")[:255], "pay_date": pay_date},
    )  # fmt: skip
    result = {
        "vnp_Amount": params.get("vnp_Amount", ""),
        "vnp_BankCode": method,
        "vnp_BankTranNo": f"VNP{transaction_no}" if outcome == "success" else "",
        "vnp_CardType": METHODS[method][0],
        "vnp_OrderInfo": params.get("vnp_OrderInfo", ""),
        "vnp_PayDate": pay_date,
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": cfg.tmn_code,
        "vnp_TransactionNo": transaction_no if outcome != "cancel" else "0",
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": params.get("vnp_TxnRef", ""),
    }
    result = {k: v for k, v in result.items() if v != ""}
    query = f"{vnpay.signing_string(result)}&vnp_SecureHash={vnpay.sign(result, cfg.secret)}"
    if not request.POST.get("lose_ipn"):
        sandbox_send_ipn.enqueue(query=query)
    return redirect(f"{params.get('vnp_ReturnUrl', cfg.return_url)}?{query}")


@csrf_exempt  # a server-to-server JSON API, authenticated by its checksum
@require_POST
def transaction_api(request: HttpRequest) -> HttpResponse:
    """querydr: what the sandbox knows of a transaction, signed like VNPay's answer."""
    _enabled()
    try:
        body = json.loads(request.body.decode() or "{}")
    except (UnicodeDecodeError, ValueError):
        body = {}
    cfg = (
        vnpay.config_for_terminal(str(body.get("vnp_TmnCode", ""))) if isinstance(body, dict) else None
    ) or vnpay.config()
    answer = {"vnp_ResponseId": secrets.token_hex(8), "vnp_Command": "querydr", "vnp_TmnCode": cfg.tmn_code}
    if not isinstance(body, dict) or not vnpay.query_request_valid(body, cfg.secret):
        answer.update(vnp_ResponseCode="97", vnp_Message="Invalid Checksum")
        return JsonResponse(vnpay.sign_query_response(answer, cfg.secret))
    found = SandboxTransaction.objects.filter(txn_ref=str(body.get("vnp_TxnRef", ""))).first()
    if found is None:
        answer.update(vnp_ResponseCode="91", vnp_Message="Not found", vnp_TxnRef=str(body.get("vnp_TxnRef", "")))
        return JsonResponse(vnpay.sign_query_response(answer, cfg.secret))
    answer.update(
        vnp_ResponseCode="00", vnp_Message="QueryDR Success", vnp_TxnRef=found.txn_ref,
        vnp_Amount=str(found.amount * 100), vnp_BankCode=found.bank_code, vnp_PayDate=found.pay_date,
        vnp_TransactionNo=found.transaction_no, vnp_TransactionType="01",
        vnp_TransactionStatus=found.transaction_status, vnp_OrderInfo=found.order_info,
        vnp_PromotionCode="", vnp_PromotionAmount="",
    )  # fmt: skip
    return JsonResponse(vnpay.sign_query_response(answer, cfg.secret))
