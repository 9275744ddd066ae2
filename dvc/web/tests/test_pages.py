import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_offers_register_and_login(client):
    html = client.get("/").content.decode()
    assert "Đăng ký tài khoản" in html and reverse("accounts:login") in html
    assert '<html lang="vi">' in html


def test_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_language_switch_to_english_and_back(client):
    home = client.get("/").content.decode()
    assert 'href="/ngon-ngu/en/?next=/"' in home and "<form" not in home.split('class="site-footer"')[1]
    response = client.get(reverse("web:language", args=["en"]), {"next": "/thu-tuc/?q=khai sinh"})
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/?q=khai%20sinh"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html
    client.get(reverse("web:language", args=["vi"]), {"next": "/"})
    assert "Đăng nhập" in client.get("/").content.decode()


def test_the_language_links_go_back_only_to_this_site(client):
    away = client.get(reverse("web:language", args=["en"]), {"next": "https://lua-dao.example/"})
    assert away.status_code == 302 and away["Location"] == "/"
    assert client.get(reverse("web:language", args=["xx"])).status_code == 404
    assert client.post(reverse("web:language", args=["en"])).status_code == 405


def test_forms_need_csrf(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"id_number": "1", "password": "x"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


def test_unknown_page_is_a_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_vietnamese_even_when_the_phone_is_set_to_english(client):
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in html and "Đăng nhập" in html


def test_every_text_has_an_english_translation():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "scripts" / "translations.py"
    spec = importlib.util.spec_from_file_location("translations", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.missing() == []
    # The committed .mo must be compiled from the current .po (make messages).
    import gettext

    with (module.PO.parent / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for block in module.blocks()[1:]:
        _comments, msgid, msgstr = module.parse_block(block)
        if msgid and "msgid_plural" not in block:
            assert compiled.gettext(msgid) == msgstr, msgid


def test_the_liveness_check_answers_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies


def test_a_database_outage_shows_a_503_page_not_a_500(client, monkeypatch):
    from django.db import OperationalError

    from dvc.catalog import views

    def down(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(views, "render", down)
    response = client.get("/thu-tuc/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "Hệ thống đang bận hoặc đang bảo trì" in response.content.decode()


def test_every_page_describes_itself_and_the_captcha_image_keeps_its_place(client):
    """Issue 16, part 15: no meta description on any page (Lighthouse SEO 90); the captcha image had no size."""
    home = client.get("/").content.decode()
    assert '<meta name="description" content="Cổng Dịch vụ công: tìm thủ tục' in home
    detail = client.get("/thu-tuc/1.004873/").content.decode()
    assert '<meta name="description" content="Cấp Giấy xác nhận tình trạng hôn nhân: thành phần hồ sơ' in detail
    lookup = client.get("/tra-cuu/").content.decode()
    assert 'class="captcha" width="140" height="50"' in lookup and 'alt="captcha"' not in lookup
