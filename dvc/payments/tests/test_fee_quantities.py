"""What is billed is what is asked: the copies counted from the cleaned answer, through the API and the pages
(issue 15, finding 2: "10.0", "1e1" and "²" copies, and 0 copies still charged)."""

import pytest
from django.urls import reverse

from dvc.accounts.services import api_token_create
from dvc.catalog.models import Procedure
from dvc.dossiers.tests.factories import DossierFactory, photo_upload
from dvc.payments.models import FeeLine
from dvc.vault.services import stored_file_save

pytestmark = pytest.mark.django_db
API = "/api/v1"
COPY_ANSWERS = {
    "nguoi_yeu_cau": {"full_name": "Nguyễn Văn An", "birth_date": "1985-03-12", "id_number": "001085012345"},
    "dien_thoai": "0987000001",
    "noi_cu_tru": {"province": "01", "commune": "00004", "line": "Số 1 Liễu Giai"},
    "loai_trich_luc": "khai_sinh",
    "nguoi_duoc_cap": {"full_name": "Nguyễn Minh Khôi", "birth_date": "2026-11-01", "id_number": ""},
    "cam_doan": True,
}


@pytest.fixture
def copy_draft():
    """A draft of 2.000635 (bản sao trích lục hộ tịch, 8,000 đồng a copy) with its papers, and its owner's token."""
    dossier = DossierFactory(procedure=Procedure.objects.get(code="2.000635"), form_data={})
    for requirement in dossier.procedure.requirements.filter(required=True, template_is_eform=False):
        dossier.attachments.create(requirement=requirement, stored_file=_photo(dossier.applicant))
    return dossier, {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=dossier.applicant)}"}


def _photo(owner):
    return stored_file_save(owner=owner, upload=photo_upload(), allowed=["jpg"], max_bytes=1024 * 1024)


def send(client, dossier, headers, copies):
    patched = client.patch(
        f"{API}/dossiers/{dossier.pk}", {"form_data": {**COPY_ANSWERS, "so_ban_sao": copies}},
        content_type="application/json", **headers,
    )  # fmt: skip
    assert patched.status_code == 200, patched.json()
    return client.post(
        f"{API}/dossiers/{dossier.pk}/submit", {"idempotency_key": f"copies-{copies}"}, content_type="application/json",
        **headers,
    )  # fmt: skip


@pytest.mark.parametrize("copies", [10, 10.0, "10.0", "1e1", "10"])
def test_ten_copies_however_written_are_billed_as_ten_and_stored_as_10(client, copy_draft, copies):
    dossier, headers = copy_draft
    sent = send(client, dossier, headers, copies)
    assert sent.status_code == 200, sent.json()
    assert sent.json()["form_data"]["so_ban_sao"] == 10
    assert [(line.quantity, line.amount) for line in FeeLine.objects.filter(dossier=dossier)] == [(10, 80000)]


@pytest.mark.parametrize("copies", ["²", "NaN", "inf", 2.5, "-1", 11])
def test_a_number_of_copies_that_is_not_a_whole_number_in_range_is_refused_not_billed(client, copy_draft, copies):
    dossier, headers = copy_draft
    sent = send(client, dossier, headers, copies)
    assert sent.status_code == 422 and "so_ban_sao" in sent.json()["errors"]
    assert not FeeLine.objects.filter(dossier=dossier).exists()
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:submit", args=[dossier.pk]))  # the page shows the problem: no 500
    assert page.status_code == 200 and "Số bản sao trích lục cần cấp" in page.content.decode()


def test_no_copies_asked_means_no_copy_fee(client, copy_draft):
    dossier, headers = copy_draft
    sent = send(client, dossier, headers, 0)
    assert sent.status_code == 200 and sent.json()["fee_status"] == "not_required"
    assert not FeeLine.objects.filter(dossier=dossier).exists()
