"""The one-stop forms of TT 03/2025/TT-VPCP as printed: office and national motto side by side, the form's Số,
place and date, and the signature lines (form 01: the applicant and the officer who received the dossier)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre

pytestmark = pytest.mark.django_db


def layout_lines(data: bytes) -> list[str]:
    return [
        line
        for page in PdfReader(io.BytesIO(data)).pages
        for line in page.extract_text(extraction_mode="layout").splitlines()
    ]


def test_form_01_has_the_two_column_heading_its_number_and_both_signature_lines(client):
    agency = commune_centre()
    staff = agency_staff(agency)
    dossier = DossierFactory(processing=True, agency=agency, received_by=staff.officer)
    client.force_login(staff.officer)
    response = client.get(reverse("staff:document", args=[dossier.pk, "mau-01"]))
    data = b"".join(response.streaming_content) if response.streaming else response.content
    lines = layout_lines(data)
    side_by_side = [
        line for line in lines if "ỦY BAN NHÂN DÂN" in line and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line
    ]
    assert side_by_side, "the office and the national motto share the first line"
    text = "\n".join(lines)
    assert f"Số: {dossier.code}" in text and "ngày" in text and "tháng" in text
    signers = [line for line in lines if "NGƯỜI NỘP HỒ SƠ" in line and "NGƯỜI TIẾP NHẬN HỒ SƠ" in line]
    assert signers, "both signature lines, side by side"
    assert staff.officer.full_name in text and dossier.applicant_data["full_name"] in text
