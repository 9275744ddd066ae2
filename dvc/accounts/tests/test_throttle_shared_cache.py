"""Issue 20, part 1: with a shared cache (Redis, DVC_CACHE_URL) the rate windows are counted there — no database
write per public lookup — and the limits hold as before; should Redis fail, the database counts instead."""

import socket
import uuid

import pytest
from django.urls import reverse

from dvc.accounts import throttle
from dvc.accounts.models import RateCounter
from dvc.dossiers.tests.factories import commune_centre

pytestmark = pytest.mark.django_db


def _redis_up() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


def _use(settings, url: str) -> None:
    settings.CACHE_URL = url
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
        "KEY_PREFIX": f"dvc-test-{uuid.uuid4().hex}", "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
    }}  # fmt: skip


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_lookups_are_limited_in_redis_without_touching_the_database(client, settings):
    _use(settings, "redis://127.0.0.1:6379/0")
    settings.DVC_LOOKUP_PER_CLIENT = 3
    code = f"{commune_centre().code}-261206-0001"
    answers = [client.get(f"/api/v1/lookup/{code}").status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]  # no such dossier, then the client's allowance is spent
    assert not RateCounter.objects.exists()
    page = client.get(reverse("dossiers:lookup") + f"?ma={code}")
    assert page.status_code == 429
    window = throttle.peek(throttle.make_key("lookup-ip", "127.0.0.1"))
    assert window is not None and window.count == 5


def test_a_redis_outage_leaves_the_limits_to_the_database(client, settings):
    _use(settings, "redis://127.0.0.1:1/0")  # nothing listens there
    settings.DVC_LOOKUP_PER_CLIENT = 2
    code = f"{commune_centre().code}-261206-0001"
    answers = [client.get(f"/api/v1/lookup/{code}").status_code for _ in range(3)]
    assert answers == [404, 404, 429]
    assert RateCounter.objects.filter(key__startswith="lookup-ip:").get().count == 3


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_a_lockout_in_redis_is_extended_and_lifted(settings):
    import datetime as dt

    from django.utils import timezone

    _use(settings, "redis://127.0.0.1:6379/0")
    key = throttle.make_key("login", "001085012345")
    assert throttle.hit(key, window=dt.timedelta(minutes=15)).count == 1
    assert throttle.hit(key, window=dt.timedelta(minutes=15)).count == 2
    until = timezone.now() + dt.timedelta(hours=1)
    throttle.extend(key, until=until)
    window = throttle.peek(key)
    assert window is not None and abs((window.ends_at - until).total_seconds()) < 1 and window.count == 2
    throttle.reset(key)
    assert throttle.peek(key) is None
