"""A paper the catalog exempts for a verified identity is not asked of a verified applicant (issue 16, part 9: "a
verified citizen is still asked for a copy of their ID card though the requirement's own note exempts them")."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.citizen.sending import submission_problems
from dvc.dossiers.tests.factories import commune_centre

pytestmark = pytest.mark.django_db


def _draft(client, *, verified):
    user = UserFactory(identity_verified_at=timezone.now() if verified else None)
    client.force_login(user)
    procedure = Procedure.objects.get(code="1.001193")
    return dossier_start(applicant=user, procedure=procedure, agency=commune_centre()), procedure


def test_a_verified_applicant_is_not_asked_for_the_identity_card_copy(client):
    draft, procedure = _draft(client, verified=True)
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    assert identity.exempt_verified_identity
    assert f"requirement-{identity.pk}" not in submission_problems(draft)
    page = client.get(reverse("dossiers:section", args=[draft.pk, "giay-to"])).content.decode()
    assert f'id="req-{identity.pk}"' not in page
    assert "Không cần nộp “Giấy tờ tùy thân" in page and "đã được xác thực qua tài khoản định danh điện tử" in page
    birth = procedure.requirements.get(name="Giấy chứng sinh")
    assert f"requirement-{birth.pk}" in submission_problems(draft)  # the other papers are still asked


def test_an_applicant_not_verified_is_still_asked(client):
    draft, procedure = _draft(client, verified=False)
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    assert f"requirement-{identity.pk}" in submission_problems(draft)
    page = client.get(reverse("dossiers:section", args=[draft.pk, "giay-to"])).content.decode()
    assert f'id="req-{identity.pk}"' in page and "Không cần nộp" not in page
