"""Signing through the API (issue 18, part 6): a birth registration, which requires the declaration to be signed,
filed end to end by an API client alone: sign in, draft, answer, attach, sign remotely (or upload a declaration
signed elsewhere), send."""

import shutil
import subprocess

import pytest

from dvc.accounts.tests.factories import PASSWORD, UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import commune_centre, pdf_upload, sign_as
from dvc.dossiers.tests.test_results import BIRTH

pytestmark = pytest.mark.django_db
API = "/api/v1"


def signed_in(client, outbox, user) -> dict[str, str]:
    """A Bearer token the way an API client gets one: password, then the SMS code."""
    started = client.post(
        f"{API}/auth/login", {"id_number": user.id_number, "password": PASSWORD}, content_type="application/json"
    )
    assert started.status_code == 200, started.json()
    verified = client.post(
        f"{API}/auth/verify",
        {"challenge_id": started.json()["challenge_id"], "otp": outbox.last_otp(user.phone)},
        content_type="application/json",
    )
    assert verified.status_code == 200, verified.json()
    return {"Authorization": f"Bearer {verified.json()['token']}"}


def answered_birth_draft(client, headers) -> str:
    agency = commune_centre()
    created = client.post(
        f"{API}/dossiers", {"procedure": "1.001193", "agency": agency.code}, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    dossier_id = created.json()["id"]
    answers = {**BIRTH, "nguoi_yeu_cau": created.json()["form_data"]["nguoi_yeu_cau"]}
    patched = client.patch(
        f"{API}/dossiers/{dossier_id}", {"form_data": answers}, content_type="application/json", headers=headers
    )
    assert patched.status_code == 200, patched.json()
    for requirement in Procedure.objects.get(code="1.001193").requirements.filter(required=True):
        attached = client.post(
            f"{API}/dossiers/{dossier_id}/attachments", {"requirement": requirement.pk, "file": pdf_upload()},
            headers=headers,
        )  # fmt: skip
        assert attached.status_code == 201, attached.json()
    return dossier_id


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_a_birth_registration_is_filed_through_the_api_alone(csc_sandbox, client, outbox, tmp_path):
    user = UserFactory(full_name="Nguyễn Văn An")
    headers = signed_in(client, outbox, user)
    dossier_id = answered_birth_draft(client, headers)
    refused = client.post(
        f"{API}/dossiers/{dossier_id}/submit", {"idempotency_key": "api-birth-1"}, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert refused.status_code == 422 and "signed_form" in str(refused.json())  # a signature is required first
    started = client.post(f"{API}/dossiers/{dossier_id}/remote-signing", headers=headers)
    assert started.status_code == 201 and started.json()["status"] == "pending", started.json()
    assert started.json()["provider"] == "sandbox" and started.json()["needs_code"] is True
    session = started.json()["session_id"]
    status = client.get(f"{API}/dossiers/{dossier_id}/remote-signing/{session}", headers=headers)
    assert status.json()["status"] == "pending"
    wrong = client.post(
        f"{API}/dossiers/{dossier_id}/remote-signing/{session}/confirm", {"code": "000000"},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert wrong.status_code == 422
    confirmed = client.post(
        f"{API}/dossiers/{dossier_id}/remote-signing/{session}/confirm", {"code": outbox.last_otp(user.phone)},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert confirmed.status_code == 200 and confirmed.json()["signed_by"] == "Nguyễn Văn An", confirmed.json()
    assert client.get(f"{API}/dossiers/{dossier_id}/remote-signing/{session}", headers=headers).json()["status"] == (
        "completed"
    )
    sent = client.post(
        f"{API}/dossiers/{dossier_id}/submit", {"idempotency_key": "api-birth-1"}, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert sent.status_code == 200, sent.json()
    dossier = Dossier.objects.get(pk=dossier_id)
    assert dossier.status == Dossier.Status.SUBMITTED and dossier.code
    if shutil.which("pdfsig"):
        path = tmp_path / "to-khai.pdf"
        path.write_bytes(dossier.signed_form.file.open("rb").read())
        output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False).stdout
        assert "Signature is Valid" in output and "Total document signed" in output


def test_a_declaration_signed_elsewhere_is_uploaded_and_checked(client, outbox):
    user = UserFactory(full_name="Nguyễn Văn An")
    headers = signed_in(client, outbox, user)
    dossier_id = answered_birth_draft(client, headers)
    declaration = client.get(f"{API}/dossiers/{dossier_id}/declaration", headers=headers)
    assert declaration.status_code == 200 and declaration["Content-Type"] == "application/pdf"
    pdf = b"".join(declaration.streaming_content) if declaration.streaming else declaration.content
    from django.core.files.uploadedfile import SimpleUploadedFile

    someone_else = sign_as(UserFactory(full_name="Người Khác"), pdf)
    refused = client.post(
        f"{API}/dossiers/{dossier_id}/signed-form",
        {"file": SimpleUploadedFile("ky.pdf", someone_else, content_type="application/pdf")}, headers=headers,
    )  # fmt: skip
    assert refused.status_code == 422 and "không phải của người nộp" in refused.json()["message"]
    mine = sign_as(user, pdf)
    uploaded = client.post(
        f"{API}/dossiers/{dossier_id}/signed-form",
        {"file": SimpleUploadedFile("ky.pdf", mine, content_type="application/pdf")}, headers=headers,
    )  # fmt: skip
    assert uploaded.status_code == 201 and uploaded.json()["signed_by"] == "Nguyễn Văn An", uploaded.json()
    stranger = signed_in(client, outbox, UserFactory())
    assert client.get(f"{API}/dossiers/{dossier_id}/declaration", headers=stranger).status_code == 404
    assert client.post(f"{API}/dossiers/{dossier_id}/remote-signing", headers=stranger).status_code == 404


def test_me_says_whether_the_identity_is_verified(client, outbox):
    from django.utils import timezone

    user = UserFactory()
    headers = signed_in(client, outbox, user)
    me = client.get(f"{API}/me", headers=headers).json()
    assert me["identity_verified"] is False and me["verified_fields"] == []
    type(user).objects.filter(pk=user.pk).update(identity_verified_at=timezone.now())
    me = client.get(f"{API}/me", headers=headers).json()
    assert me["identity_verified"] is True and set(me["verified_fields"]) == {
        "id_number",
        "full_name",
        "birth_date",
        "sex",
    }
