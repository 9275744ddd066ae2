import datetime as dt
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.drafting import dossier_save_draft, dossier_start
from dvc.dossiers.citizen.sending import submission_problems
from dvc.dossiers.citizen.signing import declaration_pdf, dossier_attach_signed_form
from dvc.dossiers.tests.factories import commune_centre, ensure_catalog, sign_as
from dvc.dossiers.tests.test_results import BIRTH
from dvc.errors import InvalidInput
from dvc.vault import pki, signing

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    ensure_catalog()  # some tests here are transactional (the CSC sandbox behind a live server)
    user = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345")
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    return user, dossier, declaration_pdf(dossier)


def rogue_ca():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "CA không được công nhận")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(7)
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True).sign(key, hashes.SHA256())
    )  # fmt: skip
    return pki.Identity(key=key, certificate=cert)


def attach(user, dossier, data):
    return dossier_attach_signed_form(dossier=dossier, actor=user, upload=SimpleUploadedFile("ky.pdf", data))


def test_a_good_signature_is_accepted_and_pdfsig_agrees(draft, tmp_path):
    user, dossier, pdf = draft
    signed = sign_as(user, pdf)
    dossier = attach(user, dossier, signed)
    assert dossier.signed_by == "Nguyễn Văn An" and dossier.signed_form is not None
    if shutil.which("pdfsig"):
        path = tmp_path / "signed.pdf"
        path.write_bytes(signed)
        output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False).stdout
        assert "Signature is Valid" in output and "Total document signed" in output


def test_a_tampered_signed_pdf_is_refused(draft, tmp_path):
    user, dossier, pdf = draft
    signed = bytearray(sign_as(user, pdf))
    position = signed.find(b"/Length") - 40  # inside the signed content stream area, before the signature
    signed[position] = (signed[position] + 1) % 256
    with pytest.raises(InvalidInput, match=r"bị sửa|bị hỏng|Không kiểm tra"):
        attach(user, dossier, bytes(signed))
    dossier.refresh_from_db()
    assert dossier.signed_form is None
    if shutil.which("pdfsig"):
        path = tmp_path / "tampered.pdf"
        path.write_bytes(bytes(signed))
        output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False).stdout
        assert "Signature is Valid" not in output


def test_a_certificate_from_an_untrusted_ca_is_refused(draft):
    user, dossier, pdf = draft
    with pytest.raises(InvalidInput, match="không do tổ chức cung cấp dịch vụ chứng thực được công nhận"):
        attach(user, dossier, sign_as(user, pdf, issuer=rogue_ca()))


def test_content_added_after_signing_is_refused(draft):
    user, dossier, pdf = draft
    with pytest.raises(InvalidInput, match="thêm nội dung sau khi ký"):
        attach(user, dossier, sign_as(user, pdf) + b"\n%% sua sau khi ky\n")


def test_someone_elses_signature_is_refused(draft):
    user, dossier, pdf = draft
    stranger = UserFactory(full_name="Trần Văn Khác")
    with pytest.raises(InvalidInput, match="không phải của người nộp"):
        attach(user, dossier, sign_as(stranger, pdf))


def test_an_unsigned_pdf_is_refused(draft):
    user, dossier, pdf = draft
    with pytest.raises(InvalidInput, match="chưa có chữ ký số"):
        attach(user, dossier, pdf)


def test_a_procedure_requiring_a_signature_cannot_be_sent_without_one(draft):
    _user, dossier, _pdf = draft
    assert "signed_form" in submission_problems(dossier)


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_remote_signing_with_the_built_in_provider_confirmed_by_otp(csc_sandbox, client, draft, outbox, tmp_path):
    import re

    from django.urls import reverse

    user, dossier, _pdf = draft
    dossier = edit(dossier, user, **BIRTH)  # a declaration is signed once it is filled in
    client.force_login(user)
    response = client.post(reverse("dossiers:remote_sign_start", args=[dossier.pk]))
    session_url = response.url
    assert "/ky-so-tu-xa/" in session_url
    code = outbox.last_otp(user.phone)
    assert "xác nhận ký số" in outbox.sms()[-1]["body"]
    wrong = "000000" if code != "000000" else "111111"
    page = client.post(session_url, {"otp": wrong})
    assert "không đúng" in page.content.decode()
    dossier.refresh_from_db()
    assert dossier.signed_form is None
    response = client.post(session_url, {"otp": code}, follow=True)
    assert "Chữ ký số hợp lệ" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.signed_by == user.full_name
    assert "signed_form" not in submission_problems(dossier)
    # The session is spent: the same code cannot sign again.
    again = client.post(session_url, {"otp": code})
    assert "không còn hiệu lực" in again.content.decode() or "đã được sử dụng" in again.content.decode()
    signed = dossier.signed_form.file.open("rb").read()
    if shutil.which("pdfsig"):
        path = tmp_path / "remote.pdf"
        path.write_bytes(signed)
        output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False).stdout
        assert "Signature is Valid" in output and "Total document signed" in output
    assert re.search(rb"/ByteRange", signed)


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_another_citizen_cannot_confirm_someone_elses_signing(csc_sandbox, client, draft):
    from django.urls import reverse

    user, dossier, _pdf = draft
    dossier = edit(dossier, user, **BIRTH)
    client.force_login(user)
    session_url = client.post(reverse("dossiers:remote_sign_start", args=[dossier.pk])).url
    client.force_login(UserFactory())
    assert client.post(session_url, {"otp": "123456"}).status_code == 404


def edit(dossier, user, **answers):
    return dossier_save_draft(
        dossier=dossier, actor=user, form_data={**dossier.form_data, **answers}, submission_method="online",
        result_method="online", delivery_address={}, notify_sms=True, notify_email=False,
    )  # fmt: skip


def test_a_declaration_edited_after_signing_loses_its_signature(client, draft):
    """Issue 15, finding 4: the form was edited after signing and still sent as "ký số bởi …"."""
    user, dossier, pdf = draft
    attach(user, dossier, sign_as(user, pdf))
    client.force_login(user)
    post = {"f-ho_ten_tre": "Nguyễn Minh Khôi Sửa", "d-submission_method": "online", "d-result_method": "online"}
    client.post(reverse("dossiers:edit", args=[dossier.pk]), post)
    dossier.refresh_from_db()
    assert dossier.signed_form is None and dossier.signed_by == ""
    assert "signed_form" in submission_problems(dossier)
    page = client.get(reverse("dossiers:submit", args=[dossier.pk])).content.decode()
    assert "chữ ký số" in page


def test_a_signature_over_an_earlier_version_of_the_declaration_is_refused(draft):
    user, dossier, pdf = draft
    earlier = sign_as(user, pdf)
    dossier = edit(dossier, user, ho_ten_tre="Nguyễn Minh Khang")
    with pytest.raises(InvalidInput, match="không phải tờ khai hiện tại"):
        attach(user, dossier, earlier)
    assert attach(user, dossier, sign_as(user, declaration_pdf(dossier))).signed_form is not None


def test_a_namesake_with_another_id_number_cannot_sign_for_the_applicant(draft):
    user, dossier, pdf = draft
    namesake = UserFactory(full_name=user.full_name, id_number="001085099999")
    with pytest.raises(InvalidInput, match="không phải của người nộp"):
        attach(user, dossier, sign_as(namesake, pdf))


@pytest.mark.parametrize(
    "serial", ["CCCD:0010850123456", "CCCD:9001085012345", "001085012345999", "MST:001085012345-1"]
)
def test_the_id_number_must_be_the_certificates_own_not_part_of_a_longer_number(draft, serial):
    user, dossier, pdf = draft
    ca = pki.dev_ca()
    identity = pki.issue_signing_identity(issuer=ca, common_name=user.full_name, serial=serial)
    with pytest.raises(InvalidInput, match="không phải của người nộp"):
        attach(user, dossier, signing.sign_pdf(pdf, identity=identity, chain=[ca.certificate]))


@pytest.mark.parametrize("serial", ["CCCD:001085012345", "001085012345", "cccd: 001085012345"])
def test_the_applicants_own_id_number_in_the_usual_forms_is_accepted(draft, serial):
    user, dossier, pdf = draft
    ca = pki.dev_ca()
    identity = pki.issue_signing_identity(issuer=ca, common_name="NGUYEN VAN AN", serial=serial)
    assert attach(user, dossier, signing.sign_pdf(pdf, identity=identity, chain=[ca.certificate])).signed_form


def test_content_slipped_in_between_the_declaration_and_the_signature_is_refused(draft):
    """Review of issue 15: an incremental update that rewrote page 1, then the applicant's signature over it all,
    still began with the declaration's bytes."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    user, dossier, pdf = draft
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 40 Tf 50 400 Td (KHAC) Tj ET"))
    writer.update_container(page)
    changed = io.BytesIO()
    writer.write(changed)
    assert changed.getvalue().startswith(pdf)
    with pytest.raises(InvalidInput, match="không phải tờ khai hiện tại"):
        attach(user, dossier, sign_as(user, changed.getvalue()))
    dossier.refresh_from_db()
    assert dossier.signed_form is None


def test_an_unfinished_declaration_is_not_signed(client, draft):
    """Walk-through: a brand-new draft was signed "hợp lệ" with 13 required answers still empty."""
    user, dossier, _pdf = draft
    client.force_login(user)
    response = client.post(reverse("dossiers:remote_sign_start", args=[dossier.pk]), follow=True)
    assert "Vui lòng điền đủ tờ khai trước khi ký" in response.content.decode()
    assert not user.remote_signings.exists()
