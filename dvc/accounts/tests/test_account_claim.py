"""A walk-in citizen's account (made at the counter) is claimed only with the claim code from the counter; a
stranger registering with the same id number takes over nothing and learns nothing (issue 15, finding 1)."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dvc.accounts.models import AccountClaim, User
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.intake import counter_intake
from dvc.dossiers.tests.factories import agency_staff, commune_centre, photo_upload
from dvc.web.demo import MARITAL_ANSWERS

pytestmark = pytest.mark.django_db
API = "/api/v1/auth"
WALK_IN = "001185009999"
RECORDED_PHONE = "+84912000111"
STRANGER_PHONE = "0988777666"


@pytest.fixture
def walked_in():
    """Chị Lan files at the counter; the officer records her phone. She has no account of her own."""
    agency = commune_centre()
    officer = agency_staff(agency).officer
    procedure = Procedure.objects.get(code="1.004873")
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    intake = counter_intake(
        actor=officer, agency=agency, procedure=procedure, id_number=WALK_IN, full_name="Đỗ Thị Lan",
        phone=RECORDED_PHONE, birth_date=None, form_data={**MARITAL_ANSWERS}, scans={identity.pk: photo_upload()},
        result_method="counter",
    )  # fmt: skip
    return intake


def register(client, id_number, phone, ip="127.0.0.1", **extra):
    body = {
        "id_number": id_number, "full_name": "Kẻ Lạ Mặt", "birth_date": "12/03/1985", "sex": "female", "phone": phone,
        "province": "01", "commune": "00004", "password": "Matkhau@2026x", "password_confirm": "Matkhau@2026x",
        "privacy_consent": True, **extra,
    }  # fmt: skip
    return client.post(f"{API}/register", body, content_type="application/json", REMOTE_ADDR=ip)


def sms_to(outbox, tasks, phone):
    tasks()
    return [m["body"] for m in outbox.sms() if m["to"] == phone]


def test_a_stranger_registering_with_a_walk_in_id_number_gets_nothing(client, walked_in, outbox, tasks):
    before = User.objects.get(id_number=WALK_IN)
    answer = register(client, WALK_IN, STRANGER_PHONE)
    assert answer.status_code == 201 and set(answer.json()) == set(
        register(client, "001185008888", "0988777665").json()
    )
    assert sms_to(outbox, tasks, "+84988777666") == []  # no code to the stranger's phone
    after = User.objects.get(id_number=WALK_IN)
    assert (after.full_name, after.phone, after.password) == (before.full_name, before.phone, before.password)
    assert not after.has_usable_password() and not after.is_active
    for code in ("000000", "123456", "999999"):  # whatever is tried, the account is not activated
        client.post(f"{API}/verify", {"challenge_id": answer.json()["challenge_id"], "otp": code},
                    content_type="application/json")  # fmt: skip
    client.post(f"{API}/resend", {"challenge_id": answer.json()["challenge_id"]}, content_type="application/json")
    assert sms_to(outbox, tasks, "+84988777666") == []
    assert not User.objects.get(id_number=WALK_IN).is_active


def test_the_walk_in_citizen_claims_the_account_with_the_code_from_the_counter(client, walked_in, outbox, tasks):
    sent = sms_to(outbox, tasks, RECORDED_PHONE)
    claim = next(
        re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", body).group(1) for body in sent if "nhận tài khoản" in body
    )
    assert claim == walked_in.claim_code
    wrong = register(client, WALK_IN, "0912000111", claim_code="AAAA-AAAA")
    assert wrong.status_code == 201 and not [b for b in sms_to(outbox, tasks, RECORDED_PHONE) if "kích hoạt" in b]
    answer = register(client, WALK_IN, "0912000111", claim_code=claim.lower().replace("-", " "), full_name="Đỗ Thị Lan")
    otp = re.search(r"\b(\d{6})\b", [b for b in sms_to(outbox, tasks, RECORDED_PHONE) if "kích hoạt" in b][-1]).group(1)
    verified = client.post(
        f"{API}/verify", {"challenge_id": answer.json()["challenge_id"], "otp": otp}, content_type="application/json"
    )
    assert verified.status_code == 200 and verified.json()["status"] == "activated"
    lan = User.objects.get(id_number=WALK_IN)
    assert lan.is_active and lan.check_password("Matkhau@2026x") and lan.dossiers.count() == 1
    again = register(client, WALK_IN, STRANGER_PHONE, claim_code=claim)  # a code works once
    assert again.status_code == 201 and sms_to(outbox, tasks, "+84988777666") == []


def test_known_and_unknown_id_numbers_get_the_same_answer_and_the_same_limit(client, walked_in, settings):
    settings.DVC_OTP_MAX_REQUESTS_PER_IP_HOUR = 3
    known = [register(client, WALK_IN, f"098877766{n}", ip="203.0.113.1").status_code for n in range(4)]
    unknown = [register(client, f"00118500{n}777", f"098877755{n}", ip="203.0.113.2").status_code for n in range(4)]
    assert known == [201, 201, 201, 429] and unknown == [201, 201, 201, 429]


def test_the_counter_receipt_prints_the_claim_code_right_after_intake(client):
    """The officer prints form 01 for the walk-in citizen: it carries the claim code; a later print does not."""
    agency = commune_centre()
    officer = agency_staff(agency).officer
    client.force_login(officer)
    procedure = Procedure.objects.get(code="1.004873")
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    post = {
        "agency": agency.pk, "id_number": WALK_IN, "full_name": "Đỗ Thị Lan", "phone": "0912000111",
        "result_method": "counter", "f-nguoi_yeu_cau.full_name": "Đỗ Thị Lan", "f-nguoi_yeu_cau.birth_date": "12/03/1985",
        "f-nguoi_yeu_cau.id_number": WALK_IN, "f-dien_thoai": "0912000111", "f-noi_cu_tru.province": "01",
        "f-noi_cu_tru.commune": "00004", "f-muc_dich": "Kết hôn", "f-cam_doan": "on",
        f"scan-{identity.pk}": photo_upload(),
    }  # fmt: skip
    done = client.post(reverse("staff:intake") + "?thu_tuc=1.004873", post)
    assert done.status_code == 302, done.content.decode()[:3000]
    dossier = User.objects.get(id_number=WALK_IN).dossiers.get()
    receipt = client.get(reverse("staff:document", args=[dossier.pk, "mau-01"]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    claim = re.search(r"([A-Z0-9]{4}-[A-Z0-9]{4})", text.split("nhận tài khoản")[1]).group(1)
    assert AccountClaim.objects.get(user__id_number=WALK_IN).matches(claim)
    client.logout()
    client.force_login(officer)  # another session, later: the code is not printed again
    later = client.get(reverse("staff:document", args=[dossier.pk, "mau-01"]))
    assert claim not in "".join(page.extract_text() for page in PdfReader(io.BytesIO(later.content)).pages)


def test_a_pending_registration_made_by_a_stranger_does_not_catch_the_walk_in_dossier(client, outbox, tasks):
    """Review of issue 15: register the victim's id number unconfirmed, wait for their counter filing, log in."""
    first = register(client, WALK_IN, STRANGER_PHONE)
    assert first.status_code == 201
    agency = commune_centre()
    officer = agency_staff(agency).officer
    procedure = Procedure.objects.get(code="1.004873")
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    counter_intake(
        actor=officer, agency=agency, procedure=procedure, id_number=WALK_IN, full_name="Đỗ Thị Lan",
        phone=RECORDED_PHONE, birth_date=None, form_data={**MARITAL_ANSWERS}, scans={identity.pk: photo_upload()},
        result_method="counter",
    )  # fmt: skip
    account = User.objects.get(id_number=WALK_IN)
    assert account.phone == RECORDED_PHONE and not account.has_usable_password()
    login = client.post(
        f"{API}/login", {"id_number": WALK_IN, "password": "Matkhau@2026x"}, content_type="application/json"
    )
    assert login.status_code == 422  # the stranger's password no longer opens anything
    otp = [b for b in sms_to(outbox, tasks, "+84988777666") if "kích hoạt" in b]
    code = re.search(r"\b(\d{6})\b", otp[-1]).group(1)  # the code the stranger got when registering
    late = client.post(f"{API}/verify", {"challenge_id": first.json()["challenge_id"], "otp": code},
                       content_type="application/json")  # fmt: skip
    assert late.status_code != 200 and not User.objects.get(id_number=WALK_IN).is_active


def test_registering_twice_answers_alike_for_new_and_taken_id_numbers(client, walked_in):
    """Review of issue 15: the second registration expired the first challenge for a new id number only."""

    def second_then_first_wrong(id_number, phone):
        first = register(client, id_number, phone).json()["challenge_id"]
        register(client, id_number, phone)
        body = {"challenge_id": first, "otp": "000000"}
        return client.post(f"{API}/verify", body, content_type="application/json").json()["code"]

    assert second_then_first_wrong(WALK_IN, "0988777661") == second_then_first_wrong("001185008881", "0988777662")


def test_logging_in_to_an_unconfirmed_registration_answers_like_a_wrong_password(client):
    """Review of issue 15: the login told a registered-but-unconfirmed id number from a taken one."""
    register(client, "001185008882", "0988777663")
    fresh = client.post(f"{API}/login", {"id_number": "001185008882", "password": "Matkhau@2026x"},
                        content_type="application/json")  # fmt: skip
    taken = client.post(f"{API}/login", {"id_number": WALK_IN, "password": "Matkhau@2026x"},
                        content_type="application/json")  # fmt: skip
    assert fresh.status_code == taken.status_code == 422
