import pytest
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.citizen.aftercare import dossier_rate
from dvc.dossiers.models import Dossier, Rating
from dvc.dossiers.tests.factories import DossierFactory
from dvc.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_result():
    dossier = DossierFactory(result_ready=True)
    return dossier.applicant, dossier


def test_the_result_downloads_and_lands_in_the_vault(client, with_result):
    citizen, dossier = with_result
    client.force_login(citizen)
    assert dossier.status == Dossier.Status.RESULT_READY
    response = client.get(reverse("dossiers:result", args=[dossier.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Giấy xác nhận tình trạng hôn nhân" in client.get(reverse("vault:mine")).content.decode()
    client.force_login(UserFactory())
    assert client.get(reverse("dossiers:result", args=[dossier.pk])).status_code == 404


def test_one_rating_per_dossier_after_the_result(client, with_result):
    citizen, dossier = with_result
    client.force_login(citizen)
    data = {"overall": "5", "timeliness": "4", "attitude": "5", "publicity": "4", "trips": "0", "comment": "Nhanh"}
    response = client.post(reverse("dossiers:rate", args=[dossier.pk]), data, follow=True)
    assert "Cảm ơn bạn đã đánh giá" in response.content.decode()
    assert Rating.objects.get(dossier=dossier).overall == 5
    again = client.post(reverse("dossiers:rate", args=[dossier.pk]), data, follow=True)
    assert "đã được đánh giá" in again.content.decode()
    assert Rating.objects.count() == 1


def test_rating_needs_a_result_and_valid_scores(submitted_dossier, with_result):
    citizen, dossier = with_result
    with pytest.raises(InvalidInput):
        dossier_rate(
            dossier=dossier, actor=citizen, overall=6, timeliness=1, attitude=1, publicity=1, trips=0, comment=""
        )
    early = submitted_dossier(UserFactory(), key="early")
    with pytest.raises(Conflict, match="đã có kết quả"):
        dossier_rate(
            dossier=early, actor=early.applicant, overall=5, timeliness=5, attitude=5, publicity=5, trips=0, comment=""
        )
