"""Attempts whose IPN never came are settled by asking the gateway (querydr), the same way the IPN would."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.payments.gateway import payment_start, reconcile
from dvc.payments.models import PaymentAttempt, Receipt
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
