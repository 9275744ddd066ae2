"""Issue 20, part 1: a visitor's public page is its own blocks inside a layout kept per process (``dvc.web.shell``),
written byte for byte as Django's ``render`` writes the whole page; a signed-in person or a visitor with a message
waiting gets the page rendered whole."""

from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.citizen.forms import CodeLookupForm
from dvc.web import shell

pytestmark = pytest.mark.django_db
URL = reverse("dossiers:lookup")


def _whole(request, template_name, context, status=200):
    return render(request, template_name, context, status=status)


def _both(client, path, **extra):
    kept = client.get(path, **extra)
    with mock.patch("dvc.dossiers.citizen.public_views.render_page", _whole):
        whole = client.get(path, **extra)
    return kept, whole


@pytest.mark.parametrize(
    "path", [f"{URL}?ma=000.01.01.H26-261207-0001", f"{URL}?ma=x", f"{URL}?ma=000.01.01.H26-261207-0001&bm=ABC"]
)
def test_a_visitors_page_is_byte_for_byte_the_page_rendered_whole(client, submitted_dossier, path):
    dossier = submitted_dossier(UserFactory(full_name="Nguyễn Văn An"))
    for asked in (path, f"{URL}?ma={dossier.code}"):
        kept, whole = _both(client, asked)
        assert kept.status_code == whole.status_code
        assert kept.content == whole.content
    assert dossier.code in client.get(f"{URL}?ma={dossier.code}").content.decode()


def test_the_footer_links_back_to_each_page_in_the_other_language(client):
    first = client.get(f"{URL}?ma=AAA-1").content.decode()
    second = client.get(f"{URL}?ma=BBB-2").content.decode()
    assert "?next=/tra-cuu/%3Fma%3DAAA-1" in first and "?next=/tra-cuu/%3Fma%3DBBB-2" in second
    client.get(reverse("web:language", args=["en"]))  # the footer's link: English from now on
    english = client.get(f"{URL}?ma=AAA-1")
    kept, whole = _both(client, f"{URL}?ma=AAA-1")
    assert english.content == kept.content == whole.content and '<html lang="en">' in english.content.decode()


def test_a_signed_in_person_gets_their_own_header(client, submitted_dossier):
    user = UserFactory(full_name="Trần Thị Bình")
    client.get(f"{URL}?ma=x")  # a visitor's layout is kept
    client.force_login(user)
    page = client.get(f"{URL}?ma=x").content.decode()
    assert "Trần Thị Bình" in page or reverse("accounts:logout") in page
    assert reverse("accounts:login") not in page.split("<main")[0]


def test_a_waiting_message_is_shown_once_not_kept_in_the_layout():
    request = RequestFactory().get(f"{URL}?ma=x")
    request.user = mock.Mock(is_authenticated=False)
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Bạn đã đăng xuất.")
    request._messages = storage
    page = {"by_code": CodeLookupForm(), "by_cccd": None, "lines": None}
    shown = shell.render_page(request, "dossiers/lookup.html", page)
    assert "Bạn đã đăng xuất." in shown.content.decode()
    plain = RequestFactory().get(f"{URL}?ma=x")
    plain.user = mock.Mock(is_authenticated=False)
    plain._messages = CookieStorage(plain)
    again = shell.render_page(plain, "dossiers/lookup.html", page)
    assert "Bạn đã đăng xuất." not in again.content.decode()
