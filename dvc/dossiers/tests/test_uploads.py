import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.citizen.papers import dossier_attach
from dvc.dossiers.models import DossierAttachment
from dvc.dossiers.tests.factories import commune_centre, pdf_upload
from dvc.errors import InvalidInput
from dvc.vault.models import StoredFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    user = UserFactory()
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    requirement = dossier.procedure.requirements.get(name="Giấy chứng sinh")
    dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=pdf_upload("truoc.pdf"))
    return user, dossier, requirement


def big_png(width, height):
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "không phải là tệp"),
        ("trang.pdf", b"<html><script>alert(1)</script></html>", "không phải là tệp"),
        ("rong.pdf", b"", "rỗng"),
        ("hong.pdf", b"%PDF-1.4 truncated", "bị hỏng"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "bị hỏng"),
        ("..\\..\\windows\\a.pdf", b"%PDF-1.4\n%%EOF", "đường dẫn"),
        ("a\\b.pdf", b"%PDF-1.4\n%%EOF", "đường dẫn"),
    ],
)
def test_bad_files_are_refused_and_the_draft_is_untouched(draft, name, content, message):
    user, dossier, requirement = draft
    requirement.accepted_types = ["pdf", "png"]
    requirement.save()
    files_before = StoredFile.objects.count()
    with pytest.raises(InvalidInput) as refused:
        dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=SimpleUploadedFile(name, content))
    assert message in refused.value.errors["file"][0]
    assert StoredFile.objects.count() == files_before
    live = DossierAttachment.objects.filter(dossier=dossier, replaced_at__isnull=True)
    assert [a.stored_file.original_name for a in live] == ["truoc.pdf"]


def test_a_file_over_the_size_limit_is_refused(draft):
    user, dossier, requirement = draft
    huge = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024) + b"\n%%EOF")
    with pytest.raises(InvalidInput) as refused:
        dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=huge)
    assert "lớn quá 10 MB" in refused.value.errors["file"][0]


def test_huge_image_dimensions_are_refused(draft):
    user, dossier, requirement = draft
    with pytest.raises(InvalidInput) as refused:
        dossier_attach(
            dossier=dossier,
            actor=user,
            requirement=requirement,
            upload=SimpleUploadedFile("x.png", big_png(8000, 6000)),
        )
    assert "quá lớn" in refused.value.errors["file"][0]


def test_a_word_file_is_recognised_by_content():
    from dvc.vault.inspection import inspect_upload

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    found = inspect_upload(io.BytesIO(buffer.getvalue()), name="don.docx", allowed=["docx"], max_bytes=10**6)
    assert found.kind == "docx"


def test_upload_page_shows_the_reason_and_keeps_the_earlier_file(client, draft):
    user, dossier, requirement = draft
    client.force_login(user)
    response = client.post(
        reverse("dossiers:upload", args=[dossier.pk]),
        {"requirement": requirement.pk, "file": SimpleUploadedFile("virus.pdf", b"MZ" + b"\x00" * 64)},
        follow=True,
    )
    html = response.content.decode()
    assert "không phải là tệp" in html
    assert "truoc.pdf" in html


def test_replacing_a_file_keeps_the_old_one_in_the_history(draft):
    user, dossier, requirement = draft
    dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=pdf_upload("sau.pdf"))
    rows = DossierAttachment.objects.filter(dossier=dossier, requirement=requirement).order_by("created_at")
    assert [(a.stored_file.original_name, a.replaced_at is not None) for a in rows] == [
        ("truoc.pdf", True),
        ("sau.pdf", False),
    ]


def test_a_paper_refused_because_the_dossier_was_sent_meanwhile_stays_in_the_vault(draft):
    """Issue 20, part 2: the file's row is now written in the statement that adds the paper. When the paper is
    refused (another request sent the dossier after this one read it), the upload is still kept in the applicant's
    vault, row and bytes, as it was when the row was written first; the paper sent stays the dossier's."""
    from dvc.dossiers.models import Dossier
    from dvc.errors import Conflict

    user, dossier, requirement = draft
    storage = StoredFile._meta.get_field("file").storage
    files_before = set(storage.listdir(f"files/{user.pk}")[1])
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.SUBMITTED)  # this request still holds a draft
    with pytest.raises(Conflict, match="đã được gửi"):
        dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=pdf_upload("muon.pdf"))
    kept = StoredFile.objects.get(owner=user, original_name="muon.pdf")
    assert set(storage.listdir(f"files/{user.pk}")[1]) == files_before | {kept.file.name.rsplit("/", 1)[1]}
    assert not DossierAttachment.objects.filter(stored_file=kept).exists()
    assert (
        DossierAttachment.objects.get(dossier=dossier, replaced_at__isnull=True).stored_file.original_name
        == "truoc.pdf"
    )


@pytest.mark.parametrize("failing_write", ["the paper's statement", "the refused paper's file kept alone"])
def test_an_upload_the_database_fails_to_write_leaves_no_bytes_behind(draft, monkeypatch, failing_write):
    """Issue 20, part 2, and its review: the file's bytes are stored before its row, which is written with the
    paper's, or alone when the paper is refused (kept in the vault). When that write fails, the bytes are removed
    (no row points at them) and the error goes up to the page's handler."""
    from django.db import DatabaseError

    from dvc.dossiers.citizen import papers
    from dvc.dossiers.models import Dossier

    user, dossier, requirement = draft
    storage = StoredFile._meta.get_field("file").storage
    files_before = storage.listdir(f"files/{user.pk}")[1]
    rows_before = StoredFile.objects.count()

    def failing(*args, **kwargs):
        raise DatabaseError("the server closed the connection")

    if failing_write == "the paper's statement":
        monkeypatch.setattr(papers, "writes_together", failing)
    else:
        Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.SUBMITTED)  # this request holds a draft
        monkeypatch.setattr(StoredFile, "save", failing)
    with pytest.raises(DatabaseError):
        dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=pdf_upload("muon.pdf"))
    assert storage.listdir(f"files/{user.pk}")[1] == files_before
    assert StoredFile.objects.count() == rows_before


def test_stored_files_never_keep_the_uploaders_name_on_disk(draft):
    _user, dossier, _requirement = draft
    stored = DossierAttachment.objects.get(dossier=dossier).stored_file
    assert "truoc" not in stored.file.name and stored.file.name.endswith(".pdf")


def test_a_path_in_a_browser_upload_name_never_reaches_the_disk(client, draft):
    user, dossier, requirement = draft
    client.force_login(user)
    client.post(
        reverse("dossiers:upload", args=[dossier.pk]),
        {"requirement": requirement.pk, "file": SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4\n%%EOF")},
    )
    stored = DossierAttachment.objects.get(dossier=dossier, replaced_at__isnull=True).stored_file
    assert "/" not in stored.original_name and ".." not in stored.original_name
    assert stored.file.name.startswith(f"files/{user.pk}/")


def test_a_full_disk_refuses_the_upload_clearly_and_keeps_the_draft(client, draft, monkeypatch):
    import errno

    from django.core.files.storage import FileSystemStorage

    user, dossier, requirement = draft

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    files_before = StoredFile.objects.count()
    client.force_login(user)
    page = client.post(
        reverse("dossiers:upload", args=[dossier.pk]), {"requirement": requirement.pk, "file": pdf_upload("moi.pdf")},
        follow=True,
    )  # fmt: skip
    assert "Hệ thống tạm thời chưa lưu được tệp “moi.pdf”" in page.content.decode()
    assert StoredFile.objects.count() == files_before
    live = DossierAttachment.objects.filter(dossier=dossier, replaced_at__isnull=True)
    assert [a.stored_file.original_name for a in live] == ["truoc.pdf"]
    from dvc.accounts.services import api_token_create

    api = client.post(
        f"/api/v1/dossiers/{dossier.pk}/attachments", {"requirement": requirement.pk, "file": pdf_upload("moi.pdf")},
        HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}",
    )  # fmt: skip
    assert api.status_code == 503 and api.json()["code"] == "storage_unavailable"


def _draft_on_postgresql():
    """A citizen's birth-registration draft for a race test (PostgreSQL only; a transactional test starts empty)."""
    from django.db import connection

    from dvc.dossiers.tests.factories import ensure_catalog

    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL; SQLite serialises every writer")
    ensure_catalog()
    user = UserFactory()
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    return user, dossier, dossier.procedure.requirements.get(name="Giấy chứng sinh")


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_papers_uploaded_for_one_requirement_at_once_leave_one_current():
    """Issue 20, part 2: the earlier paper is replaced in the same statement that adds the new one, after the dossier
    is locked, so that statement sees a paper another request has just added (a double click, two tabs)."""
    from dvc.tests.parallel import in_parallel

    user, dossier, requirement = _draft_on_postgresql()
    for _round in range(5):
        outcomes = in_parallel(
            lambda: dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=pdf_upload()), 4
        )
        assert all(isinstance(o, DossierAttachment) for o in outcomes), outcomes
    rows = DossierAttachment.objects.filter(dossier=dossier, requirement=requirement)
    assert rows.count() == 20 and rows.filter(replaced_at__isnull=True).count() == 1


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_a_paper_cannot_be_attached_while_the_dossier_is_being_sent():
    """Review of issue 20: the guard that marks the draft changed filtered through the procedure's papers, so
    PostgreSQL checked the status on the subquery's copy of the row. An upload waiting on the send's lock then went
    through once the dossier was sent, and replaced the paper sent with it."""
    import threading
    import time

    from django.db import connection, transaction

    from dvc.dossiers.models import Dossier
    from dvc.errors import Conflict

    user, dossier, requirement = _draft_on_postgresql()
    sent_with = dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=pdf_upload("gui.pdf"))
    locked = threading.Event()

    def send():
        try:
            with transaction.atomic():
                Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.SUBMITTED)
                locked.set()
                time.sleep(1.5)
        finally:
            connection.close()

    sender = threading.Thread(target=send)
    sender.start()
    locked.wait(timeout=10)
    with pytest.raises(Conflict, match="đã được gửi"):
        dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=pdf_upload("muon.pdf"))
    sender.join(timeout=10)
    current = DossierAttachment.objects.get(dossier=dossier, requirement=requirement, replaced_at__isnull=True)
    assert current.pk == sent_with.pk
