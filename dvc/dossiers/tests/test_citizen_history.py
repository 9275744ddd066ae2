"""What the applicant's history shows (issue 17, part 7: "The citizen's history shows internal work: the draft file
name and the specialist's opinion text"), on the dossier page and through the API."""

import pytest
from django.urls import reverse

from dvc.accounts.services import api_token_create
from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.backoffice.appraisal import dossier_assign, dossier_generate_result, dossier_propose
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.tests.factories import RESULT_VALUES, agency_staff, commune_centre

pytestmark = pytest.mark.django_db
OPINION = "Hồ sơ hợp lệ, ông Phúc đã xác minh qua điện thoại với UBND xã cũ."


@pytest.fixture
def appraised(submitted_dossier):
    agency = commune_centre()
    staff = agency_staff(agency)
    citizen = UserFactory()
    dossier = dossier_receive(dossier=submitted_dossier(citizen, agency=agency), actor=staff.officer)
    dossier = dossier_assign(dossier=dossier, actor=staff.officer, specialist=staff.specialist)
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note=OPINION)
    return dossier, citizen


def test_the_citizen_sees_what_happened_not_the_internal_work(client, appraised):
    dossier, citizen = appraised
    client.force_login(citizen)
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Tiếp nhận hồ sơ" in page and "Đang thẩm định hồ sơ" in page
    assert OPINION not in page and "du-thao-ket-qua" not in page and "Phạm Thị Chuyên Viên" not in page
    assert "Đề xuất" not in page and "Dự thảo kết quả" not in page
    assert dossier.agency.name in page  # the agency acted, not a named officer


def test_the_api_history_is_the_same_as_the_page(client, appraised):
    dossier, citizen = appraised
    token = api_token_create(user=citizen)
    rows = client.get(f"/api/v1/dossiers/{dossier.pk}/history", headers={"Authorization": f"Bearer {token}"}).json()
    actions = [r["action"] for r in rows]
    assert "received" in actions and "assigned" in actions
    assert "draft_result" not in actions and "proposed" not in actions
    assert all(OPINION not in r["note"] and "du-thao" not in r["note"] and "Chuyên Viên" not in r["note"] for r in rows)
