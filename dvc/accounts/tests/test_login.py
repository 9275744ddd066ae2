import pytest
from django.urls import reverse

from dvc.accounts.models import OtpChallenge
from dvc.accounts.tests.factories import PASSWORD, UserFactory
from dvc.agencies.models import StaffRole
from dvc.agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def test_login_with_password_then_otp_opens_a_session(client, outbox):
    user = UserFactory(id_number="001085012345")
    response = client.post(LOGIN, {"id_number": "001 085 012 345", "password": PASSWORD})
    assert response.status_code == 302
    otp_url = response.url
    assert "_auth_user_id" not in client.session
    response = client.post(otp_url, {"otp": outbox.last_otp(user.phone)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dossiers:mine")  # a citizen lands on their dossiers
    assert int(client.session["_auth_user_id"]) == user.pk
    assert "Đăng nhập thành công" in response.content.decode()


def test_login_returns_to_the_page_asked_for_but_never_off_site(client, outbox):
    user = UserFactory()
    response = client.post(LOGIN, {"id_number": user.id_number, "password": PASSWORD, "next": "/co-quan/"})
    response = client.post(response.url, {"otp": outbox.last_otp()})
    assert response.url == "/co-quan/"
    client.logout()
    response = client.post(LOGIN, {"id_number": user.id_number, "password": PASSWORD, "next": "https://evil.example/"})
    response = client.post(response.url, {"otp": outbox.last_otp()})
    assert response.url == reverse("web:landing")


def test_a_page_that_needs_login_says_so_and_is_returned_to(client, outbox):
    """Issue 16: the login page explains why it was shown; after the code, the citizen is back where they were."""
    user = UserFactory()
    sent = client.get(reverse("dossiers:mine") + "?muc=chua-gui")
    assert sent.status_code == 302
    page = client.get(sent.url).content.decode()
    assert "Trang bạn vừa mở cần đăng nhập" in page
    assert "Trang bạn vừa mở" not in client.get(LOGIN).content.decode()
    response = client.post(LOGIN, {"id_number": user.id_number, "password": PASSWORD, "next": "/ho-so/?muc=chua-gui"})
    assert client.post(response.url, {"otp": outbox.last_otp()}).url == "/ho-so/?muc=chua-gui"


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [
        ("leader", "/can-bo/?hang=cho-duyet"),
        ("one_stop_officer", "/can-bo/"),
        ("specialist", "/can-bo/"),
        (None, "/ho-so/"),
    ],
)
def test_after_login_each_person_lands_where_their_work_is(client, outbox, role, lands_on):
    """Issue 16, part 12: a leader on "Chờ phê duyệt", an officer on their queue, a citizen on their dossiers."""
    user = UserFactory()
    if role:
        StaffRole.objects.create(user=user, agency=AgencyFactory(), role=role)
    response = client.post(LOGIN, {"id_number": user.id_number, "password": PASSWORD})
    landed = client.post(response.url, {"otp": outbox.last_otp()}, follow=True)
    assert landed.redirect_chain[-1][0] == lands_on and landed.status_code == 200


def test_wrong_password_says_how_many_tries_are_left(client):
    user = UserFactory()
    response = client.post(LOGIN, {"id_number": user.id_number, "password": "Sai@12345"})
    assert "còn 4 lần thử" in response.content.decode()
    assert not OtpChallenge.objects.exists()


def test_repeated_failures_lock_the_account_with_a_time_to_come_back(client, outbox):
    user = UserFactory()
    for _ in range(4):
        client.post(LOGIN, {"id_number": user.id_number, "password": "Sai@12345"})
    response = client.post(LOGIN, {"id_number": user.id_number, "password": "Sai@12345"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "tạm thời bị khoá" in html and "phút nữa" in html
    # The right password is refused while locked, and no OTP is sent.
    response = client.post(LOGIN, {"id_number": user.id_number, "password": PASSWORD})
    assert response.status_code == 429
    assert outbox.sms() == []


def test_unknown_id_numbers_lock_the_same_way(client):
    for _ in range(5):
        response = client.post(LOGIN, {"id_number": "001099999999", "password": "Sai@12345"})
    assert response.status_code == 429


def test_an_unconfirmed_registration_signs_in_no_one_and_says_to_register_again(client, outbox):
    """A never-confirmed registration answers like a wrong password (it must not tell itself apart from a taken
    id number); the message says what to do."""
    user = UserFactory(pending=True)
    response = client.post(LOGIN, {"id_number": user.id_number, "password": PASSWORD})
    assert response.status_code == 200 and "hãy đăng ký lại" in response.content.decode()
    assert not OtpChallenge.objects.exists() and outbox.sms() == []


def test_a_disabled_account_cannot_log_in(client):
    user = UserFactory(disabled=True)
    response = client.post(LOGIN, {"id_number": user.id_number, "password": PASSWORD})
    assert "đã bị khoá" in response.content.decode()


def test_the_otp_page_belongs_to_the_browser_that_asked(client, outbox):
    user = UserFactory()
    response = client.post(LOGIN, {"id_number": user.id_number, "password": PASSWORD})
    other = client.__class__()
    page = other.get(response.url, follow=True)
    assert page.redirect_chain[-1][0] == LOGIN
    assert "không còn hiệu lực" in page.content.decode()


def test_logout_needs_post_and_ends_the_session(client, outbox):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"), follow=True)
    assert "_auth_user_id" not in client.session
    assert "Bạn đã đăng xuất" in response.content.decode()


def test_sessions_expire_when_idle(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_a_stranger_cannot_lock_the_owner_out(client, outbox, settings):
    """Issue 15 (low): 5 wrong passwords from anywhere locked an account for 15 minutes, and a per-address cap
    locked a whole NAT. The lock is per id number and address; the id number alone slows down only past many."""
    owner = UserFactory()
    for _ in range(5):
        client.post(LOGIN, {"id_number": owner.id_number, "password": "Sai@12345"}, REMOTE_ADDR="203.0.113.66")
    locked = client.post(LOGIN, {"id_number": owner.id_number, "password": PASSWORD}, REMOTE_ADDR="203.0.113.66")
    assert locked.status_code == 429  # the stranger's address is stopped
    home = client.post(LOGIN, {"id_number": owner.id_number, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert home.status_code == 302 and outbox.last_otp(owner.phone)  # the owner, elsewhere, signs in


def test_many_addresses_guessing_one_id_number_are_slowed_down(client, settings):
    settings.DVC_LOGIN_MAX_FAILURES_PER_ID = 8
    owner = UserFactory()
    codes = [
        client.post(
            LOGIN, {"id_number": owner.id_number, "password": "Sai@12345"}, REMOTE_ADDR=f"203.0.113.{n}"
        ).status_code
        for n in range(10)
    ]
    assert 429 in codes and codes.index(429) == 8  # the 9th guess, from a 9th address, waits


def test_a_trial_says_where_the_codes_really_are(client, settings, tmp_path):
    """Walk-through: the code page said var/outbox/ while DVC_VAR_DIR put the messages elsewhere."""
    settings.OUTBOX_DIR = tmp_path / "hop-thu"
    user = UserFactory()
    otp_url = client.post(LOGIN, {"id_number": user.id_number, "password": PASSWORD}).url
    assert f"{tmp_path / 'hop-thu'}/" in client.get(otp_url).content.decode()
