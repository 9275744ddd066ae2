import datetime as dt

import pytest
from django.utils import timezone

from dvc.accounts import services
from dvc.accounts.models import OtpChallenge
from dvc.accounts.tests.factories import UserFactory
from dvc.errors import DomainError, InvalidInput, RateLimited

pytestmark = pytest.mark.django_db
IP = "198.51.100.7"


def issue(user=None, purpose=OtpChallenge.Purpose.LOGIN):
    user = user or UserFactory()
    return services.otp_issue(user=user, purpose=purpose, phone=user.phone, ip=IP)


def test_five_wrong_codes_kill_the_challenge(outbox):
    challenge = issue()
    code = outbox.last_otp()
    wrong = "000000" if code != "000000" else "111111"
    for remaining in (4, 3, 2, 1):
        with pytest.raises(InvalidInput, match=f"còn {remaining} lần"):
            services.login_confirm(challenge_id=challenge.pk, code=wrong, ip=IP)
    with pytest.raises(DomainError) as locked:
        services.login_confirm(challenge_id=challenge.pk, code=wrong, ip=IP)
    assert locked.value.code == "otp_locked"
    # Even the right code no longer works.
    with pytest.raises(DomainError, match="bị khoá"):
        services.login_confirm(challenge_id=challenge.pk, code=code, ip=IP)
    assert OtpChallenge.objects.get().attempts == 5


def test_code_expires_after_five_minutes(outbox):
    challenge = issue()
    code = outbox.last_otp()
    OtpChallenge.objects.filter(pk=challenge.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DomainError, match="hết hạn") as expired:
        services.login_confirm(challenge_id=challenge.pk, code=code, ip=IP)
    assert expired.value.code == "otp_expired"


def test_a_code_works_once(outbox):
    challenge = issue()
    code = outbox.last_otp()
    services.login_confirm(challenge_id=challenge.pk, code=code, ip=IP)
    with pytest.raises(DomainError, match="đã được sử dụng"):
        services.login_confirm(challenge_id=challenge.pk, code=code, ip=IP)


def test_resend_waits_60_seconds_then_sends_a_new_code_and_kills_the_old(outbox):
    challenge = issue()
    first = outbox.last_otp()
    with pytest.raises(RateLimited, match="giây") as early:
        services.otp_resend(challenge_id=challenge.pk, ip=IP)
    assert 0 < early.value.retry_after <= 60
    OtpChallenge.objects.filter(pk=challenge.pk).update(last_sent_at=timezone.now() - dt.timedelta(seconds=61))
    services.otp_resend(challenge_id=challenge.pk, ip=IP)
    second = outbox.last_otp()
    assert len(outbox.sms()) == 2
    if first != second:
        with pytest.raises(InvalidInput):
            services.login_confirm(challenge_id=challenge.pk, code=first, ip=IP)
    services.login_confirm(challenge_id=challenge.pk, code=second, ip=IP)


def test_hourly_cap_per_phone(settings, outbox):
    settings.DVC_OTP_MAX_SENDS_PER_HOUR = 3
    user = UserFactory()
    for _ in range(3):
        issue(user)
    with pytest.raises(RateLimited, match="quá nhiều mã"):
        issue(user)
    outbox.last_otp()
    assert len(outbox.sms()) == 3


def test_hourly_cap_per_ip(settings):
    settings.DVC_OTP_MAX_REQUESTS_PER_IP_HOUR = 2
    issue()
    issue()
    with pytest.raises(RateLimited):
        issue()


def test_a_new_code_for_the_same_purpose_ends_the_previous_one(outbox):
    user = UserFactory()
    old = issue(user)
    old_code = outbox.last_otp()
    issue(user)
    with pytest.raises(DomainError, match="hết hạn"):
        services.login_confirm(challenge_id=old.pk, code=old_code, ip=IP)


def test_malformed_code_does_not_use_up_a_try(outbox):
    challenge = issue()
    with pytest.raises(InvalidInput, match="6 chữ số"):
        services.login_confirm(challenge_id=challenge.pk, code="12ab", ip=IP)
    assert OtpChallenge.objects.get().attempts == 0
