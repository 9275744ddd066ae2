"""The portal says who runs it and how to reach them, on every page and in its help, privacy and accessibility pages
(issue 16, part 10: "a red bar with a DVC badge: no managing agency, hotline, help, privacy notice or accessibility
statement")."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(settings):
    settings.DVC_PORTAL_NAME = "Cổng Dịch vụ công Thành phố Bắc Ninh"
    settings.DVC_MANAGING_AGENCY = "Ủy ban nhân dân Thành phố Bắc Ninh"
    settings.DVC_OPERATOR = "Trung tâm Phục vụ hành chính công Thành phố Bắc Ninh"
    settings.DVC_HOTLINE = "0222 3 822 222"
    settings.DVC_CONTACT_EMAIL = "dichvucong@bacninh.gov.vn"
    settings.DVC_DATA_PROTECTION_EMAIL = "dulieucanhan@bacninh.gov.vn"
    settings.DVC_PAGE_CACHE = False


def test_every_page_names_the_portal_its_agency_and_how_to_reach_them(client, operator):
    page = client.get("/").content.decode()
    assert (
        "<strong>Cổng Dịch vụ công Thành phố Bắc Ninh</strong><small>Ủy ban nhân dân Thành phố Bắc Ninh</small>" in page
    )
    assert "Đơn vị vận hành: Trung tâm Phục vụ hành chính công Thành phố Bắc Ninh" in page
    assert 'href="tel:02223822222"' in page and "mailto:dichvucong@bacninh.gov.vn" in page
    for name in ("web:help", "web:privacy", "web:accessibility"):
        assert f'href="{reverse(name)}"' in page
    assert 'rel="icon" href="/static/dvc/emblem.svg"' in page


def test_the_help_pages_explain_each_journey_with_a_picture_of_the_portal(client, operator):
    index = client.get(reverse("web:help")).content.decode()
    for topic in ("dang-ky", "nop-ho-so", "thanh-toan", "tra-cuu"):
        assert reverse("web:help_topic", args=[topic]) in index
        page = client.get(reverse("web:help_topic", args=[topic])).content.decode()
        assert re.search(
            rf'<img src="/static/dvc/help/{topic}.webp" srcset="/static/dvc/help/{topic}-2x.webp 2x" width="360" height="540" loading="lazy" alt="[^"]{{20,}}"',
            page,
        )
        assert "0222 3 822 222" in page
    assert client.get("/huong-dan/khong-co/").status_code == 404


def test_the_privacy_notice_says_who_what_why_how_long_and_the_rights(client, operator):
    page = client.get(reverse("web:privacy")).content.decode()
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15" in page
    assert "Trung tâm Phục vụ hành chính công Thành phố Bắc Ninh, thuộc Ủy ban nhân dân Thành phố Bắc Ninh" in page
    assert "mailto:dulieucanhan@bacninh.gov.vn" in page
    for heading in ("Dữ liệu nào, để làm gì", "Căn cứ xử lý", "Ai được xem", "Giữ trong bao lâu", "Quyền của bạn"):
        assert heading in page
    client.get(reverse("web:language", args=["en"]))
    english = client.get(reverse("web:privacy")).content.decode()
    assert "Personal data processing notice" in english and "Your rights" in english


def test_the_accessibility_statement_says_what_is_met_how_it_is_tested_and_what_is_not(client, operator):
    page = client.get(reverse("web:accessibility")).content.decode()
    assert "WCAG 2.1 mức AA" in page and "axe-core" in page and "Những điểm chưa đáp ứng" in page
    assert "mailto:dichvucong@bacninh.gov.vn" in page


def test_the_phone_menu_folds_away_without_a_script(client):
    page = client.get("/").content.decode()
    assert '<input type="checkbox" id="menu-toggle" class="menu-toggle">' in page
    assert '<label for="menu-toggle" class="menu-button">Danh mục</label>' in page
