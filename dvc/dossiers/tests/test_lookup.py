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
    """Issue 15, finding 6: the code alone (sequential, guessable) shows status, dates and agency only."""
    user = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345")
    dossier = submitted_dossier(user)
    html = client.get(URL, {"ma": dossier.code}).content.decode()
    assert dossier.code in html and "Đã gửi, chờ tiếp nhận" in html and dossier.agency.name in html
    assert "Nguyễn V*** A" not in html and dossier.procedure.name not in html
    assert "Nguyễn Văn An" not in html and "001085012345" not in html and "0912" not in html
    api = client.get(f"/api/v1/lookup/{dossier.code}").json()
    assert api["procedure"] == "" and api["applicant"] == "" and api["status"] == "Đã gửi, chờ tiếp nhận"


def test_the_security_code_or_the_applicants_own_session_shows_the_procedure_and_masked_name(client, submitted_dossier):
    user = UserFactory(full_name="Nguyễn Văn An")
    dossier = submitted_dossier(user)
    with_code = client.get(URL, {"ma": dossier.code, "bm": dossier.security_code.lower()}).content.decode()
    assert "Nguyễn V*** A" in with_code and dossier.procedure.name in with_code
    wrong = client.get(URL, {"ma": dossier.code, "bm": "AAAAAA"}).content.decode()
    assert "Nguyễn V*** A" not in wrong and "Mã bảo mật không đúng" in wrong
    client.force_login(user)
    mine = client.get(URL, {"ma": dossier.code}).content.decode()
    assert "Nguyễn V*** A" in mine and dossier.procedure.name in mine


def test_enumerating_codes_is_stopped_per_client_and_per_day_of_an_agency(client, submitted_dossier, settings):
    settings.DVC_LOOKUP_PER_CLIENT = 5
    settings.DVC_LOOKUP_PER_PREFIX = 8
    dossier = submitted_dossier(UserFactory())
    prefix = dossier.code.rsplit("-", 1)[0]
    guesses = [client.get(URL, {"ma": f"{prefix}-{n:04d}"}, REMOTE_ADDR="203.0.113.9").status_code for n in range(7)]
    assert guesses == [200] * 5 + [429, 429]
    assert "quá nhiều lần" in client.get(URL, {"ma": dossier.code}, REMOTE_ADDR="203.0.113.9").content.decode()
    api = client.get(f"/api/v1/lookup/{dossier.code}", REMOTE_ADDR="203.0.113.9")
    assert api.status_code == 429 and api.json()["code"] == "rate_limited"
    # Many clients, one agency's day: the prefix's own budget runs out (5 counted above, 3 more, then 429).
    others = [client.get(URL, {"ma": f"{prefix}-{n:04d}"}, REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(4)]
    assert others == [200, 200, 200, 429]


def test_lookup_by_cccd_needs_the_captcha(client, submitted_dossier, monkeypatch):
    from captcha.conf import settings as captcha_settings

    user = UserFactory(id_number="001085099999")
    dossier = submitted_dossier(user)
    without = client.post(URL, {"cccd": "001085099999"}).content.decode()
    assert "Vui lòng nhập mã kiểm tra" in without and dossier.code not in without
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    wrong = client.post(URL, {"cccd": "001085099999", "captcha_0": "nope", "captcha_1": "PASSED"}).content.decode()
    assert "Mã kiểm tra không đúng" in wrong and dossier.code not in wrong
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    found = client.post(URL, {"cccd": "001 085 099 999", "captcha_0": "x", "captcha_1": "PASSED"}).content.decode()
    assert dossier.code in found


def test_an_id_number_never_travels_in_the_address(client, submitted_dossier):
    """Issue 15 (low): lookups by CCCD went by GET, leaving id numbers in access logs and browser history."""
    dossier = submitted_dossier(UserFactory(id_number="001085077777"))
    page = client.get(URL, {"cccd": "001085077777", "captcha_0": "x", "captcha_1": "PASSED"}).content.decode()
    assert dossier.code not in page
    assert '<form method="post"' in page and 'name="cccd"' in page


def test_unknown_code_says_so(client):
    html = client.get(URL, {"ma": "000.01.01.H26-260101-9999"}).content.decode()
    assert "Không tìm thấy hồ sơ" in html


def test_drafts_are_never_found(client):
    from dvc.catalog.models import Procedure
    from dvc.dossiers.tests.factories import commune_centre

    user = UserFactory(id_number="001085088888")
    dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.004873"), agency=commune_centre())
    html = client.post(URL, {"cccd": "001085088888", "captcha_0": "x", "captcha_1": "PASSED"}).content.decode()
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
