"""The officer's dossier page reads as the paper would (issue 17): answers by their e-form types, papers opened
in the page, and none of the raw values the first pilot showed ("01, 00004", "True", ISO dates, "16000")."""

import pytest
from django.urls import reverse

from dvc.catalog.models import Procedure
from dvc.documents.pdf import Sheet, paragraph
from dvc.dossiers.models import DossierAttachment
from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre, stored_pdf
from dvc.dossiers.tests.test_results import BIRTH

pytestmark = pytest.mark.django_db


def one_page_pdf() -> bytes:
    pdf = Sheet()
    pdf.add_page()
    pdf.set_font("BeVietnamPro", "", 12)
    paragraph(pdf, 8, "Giấy chứng sinh số 123")
    return bytes(pdf.output())


@pytest.fixture
def office():
    agency = commune_centre()
    return agency, agency_staff(agency)


def test_answers_are_shown_by_their_types_not_as_stored(client, office):
    agency, staff = office
    dossier = DossierFactory(
        processing=True, agency=agency, procedure=Procedure.objects.get(code="1.001193"), form_data=BIRTH
    )
    client.force_login(staff.officer)
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Số 1 Liễu Giai, Phường Ba Đình, Thành phố Hà Nội" in page  # unit names, not "01, 00004"
    assert ", 00004" not in page and "00004," not in page and "True" not in page and "2026-11-01" not in page
    assert "01/11/2026" in page and "<dd>Có</dd>" in page and "<dd>Nam</dd>" in page
    assert "Trần Thị Bình<br>sinh ngày 05/10/1992<br>số định danh 024192004321" in page  # a person as a block


def test_money_and_counts_have_thousands_separators(client, office):
    agency, staff = office
    answers = {"von_kinh_doanh": 500000000, "so_lao_dong": 12}
    dossier = DossierFactory(
        processing=True, agency=agency, procedure=Procedure.objects.get(code="1.001612"), form_data=answers
    )
    client.force_login(staff.officer)
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "<dd>500.000.000</dd>" in page and "<dd>12</dd>" in page and "500000000" not in page


def test_papers_open_inside_the_page_as_images(client, office):
    agency, staff = office
    dossier = DossierFactory(processing=True, agency=agency)
    photo = dossier.attachments.first()
    pdf = DossierAttachment.objects.create(
        dossier=dossier, stored_file=stored_pdf(dossier.applicant, name="giay-chung-sinh.pdf", content=one_page_pdf())
    )
    client.force_login(staff.officer)
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    viewer = reverse("staff:view_attachment", args=[dossier.pk, pdf.pk])
    assert viewer in page
    shown = client.get(viewer).content.decode()
    image = reverse("staff:attachment_page", args=[dossier.pk, pdf.pk, 1])
    assert f'src="{image}"' in shown and "Tải tệp về máy" in shown
    png = client.get(image)
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert client.get(reverse("staff:attachment_page", args=[dossier.pk, pdf.pk, 2])).status_code == 404
    # The file itself keeps its download hardening.
    raw = client.get(reverse("staff:attachment", args=[dossier.pk, pdf.pk]))
    assert raw["Content-Security-Policy"].startswith("sandbox") and "attachment" in raw["Content-Disposition"]
    if photo is not None:
        assert client.get(reverse("staff:view_attachment", args=[dossier.pk, photo.pk])).status_code == 200


def test_another_agencys_officer_cannot_read_the_pages(client, office):
    agency, _staff = office
    dossier = DossierFactory(processing=True, agency=agency)
    pdf = DossierAttachment.objects.create(dossier=dossier, stored_file=stored_pdf(dossier.applicant))
    stranger = agency_staff(commune_centre(code="000.02.02.H26")).officer
    client.force_login(stranger)
    for url in (
        reverse("staff:view_attachment", args=[dossier.pk, pdf.pk]),
        reverse("staff:attachment_page", args=[dossier.pk, pdf.pk, 1]),
    ):
        assert client.get(url).status_code == 403


def _pdf(objects: list[bytes]) -> bytes:
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def _page(media_box: str, resources: bytes = b"", content: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [{media_box}] ".encode() + resources + b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]


def test_a_hostile_pdf_cannot_exhaust_the_server(client, office, settings, monkeypatch):
    """Attack pass on issue 17: a 400-byte PDF whose page is 1 pt wide and 1,000 pt tall took 8 GB to draw; one of
    nested drawings took minutes. Pages are drawn in a child process under memory and CPU ceilings, in a bounded
    number of pixels; what cannot be drawn in time is refused, and the file can still be downloaded."""
    from dvc.documents import preview

    monkeypatch.setattr(preview, "CPU_SECONDS", 2)
    agency, staff = office
    dossier = DossierFactory(processing=True, agency=agency)
    tall = _pdf(_page("0 0 1 1000"))
    draw = b"/X Do\n" * 10
    nested = _page("0 0 600 800", b"/Resources << /XObject << /X 5 0 R >> >>", draw)
    for level in range(7):  # each form draws the next one ten times: 10^7 strokes
        inner = b"0 0 m 600 800 l S\n" if level == 6 else draw
        resources = b"" if level == 6 else b"/Resources << /XObject << /X %d 0 R >> >> " % (6 + level)
        nested.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] " + resources
            + b"/Length %d >>\nstream\n" % len(inner) + inner + b"\nendstream"
        )  # fmt: skip
    client.force_login(staff.officer)
    tall_file = DossierAttachment.objects.create(
        dossier=dossier, stored_file=stored_pdf(dossier.applicant, content=tall)
    )
    png = client.get(reverse("staff:attachment_page", args=[dossier.pk, tall_file.pk, 1]))
    assert png.status_code == 200 and len(png.content) < 200_000
    bomb = DossierAttachment.objects.create(
        dossier=dossier, stored_file=stored_pdf(dossier.applicant, content=_pdf(nested))
    )
    refused = client.get(reverse("staff:attachment_page", args=[dossier.pk, bomb.pk, 1]))
    assert refused.status_code == 422
    assert client.get(reverse("staff:attachment", args=[dossier.pk, bomb.pk])).status_code == 200


def test_a_long_attachment_says_how_much_is_shown(client, office):
    agency, staff = office
    dossier = DossierFactory(processing=True, agency=agency)
    pdf = Sheet()
    for number in range(35):
        pdf.add_page()
        pdf.set_font("BeVietnamPro", "", 12)
        paragraph(pdf, 8, f"Trang {number + 1}")
    long = DossierAttachment.objects.create(
        dossier=dossier, stored_file=stored_pdf(dossier.applicant, content=bytes(pdf.output()))
    )
    client.force_login(staff.officer)
    page = client.get(reverse("staff:view_attachment", args=[dossier.pk, long.pk])).content.decode()
    assert "Tệp có 35 trang; trang này hiển thị 30 trang đầu." in page
    assert page.count('<figure class="page-image">') == 30
