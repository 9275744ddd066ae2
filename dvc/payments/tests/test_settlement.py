"""Applying a payment the gateway confirms: what the attempt, the dossier, the receipt, the vault, the history and
the applicant's notice each say, and what is flagged instead of applied (written for the mutation run, issue 15)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from dvc.dossiers.models import Dossier, DossierEvent
from dvc.dossiers.tests.factories import DossierFactory
from dvc.payments import vnpay
from dvc.payments.models import PaymentAttempt, Receipt
from dvc.payments.settlement import dossier_mark_paid
from dvc.payments.tests.test_ipn import IPN, notice, started
from dvc.vault.models import StoredFile

pytestmark = pytest.mark.django_db


def test_a_confirmed_payment_records_every_detail_the_gateway_gave(client, outbox, tasks):
    dossier = DossierFactory(unpaid=True, fees=[36000, 22000])
    other = DossierFactory(unpaid=True, fees=[36000])
    attempt = started(dossier)
    before = timezone.now()
    assert client.get(IPN, notice(attempt)).json() == {"RspCode": "00", "Message": "Confirm Success"}
    attempt.refresh_from_db()
    assert (attempt.status, attempt.response_code, attempt.gateway_txn_no) == ("paid", "00", "14226112")
    assert (attempt.bank_code, attempt.card_type) == ("NCB", "ATM")
    assert attempt.paid_at == dt.datetime(2026, 11, 22, 9, 15, tzinfo=vnpay.VN)  # vnp_PayDate, Việt Nam time
    assert attempt.settled_at >= before
    dossier.refresh_from_db()
    assert dossier.fee_status == "paid" and dossier.updated_at >= before
    other.refresh_from_db()
    assert other.fee_status == "unpaid"  # only the dossier paid for
    receipt = Receipt.objects.get(dossier=dossier)
    assert re.fullmatch(rf"BL-{timezone.localtime():%y%m%d}-[0-9A-F]{{8}}", receipt.number)
    assert receipt.amount == 58000 and receipt.attempt == attempt
    stored = StoredFile.objects.get(pk=receipt.stored_file_id)
    assert stored.owner == dossier.applicant and stored.document_type == "bien_lai"
    assert stored.title == f"Biên lai {receipt.number}" and stored.original_name == f"bien-lai-{receipt.number}.pdf"
    event = DossierEvent.objects.get(dossier=dossier, action="paid")
    assert event.actor is None
    assert event.note == f"58.000 đồng — Thanh toán trực tuyến — biên lai {receipt.number}"
    tasks()
    told = " ".join(m["body"] for m in outbox.sms())
    assert "58.000" in told and receipt.number in told


def test_a_success_without_a_pay_date_is_dated_when_it_is_settled(client):
    attempt = started(DossierFactory(unpaid=True, fees=[36000]))
    params = {k: v for k, v in notice(attempt).items() if k not in ("vnp_PayDate", "vnp_SecureHash")}
    params["vnp_SecureHash"] = vnpay.sign(params, vnpay.config().secret)
    assert client.get(IPN, params).json()["RspCode"] == "00"
    attempt.refresh_from_db()
    assert attempt.paid_at == attempt.settled_at


def test_a_failure_notice_records_the_bank_answer_and_touches_no_other_attempt(client):
    dossier = DossierFactory(unpaid=True, fees=[36000])
    first, second = started(dossier), started(dossier)
    before = timezone.now()
    assert client.get(IPN, notice(first, success=False)).json()["RspCode"] == "00"
    assert client.get(IPN, notice(first, success=False)).json()["RspCode"] == "02"  # a repeat changes nothing
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.response_code, first.gateway_txn_no) == ("failed", "51", "14226112")
    assert first.settled_at >= before
    assert second.status == "pending" and second.settled_at is None


def test_what_cannot_be_applied_is_flagged_with_the_reason(client):
    malformed = started(DossierFactory(unpaid=True, fees=[36000]))
    params = {**notice(malformed), "vnp_Amount": "3600050"}
    params.pop("vnp_SecureHash")
    params["vnp_SecureHash"] = vnpay.sign(params, vnpay.config().secret)
    assert client.get(IPN, params).json()["RspCode"] == "04"
    malformed.refresh_from_db()
    assert malformed.flag_reason == "IPN with a malformed amount" and malformed.status == "pending"

    dossier = DossierFactory(unpaid=True, fees=[36000])
    cancelled, failed, twice = started(dossier), started(dossier), started(dossier)
    PaymentAttempt.objects.filter(pk=cancelled.pk).update(status="cancelled")
    client.get(IPN, notice(failed, success=False))
    for attempt in (cancelled, failed):
        assert client.get(IPN, notice(attempt)).json()["RspCode"] == "02"
    assert client.get(IPN, notice(twice)).json()["RspCode"] == "00"
    reasons = {a.pk: a.flag_reason for a in PaymentAttempt.objects.filter(dossier=dossier)}
    assert reasons[cancelled.pk] == "paid at the gateway after the attempt was cancelled: refund or apply"
    assert reasons[failed.pk] == "success notice after a failure notice: check with the gateway, refund or apply"
    assert reasons[twice.pk] == ""
    again = started(DossierFactory(unpaid=True, fees=[36000]))
    PaymentAttempt.objects.filter(pk=again.pk).update(dossier=dossier)  # a second payment for the paid dossier
    again.refresh_from_db()
    DossierFactory(unpaid=True, fees=[36000], refused=True)  # another dossier, refused: not this one's story
    dossier_mark_paid(again)
    again.refresh_from_db()
    assert again.flag_reason == "second payment for a dossier already paid: refund"


def test_a_payment_taken_by_an_officer_is_recorded_as_theirs():
    from dvc.dossiers.tests.factories import agency_staff, commune_centre

    agency = commune_centre()
    officer = agency_staff(agency).officer
    dossier = DossierFactory(unpaid=True, fees=[36000], agency=agency)
    attempt = started(dossier)
    PaymentAttempt.objects.filter(pk=attempt.pk).update(status="paid")
    attempt.refresh_from_db()
    dossier_mark_paid(attempt, actor=officer)
    assert DossierEvent.objects.get(dossier=dossier, action="paid").actor == officer


def test_money_for_a_refused_dossier_is_flagged_for_refund(client):
    dossier = DossierFactory(unpaid=True, fees=[36000])
    attempt = started(dossier)
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.REFUSED)
    assert client.get(IPN, notice(attempt)).json()["RspCode"] == "00"
    attempt.refresh_from_db()
    assert attempt.flag_reason == "paid for a dossier refused or withdrawn meanwhile: refund"
    assert not Receipt.objects.filter(dossier=dossier).exists()


def test_a_receipt_already_there_stops_a_second_one_and_flags_the_attempt(client):
    dossier = DossierFactory(unpaid=True, fees=[36000])
    earlier, attempt = started(dossier), started(dossier)
    Receipt.objects.create(number="BL-CU-1", dossier=dossier, attempt=earlier, amount=36000)
    assert client.get(IPN, notice(attempt)).json()["RspCode"] == "00"
    attempt.refresh_from_db()
    assert attempt.flag_reason == "a receipt already exists for this dossier"
    assert Receipt.objects.filter(dossier=dossier).count() == 1
