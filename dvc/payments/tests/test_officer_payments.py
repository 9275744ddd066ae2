"""The agency's side: payment status on the dossier, cash at the counter, refunds, and return after payment."""

import pytest
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.backoffice.appraisal import dossier_assign, dossier_generate_result, dossier_propose
from dvc.dossiers.backoffice.decision import dossier_approve
from dvc.dossiers.backoffice.delivery import dossier_return_result
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import RESULT_VALUES, agency_staff, commune_centre
from dvc.payments.models import PaymentAttempt, Receipt, Refund

pytestmark = pytest.mark.django_db


def test_cash_at_the_counter_then_refund_and_return(client, unpaid):
    agency = commune_centre()
    staff = agency_staff(agency)
    dossier = unpaid(UserFactory(), agency=agency)
    client.force_login(staff.officer)
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "58.000 đồng" in page and "Chưa thanh toán" in page
    client.post(reverse("staff:act", args=[dossier.pk, "tien-mat"]))
    dossier.refresh_from_db()
    assert dossier.fee_status == Dossier.FeeStatus.PAID
    cash = PaymentAttempt.objects.get(dossier=dossier)
    assert cash.method == "cash" and cash.recorded_by == staff.officer
    receipt = Receipt.objects.get(dossier=dossier)
    assert client.get(reverse("payments:receipt", args=[receipt.number])).status_code == 200
    again = client.post(reverse("staff:act", args=[dossier.pk, "tien-mat"]), follow=True).content.decode()
    assert "không có khoản phí nào chờ thanh toán" in again
    refused = client.post(reverse("staff:act", args=[dossier.pk, "hoan-tien"]),
                          {"attempt": str(cash.pk), "amount": "99000", "reason": "Thu thừa"})  # fmt: skip
    assert refused.status_code == 422 and "không quá số đã thu" in refused.content.decode()
    client.post(reverse("staff:act", args=[dossier.pk, "hoan-tien"]),
                {"attempt": str(cash.pk), "amount": "22.000", "reason": "Người nộp nhận kết quả tại quầy"})  # fmt: skip
    refund = Refund.objects.get(dossier=dossier)
    assert refund.amount == 22000 and refund.recorded_by == staff.officer
    assert dossier.events.filter(action="refunded").exists()


def test_return_waits_for_payment(unpaid):
    agency = commune_centre()
    staff = agency_staff(agency)
    dossier = unpaid(UserFactory(), agency=agency)
    dossier = dossier_receive(dossier=dossier, actor=staff.officer)
    dossier_assign(dossier=dossier, actor=staff.officer, specialist=staff.specialist)
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="")
    dossier = dossier_approve(dossier=dossier, actor=staff.leader)
    from dvc.errors import Conflict

    with pytest.raises(Conflict, match="chưa thanh toán"):
        dossier_return_result(dossier=dossier, actor=staff.officer, method="online")
    from dvc.payments.counter import payment_record_cash

    payment_record_cash(dossier=dossier, officer=staff.officer)
    dossier.refresh_from_db()
    assert dossier_return_result(dossier=dossier, actor=staff.officer, method="online").status == "returned"


def test_another_agency_cannot_record_payments(client, unpaid):
    dossier = unpaid(UserFactory(), agency=commune_centre())
    stranger = agency_staff(commune_centre(code="000.02.02.H26")).officer
    client.force_login(stranger)
    assert client.post(reverse("staff:act", args=[dossier.pk, "tien-mat"])).status_code == 403
    assert Dossier.objects.get(pk=dossier.pk).fee_status == "unpaid"


def test_an_exempt_applicant_owes_nothing_after_the_officer_records_the_ground(client, unpaid):
    agency = commune_centre()
    staff = agency_staff(agency)
    dossier = unpaid(UserFactory(), agency=agency)
    client.force_login(staff.officer)
    missing = client.post(reverse("staff:act", args=[dossier.pk, "mien-phi"]), {"reason": " "})
    assert missing.status_code == 422 and "căn cứ miễn" in missing.content.decode()
    client.post(reverse("staff:act", args=[dossier.pk, "mien-phi"]), {"reason": "Người có công với cách mạng"})
    dossier.refresh_from_db()
    assert dossier.fee_status == Dossier.FeeStatus.NOT_REQUIRED
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Miễn phí, lệ phí" in page and "Người có công với cách mạng" in page
