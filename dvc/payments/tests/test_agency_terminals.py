"""Issue 19: each agency collects its own fees — two agencies' fees go to their two VNPay terminals, and each
terminal's IPN is verified with its own secret (a notice signed with the other's is refused)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.tests.factories import commune_centre
from dvc.payments import vnpay
from dvc.payments.gateway import payment_start
from dvc.payments.models import PaymentAttempt

pytestmark = pytest.mark.django_db
IPN = "/payments/vnpay/ipn"
SECRETS = {"BADINH01": "ba-dinh-secret-" + "a" * 20, "BACGIANG": "bac-giang-secret-" + "b" * 20}


@pytest.fixture
def two_agencies(settings):
    ba_dinh = commune_centre()
    bac_giang = commune_centre(code="000.09.09.H26")
    settings.DVC_VNPAY_TERMINALS = {
        ba_dinh.code: {"tmn_code": "BADINH01", "hash_secret": SECRETS["BADINH01"]},
        bac_giang.code: {"tmn_code": "BACGIANG", "hash_secret": SECRETS["BACGIANG"]},
    }
    return ba_dinh, bac_giang


def _ipn(attempt: PaymentAttempt, tmn_code: str, secret: str) -> dict[str, str]:
    params = {
        "vnp_Amount": str(attempt.amount * 100), "vnp_BankCode": "NCB", "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan", "vnp_PayDate": "20261206091500", "vnp_ResponseCode": "00",
        "vnp_TmnCode": tmn_code, "vnp_TransactionNo": "14226112", "vnp_TransactionStatus": "00",
        "vnp_TxnRef": attempt.txn_ref,
    }  # fmt: skip
    params["vnp_SecureHash"] = vnpay.sign(params, secret)
    return params


def test_each_agencys_fee_goes_to_its_own_terminal(client, unpaid, two_agencies):
    ba_dinh, bac_giang = two_agencies
    first = unpaid(UserFactory(), agency=ba_dinh)
    second = unpaid(UserFactory(), agency=bac_giang)
    attempts = {}
    for dossier, terminal in ((first, "BADINH01"), (second, "BACGIANG")):
        attempt, url = payment_start(dossier=dossier, payer=dossier.applicant, ip="127.0.0.1")
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        assert query["vnp_TmnCode"] == terminal and attempt.tmn_code == terminal
        assert vnpay.verify(query, SECRETS[terminal])  # signed with that terminal's own secret
        attempts[terminal] = attempt
    # A notice for Bắc Giang's order signed with Ba Đình's secret is refused; with its own it is applied.
    forged = _ipn(attempts["BACGIANG"], "BACGIANG", SECRETS["BADINH01"])
    assert client.get(IPN, forged).json()["RspCode"] == "97"
    assert client.get(IPN, _ipn(attempts["BACGIANG"], "BACGIANG", SECRETS["BACGIANG"])).json()["RspCode"] == "00"
    # Ba Đình's terminal cannot settle Bắc Giang's order, even correctly signed with its own secret.
    assert client.get(IPN, _ipn(attempts["BACGIANG"], "BADINH01", SECRETS["BADINH01"])).json()["RspCode"] == "01"
    assert client.get(IPN, _ipn(attempts["BADINH01"], "BADINH01", SECRETS["BADINH01"])).json()["RspCode"] == "00"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.fee_status == second.fee_status == "paid"


def test_an_agency_without_a_terminal_of_its_own_uses_the_portals(unpaid, two_agencies, settings):
    other = commune_centre(code="000.07.07.H26")
    attempt, url = payment_start(dossier=unpaid(UserFactory(), agency=other), payer=None, ip="127.0.0.1")
    assert f"vnp_TmnCode={settings.DVC_VNPAY_TMN_CODE}" in url and attempt.tmn_code == settings.DVC_VNPAY_TMN_CODE
