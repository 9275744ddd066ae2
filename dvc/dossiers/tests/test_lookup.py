import pytest
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.citizen.selectors import mask_name

pytestmark = pytest.mark.django_db
URL = reverse("dossiers:lookup")


@pytest.mark.parametrize(
    ("name", "masked"), [("Nguyễn Văn An", "Nguyễn V*** A"), ("Lê Thị Thu Hà", "Lê T*** T*** H"), ("Bình", "B***")]
)
def test_names_are_masked(name, masked):
    assert mask_name(name) == masked


def test_lookup_by_code_shows_no_personal_data(client, submitted_dossier):
    user = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345")
    dossier = submitted_dossier(user)
    html = client.get(URL, {"ma": dossier.code}).content.decode()
    assert dossier.code in html and "Nguyễn V*** A" in html and "Đã gửi, chờ tiếp nhận" in html
    assert "Nguyễn Văn An" not in html and "001085012345" not in html and "0912" not in html


def test_lookup_by_cccd_needs_the_security_code(client, submitted_dossier, monkeypatch):
    from captcha.conf import settings as captcha_settings

    user = UserFactory(id_number="001085099999")
    dossier = submitted_dossier(user)
    without = client.get(URL, {"cccd": "001085099999"}).content.decode()
    assert "Vui lòng nhập mã bảo mật" in without and dossier.code not in without
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    wrong = client.get(URL, {"cccd": "001085099999", "captcha_0": "nope", "captcha_1": "PASSED"}).content.decode()
    assert "Mã bảo mật không đúng" in wrong and dossier.code not in wrong
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    found = client.get(URL, {"cccd": "001 085 099 999", "captcha_0": "x", "captcha_1": "PASSED"}).content.decode()
    assert dossier.code in found


def test_unknown_code_says_so(client):
    html = client.get(URL, {"ma": "000.01.01.H26-260101-9999"}).content.decode()
    assert "Không tìm thấy hồ sơ" in html


def test_drafts_are_never_found(client):
    from dvc.catalog.models import Procedure
    from dvc.dossiers.tests.factories import commune_centre

    user = UserFactory(id_number="001085088888")
    dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.004873"), agency=commune_centre())
    html = client.get(URL, {"cccd": "001085088888", "captcha_0": "x", "captcha_1": "PASSED"}).content.decode()
    assert "Không tìm thấy hồ sơ" in html


def test_a_lookup_by_code_stores_no_captcha_challenge(client, submitted_dossier):
    from captcha.models import CaptchaStore

    dossier = submitted_dossier(UserFactory())
    before = CaptchaStore.objects.count()
    page = client.get(reverse("dossiers:lookup") + f"?ma={dossier.code}").content.decode()
    assert dossier.code in page and 'name="captcha_1"' not in page
    assert CaptchaStore.objects.count() == before
    assert 'name="captcha_1"' in client.get(reverse("dossiers:lookup")).content.decode()


def test_a_lookup_by_code_never_reads_the_captcha_store(client, submitted_dossier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier = submitted_dossier(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL, {"ma": dossier.code.lower(), "captcha_0": "x", "captcha_1": "sai"}).content.decode()
    assert dossier.code in page and "Mã bảo mật không đúng" not in page
    assert not [q for q in queries.captured_queries if "captcha" in q["sql"]]
    missing = client.get(URL, {"ma": "KHONG-CO"}).content.decode()
    assert "Không tìm thấy hồ sơ" in missing and 'name="captcha_1"' not in missing
