import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dvc.accounts.tests.factories import UserFactory
from dvc.agencies.models import Agency
from dvc.agencies.tests.factories import AgencyFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.lifecycle.applicant import applicant_name_key, applicant_snapshot
from dvc.dossiers.lifecycle.codes import new_security_code
from dvc.dossiers.models import Dossier
from dvc.payments.models import FeeLine
from dvc.vault.models import StoredFile
from dvc.vault.services import stored_file_from_bytes
from dvc.web.demo import MARITAL_ANSWERS

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
    "f-que_quan": "Xã Thanh Lâm, Thành phố Hà Nội",
    "f-me.full_name": "Trần Thị Bình",
    "f-me.birth_date": "05/10/1992",
    "f-me_dan_toc": "Kinh",
    "f-me_quoc_tich": "Việt Nam",
    "f-me_noi_cu_tru": "Số 1 Liễu Giai, phường Ba Đình, Thành phố Hà Nội",
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

    leader = staff_member(agency, StaffRole.Role.LEADER, full_name="Trần Văn Lãnh Đạo")
    StaffRole.objects.filter(user=leader, agency=agency).update(title="Chủ tịch")  # the title signed under
    return SimpleNamespace(
        officer=staff_member(agency, StaffRole.Role.ONE_STOP_OFFICER, full_name="Lê Văn Một Cửa"),
        specialist=staff_member(agency, StaffRole.Role.SPECIALIST, full_name="Phạm Thị Chuyên Viên"),
        leader=leader,
    )


def proposed_for_approval(submitted_dossier):
    """A marital-status certificate of a commune's centre, drafted from its template and proposed to the leader,
    who has not read its final copy yet; with the agency's staff."""
    from dvc.dossiers.backoffice.appraisal import dossier_assign, dossier_generate_result, dossier_propose
    from dvc.dossiers.backoffice.intake import dossier_receive

    staff = agency_staff(agency := commune_centre())
    dossier = submitted_dossier(UserFactory(full_name="Nguyễn Văn An"), agency=agency)
    dossier = dossier_receive(dossier=dossier, actor=staff.officer)
    dossier = dossier_assign(dossier=dossier, actor=staff.officer, specialist=staff.specialist)
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    return dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note=""), staff


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


def stored_pdf(owner, name="ket-qua.pdf", content=PDF_BYTES, document_type="", title="") -> StoredFile:
    """A PDF kept in the vault for ``owner``, as a generated result or receipt is."""
    with stored_file_from_bytes(
        owner=owner, content=content, name=name, document_type=document_type, title=title
    ) as stored:
        return stored


S = Dossier.Status
# What the specialist adds to a 1.004873 result (its template's officer field): the status found in the register.
RESULT_VALUES = {"tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai."}


class DossierFactory(factory.django.DjangoModelFactory[Dossier]):
    """A dossier of 1.004873 (xác nhận tình trạng hôn nhân) answered with the demo answers: a draft by default, and a
    trait per lifecycle state for tests that start further along (the services are tested from a draft up)."""

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    procedure = factory.LazyFunction(lambda: Procedure.objects.get(code="1.004873"))
    agency = factory.LazyFunction(commune_centre)
    applicant = factory.SubFactory(UserFactory)
    applicant_data = factory.LazyAttribute(lambda o: applicant_snapshot(o.applicant))
    applicant_name = factory.LazyAttribute(lambda o: applicant_name_key(o.applicant_data))
    form_data = factory.LazyFunction(lambda: dict(MARITAL_ANSWERS))
    status = S.DRAFT

    class Params:
        sent_at = factory.LazyFunction(timezone.now)
        submitted = factory.Trait(
            status=S.SUBMITTED,
            code=factory.LazyAttributeSequence(lambda o, n: f"{o.agency.code}-{o.sent_at:%y%m%d}-9{n % 1000:03d}"),
            submitted_at=factory.SelfAttribute("sent_at"),
            security_code=factory.LazyFunction(new_security_code),
            due_at=factory.LazyAttribute(lambda o: o.sent_at + dt.timedelta(days=7)),
        )
        processing = factory.Trait(
            submitted=True,
            status=S.PROCESSING,
            received_at=factory.SelfAttribute("sent_at"),
            received_by=factory.SubFactory(UserFactory, full_name="Lê Văn Một Cửa"),
        )
        needs_supplement = factory.Trait(
            processing=True, status=S.NEEDS_SUPPLEMENT, paused_at=factory.LazyFunction(timezone.now)
        )
        awaiting_approval = factory.Trait(
            processing=True,
            assigned_to=factory.SubFactory(UserFactory, full_name="Phạm Thị Chuyên Viên"),
            assigned_at=factory.SelfAttribute("sent_at"),
            proposal=Dossier.Proposal.APPROVE,
            proposed_at=factory.LazyFunction(timezone.now),
        )
        result_ready = factory.Trait(
            processing=True,
            status=S.RESULT_READY,
            decided_at=factory.LazyFunction(timezone.now),
            result_file=factory.LazyAttribute(
                lambda o: stored_pdf(o.applicant, document_type="ket_qua", title=o.procedure.result_document)
            ),
        )
        returned = factory.Trait(result_ready=True, status=S.RETURNED, returned_at=factory.LazyFunction(timezone.now))
        refused = factory.Trait(
            submitted=True,
            status=S.REFUSED,
            decision_note="Hồ sơ không thuộc thẩm quyền.",
            decided_at=factory.LazyFunction(timezone.now),
        )
        withdrawn = factory.Trait(submitted=True, status=S.WITHDRAWN)
        unpaid = factory.Trait(submitted=True, fee_status=Dossier.FeeStatus.UNPAID)

    @factory.post_generation
    def fees(self, create, amounts, **kwargs):
        """``fees=[36000, 22000]``: the dossier's fixed fee lines (a charge, then postage)."""
        for position, amount in enumerate(amounts or []):
            FeeLine.objects.create(
                dossier=self,
                kind=FeeLine.Kind.CHARGE if position == 0 else FeeLine.Kind.POSTAL,
                name="Lệ phí cấp giấy xác nhận" if position == 0 else "Chuyển kết quả qua bưu chính",
                amount=amount,
                position=position,
            )


def ready_draft(user, agency=None, *, notify_sms=False):
    """A draft of 1.004873 (xác nhận tình trạng hôn nhân) with its answers and its identity paper: ready to send."""
    from dvc.dossiers.citizen.drafting import dossier_save_draft, dossier_start
    from dvc.dossiers.citizen.papers import dossier_attach

    procedure = Procedure.objects.get(code="1.004873")
    dossier = dossier_start(applicant=user, procedure=procedure, agency=agency or commune_centre())
    dossier_save_draft(
        dossier=dossier, actor=user, form_data=MARITAL_ANSWERS, submission_method="online", result_method="online",
        delivery_address={}, notify_sms=notify_sms, notify_email=False,
    )  # fmt: skip
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    dossier_attach(dossier=dossier, actor=user, requirement=identity, upload=photo_upload())
    return dossier
