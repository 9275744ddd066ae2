"""The post office can deliver (issue 15, finding 10): the address the citizen gave for postal pickup or delivery
is recorded, shown to officers (page, API, register) and printed on a shipping label."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from dvc.accounts.services import api_token_create
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.citizen.drafting import dossier_save_draft
from dvc.dossiers.citizen.sending import submission_problems
from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre
from dvc.errors import InvalidInput
from dvc.web.demo import MARITAL_ANSWERS

pytestmark = pytest.mark.django_db
HOME = {"province": "01", "commune": "00004", "line": "Số 12 phố Đội Cấn"}


def choose(dossier, **delivery):
    return dossier_save_draft(
        dossier=dossier, actor=dossier.applicant, form_data=MARITAL_ANSWERS, notify_sms=True, notify_email=False,
        **{"submission_method": "online", "result_method": "online", "delivery_address": {}, **delivery},
    )  # fmt: skip


def test_postal_pickup_needs_an_address_and_keeps_it():
    dossier = DossierFactory()
    dossier.procedure.submission_channels = ["online", "post"]
    dossier.procedure.save(update_fields=["submission_channels"])
    dossier = choose(dossier, submission_method="post_pickup")
    assert "delivery_address" in submission_problems(dossier)
    dossier = choose(dossier, submission_method="post_pickup", delivery_address=HOME)
    assert dossier.delivery_address["line"] == "Số 12 phố Đội Cấn"
    with pytest.raises(InvalidInput):
        choose(dossier, result_method="post", delivery_address={"province": "01", "commune": "99999", "line": "x"})


def test_officers_see_the_postal_address_on_the_page_the_api_and_the_register(client):
    agency = commune_centre()
    staff = agency_staff(agency)
    dossier = DossierFactory(submitted=True, agency=agency, result_method="post", delivery_address=HOME)
    dossier = dossier_receive(dossier=dossier, actor=staff.officer)
    client.force_login(staff.officer)
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Số 12 phố Đội Cấn" in page and "Phường Ba Đình" in page and "Thành phố Hà Nội" in page
    token = api_token_create(user=staff.officer)
    api = client.get(f"/api/v1/backoffice/dossiers/{dossier.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert api["postal_address"] == "Số 12 phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội"
    sheet = load_workbook(io.BytesIO(client.get(reverse("staff:register") + "?xuat=xlsx").content)).active
    assert "Số 12 phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội" in [c.value for c in sheet[4]]


def test_a_shipping_label_names_sender_recipient_code_and_tracking_number(client):
    agency = commune_centre()
    staff = agency_staff(agency)
    dossier = DossierFactory(
        returned=True, agency=agency, result_method="post", delivery_address=HOME, return_note="EB123456789VN"
    )
    client.force_login(staff.officer)
    label = client.get(reverse("staff:document", args=[dossier.pk, "nhan-buu-gui"]))
    assert label.status_code == 200 and label.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(label.content)).pages)
    for expected in (agency.name.upper(), dossier.applicant_data["full_name"], "Số 12 phố Đội Cấn", dossier.code,
                     "EB123456789VN"):  # fmt: skip
        assert expected in text, expected
    online = DossierFactory(submitted=True, agency=agency)
    assert client.get(reverse("staff:document", args=[online.pk, "nhan-buu-gui"])).status_code == 404
