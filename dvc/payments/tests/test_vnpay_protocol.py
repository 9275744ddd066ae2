"""The VNPay protocol as VNPay's own samples speak it (issue 15, finding 11): nulls and empty fields signed their
way, the query dated with the pay request's exact vnp_CreateDate, and only a definite answer failing an attempt."""

import datetime as dt
import hashlib
import hmac
import re
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest
from django.utils import timezone

from dvc.dossiers.tests.factories import DossierFactory
from dvc.payments import vnpay
from dvc.payments.gateway import payment_start, reconcile
from dvc.payments.models import PaymentAttempt
from dvc.payments.tests.test_ipn import IPN, notice

pytestmark = pytest.mark.django_db


def vnpay_hmac(data: str) -> str:
    """HMAC-SHA512 hex with the merchant secret, computed here without the portal's signing code."""
    return hmac.new(vnpay.config().secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def test_an_ipn_with_an_empty_field_signed_as_vnpays_samples_do_is_accepted(client):
    dossier = DossierFactory(unpaid=True, fees=[36000])
    attempt, _url = payment_start(dossier=dossier, payer=None, ip="127.0.0.1")
    params = {k: v for k, v in notice(attempt).items() if k != "vnp_SecureHash"}
    params["vnp_BankTranNo"] = ""  # VNPay sends it empty for some wallets, and signs it
    data = "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in sorted(params.items()))
    answer = client.get(IPN, {**params, "vnp_SecureHash": vnpay_hmac(data)}).json()
    assert answer["RspCode"] == "00"


def test_a_querydr_answer_with_null_fields_is_verified_as_vnpay_signs_it():
    answer = {
        "vnp_ResponseId": "4f2c", "vnp_Command": "querydr", "vnp_ResponseCode": "00", "vnp_Message": "QueryDR Success",
        "vnp_TmnCode": vnpay.config().tmn_code, "vnp_TxnRef": "261129ABCDEF", "vnp_Amount": "3600000",
        "vnp_BankCode": "NCB", "vnp_PayDate": "20261129101500", "vnp_TransactionNo": "14226112",
        "vnp_TransactionType": "01", "vnp_TransactionStatus": "00", "vnp_OrderInfo": "Thanh toan phi",
        "vnp_PromotionCode": None, "vnp_PromotionAmount": None,
    }  # fmt: skip
    data = "|".join("" if answer[k] is None else answer[k] for k in vnpay.QUERY_RESPONSE_ORDER)
    assert vnpay.query_response_valid({**answer, "vnp_SecureHash": vnpay_hmac(data)}, vnpay.config().secret)
    spelled = "|".join(str(answer[k]) for k in vnpay.QUERY_RESPONSE_ORDER)  # "None" is not what VNPay signs
    assert not vnpay.query_response_valid({**answer, "vnp_SecureHash": vnpay_hmac(spelled)}, vnpay.config().secret)


def test_the_query_carries_the_pay_requests_exact_create_date(monkeypatch):
    dossier = DossierFactory(unpaid=True, fees=[36000])
    attempt, url = payment_start(dossier=dossier, payer=None, ip="127.0.0.1")
    created = parse_qs(urlsplit(url).query)["vnp_CreateDate"][0]
    PaymentAttempt.objects.filter(pk=attempt.pk).update(created_at=attempt.created_at - dt.timedelta(seconds=1))
    asked = []
    monkeypatch.setattr(vnpay, "post_json", lambda url, body, timeout=15.0: asked.append(body) or {})
    reconcile(older_than=dt.timedelta(0))
    assert asked and asked[0]["vnp_TransactionDate"] == created


@pytest.mark.parametrize("code", ["94", "99", "97", "02", "03"])
def test_a_transient_or_unclear_answer_leaves_an_old_attempt_pending(monkeypatch, client, code):
    dossier = DossierFactory(unpaid=True, fees=[36000])
    attempt, _url = payment_start(dossier=dossier, payer=None, ip="127.0.0.1")
    PaymentAttempt.objects.filter(pk=attempt.pk).update(created_at=attempt.created_at - dt.timedelta(hours=2))

    def answer(url, body, timeout=15.0):
        reply = {"vnp_ResponseId": "1", "vnp_Command": "querydr", "vnp_ResponseCode": code, "vnp_Message": "x",
                 "vnp_TmnCode": vnpay.config().tmn_code, "vnp_TxnRef": attempt.txn_ref}  # fmt: skip
        return vnpay.sign_query_response(reply, vnpay.config().secret)

    monkeypatch.setattr(vnpay, "post_json", answer)
    report = reconcile(older_than=dt.timedelta(0))
    attempt.refresh_from_db()
    assert report.failed == 0 and attempt.status == "pending"
    assert client.get(IPN, notice(attempt)).json()["RspCode"] == "00"  # the real success still pays
    dossier.refresh_from_db()
    assert dossier.fee_status == "paid"


def test_a_new_attempt_records_who_pays_from_where_and_sends_its_own_create_date():
    dossier = DossierFactory(unpaid=True, fees=[36000])
    attempt, url = payment_start(dossier=dossier, payer=dossier.applicant, ip="203.0.113.5", bank_code="NCB")
    sent = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert (attempt.payer, attempt.client_ip, attempt.amount) == (dossier.applicant, "203.0.113.5", 36000)
    assert re.fullmatch(rf"{timezone.localtime():%y%m%d}[0-9A-F]{{12}}", attempt.txn_ref)
    assert sent["vnp_TxnRef"] == attempt.txn_ref and sent["vnp_CreateDate"] == attempt.gateway_create_date
    assert sent["vnp_OrderInfo"] == f"Thanh toan phi ho so {dossier.code}" and sent["vnp_IpAddr"] == "203.0.113.5"
    assert sent["vnp_BankCode"] == "NCB" and sent["vnp_Amount"] == "3600000"
    anonymous, plain = payment_start(dossier=dossier, payer=None, ip="")
    assert anonymous.payer is None and anonymous.client_ip is None
    assert "vnp_BankCode" not in plain and "vnp_IpAddr=127.0.0.1" in plain


def test_only_an_open_dossier_that_owes_something_can_be_paid():
    from dvc.errors import Conflict
    from dvc.payments.fees import require_payable

    with pytest.raises(Conflict) as closed:
        require_payable(DossierFactory(unpaid=True, fees=[36000], withdrawn=True))
    assert closed.value.code == "not_payable"
    assert str(closed.value.message) == "Hồ sơ đã bị từ chối, đã rút hoặc chưa gửi: không thanh toán được."
    with pytest.raises(Conflict) as nothing:
        require_payable(DossierFactory(unpaid=True, fees=[0]))
    assert nothing.value.code == "nothing_to_pay"
    assert str(nothing.value.message) == "Hồ sơ này không có khoản phí nào chờ thanh toán."
    require_payable(DossierFactory(unpaid=True, fees=[1]))  # one đồng is still owed
