import pytest
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.citizen.papers import dossier_attach, vault_choices
from dvc.dossiers.models import DossierAttachment
from dvc.dossiers.tests.factories import commune_centre, photo_upload
from dvc.vault.models import StoredFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_with_id_card():
    """A citizen who attached their identity card to an earlier dossier."""
    user = UserFactory()
    agency = commune_centre()
    procedure = Procedure.objects.get(code="1.004873")
    first = dossier_start(applicant=user, procedure=procedure, agency=agency)
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    dossier_attach(dossier=first, actor=user, requirement=identity, upload=photo_upload("cccd.jpg"))
    return user, agency


def test_a_paper_given_once_is_offered_again(client, citizen_with_id_card):
    user, agency = citizen_with_id_card
    client.force_login(user)
    second = dossier_start(applicant=user, procedure=Procedure.objects.get(code="2.000635"), agency=agency)
    requirement = second.procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    page = client.get(reverse("dossiers:section", args=[second.pk, "giay-to"])).content.decode()
    assert "Có sẵn trong kho dữ liệu của bạn" in page and "cccd.jpg" in page
    stored = vault_choices(dossier=second, requirement=requirement)[0]
    client.post(
        reverse("dossiers:use_from_vault", args=[second.pk]), {"requirement": requirement.pk, "stored_file": stored.pk}
    )
    attachment = DossierAttachment.objects.get(dossier=second, replaced_at__isnull=True)
    assert attachment.stored_file == stored


def test_the_vault_page_lists_my_papers_only(client, citizen_with_id_card):
    user, _agency = citizen_with_id_card
    stranger = UserFactory()
    client.force_login(user)
    html = client.get(reverse("vault:mine")).content.decode()
    assert "cccd.jpg" in html
    stored = StoredFile.objects.get(owner=user)
    assert client.get(reverse("vault:download", args=[stored.pk])).status_code == 200
    client.force_login(stranger)
    assert "cccd.jpg" not in client.get(reverse("vault:mine")).content.decode()
    assert client.get(reverse("vault:download", args=[stored.pk])).status_code == 404


def test_someone_elses_vault_file_cannot_be_used(client, citizen_with_id_card):
    owner, agency = citizen_with_id_card
    stranger = UserFactory()
    draft = dossier_start(applicant=stranger, procedure=Procedure.objects.get(code="2.000635"), agency=agency)
    requirement = draft.procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    stored = StoredFile.objects.get(owner=owner)
    client.force_login(stranger)
    response = client.post(
        reverse("dossiers:use_from_vault", args=[draft.pk]), {"requirement": requirement.pk, "stored_file": stored.pk}
    )
    assert response.status_code == 404
    assert (
        client.post(
            reverse("dossiers:use_from_vault", args=[draft.pk]), {"requirement": "x", "stored_file": "not-a-uuid"}
        ).status_code
        == 404
    )
    assert not DossierAttachment.objects.filter(dossier=draft).exists()


def test_the_same_paper_given_to_two_dossiers_is_listed_once(client, citizen_with_id_card):
    """Issue 16: the vault page listed one file twice."""
    user, agency = citizen_with_id_card
    client.force_login(user)
    procedure = Procedure.objects.get(code="1.004873")
    second = dossier_start(applicant=user, procedure=procedure, agency=agency)
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    dossier_attach(dossier=second, actor=user, requirement=identity, upload=photo_upload("cccd.jpg"))
    assert StoredFile.objects.filter(owner=user.pk, original_name="cccd.jpg").count() == 2
    page = client.get(reverse("vault:mine")).content.decode()
    assert page.count(">cccd.jpg</a>") == 1 and 'data-label="Giấy tờ"' in page


def test_the_same_paper_given_to_several_dossiers_is_offered_once(client, citizen_with_id_card):
    """Walk-through of issue 17: "Dùng cccd.jpg" was offered three times, once per dossier it had gone to."""
    user, agency = citizen_with_id_card
    procedure = Procedure.objects.get(code="1.004873")
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    for _ in range(2):
        again = dossier_start(applicant=user, procedure=procedure, agency=agency)
        dossier_attach(dossier=again, actor=user, requirement=identity, upload=photo_upload("cccd.jpg"))
    client.force_login(user)
    fresh = dossier_start(applicant=user, procedure=Procedure.objects.get(code="2.000635"), agency=agency)
    page = client.get(reverse("dossiers:section", args=[fresh.pk, "giay-to"])).content.decode()
    assert page.count("Dùng “cccd.jpg”") == 1


def test_a_citizen_adds_a_paper_of_their_own_and_it_is_offered(client):
    """Issue 19, part 3: typed, checked by content, offered where that type is asked."""
    user = UserFactory()
    client.force_login(user)
    added = client.post(
        reverse("vault:mine"),
        {"document_type": "can_cuoc", "file": photo_upload("cccd-mat-truoc.jpg"), "valid_until": "01/01/2040"},
    )
    assert added.status_code == 302
    stored = StoredFile.objects.get(owner=user, document_type="can_cuoc")
    assert stored.valid_until.year == 2040 and stored.kind == "jpg"
    assert "cccd-mat-truoc.jpg" in client.get(reverse("vault:mine")).content.decode()
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.004873"), agency=commune_centre())
    paper = dossier.procedure.requirements.get(vault_document_type="can_cuoc")
    assert vault_choices(dossier=dossier, requirement=paper) == [stored]


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"document_type": "", "file": None}, "document_type"),
        ({"document_type": "can_cuoc", "file": "fake.pdf"}, "file"),
        ({"document_type": "can_cuoc", "valid_until": "01/01/2001"}, "hết giá trị"),
    ],
)
def test_bad_additions_are_refused_plainly(client, post, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = UserFactory()
    client.force_login(user)
    data = dict(post)
    if data.get("file") == "fake.pdf":
        data["file"] = SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    elif "file" not in data:
        data["file"] = photo_upload()
    else:
        data.pop("file")
    response = client.post(reverse("vault:mine"), data)
    assert response.status_code == 200
    assert not StoredFile.objects.filter(owner=user).exists()
    page = response.content.decode()
    if message in ("document_type", "file"):  # the error stands beside that field
        assert f'id="id_{message}_error"' in page or f'aria-describedby="id_{message}_error"' in page, page[-3000:]
    else:
        assert message in page


def test_removing_a_paper_keeps_the_copy_a_dossier_holds(client, citizen_with_id_card):
    user, _agency = citizen_with_id_card
    stored = StoredFile.objects.get(owner=user, document_type="can_cuoc")
    client.force_login(user)
    client.post(reverse("vault:remove", args=[stored.pk]))
    stored.refresh_from_db()  # still there for the dossier that holds it, but no longer offered
    assert stored.document_type == "" and DossierAttachment.objects.filter(stored_file=stored).exists()
    unused = StoredFile.objects.create(
        owner=user, original_name="x.jpg", kind="jpg", content_type="image/jpeg", size=1, sha256="1" * 64,
        document_type="can_cuoc", file="x.jpg",
    )  # fmt: skip
    client.post(reverse("vault:remove", args=[unused.pk]))
    assert not StoredFile.objects.filter(pk=unused.pk).exists()
    assert client.post(reverse("vault:remove", args=[unused.pk])).status_code == 404
    other = UserFactory()
    client.force_login(other)
    assert client.post(reverse("vault:remove", args=[stored.pk])).status_code == 404
