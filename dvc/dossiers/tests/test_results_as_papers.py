"""Issue 19, part 3: a result the portal issues is a paper of its own type in the citizen's vault, offered where that
type is asked while it is valid; the officer sees it was issued by an agency with a valid signature."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.appraisal import dossier_assign, dossier_generate_result, dossier_propose
from dvc.dossiers.backoffice.decision import dossier_approve
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.citizen.papers import dossier_attach_from_vault, vault_choices
from dvc.dossiers.models import DossierAttachment, IssuedResult
from dvc.dossiers.tests.factories import RESULT_VALUES, DossierFactory, agency_staff, commune_centre
from dvc.errors import InvalidInput
from dvc.vault.models import StoredFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(submitted_dossier):
    """Phường Ba Đình issues Nguyễn Văn An's marital-status certificate (valid 6 months)."""
    agency = commune_centre()
    staff = agency_staff(agency)
    citizen = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345")
    dossier = dossier_receive(dossier=submitted_dossier(citizen, agency=agency), actor=staff.officer)
    dossier = dossier_assign(dossier=dossier, actor=staff.officer, specialist=staff.specialist)
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="")
    dossier = dossier_approve(dossier=dossier, actor=staff.leader)
    return citizen, StoredFile.objects.get(pk=dossier.result_file_id), staff


def _marriage_paper(marriage):
    return marriage.procedure.requirements.get(vault_document_type="xac_nhan_hon_nhan")


def test_the_issued_certificate_is_offered_for_the_marriage_registration(client, certificate):
    citizen, stored, _staff = certificate
    assert stored.document_type == "xac_nhan_hon_nhan" and stored.valid_until is not None
    marriage = dossier_start(
        applicant=citizen, procedure=Procedure.objects.get(code="1.000894"), agency=commune_centre()
    )
    client.force_login(citizen)
    page = client.get(reverse("dossiers:section", args=[marriage.pk, "giay-to"])).content.decode()
    assert str(stored.pk) in page  # offered from the vault, beside the paper it stands for
    paper = _marriage_paper(marriage)
    dossier_attach_from_vault(dossier=marriage, actor=citizen, requirement=paper, stored=stored)
    assert DossierAttachment.objects.get(dossier=marriage, requirement=paper).stored_file == stored


def test_not_offered_after_its_validity(certificate):
    citizen, stored, _staff = certificate
    StoredFile.objects.filter(pk=stored.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    marriage = dossier_start(
        applicant=citizen, procedure=Procedure.objects.get(code="1.000894"), agency=commune_centre()
    )
    assert vault_choices(dossier=marriage, requirement=_marriage_paper(marriage)) == []


def test_a_copy_changed_since_it_was_issued_is_not_used(certificate):
    citizen, stored, _staff = certificate
    IssuedResult.objects.filter(stored_file=stored).update(sha256="0" * 64)  # what was signed is not what is kept
    marriage = dossier_start(
        applicant=citizen, procedure=Procedure.objects.get(code="1.000894"), agency=commune_centre()
    )
    with pytest.raises(InvalidInput, match="không còn nguyên"):
        dossier_attach_from_vault(dossier=marriage, actor=citizen, requirement=_marriage_paper(marriage), stored=stored)


def test_the_officer_sees_it_was_issued_by_an_agency_with_a_valid_signature(client, certificate):
    citizen, stored, staff = certificate
    marriage = DossierFactory(
        submitted=True, applicant=citizen, agency=staff.officer.staff_roles.first().agency,
        procedure=Procedure.objects.get(code="1.000894"), form_data={},
    )  # fmt: skip
    DossierAttachment.objects.create(dossier=marriage, requirement=_marriage_paper(marriage), stored_file=stored)
    client.force_login(staff.officer)
    page = client.get(reverse("staff:detail", args=[marriage.pk])).content.decode()
    assert "giấy tờ cấp qua cổng" in page and "hợp lệ" in page
    issued = IssuedResult.objects.get(stored_file=stored)
    assert issued.signer_name in page and f"{issued.valid_until:%d/%m/%Y}" in page
