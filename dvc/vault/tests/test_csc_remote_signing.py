"""Remote signing of the declaration through an independent CSC server (certomancer-csc-dummy on loopback), with
pyHanko's CSC signer on the portal's side; poppler's pdfsig checks the result."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.drafting import dossier_save_draft, dossier_start
from dvc.dossiers.citizen.sending import submission_problems
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import commune_centre
from dvc.dossiers.tests.test_results import BIRTH
from dvc.vault.tests import csc_dummy

pytestmark = pytest.mark.django_db
AN = csc_dummy.AN


def _draft(client: Client, id_number: str = AN) -> Dossier:
    user: Any = UserFactory.create(full_name="Nguyễn Văn An", id_number=id_number)
    client.force_login(user)
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    return dossier_save_draft(
        dossier=dossier, actor=user, form_data={**BIRTH, "nguoi_yeu_cau": dossier.form_data["nguoi_yeu_cau"]},
        submission_method="online", result_method="online", delivery_address={}, notify_sms=True, notify_email=False,
    )  # fmt: skip


def test_the_declaration_is_signed_at_an_independent_csc_service(
    client: Client, provider: csc_dummy.DummyCsc, tmp_path: Path
) -> None:
    dossier = _draft(client)
    page = client.get(reverse("dossiers:section", args=[dossier.pk, "ky-so"])).content.decode()
    assert "Nhà cung cấp độc lập" in page and 'name="provider"' in page  # more than one provider: a choice
    started: Any = client.post(reverse("dossiers:remote_sign_start", args=[dossier.pk]), {"provider": "doc-lap"})
    assert "/ky-so-tu-xa/" in started.url
    approval = client.get(started.url).content.decode()
    assert "Mở ứng dụng ký số" in approval and 'name="otp"' not in approval  # approved in the provider's app
    not_ticked = client.post(started.url, {})
    assert "Hãy đồng ý ký trên ứng dụng" in not_ticked.content.decode()
    done = client.post(started.url, {"approved": "on"}, follow=True)
    assert "Chữ ký số hợp lệ" in done.content.decode()
    dossier.refresh_from_db()
    assert dossier.signed_by == "Nguyễn Văn An" and "signed_form" not in submission_problems(dossier)
    assert dossier.signed_form is not None
    signed = dossier.signed_form.file.open("rb").read()
    if shutil.which("pdfsig"):
        path = tmp_path / "to-khai.pdf"
        path.write_bytes(signed)
        output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False).stdout
        assert "Signature is Valid" in output and "Total document signed" in output
        assert "Nguyễn Văn An" in output


def test_only_a_certificate_stating_the_applicants_number_is_used(client: Client, provider: Any) -> None:
    """The dummy lists every credential it has (a namesake's too); none states this applicant's number."""
    dossier = _draft(client, id_number="001085000001")
    response = client.post(
        reverse("dossiers:remote_sign_start", args=[dossier.pk]), {"provider": "doc-lap"}, follow=True
    )
    assert "không có chứng thư số nào mang số định danh của bạn" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.signed_form is None


def test_an_unknown_provider_name_is_refused(client: Client, provider: Any) -> None:
    dossier = _draft(client)
    response = client.post(
        reverse("dossiers:remote_sign_start", args=[dossier.pk]), {"provider": "khong-co"}, follow=True
    )
    assert "Nhà cung cấp dịch vụ ký số không có trên cổng" in response.content.decode()


def test_a_provider_that_does_not_answer_is_said_plainly(client: Client, settings: Any, free_port: Any) -> None:
    settings.DVC_CSC_PROVIDERS = [{"name": "tat", "url": f"http://127.0.0.1:{free_port()}", "token": "x"}]
    dossier = _draft(client)
    response = client.post(reverse("dossiers:remote_sign_start", args=[dossier.pk]), follow=True)
    assert "Không kết nối được với dịch vụ ký số từ xa" in response.content.decode()
