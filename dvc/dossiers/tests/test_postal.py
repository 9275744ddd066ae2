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


def test_the_label_carries_a_scannable_code_and_the_post_office_fields(client):
    agency = commune_centre()
    staff = agency_staff(agency)
    dossier = DossierFactory(returned=True, agency=agency, result_method="post", delivery_address=HOME,
                             return_note="EB123456789VN", postal_operator="vnpost")  # fmt: skip
    client.force_login(staff.officer)
    label = client.get(reverse("staff:document", args=[dossier.pk, "nhan-buu-gui"]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(label.content)).pages)
    assert "Khối lượng" in text and "Ngày gửi" in text and "BƯU ĐIỆN VIỆT NAM (VNPOST)" in text
    drawing = PdfReader(io.BytesIO(label.content)).pages[0].get_contents().get_data()
    assert drawing.count(b" re") >= 5 * len(dossier.code)  # the Code 39 bars: five black bars per character


def test_a_result_sent_by_post_tells_the_citizen_its_tracking_number_and_where_to_follow_it(client, outbox, tasks):
    from dvc.dossiers.backoffice.delivery import dossier_return_result

    agency = commune_centre()
    staff = agency_staff(agency)
    dossier = DossierFactory(result_ready=True, agency=agency, result_method="post", delivery_address=HOME,
                             notify_sms=True)  # fmt: skip
    with pytest.raises(InvalidInput):
        dossier_return_result(dossier=dossier, actor=staff.officer, method="post", note="gửi rồi")
    dossier_return_result(dossier=dossier, actor=staff.officer, method="post", note="eb 123456789 vn")
    dossier.refresh_from_db()
    assert (dossier.return_note, dossier.postal_operator) == ("EB123456789VN", "vnpost")
    tasks()
    sms = " ".join(m["body"] for m in outbox.sms())
    assert "số hiệu bưu gửi EB123456789VN" in sms and "vnpost.vn" in sms and "EB123456789VN" in sms
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Theo dõi bưu gửi" in page and "key=EB123456789VN" in page


def test_the_days_hand_over_list_names_each_parcel_and_both_signers(client):
    from django.utils import timezone

    agency = commune_centre()
    staff = agency_staff(agency)
    sent = DossierFactory(returned=True, agency=agency, result_method="post", delivery_address=HOME,
                          return_note="EB123456789VN", postal_operator="vnpost", returned_at=timezone.now())  # fmt: skip
    online = DossierFactory(returned=True, agency=agency, result_method="online")
    client.force_login(staff.officer)
    page = client.get(reverse("staff:postal_handover")).content.decode()
    assert sent.code in page and "EB123456789VN" in page and "Số 12 phố Đội Cấn" in page and online.code not in page
    pdf = client.get(reverse("staff:postal_handover") + "?xuat=pdf")
    data = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "DANH SÁCH GIAO BƯU GỬI" in text and sent.code in text and "EB123456789VN" in text
    assert "BÊN NHẬN (NHÂN VIÊN BƯU CHÍNH)" in text and staff.officer.full_name in text


def test_the_check_page_shows_where_the_post_will_go(client):
    """Walk-through of issue 17: the last page before sending did not show the postal address."""
    dossier = choose(DossierFactory(), result_method="post", delivery_address=HOME)
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:submit", args=[dossier.pk])).content.decode()
    assert "Địa chỉ bưu chính" in page and "Số 12 phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội" in page
