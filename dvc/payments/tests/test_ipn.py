"""The IPN address: checksum, order, amount, state; exactly once whatever the gateway repeats."""

import pytest
from django.db import connection

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import DossierFactory, ensure_catalog
from dvc.payments import vnpay
from dvc.payments.gateway import payment_start
from dvc.payments.models import GatewayEvent, PaymentAttempt, Receipt
from dvc.payments.settlement import attempt_flag
from dvc.tests.parallel import in_parallel

pytestmark = pytest.mark.django_db
IPN = "/payments/vnpay/ipn"


def notice(attempt, *, success=True, amount=None, secret=None, **extra):
    """What VNPay sends to the IPN address for ``attempt``, signed."""
    cfg = vnpay.config()
    params = {
        "vnp_Amount": str((attempt.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan",
        "vnp_PayDate": "20261122091500",
        "vnp_ResponseCode": "00" if success else "51",
        "vnp_TmnCode": cfg.tmn_code,
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": "00" if success else "02",
        "vnp_TxnRef": attempt.txn_ref,
        **extra,
    }
    params["vnp_SecureHash"] = vnpay.sign(params, secret or cfg.secret)
    return params


def started(dossier):
    attempt, _url = payment_start(dossier=dossier, payer=dossier.applicant, ip="127.0.0.1")
    return attempt


def test_bad_checksum_is_97_and_changes_nothing(client, unpaid):
    dossier = unpaid(UserFactory())
    attempt = started(dossier)
    answer = client.get(IPN, notice(attempt, secret="not the secret")).json()
    assert answer == {"RspCode": "97", "Message": "Invalid signature"}
    tampered = {**notice(attempt), "vnp_Amount": "1"}
    assert client.get(IPN, tampered).json()["RspCode"] == "97"
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.status == "pending" and dossier.fee_status == "unpaid" and not Receipt.objects.exists()


def test_unknown_order_is_01(client, unpaid):
    attempt = started(unpaid(UserFactory()))
    attempt.txn_ref = "KHONGCO"
    assert client.get(IPN, notice(attempt)).json()["RspCode"] == "01"


def test_wrong_amount_is_04_recorded_and_flagged(client, unpaid):
    dossier = unpaid(UserFactory())
    attempt = started(dossier)
    assert attempt.amount == 58000
    assert client.get(IPN, notice(attempt, amount=1000)).json()["RspCode"] == "04"
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.flagged and "1000" in attempt.flag_reason and attempt.status == "pending"
    assert dossier.fee_status == "unpaid"


def test_the_same_success_five_times_pays_once(client, unpaid, outbox, tasks):
    dossier = unpaid(UserFactory(phone="+84912345678"))
    attempt = started(dossier)
    answers = [client.get(IPN, notice(attempt)).json()["RspCode"] for _ in range(5)]
    assert answers == ["00", "02", "02", "02", "02"]
    dossier.refresh_from_db()
    assert dossier.fee_status == "paid"
    assert PaymentAttempt.objects.filter(dossier=dossier, status="paid").count() == 1
    receipt = Receipt.objects.get(dossier=dossier)
    assert receipt.amount == 58000 and receipt.stored_file.owner == dossier.applicant
    assert dossier.events.filter(action="paid").count() == 1
    tasks()
    assert sum("Đã nhận 58.000 đồng" in m["body"] for m in outbox.sms()) == 1


def test_a_failure_then_a_success_on_a_new_attempt_pays_once(client, unpaid):
    dossier = unpaid(UserFactory())
    first = started(dossier)
    assert client.get(IPN, notice(first, success=False)).json()["RspCode"] == "00"
    first.refresh_from_db()
    assert first.status == "failed"
    dossier.refresh_from_db()
    second = started(dossier)
    assert client.get(IPN, notice(second)).json()["RspCode"] == "00"
    assert client.get(IPN, notice(first)).json()["RspCode"] == "02"  # a late success for the failed one: not applied
    dossier.refresh_from_db()
    assert dossier.fee_status == "paid" and Receipt.objects.get(dossier=dossier).attempt == second


def test_two_tabs_two_attempts_the_first_success_pays_the_second_is_flagged(client, unpaid):
    dossier = unpaid(UserFactory())
    first = started(dossier)
    second = started(dossier)  # the payer started again in another tab: the first attempt stays open
    first.refresh_from_db()
    assert first.status == "pending"
    assert client.get(IPN, notice(second)).json()["RspCode"] == "00"
    dossier.refresh_from_db()
    assert dossier.fee_status == "paid"
    assert client.get(IPN, notice(first)).json()["RspCode"] == "00"
    first.refresh_from_db()
    dossier.refresh_from_db()
    assert first.flagged and "refund" in first.flag_reason and Receipt.objects.filter(dossier=dossier).count() == 1


def test_a_malformed_notice_gets_an_answer_not_an_error(client):
    assert client.get(IPN, {"vnp_TxnRef": "x' OR 1=1 --"}).json()["RspCode"] == "97"
    assert client.get(IPN).json()["RspCode"] == "97"


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_20_concurrent_copies_of_the_success_pay_once(submitted_dossier):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL; SQLite serialises every writer")
    from django.test import Client

    ensure_catalog()
    dossier = DossierFactory(unpaid=True, fees=[36000])
    attempt = started(dossier)
    params = notice(attempt)
    answers = in_parallel(lambda: Client().get(IPN, params).json()["RspCode"], 20, timeout=120)
    assert sorted(answers) == ["00"] + ["02"] * 19
    assert Receipt.objects.filter(dossier=dossier).count() == 1
    assert Dossier.objects.get(pk=dossier.pk).events.filter(action="paid").count() == 1


def test_every_notice_and_return_is_kept_with_what_was_answered(client, unpaid):
    attempt = started(unpaid(UserFactory()))
    client.get(IPN, notice(attempt, amount=1000))
    client.get(IPN, {**notice(attempt), "vnp_SecureHash": "0" * 128})
    client.get("/payments/vnpay/return", notice(attempt))
    client.get("/payments/vnpay/return", {**notice(attempt), "vnp_SecureHash": "0" * 128})
    client.get("/payments/vnpay/return", {"vnp_TxnRef": "X" * 70})
    client.get(IPN, {})
    client.get(IPN, {"vnp_TxnRef": "Y" * 70})
    client.get("/payments/vnpay/return", {})
    kept = [(e.kind, e.txn_ref, e.answer) for e in GatewayEvent.objects.order_by("pk")]
    assert kept == [
        ("ipn", attempt.txn_ref, "04"), ("ipn", attempt.txn_ref, "97"),
        ("return", attempt.txn_ref, "ok"), ("return", attempt.txn_ref, "97"),
        ("return", "X" * 64, "97"), ("ipn", "", "97"), ("ipn", "Y" * 64, "97"), ("return", "", "97"),
    ]  # fmt: skip
    returned = GatewayEvent.objects.filter(kind="return").order_by("pk").first()
    assert returned.params["vnp_TxnRef"] == [attempt.txn_ref]
    assert GatewayEvent.objects.order_by("pk").first().params["vnp_Amount"] == ["100000"]  # as received


def test_the_browser_coming_back_shows_the_payer_their_dossier_and_changes_nothing(client, unpaid):
    citizen = UserFactory()
    attempt = started(unpaid(citizen))
    client.force_login(citizen)
    page = client.get("/payments/vnpay/return", notice(attempt)).content.decode()
    assert "đang chờ xác nhận chính thức" in page and f"/ho-so/{attempt.dossier.pk}/" in page
    assert (
        "không hợp lệ" in client.get("/payments/vnpay/return", {**notice(attempt), "vnp_Amount": "1"}).content.decode()
    )
    attempt.refresh_from_db()
    assert attempt.status == "pending"  # only the IPN settles


def test_a_flag_keeps_its_reason_within_the_column_and_is_logged(unpaid, caplog):
    attempt = started(unpaid(UserFactory()))
    with caplog.at_level("WARNING", logger="dvc.payments.settlement"):
        attempt_flag(attempt, "x" * 600)
    attempt.refresh_from_db()
    assert attempt.flagged and attempt.flag_reason == "x" * 500
    assert [r.getMessage() for r in caplog.records] == [f"payment {attempt.txn_ref} flagged: {'x' * 600}"]
