import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dvc.agencies.models import Agency
from dvc.agencies.tests.factories import AgencyFactory

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def commune_centre(**kwargs):
    return AgencyFactory(
        code=kwargs.pop("code", "000.01.01.H26"), kind=Agency.Kind.COMMUNE_CENTRE, level=Agency.Level.COMMUNE, **kwargs
    )


def pdf_upload(name="giay-chung-sinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def photo_upload(name="anh.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


BIRTH_FORM = {
    "f-nguoi_yeu_cau.full_name": "Nguyễn Văn An",
    "f-nguoi_yeu_cau.birth_date": "12/03/1985",
    "f-nguoi_yeu_cau.id_number": "001085012345",
    "f-dien_thoai": "0912345678",
    "f-noi_cu_tru.province": "01",
    "f-noi_cu_tru.commune": "00004",
    "f-noi_cu_tru.line": "Số 1 Liễu Giai",
    "f-ho_ten_tre": "Nguyễn Minh Khôi",
    "f-ngay_sinh_tre": "01/11/2026",
    "f-gioi_tinh": "male",
    "f-noi_sinh": "Bệnh viện Phụ sản Hà Nội",
    "f-dan_toc": "Kinh",
    "f-quoc_tich": "Việt Nam",
    "f-me.full_name": "Trần Thị Bình",
    "f-quan_he": "cha_me",
    "f-so_ban_sao": "1",
    "f-cam_doan": "on",
    "d-submission_method": "online",
    "d-result_method": "online",
    "d-notify_sms": "on",
}


def sign_as(user, pdf: bytes, *, issuer=None) -> bytes:
    """``pdf`` signed with a certificate for ``user`` from the development CA (or ``issuer``)."""
    from dvc.vault import pki, signing

    ca = issuer or pki.dev_ca()
    identity = pki.issue_signing_identity(issuer=ca, common_name=user.full_name, serial=f"CCCD:{user.id_number}")
    return signing.sign_pdf(pdf, identity=identity, chain=[ca.certificate])


def staff_member(agency, role, **kwargs):
    """A user holding ``role`` in ``agency`` (one-stop officer, specialist, leader)."""
    from dvc.accounts.tests.factories import UserFactory
    from dvc.agencies.tests.factories import StaffRoleFactory

    user = UserFactory(**kwargs)
    StaffRoleFactory(user=user, agency=agency, role=role)
    return user


def agency_staff(agency):
    """One officer, one specialist and one leader of ``agency``."""
    from types import SimpleNamespace

    from dvc.agencies.models import StaffRole

    return SimpleNamespace(
        officer=staff_member(agency, StaffRole.Role.ONE_STOP_OFFICER, full_name="Lê Văn Một Cửa"),
        specialist=staff_member(agency, StaffRole.Role.SPECIALIST, full_name="Phạm Thị Chuyên Viên"),
        leader=staff_member(agency, StaffRole.Role.LEADER, full_name="Trần Văn Lãnh Đạo"),
    )


def ensure_catalog():
    """A transactional test starts from an empty database: load the units and the demo catalog."""
    import json

    from dvc.agencies.services import admin_units_load
    from dvc.catalog.models import Procedure
    from dvc.catalog.services import catalog_import
    from dvc.web.demo import DEMO_CATALOG

    if not Procedure.objects.exists():
        admin_units_load()
        catalog_import(data=json.loads(DEMO_CATALOG.read_text(encoding="utf-8")))


MARITAL_ANSWERS = {
    "nguoi_yeu_cau": {"full_name": "Nguyễn Văn An", "birth_date": "1985-03-12", "id_number": "001085012345"},
    "dien_thoai": "0912345678",
    "noi_cu_tru": {"province": "01", "commune": "00004", "line": ""},
    "muc_dich": "Kết hôn",
    "cam_doan": True,
}
