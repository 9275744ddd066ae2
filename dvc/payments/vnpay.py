"""The VNPay payment protocol, version 2.1.0: the signed redirect URL, checking what comes back, and the
transaction-status query (querydr). Used unchanged against VNPay itself and the built-in sandbox.

Signing (VNPay's integration guide and its PHP and Python samples): the ``vnp_*`` parameters except the hash
fields, sorted by name, form-encoded with ``quote_plus``, joined with ``&``; HMAC-SHA512 with the merchant's secret,
hex. A request leaves empty fields out; an answer is verified over every field VNPay sent, empty ones included.
The amount is đồng × 100. querydr signs its fields joined with ``|`` in a fixed order, a missing or null field as
the empty string.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings

VERSION = "2.1.0"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
HASH_FIELDS = ("vnp_SecureHash", "vnp_SecureHashType")

# IPN answers (VNPay's list).
CONFIRMED, NOT_FOUND, ALREADY_CONFIRMED, INVALID_AMOUNT, BAD_CHECKSUM, OTHER = "00", "01", "02", "04", "97", "99"
ANSWER_TEXT = {
    CONFIRMED: "Confirm Success",
    NOT_FOUND: "Order not found",
    ALREADY_CONFIRMED: "Order already confirmed",
    INVALID_AMOUNT: "Invalid amount",
    BAD_CHECKSUM: "Invalid signature",
    OTHER: "Unknown error",
}
# querydr: vnp_ResponseCode 91 means the gateway has no such transaction; vnp_TransactionStatus 00 paid, 01 not
# completed, 02 failed (others: reversed, refunds, suspected fraud).
QUERY_NOT_FOUND = "91"
TXN_SUCCESS, TXN_NOT_COMPLETED, TXN_FAILED = "00", "01", "02"
QUERY_REQUEST_ORDER = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
    "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
)  # fmt: skip
QUERY_RESPONSE_ORDER = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef", "vnp_Amount",
    "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType", "vnp_TransactionStatus",
    "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount",
)  # fmt: skip


def _hmac(secret: str, data: str) -> str:
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def signing_string(params: Mapping[str, str], *, keep_empty: bool = False) -> str:
    """The exact string VNPay signs: the sorted ``vnp_*`` fields, ``quote_plus`` encoded. A request leaves empty
    fields out (VNPay's published example); what VNPay sends back is checked with every field it sent."""
    fields = sorted(
        (k, str(v))
        for k, v in params.items()
        if k.startswith("vnp_") and k not in HASH_FIELDS and (keep_empty or v != "")
    )
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in fields)


def sign(params: Mapping[str, str], secret: str) -> str:
    return _hmac(secret, signing_string(params))


def verify(params: Mapping[str, str], secret: str) -> bool:
    """Signed with the merchant's secret by VNPay: over every ``vnp_*`` field sent, an empty one too (VNPay's PHP
    and Python samples verify that way), or without the empty ones (its published request example)."""
    given = str(params.get("vnp_SecureHash", "")).lower()
    if not given:
        return False
    full = hmac.compare_digest(given, _hmac(secret, signing_string(params, keep_empty=True)))
    return full or hmac.compare_digest(given, _hmac(secret, signing_string(params)))


def timestamp(moment: dt.datetime) -> str:
    """yyyyMMddHHmmss in Vietnam's time (GMT+7), as VNPay wants every date."""
    return moment.astimezone(VN).strftime("%Y%m%d%H%M%S")


def parse_timestamp(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=VN)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Config:
    pay_url: str
    api_url: str
    tmn_code: str
    secret: str
    return_url: str


def config(tmn_code: str = "") -> Config:
    """VNPay's addresses from settings (or the built-in sandbox of this portal when none are set), with the terminal
    ``tmn_code`` (an agency's own, DVC_VNPAY_TERMINALS) or, when empty, the portal's default terminal."""
    sandbox = f"{settings.SITE_URL}/cong-thanh-toan-thu-nghiem"
    terminal = next((t for t in settings.DVC_VNPAY_TERMINALS.values() if t["tmn_code"] == tmn_code), None)
    return Config(
        pay_url=settings.DVC_VNPAY_PAY_URL or f"{sandbox}/paymentv2/vpcpay.html",
        api_url=settings.DVC_VNPAY_API_URL or f"{sandbox}/merchant_webapi/api/transaction",
        tmn_code=terminal["tmn_code"] if terminal else settings.DVC_VNPAY_TMN_CODE,
        secret=terminal["hash_secret"] if terminal else settings.DVC_VNPAY_HASH_SECRET,
        return_url=f"{settings.SITE_URL}/payments/vnpay/return",
    )


def config_for_agency(agency_code: str) -> Config:
    """The terminal of the agency that collects the fee (its own, else the portal's default)."""
    terminal = settings.DVC_VNPAY_TERMINALS.get(agency_code)
    return config(terminal["tmn_code"] if terminal else "")


def config_for_terminal(tmn_code: str) -> Config | None:
    """The configured terminal a gateway message names (``vnp_TmnCode``), or None for one this portal does not have:
    each message is checked with its own terminal's secret."""
    if tmn_code == settings.DVC_VNPAY_TMN_CODE:
        return config("")
    found = config(tmn_code)
    return found if found.tmn_code == tmn_code else None


def payment_params(
    *, cfg: Config, txn_ref: str, amount: int, order_info: str, ip: str, created: dt.datetime, bank_code: str = ""
) -> dict[str, str]:
    params = {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": cfg.tmn_code,
        "vnp_Amount": str(amount * 100),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": order_info,  # ASCII only: VNPay garbles other characters
        "vnp_OrderType": "other",
        "vnp_Locale": "vn",
        "vnp_ReturnUrl": cfg.return_url,
        "vnp_IpAddr": ip or "127.0.0.1",
        "vnp_CreateDate": timestamp(created),
        "vnp_ExpireDate": timestamp(created + dt.timedelta(minutes=15)),
    }
    if bank_code:
        params["vnp_BankCode"] = bank_code
    return params


def payment_url(params: Mapping[str, str], cfg: Config) -> str:
    query = signing_string(params)
    return f"{cfg.pay_url}?{query}&vnp_SecureHash={sign(params, cfg.secret)}"


@dataclass(frozen=True)
class Outcome:
    """What the gateway says of one transaction."""

    txn_ref: str
    amount: int  # đồng
    success: bool
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    card_type: str
    paid_at: dt.datetime | None


def outcome(params: Mapping[str, str]) -> Outcome:
    """Read an IPN, return or querydr answer (already verified). Raises ValueError on a malformed amount."""
    raw_amount = str(params.get("vnp_Amount", ""))
    if not raw_amount.isdigit() or int(raw_amount) % 100:
        raise ValueError("vnp_Amount")
    response, status = str(params.get("vnp_ResponseCode", "")), str(params.get("vnp_TransactionStatus", ""))
    return Outcome(
        txn_ref=str(params.get("vnp_TxnRef", "")),
        amount=int(raw_amount) // 100,
        success=response == "00" and status == "00",
        response_code=response,
        transaction_status=status,
        transaction_no=str(params.get("vnp_TransactionNo", ""))[:64],
        bank_code=str(params.get("vnp_BankCode", ""))[:32],
        card_type=str(params.get("vnp_CardType", ""))[:32],
        paid_at=parse_timestamp(str(params.get("vnp_PayDate", ""))),
    )


def _pipe(body: Mapping[str, Any], order: tuple[str, ...]) -> str:
    """``|``-joined fields in VNPay's order; a missing or null field is the empty string, as VNPay signs it."""
    return "|".join("" if body.get(k) is None else str(body[k]) for k in order)


def query_request(*, cfg: Config, txn_ref: str, created: str, ip: str, now: dt.datetime) -> dict[str, str]:
    """``created``: the pay request's own ``vnp_CreateDate`` (VNPay finds the transaction by it, to the second)."""
    body = {
        "vnp_RequestId": uuid.uuid4().hex[:32],
        "vnp_Version": VERSION,
        "vnp_Command": "querydr",
        "vnp_TmnCode": cfg.tmn_code,
        "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": f"Truy van giao dich {txn_ref}",
        "vnp_TransactionDate": created,
        "vnp_CreateDate": timestamp(now),
        "vnp_IpAddr": ip or "127.0.0.1",
    }
    body["vnp_SecureHash"] = _hmac(cfg.secret, _pipe(body, QUERY_REQUEST_ORDER))
    return body


def query_request_valid(body: Mapping[str, Any], secret: str) -> bool:
    return hmac.compare_digest(
        str(body.get("vnp_SecureHash", "")).lower(), _hmac(secret, _pipe(body, QUERY_REQUEST_ORDER))
    )


def sign_query_response(body: dict[str, str], secret: str) -> dict[str, str]:
    body["vnp_SecureHash"] = _hmac(secret, _pipe(body, QUERY_RESPONSE_ORDER))
    return body


def query_response_valid(body: Mapping[str, Any], secret: str) -> bool:
    given = str(body.get("vnp_SecureHash", "")).lower()
    return hmac.compare_digest(given, _hmac(secret, _pipe(body, QUERY_RESPONSE_ORDER)))


def post_json(url: str, body: Mapping[str, Any], timeout: float = 15.0) -> dict[str, Any]:
    """POST a JSON body and read the JSON answer (the transaction API of VNPay or of the sandbox)."""
    request = urllib.request.Request(  # noqa: S310 -- the configured gateway address
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        answer: dict[str, Any] = json.loads(response.read().decode())
    return answer
