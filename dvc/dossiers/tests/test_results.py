"""Result documents as a civil-status or legal reviewer reads them: the statutory items, the issuing body, the
register's Số / Quyển số, the signer; drafted by the specialist, read by the leader on the approval page, signed as
seen. The text is read the way a reviewer's tool reads it (poppler's pdftotext when installed, else pypdf)."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import run_tasks
from dvc.agencies.models import StaffRole
from dvc.catalog.models import Procedure
from dvc.dossiers.documents.result import Signing, result_pdf, valid_until_of
from dvc.dossiers.models import Dossier, RegisterEntry
from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre

pytestmark = pytest.mark.django_db

PERSON = {"full_name": "Nguyễn Văn An", "birth_date": "1985-03-12", "id_number": "001085012345"}
HOME = {"province": "01", "commune": "00004", "line": "Số 1 Liễu Giai"}
BIRTH = {
    "nguoi_yeu_cau": PERSON, "dien_thoai": "0912345678", "noi_cu_tru": HOME,
    "ho_ten_tre": "Nguyễn Minh Khôi", "ngay_sinh_tre": "2026-11-01", "gioi_tinh": "male",
    "noi_sinh": "Bệnh viện Phụ sản Hà Nội", "dan_toc": "Kinh", "quoc_tich": "Việt Nam",
    "que_quan": "Xã Thanh Lâm, Thành phố Hà Nội",
    "me": {"full_name": "Trần Thị Bình", "birth_date": "1992-10-05", "id_number": "024192004321"},
    "me_dan_toc": "Tày", "me_quoc_tich": "Việt Nam", "me_noi_cu_tru": "Số 1 Liễu Giai, phường Ba Đình, Hà Nội",
    "cha": PERSON, "cha_dan_toc": "Kinh", "cha_quoc_tich": "Việt Nam",
    "cha_noi_cu_tru": "Số 1 Liễu Giai, phường Ba Đình, Hà Nội", "quan_he": "cha_me", "so_ban_sao": 1, "cam_doan": True,
}  # fmt: skip
MARRIAGE = {
    "nguoi_yeu_cau": PERSON, "dien_thoai": "0912345678", "noi_cu_tru": HOME,
    "ben_nu": {"full_name": "Trần Thị Bình", "birth_date": "1992-10-05", "id_number": "024192004321"},
    "ben_nu_dan_toc": "Kinh", "ben_nu_quoc_tich": "Việt Nam", "ben_nu_noi_cu_tru": "Phường Bắc Giang, Bắc Ninh",
    "ben_nam": PERSON, "ben_nam_dan_toc": "Kinh", "ben_nam_quoc_tich": "Việt Nam",
    "ben_nam_noi_cu_tru": "Phường Ba Đình, Hà Nội", "da_tung_ket_hon": "chua", "tu_nguyen": True, "cam_doan": True,
}  # fmt: skip
DEATH = {
    "nguoi_yeu_cau": PERSON, "dien_thoai": "0912345678", "noi_cu_tru": HOME,
    "nguoi_chet": {"full_name": "Nguyễn Văn Bảy", "birth_date": "1940-04-14", "id_number": "001040000777"},
    "nguoi_chet_gioi_tinh": "male", "nguoi_chet_dan_toc": "Kinh", "nguoi_chet_quoc_tich": "Việt Nam",
    "noi_cu_tru_cuoi": "Số 1 Liễu Giai, phường Ba Đình, Hà Nội", "ngay_chet": "2026-11-20",
    "noi_chet": "Bệnh viện Bạch Mai", "nguyen_nhan": "Bệnh già", "quan_he": "con", "cam_doan": True,
}  # fmt: skip


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext"):
        path = tmp_path / "doc.pdf"
        path.write_bytes(data)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def ba_dinh():
    agency = commune_centre(name="Trung tâm Phục vụ hành chính công phường Ba Đình")
    staff = agency_staff(agency)
    StaffRole.objects.filter(user=staff.leader).update(title="Phó Chủ tịch")
    return agency, staff


def awaiting(agency, staff, code: str, answers: dict):
    return DossierFactory(
        awaiting_approval=True,
        agency=agency,
        assigned_to=staff.specialist,
        procedure=Procedure.objects.get(code=code),
        form_data=answers,
    )


def drafted_and_proposed(client, dossier, staff, values: dict) -> None:
    """The specialist drafts the result with ``values`` and proposes it; the leader is signed in next."""
    Dossier.objects.filter(pk=dossier.pk).update(proposal="")
    client.force_login(staff.specialist)
    response = client.post(
        reverse("staff:act", args=[dossier.pk, "tao-du-thao"]), {f"r-{k}": v for k, v in values.items()}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(reverse("staff:act", args=[dossier.pk, "de-xuat"]), {"decision": "approve", "note": "Đủ điều kiện."})
    client.force_login(staff.leader)


def approve_through_pages(client, dossier, staff, values: dict):
    """The specialist drafts with ``values``, the leader reads the final copy on the approval page and signs it."""
    act = lambda name: reverse("staff:act", args=[dossier.pk, name])  # noqa: E731
    drafted_and_proposed(client, dossier, staff, values)
    client.post(act("xem-ban-cuoi"))
    run_tasks()  # the worker draws the final copy (issue 20, part 3)
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Bản cuối sẽ được ký số" in page
    image = reverse("staff:document_page", args=[dossier.pk, "ban-cuoi", 1])
    assert image in page
    png = client.get(image)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    found = re.search(r'name="final_sha256" value="([0-9a-f]{64})"', page)
    assert found, "the approval page carries the final copy's fingerprint"
    sha = found.group(1)
    response = client.post(act("phe-duyet"), {"final_sha256": sha}, follow=True)
    assert "Đã phê duyệt" in response.content.decode()
    run_tasks()  # the worker signs (issue 20, part 3)
    dossier.refresh_from_db()
    with dossier.result_file.file.open("rb") as handle:
        return handle.read(), sha


def test_the_birth_certificate_carries_every_item_of_article_14_issued_by_the_commune(client, ba_dinh, tmp_path):
    agency, staff = ba_dinh
    dossier = awaiting(agency, staff, "1.001193", BIRTH)
    signed, _sha = approve_through_pages(client, dossier, staff, {"so_dinh_danh_tre": "001226012345"})
    text = flat(pdf_text(signed, tmp_path))
    assert "GIẤY KHAI SINH" in text and "BẢN CHÍNH" not in text and "TRÍCH LỤC (NẾU YÊU CẦU)" not in text
    assert "ỦY BAN NHÂN DÂN" in text and "PHƯỜNG BA ĐÌNH" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Trung tâm Phục vụ" not in text and "cho ông/bà" not in text and "THỦ TRƯỞNG CƠ QUAN" not in text
    assert re.search(r"Số: 1\b", text) and re.search(r"Quyển số: 01/20\d\d", text)
    # Luật Hộ tịch 2014 Điều 14 khoản 1: the child ...
    for item in (
        "Họ, chữ đệm, tên: NGUYỄN MINH KHÔI", "Ngày, tháng, năm sinh: 01/11/2026",
        "Ghi bằng chữ: Ngày một, tháng mười một, năm hai nghìn không trăm hai mươi sáu", "Giới tính: Nam",
        "Dân tộc: Kinh", "Quốc tịch: Việt Nam", "Nơi sinh: Bệnh viện Phụ sản Hà Nội",
        "Quê quán: Xã Thanh Lâm, Thành phố Hà Nội", "Số định danh cá nhân: 001226012345",
    ):  # fmt: skip
        assert item in text, item
    # ... the mother and the father: name, year of birth, ethnicity, nationality, residence.
    for item in ("TRẦN THỊ BÌNH", "Năm sinh: 1992", "Dân tộc: Tày", "NGUYỄN VĂN AN", "Năm sinh: 1985"):
        assert item in text, item
    assert text.count("Nơi cư trú: Số 1 Liễu Giai, phường Ba Đình, Hà Nội") == 2
    assert "Nơi đăng ký khai sinh: Ủy ban nhân dân phường Ba Đình" in text
    # Signed for the committee by its vice-chairman, named.
    assert "TM. ỦY BAN NHÂN DÂN" in text and "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text
    assert staff.leader.full_name in text
    entry = RegisterEntry.objects.get(dossier=dossier)
    assert (entry.number, entry.person, entry.book.kind) == (1, "Nguyễn Minh Khôi", "khai_sinh")
    issued = dossier.issued_results.get(copy_number=0)
    assert issued.register_number == f"1/{entry.book.label}" and issued.document_title == "Giấy khai sinh"
    # The register line: what was registered, by whom, when.
    assert entry.issued_at is not None and entry.signer == f"{staff.leader.full_name} (Phó Chủ tịch)"
    assert (
        "Họ, chữ đệm, tên: NGUYỄN MINH KHÔI" in entry.details and "Số định danh cá nhân: 001226012345" in entry.details
    )
    # The public check names the issuing body, as the paper does; downloads keep the whole dossier code.
    public = client.get(reverse("staff:verify", args=[issued.pk])).content.decode()
    assert "Ủy ban nhân dân phường Ba Đình" in public and "Trung tâm Phục vụ" not in public
    download = client.get(reverse("staff:document", args=[dossier.pk, "ket-qua"]))
    assert f'filename="ket-qua-{dossier.code}.pdf"' in download["Content-Disposition"]
    # The extract asked (and paid) for on the e-form is issued with it, from the same register entry, signed.
    extract = dossier.issued_results.get(copy_number=1)
    assert extract.register_number == issued.register_number and extract.stored_file.owner == dossier.applicant
    with extract.stored_file.file.open("rb") as handle:
        copy_pdf = handle.read()
    copy_text = flat(pdf_text(copy_pdf, tmp_path))
    # Each fits one page: the signer's block is never a page of its own.
    assert len(PdfReader(io.BytesIO(copy_pdf)).pages) == 1 == len(PdfReader(io.BytesIO(signed)).pages)
    assert "TRÍCH LỤC KHAI SINH" in copy_text and "(Bản sao số 1/1, cấp từ Sổ đăng ký khai sinh)" in copy_text
    assert "NGUYỄN MINH KHÔI" in copy_text and re.search(r"Số: 1\b", copy_text)
    client.force_login(dossier.applicant)
    mine = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Tải bản sao trích lục số 1" in mine
    copy_download = client.get(reverse("vault:download", args=[extract.stored_file_id]))
    assert copy_download.status_code == 200


def test_the_stamp_sits_in_the_signature_block_and_poppler_verifies_it(client, ba_dinh, tmp_path):
    agency, staff = ba_dinh
    dossier = awaiting(agency, staff, "1.001193", BIRTH)
    signed, _sha = approve_through_pages(client, dossier, staff, {"so_dinh_danh_tre": "001226012345"})
    reader = PdfReader(io.BytesIO(signed))
    page = reader.pages[-1]
    widgets = [a.get_object() for a in page.get("/Annots", []) if a.get_object().get("/FT") == "/Sig"]
    assert len(widgets) == 1
    left, bottom, right, top = (float(v) for v in widgets[0]["/Rect"])
    assert left > float(page.mediabox.width) / 2 - 30  # the right-hand column, where the signer's block is
    assert right - left >= 200 and top - bottom >= 70  # readable: not a 5 pt box
    # Between the signer's title and the signer's name.
    positions = {}

    def seen(text, cm, tm, font, size):
        for needle in ("PHÓ CHỦ TỊCH", staff.leader.full_name):
            if needle in text:
                positions[needle] = tm[5]

    page.extract_text(visitor_text=seen)
    assert positions["PHÓ CHỦ TỊCH"] > top - 2 and positions[staff.leader.full_name] < bottom
    if shutil.which("pdfsig"):
        path = tmp_path / "signed.pdf"
        path.write_bytes(signed)
        output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False).stdout
        assert "Signature is Valid" in output or "Signature Validation: Signature is Valid" in output


def test_marriage_death_and_marital_status_papers_are_shaped_by_their_templates(client, ba_dinh, tmp_path):
    agency, staff = ba_dinh
    marriage = awaiting(agency, staff, "1.000894", MARRIAGE)
    text = flat(pdf_text(approve_through_pages(client, marriage, staff, {})[0], tmp_path))
    assert "GIẤY CHỨNG NHẬN KẾT HÔN" in text and "Bên nữ" in text and "Bên nam" in text
    for item in ("TRẦN THỊ BÌNH", "NGUYỄN VĂN AN", "05/10/1992", "12/03/1985", "024192004321", "001085012345"):
        assert item in text, item
    assert re.search(r"Số: 1\b", text) and "Quyển số: 01/" in text and "PHƯỜNG BA ĐÌNH" in text

    death = awaiting(agency, staff, "1.000656", DEATH)
    values = {"giay_bao_tu": "Giấy báo tử số 15/GBT ngày 20/11/2026 của Bệnh viện Bạch Mai"}
    text = flat(pdf_text(approve_through_pages(client, death, staff, values)[0], tmp_path))
    assert "TRÍCH LỤC KHAI TỬ" in text and "NGUYỄN VĂN BẢY" in text and "Nơi chết: Bệnh viện Bạch Mai" in text
    assert "Ngày hai mươi, tháng mười một, năm hai nghìn không trăm hai mươi sáu" in text
    assert "Giấy báo tử số 15/GBT" in text and "Người đi khai tử: Nguyễn Văn An" in text

    status = awaiting(agency, staff, "1.004873", dict(DossierFactory.build().form_data))
    values = {"tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai."}
    signed, _sha = approve_through_pages(client, status, staff, values)
    text = flat(pdf_text(signed, tmp_path))
    assert "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN" in text and "Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai." in text
    issued = status.issued_results.get()  # 1.004873 issues no extracts
    # The paper is dated in Vietnam's time (UTC+7): between 17:00 and 24:00 UTC that is already the next day.
    assert issued.valid_until == valid_until_of(timezone.localdate(issued.signed_at), 6)
    assert f"đến hết ngày {issued.valid_until:%d/%m/%Y}" in text and "06 tháng" in text
    assert status.result_file.valid_until == issued.valid_until
    # Each kind has its own register: each paper is number 1 of its book.
    assert sorted(RegisterEntry.objects.values_list("book__kind", "number")) == [
        ("ket_hon", 1),
        ("khai_tu", 1),
        ("xac_nhan_hon_nhan", 1),
    ]


def test_the_specialist_must_give_what_the_template_needs(client, ba_dinh):
    agency, staff = ba_dinh
    dossier = awaiting(agency, staff, "1.001193", BIRTH)
    Dossier.objects.filter(pk=dossier.pk).update(proposal="")
    client.force_login(staff.specialist)
    act = reverse("staff:act", args=[dossier.pk, "tao-du-thao"])
    page = client.post(act, {"r-so_dinh_danh_tre": ""}).content.decode()
    assert "Vui lòng nhập “Số định danh cá nhân của trẻ”." in page
    page = client.post(act, {"r-so_dinh_danh_tre": "0012260"}).content.decode()
    assert "phải gồm đúng 12 chữ số" in page and 'value="0012260"' in page
    page = client.post(act, {"r-so_dinh_danh_tre": "001085012345"}).content.decode()  # the father's
    assert "là của một người khác trong hồ sơ" in page
    for wrong in ("001326012345", "001225012345", "001026012345"):  # a girl; born 2025; a man of the 1900s
        page = client.post(act, {"r-so_dinh_danh_tre": wrong}).content.decode()
        assert "không khớp giới tính và năm sinh" in page, wrong
    dossier.refresh_from_db()
    assert dossier.draft_result is None


def test_the_leader_signs_only_the_copy_seen(client, ba_dinh):
    agency, staff = ba_dinh
    dossier = awaiting(agency, staff, "1.004873", dict(DossierFactory.build().form_data))
    drafted_and_proposed(client, dossier, staff, {"tinh_trang_hon_nhan": "Chưa kết hôn."})
    sign = reverse("staff:act", args=[dossier.pk, "phe-duyet"])
    page = client.post(sign, {}).content.decode()  # one click no longer signs
    assert "Vui lòng xem bản cuối của kết quả trước khi ký số." in page
    client.post(reverse("staff:act", args=[dossier.pk, "xem-ban-cuoi"]))
    run_tasks()
    response = client.post(sign, {"final_sha256": "0" * 64}, follow=True).content.decode()
    assert "đã thay đổi từ khi bạn xem" in response
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.PROCESSING and dossier.result_file is None
    # Sent back and drafted again: the number it took stays its own, the final copy is made again.
    number = RegisterEntry.objects.get(dossier=dossier).number
    client.post(reverse("staff:act", args=[dossier.pk, "tra-lai"]), {"note": "Sửa lại."})
    dossier.refresh_from_db()
    assert dossier.final_result is None
    assert RegisterEntry.objects.get(dossier=dossier).number == number


def test_a_number_held_for_a_copy_not_yet_signed_says_so_in_the_register(client, ba_dinh):
    agency, staff = ba_dinh
    dossier = awaiting(agency, staff, "1.004873", dict(DossierFactory.build().form_data))
    drafted_and_proposed(client, dossier, staff, {"tinh_trang_hon_nhan": "Chưa kết hôn."})
    client.post(reverse("staff:act", args=[dossier.pk, "xem-ban-cuoi"]))
    run_tasks()
    client.post(reverse("staff:act", args=[dossier.pk, "tra-lai"]), {"note": "Sửa lại."})
    page = client.get(reverse("staff:civil_register") + "?so=xac_nhan_hon_nhan").content.decode()
    assert dossier.code in page and "chờ lãnh đạo ký" in page


def test_a_leader_without_a_title_is_told_before_anything_is_numbered(client, ba_dinh):
    agency, staff = ba_dinh
    StaffRole.objects.filter(user=staff.leader).update(title="")
    dossier = awaiting(agency, staff, "1.004873", dict(DossierFactory.build().form_data))
    drafted_and_proposed(client, dossier, staff, {"tinh_trang_hon_nhan": "Chưa kết hôn."})
    page = client.post(reverse("staff:act", args=[dossier.pk, "xem-ban-cuoi"])).content.decode()
    assert "chưa có chức vụ" in page
    assert not RegisterEntry.objects.exists()


def test_a_refused_dossier_keeps_its_number_struck_out_in_the_register(client, ba_dinh):
    agency, staff = ba_dinh
    dossier = awaiting(agency, staff, "1.004873", dict(DossierFactory.build().form_data))
    drafted_and_proposed(client, dossier, staff, {"tinh_trang_hon_nhan": "Chưa kết hôn."})
    client.post(reverse("staff:act", args=[dossier.pk, "xem-ban-cuoi"]))
    run_tasks()
    client.post(reverse("staff:act", args=[dossier.pk, "tu-choi"]), {"reason": "Phát hiện đã kết hôn."})
    page = client.get(reverse("staff:civil_register") + "?so=xac_nhan_hon_nhan").content.decode()
    assert dossier.code in page and "Đã hủy: Phát hiện đã kết hôn." in page
    sheet = client.get(reverse("staff:civil_register") + "?so=xac_nhan_hon_nhan&xuat=xlsx")
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[2][0] == "1" and rows[2][6] == dossier.code and rows[2][8].startswith("Đã hủy")


def test_the_draft_has_no_number_and_no_signer(ba_dinh, tmp_path):
    agency, staff = ba_dinh
    dossier = awaiting(agency, staff, "1.001193", BIRTH)
    text = flat(pdf_text(result_pdf(dossier), tmp_path))
    assert "DỰ THẢO" in text and "Số: …" in text and "(họ và tên người ký)" in text
    final = flat(
        pdf_text(
            result_pdf(dossier, Signing("Ngô Thị Hạnh", "Chủ tịch", dossier.created_at.date(), "7", "01/2026")),
            tmp_path,
        )
    )
    assert "DỰ THẢO" not in final and "Số: 7" in final and "KT." not in final and "CHỦ TỊCH" in final


def test_validity_counts_months_as_the_civil_code_does():
    import datetime as dt

    assert valid_until_of(dt.date(2026, 12, 6), 6) == dt.date(2027, 6, 6)
    assert valid_until_of(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert valid_until_of(dt.date(2026, 8, 31), 0) is None


def test_a_civil_status_paper_cannot_be_uploaded_instead_of_drafted(client, ba_dinh):
    """Attack pass on issue 17: an uploaded PDF was signed without entering the register, or under a number it
    did not carry."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    agency, staff = ba_dinh
    dossier = awaiting(agency, staff, "1.004873", dict(DossierFactory.build().form_data))
    Dossier.objects.filter(pk=dossier.pk).update(proposal="")
    client.force_login(staff.specialist)
    upload = SimpleUploadedFile("ket-qua.pdf", result_pdf(dossier), content_type="application/pdf")
    page = client.post(reverse("staff:act", args=[dossier.pk, "tai-du-thao"]), {"file": upload}).content.decode()
    assert "phải lập theo mẫu" in page
    dossier.refresh_from_db()
    assert dossier.draft_result is None


def test_control_characters_never_reach_the_paper(client, ba_dinh, tmp_path):
    agency, staff = ba_dinh
    dossier = awaiting(agency, staff, "1.004873", dict(DossierFactory.build().form_data))
    drafted_and_proposed(client, dossier, staff, {"tinh_trang_hon_nhan": "Chưa\x00 kết\u202e hôn\x07\x0c với ai."})
    dossier.refresh_from_db()
    assert dossier.result_data["tinh_trang_hon_nhan"] == "Chưa kết hôn với ai."
