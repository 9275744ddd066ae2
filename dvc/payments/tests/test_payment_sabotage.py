"""Nobody but the applicant can start or spoil a payment (issue 15, finding 5): pay-by-code asks the dossier's own
security code, a new attempt never cancels another one, and every success that is not applied is flagged."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dvc.dossiers.citizen.drafting import dossier_save_draft
from dvc.dossiers.citizen.papers import dossier_attach
from dvc.dossiers.citizen.sending import dossier_submit
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import DossierFactory, photo_upload
from dvc.payments.models import PaymentAttempt
from dvc.payments.tests.test_ipn import IPN, notice, started
from dvc.web.demo import MARITAL_ANSWERS

pytestmark = pytest.mark.django_db
CAPTCHA = {"captcha_0": "x", "captcha_1": "PASSED"}


def test_the_dossier_code_alone_shows_nothing_and_starts_nothing(client):
    dossier = DossierFactory(unpaid=True, fees=[36000])
    found = client.post(reverse("payments:by_code"), {"code": dossier.code, **CAPTCHA}).content.decode()
    assert "36.000" not in found and "Mã bảo mật" in found
    wrong = client.post(reverse("payments:by_code"), {"code": dossier.code, "security_code": "AAAAAA", **CAPTCHA})
    assert "36.000" not in wrong.content.decode() and "Không tìm thấy" in wrong.content.decode()
    assert client.post(reverse("payments:by_code_start", args=[dossier.pk])).status_code == 404
    right = {"code": dossier.code, "security_code": dossier.security_code.lower(), **CAPTCHA}
    assert "36.000" in client.post(reverse("payments:by_code"), right).content.decode()


def test_the_security_code_is_on_the_receipt_and_in_the_sms_when_a_fee_is_due(client, outbox, tasks, settings):
    settings.DVC_POSTAL_FEE_DELIVERY = 22000
    dossier = DossierFactory(form_data={**MARITAL_ANSWERS})
    identity = dossier.procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    dossier_attach(dossier=dossier, actor=dossier.applicant, requirement=identity, upload=photo_upload())
    dossier_save_draft(
        dossier=dossier, actor=dossier.applicant, form_data=MARITAL_ANSWERS, submission_method="online",
        result_method="post", delivery_address={"province": "01", "commune": "00004", "line": "Số 1"},
        notify_sms=True, notify_email=False,
    )  # fmt: skip
    dossier = dossier_submit(dossier=dossier, actor=dossier.applicant, idempotency_key="k-security")
    assert re.fullmatch(r"[A-Z2-9]{6}", dossier.security_code) and dossier.fee_status == "unpaid"
    tasks()
    assert any(dossier.security_code in sms["body"] for sms in outbox.sms())
    client.force_login(dossier.applicant)
    receipt = client.get(reverse("dossiers:receipt", args=[dossier.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    assert dossier.security_code in text


def test_a_strangers_attempt_does_not_cancel_the_applicants_payment(client):
    dossier = DossierFactory(unpaid=True, fees=[36000])
    mine = started(dossier)
    theirs = started(dossier)  # someone else with the code starts an attempt: mine stays pending
    mine.refresh_from_db()
    assert mine.status == PaymentAttempt.Status.PENDING
    assert client.get(IPN, notice(mine)).json()["RspCode"] == "00"
    dossier.refresh_from_db()
    assert dossier.fee_status == Dossier.FeeStatus.PAID
    assert client.get(IPN, notice(theirs)).json()["RspCode"] == "00"  # money taken twice: kept, flagged for refund
    theirs.refresh_from_db()
    assert theirs.flagged and "refund" in theirs.flag_reason


def test_a_success_that_arrives_after_a_failure_notice_is_flagged(client):
    dossier = DossierFactory(unpaid=True, fees=[36000])
    attempt = started(dossier)
    assert client.get(IPN, notice(attempt, success=False)).json()["RspCode"] == "00"
    assert client.get(IPN, notice(attempt)).json()["RspCode"] == "02"
    attempt.refresh_from_db()
    assert attempt.flagged and "after a failure" in attempt.flag_reason
