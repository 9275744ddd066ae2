"""Public pages served from the cache to anonymous visitors: never a signed-in person's page, never stale after a
catalog change, in the visitor's language, and still served when the cache is down."""

import socket

import pytest
from django.core.cache import cache
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.catalog.services import catalog_changed

pytestmark = pytest.mark.django_db
PROCEDURE = reverse("catalog:detail", args=["1.004873"])


def _rename(name: str) -> None:
    Procedure.objects.filter(code="1.004873").update(name=name)


def test_an_anonymous_page_is_served_again_from_the_cache_until_the_catalog_changes(client):
    first = client.get(PROCEDURE).content.decode()
    _rename("Tên đã đổi mà chưa báo")
    assert client.get(PROCEDURE).content.decode() == first  # served from the cache
    catalog_changed()  # every catalog write (admin, import) calls it
    assert "Tên đã đổi mà chưa báo" in client.get(PROCEDURE).content.decode()


def test_cached_pages_keep_every_security_header(client):
    client.get(reverse("catalog:home"), {"q": "khai sinh"})
    again = client.get(reverse("catalog:home"), {"q": "khai sinh"})
    assert "default-src 'self'" in again["Content-Security-Policy"] and again["X-Frame-Options"] == "DENY"
    assert again["Content-Language"] == "vi" and "Cookie" in again["Vary"]


def test_each_language_has_its_own_page(client):
    vietnamese = client.get("/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/").content.decode()
    assert '<html lang="vi">' in vietnamese and '<html lang="en">' in english


def test_a_signed_in_person_never_gets_the_cached_page_nor_leaves_theirs(client):
    client.get(PROCEDURE)
    client.force_login(UserFactory())
    own = client.get(PROCEDURE).content.decode()
    assert "Đăng xuất" in own and "Hồ sơ của tôi" in own  # their own page, not the anonymous copy
    client.logout()
    client.cookies.clear()
    anonymous = client.get(PROCEDURE).content.decode()
    assert "Đăng xuất" not in anonymous and "Hồ sơ của tôi" not in anonymous


def test_a_page_that_carries_a_form_token_is_not_kept(client):
    from django.test import Client

    first = client.get(reverse("accounts:login")).content.decode()
    other = Client().get(reverse("accounts:login")).content.decode()
    token = first.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert token not in other


def test_a_cache_that_is_down_costs_only_the_rendering(client, settings, free_port):
    port = free_port()
    settings.CACHES = {
        **settings.CACHES,  # the header and footer stay in each process's memory
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    response = client.get(PROCEDURE)
    assert response.status_code == 200 and "1.004873" in response.content.decode()


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")
def test_pages_are_shared_through_redis(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": "dvc-test-page-cache",
        }
    }
    cache.clear()
    try:
        first = client.get(PROCEDURE).content.decode()
        _rename("Chỉ có trong cơ sở dữ liệu")
        assert client.get(PROCEDURE).content.decode() == first
        assert "Chỉ có trong cơ sở dữ liệu" not in first
    finally:
        cache.clear()


def test_an_edit_made_by_another_process_shows_within_seconds(client, monkeypatch):
    from dvc.catalog import search_index
    from dvc.catalog.models import CatalogState

    clock = [1000.0]
    monkeypatch.setattr(search_index.time, "monotonic", lambda: clock[0])
    client.get(PROCEDURE)
    _rename("Sửa ở máy chủ khác")
    CatalogState.objects.update_or_create(pk=1, defaults={"version": 424242})  # as another web node's edit does
    assert "Sửa ở máy chủ khác" not in client.get(PROCEDURE).content.decode()  # this process read it just now
    clock[0] += search_index.VERSION_SECONDS + 0.1
    assert "Sửa ở máy chủ khác" in client.get(PROCEDURE).content.decode()
