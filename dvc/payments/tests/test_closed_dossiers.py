"""No money on a closed dossier, and never more refunded than was paid (issue 15, finding 9)."""

import pytest
from django.db import connection
from django.urls import reverse

from dvc.accounts.services import api_token_create
from dvc.dossiers.citizen.aftercare import dossier_withdraw
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre, ensure_catalog
from dvc.errors import InvalidInput
from dvc.payments.counter import payment_record_cash, refund_record
from dvc.payments.models import PaymentAttempt, Receipt, Refund
from dvc.payments.tests.test_ipn import IPN, notice, started
from dvc.tests.parallel import in_parallel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["refused", "withdrawn"])
def test_a_closed_dossier_cannot_be_paid_online_or_at_the_counter(client, state):
    agency = commune_centre()
    staff = agency_staff(agency)
    dossier = DossierFactory(unpaid=True, agency=agency, fees=[36000], **{state: True})  # closed, the fee still set
    token = api_token_create(user=dossier.applicant)
    api = client.post(f"/api/v1/dossiers/{dossier.pk}/payments", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 409 and "không thanh toán" in api.json()["message"]
    client.force_login(staff.officer)
    page = client.post(reverse("staff:act", args=[dossier.pk, "tien-mat"]), follow=True).content.decode()
    assert "không thanh toán" in page
    assert not PaymentAttempt.objects.filter(dossier=dossier).exists()


def test_money_that_arrives_after_a_withdrawal_is_flagged_for_refund_not_applied(client):
    dossier = DossierFactory(unpaid=True, fees=[36000])
    attempt = started(dossier)
    dossier_withdraw(dossier=dossier, actor=dossier.applicant, reason="Nộp nhầm thủ tục")
    assert client.get(IPN, notice(attempt)).json()["RspCode"] == "00"  # the gateway is told it was received
    dossier.refresh_from_db()
    attempt.refresh_from_db()
    assert dossier.fee_status == Dossier.FeeStatus.UNPAID and not Receipt.objects.filter(dossier=dossier).exists()
    assert attempt.flagged and "refund" in attempt.flag_reason


def test_refunds_never_add_up_to_more_than_was_paid(office_with_cash):
    officer, cash = office_with_cash
    refund_record(attempt=cash, officer=officer, amount=30000, reason="Thu thừa")
    with pytest.raises(InvalidInput, match="không quá số đã thu"):
        refund_record(attempt=cash, officer=officer, amount=10000, reason="Lần nữa")


@pytest.fixture
def office_with_cash():
    agency = commune_centre()
    officer = agency_staff(agency).officer
    dossier = DossierFactory(unpaid=True, agency=agency, fees=[36000])
    return officer, payment_record_cash(dossier=dossier, officer=officer)


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_two_refunds_recorded_at_once_never_exceed_what_was_paid():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL; SQLite serialises every writer")
    ensure_catalog()
    agency = commune_centre()
    officer = agency_staff(agency).officer
    cash = payment_record_cash(dossier=DossierFactory(unpaid=True, agency=agency, fees=[36000]), officer=officer)
    outcomes = in_parallel(
        lambda: refund_record(
            attempt=PaymentAttempt.objects.get(pk=cash.pk), officer=officer, amount=36000, reason="Hoàn toàn bộ"
        ),
        2,
    )
    assert all(isinstance(o, Refund | InvalidInput) for o in outcomes), outcomes
    assert sum(isinstance(o, Refund) for o in outcomes) == 1
    assert sum(Refund.objects.filter(attempt=cash).values_list("amount", flat=True)) == 36000
