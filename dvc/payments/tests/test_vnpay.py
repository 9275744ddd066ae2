"""The VNPay 2.1.0 signing helper against VNPay's published example, and its checks."""

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from dvc.payments import vnpay

# The payment URL in VNPay's integration guide (sandbox.vnpayment.vn/apis/docs/huong-dan-tich-hop/), without its hash.
PUBLISHED_QUERY = (
    "vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND&vnp_IpAddr=127.0.0.1"
    "&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5&vnp_Version=2.1.0"
)
PUBLISHED_PARAMS = {
    "vnp_Version": "2.1.0",
    "vnp_Command": "pay",
    "vnp_TmnCode": "DEMOV210",
    "vnp_Amount": "1806000",
    "vnp_CreateDate": "20210801153333",
    "vnp_CurrCode": "VND",
    "vnp_IpAddr": "127.0.0.1",
    "vnp_Locale": "vn",
    "vnp_OrderInfo": "Thanh toan don hang :5",
    "vnp_OrderType": "other",
    "vnp_ReturnUrl": "https://domainmerchant.vn/ReturnUrl",
    "vnp_TxnRef": "5",
    "vnp_BankCode": "",  # empty parameters are left out
}


def test_the_signing_string_reproduces_vnpays_published_example_byte_for_byte():
    assert vnpay.signing_string(PUBLISHED_PARAMS) == PUBLISHED_QUERY


def test_the_hash_is_hmac_sha512_of_that_string_and_verifies():
    secret = "SECRETKEYOFTHEMERCHANT"
    expected = hmac.new(secret.encode(), PUBLISHED_QUERY.encode(), hashlib.sha512).hexdigest()
    assert vnpay.sign(PUBLISHED_PARAMS, secret) == expected and len(expected) == 128
    signed = {**PUBLISHED_PARAMS, "vnp_SecureHash": expected.upper(), "vnp_SecureHashType": "HmacSHA512"}
    assert vnpay.verify(signed, secret)
    assert not vnpay.verify({**signed, "vnp_Amount": "1806100"}, secret)
    assert not vnpay.verify(signed, "another secret")
    assert not vnpay.verify(PUBLISHED_PARAMS, secret)  # no hash at all


def test_amounts_are_dong_times_100_and_dates_are_vietnam_time():
    cfg = vnpay.Config(pay_url="https://pay.example/vpcpay.html", api_url="", tmn_code="ABCD1234", secret="s",
                       return_url="https://dvc.example/payments/vnpay/return")  # fmt: skip
    created = dt.datetime(2026, 11, 22, 1, 30, tzinfo=dt.UTC)
    params = vnpay.payment_params(cfg=cfg, txn_ref="X1", amount=58000, order_info="Thanh toan", ip="10.0.0.1",
                                  created=created)  # fmt: skip
    assert params["vnp_Amount"] == "5800000" and params["vnp_CreateDate"] == "20261122083000"
    url = vnpay.payment_url(params, cfg)
    assert url.startswith("https://pay.example/vpcpay.html?vnp_Amount=5800000&") and "&vnp_SecureHash=" in url


def test_querydr_requests_and_answers_are_signed_with_pipes():
    cfg = vnpay.Config(pay_url="", api_url="", tmn_code="ABCD1234", secret="k", return_url="")
    now = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
    body = vnpay.query_request(cfg=cfg, txn_ref="X1", created=vnpay.timestamp(now), ip="127.0.0.1", now=now)
    data = "|".join(body[k] for k in vnpay.QUERY_REQUEST_ORDER)
    assert body["vnp_SecureHash"] == hmac.new(b"k", data.encode(), hashlib.sha512).hexdigest()
    assert vnpay.query_request_valid(body, "k") and not vnpay.query_request_valid({**body, "vnp_TxnRef": "X2"}, "k")
    answer = vnpay.sign_query_response({"vnp_ResponseCode": "00", "vnp_TxnRef": "X1", "vnp_Amount": "100"}, "k")
    assert vnpay.query_response_valid(answer, "k") and not vnpay.query_response_valid(
        {**answer, "vnp_Amount": "1"}, "k"
    )


def test_the_status_query_carries_what_vnpay_asks_for():
    cfg = vnpay.Config(pay_url="", api_url="", tmn_code="ABCD1234", secret="k", return_url="")
    now = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
    body = vnpay.query_request(cfg=cfg, txn_ref="X1", created="20261122085959", ip="", now=now)
    assert {k: body[k] for k in ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_IpAddr")} == {
        "vnp_Version": "2.1.0", "vnp_Command": "querydr", "vnp_TmnCode": "ABCD1234", "vnp_TxnRef": "X1",
        "vnp_IpAddr": "127.0.0.1",  # no client address: the server's own, as VNPay requires one
    }  # fmt: skip
    assert body["vnp_TransactionDate"] == "20261122085959" and body["vnp_CreateDate"] == "20261122090000"
    assert len(body["vnp_RequestId"]) == 32 and body["vnp_RequestId"].isalnum()  # Alphanumeric[1,32]
    again = vnpay.query_request(cfg=cfg, txn_ref="X1", created="20261122085959", ip="203.0.113.5", now=now)
    assert again["vnp_RequestId"] != body["vnp_RequestId"]  # unique per request within the day
    assert again["vnp_IpAddr"] == "203.0.113.5"
    assert not vnpay.query_request_valid({k: v for k, v in body.items() if k != "vnp_SecureHash"}, "k")
    assert not vnpay.query_response_valid({"vnp_ResponseCode": "00"}, "k")


class _Echo(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers["Content-Length"])
        seen = {"type": self.headers["Content-Type"], "path": self.path, "body": json.loads(self.rfile.read(length))}
        payload = json.dumps({"vnp_ResponseCode": "00", "seen": seen}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def test_the_query_is_a_json_post_and_the_answer_is_read_as_json():
    """The transaction API call itself, against a server on loopback."""
    server = HTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/merchant_webapi/api/transaction"
        answer = vnpay.post_json(url, {"vnp_Command": "querydr", "vnp_TxnRef": "Tiền"})
    finally:
        server.shutdown()
        server.server_close()
    assert answer["vnp_ResponseCode"] == "00"
    assert answer["seen"] == {
        "type": "application/json", "path": "/merchant_webapi/api/transaction",
        "body": {"vnp_Command": "querydr", "vnp_TxnRef": "Tiền"},
    }  # fmt: skip


def test_an_answer_is_read_field_by_field_and_a_missing_field_reads_empty():
    full = {
        "vnp_TxnRef": "261129ABC", "vnp_Amount": "5800000", "vnp_ResponseCode": "00", "vnp_TransactionStatus": "00",
        "vnp_TransactionNo": "N" * 70, "vnp_BankCode": "B" * 40, "vnp_CardType": "C" * 40, "vnp_PayDate": "20261122091500",
    }  # fmt: skip
    assert vnpay.outcome(full) == vnpay.Outcome(
        txn_ref="261129ABC", amount=58000, success=True, response_code="00", transaction_status="00",
        transaction_no="N" * 64, bank_code="B" * 32, card_type="C" * 32,
        paid_at=dt.datetime(2026, 11, 22, 9, 15, tzinfo=vnpay.VN),
    )  # fmt: skip
    assert vnpay.outcome({"vnp_Amount": "100"}) == vnpay.Outcome(
        txn_ref="", amount=1, success=False, response_code="", transaction_status="", transaction_no="",
        bank_code="", card_type="", paid_at=None,
    )  # fmt: skip
    # Both codes must say success: the bank's answer alone, or the transaction status alone, is not a payment.
    assert not vnpay.outcome({**full, "vnp_TransactionStatus": "02"}).success
    assert not vnpay.outcome({**full, "vnp_ResponseCode": "24"}).success
    for amount in ("", "12.5", "-100", "150"):
        with pytest.raises(ValueError, match="vnp_Amount"):
            vnpay.outcome({**full, "vnp_Amount": amount})


def test_dates_are_read_in_vietnam_time_and_a_bad_one_is_no_date():
    assert vnpay.parse_timestamp("20261122091500") == dt.datetime(2026, 11, 22, 2, 15, tzinfo=dt.UTC)
    assert vnpay.parse_timestamp("2026-11-22") is None and vnpay.parse_timestamp("") is None


def test_the_pay_request_carries_exactly_vnpays_parameters():
    cfg = vnpay.Config(pay_url="https://pay.example/v", api_url="", tmn_code="ABCD1234", secret="k",
                       return_url="https://dvc.example/payments/vnpay/return")  # fmt: skip
    created = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
    params = vnpay.payment_params(
        cfg=cfg, txn_ref="X1", amount=58000, order_info="Thanh toan phi ho so A", ip="", created=created
    )
    assert params == {
        "vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": "ABCD1234", "vnp_Amount": "5800000",
        "vnp_CurrCode": "VND", "vnp_TxnRef": "X1", "vnp_OrderInfo": "Thanh toan phi ho so A", "vnp_OrderType": "other",
        "vnp_Locale": "vn", "vnp_ReturnUrl": "https://dvc.example/payments/vnpay/return", "vnp_IpAddr": "127.0.0.1",
        "vnp_CreateDate": "20261122090000", "vnp_ExpireDate": "20261122091500",
    }  # fmt: skip
    with_bank = vnpay.payment_params(
        cfg=cfg, txn_ref="X1", amount=1, order_info="x", ip="203.0.113.5", created=created, bank_code="NCB"
    )
    assert with_bank["vnp_BankCode"] == "NCB" and with_bank["vnp_IpAddr"] == "203.0.113.5"


class _Slow(_Echo):
    def do_POST(self):
        time.sleep(1.5)
        super().do_POST()


def test_a_gateway_that_does_not_answer_in_time_is_given_up_on():
    server = HTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(OSError):
            vnpay.post_json(f"http://127.0.0.1:{server.server_port}/", {"vnp_Command": "querydr"}, timeout=0.3)
    finally:
        server.shutdown()
        server.server_close()
