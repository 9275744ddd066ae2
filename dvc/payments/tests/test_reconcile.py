"""Attempts whose IPN never came are settled by asking the gateway (querydr), the same way the IPN would."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.tests.factories import DossierFactory
from dvc.payments import gateway as gateway_module
from dvc.payments import vnpay
from dvc.payments.gateway import payment_start, reconcile
from dvc.payments.models import GatewayEvent, PaymentAttempt, Receipt
from dvc.payments.tests.test_pay_pages import through_sandbox

pytestmark = pytest.mark.django_db


def test_a_payment_whose_ipn_was_lost_is_settled_by_reconciliation(client, unpaid, gateway, tasks, capsys):
    citizen = UserFactory()
    dossier = unpaid(citizen)
    client.force_login(citizen)
    started = client.post(reverse("payments:pay_mine", args=[dossier.pk]))
    through_sandbox(client, started.url, gateway, lose_ipn=True)
    tasks()
    attempt = PaymentAttempt.objects.get(dossier=dossier)
    assert attempt.status == "pending"
    report = reconcile(older_than=dt.timedelta(0))
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert report.checked == 1 and report.paid == 1
    assert attempt.status == "paid" and attempt.gateway_txn_no and dossier.fee_status == "paid"
    assert Receipt.objects.filter(dossier=dossier).count() == 1
    # Asking again changes nothing.
    assert reconcile(older_than=dt.timedelta(0)).checked == 0


def test_an_attempt_the_gateway_never_saw_fails_once_expired(unpaid, gateway):
    dossier = unpaid(UserFactory())
    attempt, _url = payment_start(dossier=dossier, payer=None, ip="127.0.0.1")
    assert reconcile(older_than=dt.timedelta(0)).failed == 0  # not expired yet: left pending
    PaymentAttempt.objects.filter(pk=attempt.pk).update(created_at=attempt.created_at - dt.timedelta(hours=2))
    report = reconcile(older_than=dt.timedelta(0))
    attempt.refresh_from_db()
    assert report.failed == 1 and attempt.status == "failed" and attempt.response_code == "91"


def test_the_command_prints_the_report_with_mismatches(unpaid, gateway, capsys):
    dossier = unpaid(UserFactory())
    attempt, _url = payment_start(dossier=dossier, payer=None, ip="127.0.0.1")
    PaymentAttempt.objects.filter(pk=attempt.pk).update(flagged=True, flag_reason="IPN amount 1000 differs from 58000")
    call_command("reconcile_payments", "--older-than-minutes", "0")
    out = capsys.readouterr().out
    assert "1 pending checked" in out and attempt.txn_ref in out and "differs" in out


def _aged(dossier, hours):
    attempt, _url = payment_start(dossier=dossier, payer=None, ip="127.0.0.1")
    PaymentAttempt.objects.filter(pk=attempt.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours))
    attempt.refresh_from_db()
    return attempt


def _reply(attempt, code="00", status="00", amount=None, **extra):
    body = {
        "vnp_ResponseId": "r1", "vnp_Command": "querydr", "vnp_ResponseCode": code, "vnp_Message": "x",
        "vnp_TmnCode": vnpay.config().tmn_code, "vnp_TxnRef": attempt.txn_ref,
        "vnp_Amount": str((attempt.amount if amount is None else amount) * 100), "vnp_BankCode": "NCB",
        "vnp_PayDate": "20261129101500", "vnp_TransactionNo": "14226112", "vnp_TransactionType": "01",
        "vnp_TransactionStatus": status, "vnp_OrderInfo": "x", **extra,
    }  # fmt: skip
    return vnpay.sign_query_response(body, vnpay.config().secret)


def test_one_sweep_settles_each_attempt_by_what_the_gateway_says_of_it(monkeypatch, caplog):
    """Every kind of answer in one sweep: each attempt is judged on its own, none stops the others."""
    names = ("offline", "forged", "busy", "busy2", "mute", "unknown", "paid", "paid2", "short", "garbled",
             "reversed", "open", "failed", "offline2", "unknown2")  # fmt: skip
    made = {name: _aged(DossierFactory(unpaid=True, fees=[36000]), 3 - place / 100) for place, name in enumerate(names)}
    fresh = _aged(DossierFactory(unpaid=True, fees=[36000]), 0)  # younger than 15 minutes: not asked yet
    counter = _aged(DossierFactory(unpaid=True, fees=[36000]), 2)
    PaymentAttempt.objects.filter(pk=counter.pk).update(method=PaymentAttempt.Method.CASH)
    replies = {
        "forged": {**_reply(made["forged"]), "vnp_SecureHash": "0" * 128},
        "busy": _reply(made["busy"], code="99"),
        "busy2": _reply(made["busy2"], code="94"),
        "unknown2": _reply(made["unknown2"], code="91"),
        "mute": vnpay.sign_query_response(
            {k: v for k, v in _reply(made["mute"]).items() if k not in ("vnp_ResponseCode", "vnp_SecureHash")},
            vnpay.config().secret,
        ),
        "paid2": _reply(made["paid2"]),
        "unknown": _reply(made["unknown"], code="91"),
        "paid": _reply(made["paid"]),
        "short": _reply(made["short"], amount=1000),
        "garbled": _reply(made["garbled"], vnp_Amount="12.5"),
        "reversed": _reply(made["reversed"], status="04"),
        "open": _reply(made["open"], status="01"),
        "failed": _reply(made["failed"], status="02"),
    }
    by_ref = {a.txn_ref: name for name, a in made.items()}
    asked = []

    def gateway(url, body, timeout=15.0):
        assert url == vnpay.config().api_url and vnpay.query_request_valid(body, vnpay.config().secret)
        asked.append(body["vnp_TxnRef"])
        name = by_ref[body["vnp_TxnRef"]]
        if name.startswith("offline"):
            raise OSError("connection refused")
        return replies[name]

    monkeypatch.setattr(vnpay, "post_json", gateway)
    with caplog.at_level("WARNING", logger="dvc.payments.gateway"):
        report = reconcile()
    assert sorted(asked) == sorted(by_ref)  # neither the fresh attempt nor the counter one was asked about
    assert (report.checked, report.paid, report.failed, report.unanswered) == (15, 2, 4, 5)
    status = {name: PaymentAttempt.objects.get(pk=a.pk).status for name, a in made.items()}
    assert status == {
        "offline": "pending", "forged": "pending", "busy": "pending", "busy2": "pending", "mute": "pending",
        "unknown": "failed", "paid": "paid", "paid2": "paid", "short": "pending", "garbled": "pending",
        "reversed": "pending", "open": "failed", "failed": "failed", "offline2": "pending", "unknown2": "failed",
    }  # fmt: skip
    assert PaymentAttempt.objects.get(pk=fresh.pk).status == "pending"
    assert PaymentAttempt.objects.get(pk=made["unknown"].pk).response_code == "91"
    assert PaymentAttempt.objects.get(pk=made["unknown"].pk).settled_at is not None
    ref = {name: a.txn_ref for name, a in made.items()}
    assert sorted(report.mismatches) == sorted([
        f"{ref['forged']}: chữ ký của câu trả lời không hợp lệ",
        f"{ref['short']}: cổng báo 1000 đồng, hồ sơ 36000 đồng",
        f"{ref['garbled']}: số tiền không đọc được",
        f"{ref['reversed']}: cổng báo trạng thái giao dịch 04",
        f"{ref['short']}: gateway reports 1000, attempt is 36000",  # the flagged attempts, listed at the end
    ])  # fmt: skip
    short = PaymentAttempt.objects.get(pk=made["short"].pk)
    assert short.flagged and short.flag_reason == "gateway reports 1000, attempt is 36000"
    # Every answer is kept as received, under its transaction, with the gateway's code.
    events = {e.txn_ref: e for e in GatewayEvent.objects.filter(kind=GatewayEvent.Kind.QUERY)}
    assert set(events) == set(by_ref) - {made["offline"].txn_ref, made["offline2"].txn_ref}
    assert events[made["busy"].txn_ref].answer == "99" and events[made["paid"].txn_ref].answer == "00"
    assert events[made["paid"].txn_ref].params["vnp_TransactionNo"] == "14226112"
    assert events[made["mute"].txn_ref].answer == ""  # no code in the answer: none recorded
    logged = [r.getMessage() for r in caplog.records if r.name == "dvc.payments.gateway"]
    assert logged == [f"querydr for {made[n].txn_ref} failed: connection refused" for n in ("offline", "offline2")]


def test_an_unanswered_attempt_is_asked_again_on_the_next_sweep(monkeypatch):
    attempt = _aged(DossierFactory(unpaid=True, fees=[36000]), 2)
    answers = iter([OSError("timeout"), _reply(attempt)])

    def gateway(url, body, timeout=15.0):
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(vnpay, "post_json", gateway)
    assert reconcile().unanswered == 1
    assert reconcile().paid == 1
    attempt.refresh_from_db()
    assert attempt.status == "paid"


def test_an_attempt_just_under_the_expiry_is_not_failed_for_being_unknown(monkeypatch):
    """ "No such transaction" fails an attempt only once its payment page has expired (one hour)."""
    attempt = _aged(DossierFactory(unpaid=True, fees=[36000]), 0)
    monkeypatch.setattr(vnpay, "post_json", lambda url, body, timeout=15.0: _reply(attempt, code="91"))
    almost = timezone.now() - dt.timedelta(minutes=59)
    PaymentAttempt.objects.filter(pk=attempt.pk).update(created_at=almost)
    report = reconcile()
    attempt.refresh_from_db()
    assert attempt.status == "pending" and (report.failed, report.unanswered) == (0, 0)
    assert reconcile(expire_after=dt.timedelta(minutes=30)).failed == 1


def test_an_old_attempt_without_a_stored_create_date_is_asked_by_its_creation_time(monkeypatch):
    attempt = _aged(DossierFactory(unpaid=True, fees=[36000]), 2)
    PaymentAttempt.objects.filter(pk=attempt.pk).update(gateway_create_date="")
    asked = []
    monkeypatch.setattr(vnpay, "post_json", lambda url, body, timeout=15.0: asked.append(body) or _reply(attempt))
    reconcile()
    attempt.refresh_from_db()
    assert asked[0]["vnp_TransactionDate"] == vnpay.timestamp(attempt.created_at)
    assert asked[0]["vnp_IpAddr"] == "127.0.0.1" and asked[0]["vnp_TxnRef"] == attempt.txn_ref


def test_an_ipn_that_lands_while_the_gateway_is_asked_is_not_undone(monkeypatch):
    """The sweep fails an unknown expired attempt only if it is still pending when the answer comes back."""
    attempt = _aged(DossierFactory(unpaid=True, fees=[36000]), 2)

    def gateway(url, body, timeout=15.0):
        PaymentAttempt.objects.filter(pk=attempt.pk).update(status="paid")  # the IPN, meanwhile
        return _reply(attempt, code="91")

    monkeypatch.setattr(vnpay, "post_json", gateway)
    reconcile()
    attempt.refresh_from_db()
    assert attempt.status == "paid"


def test_a_sweep_asks_about_a_batch_oldest_first_and_lists_the_newest_flags(monkeypatch):
    attempts = [_aged(DossierFactory(unpaid=True, fees=[36000]), hours) for hours in (3, 5, 4)]
    asked = []
    monkeypatch.setattr(vnpay, "post_json", lambda url, body, timeout=15.0: asked.append(body["vnp_TxnRef"]) or {})
    monkeypatch.setattr(gateway_module, "RECONCILE_BATCH", 2)
    monkeypatch.setattr(gateway_module, "REPORT_FLAGGED", 1)
    PaymentAttempt.objects.filter(pk__in=[a.pk for a in attempts]).update(flagged=True, flag_reason="x")
    report = reconcile()
    assert asked == [attempts[1].txn_ref, attempts[2].txn_ref] and report.checked == 2
    assert [m.split(":")[0] for m in report.mismatches if m.endswith(": x")] == [attempts[0].txn_ref]


def test_an_answer_code_is_kept_within_its_column(monkeypatch):
    attempt = _aged(DossierFactory(unpaid=True, fees=[36000]), 2)
    monkeypatch.setattr(vnpay, "post_json", lambda url, body, timeout=15.0: _reply(attempt, code="123456789"))
    assert reconcile().unanswered == 1
    assert GatewayEvent.objects.get(kind="query", txn_ref=attempt.txn_ref).answer == "12345678"
