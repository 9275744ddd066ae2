"""Media files in an S3-compatible object store (DVC_S3_BUCKET), against a local S3 server on loopback (moto).

The same pages and API as on disk: an upload lands in the bucket and nowhere else, downloads stay behind the
portal's checks, and a store that does not answer refuses the upload clearly, keeps the draft, and never gives a 500.
"""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.citizen.papers import dossier_attach
from dvc.dossiers.models import DossierAttachment
from dvc.dossiers.tests.factories import PDF_BYTES, commune_centre, pdf_upload
from dvc.vault.models import StoredFile

pytestmark = pytest.mark.django_db
BUCKET = "dvc-ho-so"


def _s3_storage(endpoint: str) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": "dvc-test",
            "secret_key": "dvc-test-secret",
            "location": "media",
            "default_acl": None,
            "file_overwrite": False,
            "addressing_style": "path",
            "signature_version": "s3v4",
        },
    }


@pytest.fixture(scope="module")
def s3_server(free_port) -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    client = boto3.client(
        "s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="dvc-test",
        aws_secret_access_key="dvc-test-secret",
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": _s3_storage(s3_server)}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def draft():
    user = UserFactory()
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    return user, dossier, dossier.procedure.requirements.get(name="Giấy chứng sinh")


def test_an_upload_lands_in_the_bucket_and_downloads_only_for_its_owner(client, bucket, draft, settings):
    user, dossier, requirement = draft
    client.force_login(user)
    client.post(reverse("dossiers:upload", args=[dossier.pk]), {"requirement": requirement.pk, "file": pdf_upload()})
    attachment = DossierAttachment.objects.get(dossier=dossier, replaced_at__isnull=True)
    key = f"media/{attachment.stored_file.file.name}"
    assert [item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]] == [key]
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == PDF_BYTES
    assert not (settings.MEDIA_ROOT / "files").exists() or not any((settings.MEDIA_ROOT / "files").rglob("*"))

    url = reverse("dossiers:attachment", args=[dossier.pk, attachment.pk])
    mine = client.get(url)
    assert mine.status_code == 200 and b"".join(mine.streaming_content) == PDF_BYTES
    assert mine["Content-Disposition"].startswith("attachment")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_the_same_name_twice_keeps_both_files(bucket, draft):
    user, dossier, requirement = draft
    first = dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=pdf_upload("a.pdf"))
    second = dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=pdf_upload("a.pdf"))
    assert first.stored_file.file.name != second.stored_file.file.name
    assert len(bucket.list_objects_v2(Bucket=BUCKET)["Contents"]) == 2


def test_a_store_that_does_not_answer_refuses_the_upload_clearly_and_keeps_the_draft(
    client, draft, settings, free_port
):
    settings.STORAGES = {**settings.STORAGES, "default": _s3_storage(f"http://127.0.0.1:{free_port()}")}
    user, dossier, requirement = draft
    client.force_login(user)
    files_before = StoredFile.objects.count()
    page = client.post(
        reverse("dossiers:upload", args=[dossier.pk]), {"requirement": requirement.pk, "file": pdf_upload("moi.pdf")},
        follow=True,
    )  # fmt: skip
    assert page.status_code == 200
    assert "Hệ thống tạm thời chưa lưu được tệp “moi.pdf”" in page.content.decode()
    assert StoredFile.objects.count() == files_before
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 200


def test_a_download_while_the_store_is_down_is_a_503_not_a_500(client, bucket, draft, settings, free_port):
    user, dossier, requirement = draft
    attachment = dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=pdf_upload())
    settings.STORAGES = {**settings.STORAGES, "default": _s3_storage(f"http://127.0.0.1:{free_port()}")}
    client.force_login(user)
    page = client.get(reverse("dossiers:attachment", args=[dossier.pk, attachment.pk]))
    assert page.status_code == 503 and page["Retry-After"] == "5"
