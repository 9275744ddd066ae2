"""What anyone can open without signing in: every page passes axe-core at phone and desktop width, the statistics
page shows its chart with the table beside it, and a dossier filed at the counter can be looked up by its code."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, OFFICER, PHONE, accessibility_violations, png

PUBLIC = [
    "/", "/thu-tuc/", "/thu-tuc/?q=khai+sinh", "/thu-tuc/1.004873/", "/co-quan/", "/tra-cuu/", "/thong-ke/",
    "/thong-ke/?tinh=01", "/dang-nhap/", "/dang-ky/", "/quen-mat-khau/", "/thanh-toan/", "/huong-dan/",
    "/huong-dan/dang-ky/", "/huong-dan/nop-ho-so/", "/huong-dan/thanh-toan/", "/huong-dan/tra-cuu/",
    "/bao-ve-du-lieu-ca-nhan/", "/kha-nang-tiep-can/", "/phan-anh-kien-nghi/", "/phan-anh-kien-nghi/gui/",
]  # fmt: skip


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_public_pages_pass_the_accessibility_check(open_page, width):
    page = open_page(width)
    violations: list[str] = []
    for path in PUBLIC:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        violations.extend(accessibility_violations(page))
    assert violations == []


def test_the_statistics_page_draws_its_chart_with_the_numbers_beside_it(open_page):
    page = open_page(PHONE, js=False)
    page.goto("/thong-ke/")
    expect(page.locator("main svg")).to_be_visible()
    expect(page.locator("main table")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Cập nhật lúc")
    page.select_option("select[name=tinh]", "01")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"tinh=01"))
    expect(page.locator("main table")).to_contain_text("phường Ba Đình")


def test_a_walk_in_citizen_is_filed_at_the_counter_and_looks_the_dossier_up(open_page, portal):
    officer = open_page(DESKTOP, user=OFFICER)
    officer.goto("/can-bo/")
    officer.click("main a:text-is('Tiếp nhận hồ sơ tại quầy')")
    officer.select_option("select[name=thu_tuc]", "1.004873")
    officer.click("main button:text-is('Tiếp tục')")
    officer.fill("input[name=id_number]", "001090007777")
    officer.fill("input[name=full_name]", "Đinh Thị Bảy")
    officer.fill("input[name=phone]", "0912007777")
    officer.fill("input[name='f-nguoi_yeu_cau.full_name']", "Đinh Thị Bảy")
    officer.fill("input[name='f-nguoi_yeu_cau.birth_date']", "07/07/1990")
    officer.fill("input[name='f-nguoi_yeu_cau.id_number']", "001090007777")
    officer.fill("input[name='f-dien_thoai']", "0912007777")
    officer.select_option("select[name='f-noi_cu_tru.province']", "01")
    officer.wait_for_selector("select[name='f-noi_cu_tru.commune'] option[value='00004']", state="attached")
    officer.select_option("select[name='f-noi_cu_tru.commune']", "00004")
    officer.fill("input[name='f-noi_cu_tru.line']", "Số 7 Đội Cấn")
    officer.fill("input[name='f-muc_dich']", "Kết hôn")
    officer.check("input[name='f-cam_doan']")
    scan = officer.locator("label:has-text('Giấy tờ tùy thân')").get_attribute("for")
    officer.set_input_files(f"#{scan}", {"name": "cccd-quet.png", "mimeType": "image/png", "buffer": png()})
    officer.click("main button:text-is('Tiếp nhận và cấp mã hồ sơ')")
    code = re.search(r"000\.01\.01\.H26-\d{6}-\d{4}", officer.locator("main").inner_text())
    assert code, officer.locator("main").inner_text()
    assert portal.sms_to("+84912007777", code.group(0))  # the code reaches the walk-in citizen's phone

    citizen = open_page(PHONE, js=False)  # the walk-in citizen, on their own phone, not signed in
    citizen.goto("/")
    citizen.click("header label:text-is('Danh mục')")  # the menu folded on a phone
    citizen.click("header a:text-is('Tra cứu')")
    citizen.fill("input[name=ma]", code.group(0))
    citizen.click("main button:text-is('Tra cứu')")
    result = citizen.locator("main section.card")
    expect(result).to_contain_text(code.group(0))
    expect(result).not_to_contain_text("Đinh Thị Bảy")  # the name is masked in public


def test_the_running_portal_answers_an_unknown_address_with_its_own_page_compressed(open_page, portal):
    """Issue 16, part 14 and 15: `make run` served Django's technical 404 page, HTML uncompressed and static files
    with no cache lifetime."""
    page = open_page(PHONE, js=False)
    response = page.goto("/xac-minh/khong-co-ma-nay/")
    assert response is not None and response.status == 404
    expect(page.locator("main h1")).to_be_visible()
    assert "Technical" not in page.content() and "URLconf" not in page.content()
    home = page.request.get("/", headers={"Accept-Encoding": "gzip"})
    assert home.headers.get("content-encoding") == "gzip"
    css = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert css and css.startswith("/static/")
    styles = page.request.get(css, headers={"Accept-Encoding": "gzip"})
    assert styles.status == 200 and "max-age=" in styles.headers.get("cache-control", "")


def test_on_a_small_phone_text_boxes_do_not_zoom_and_nothing_overflows(open_page):
    """Issue 16, part 11: the search box was 13 px (iOS zooms into it), radio buttons 13 px."""
    page = open_page(320, js=False)
    for path in ("/", "/dang-ky/", "/tra-cuu/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        sizes = page.eval_on_selector_all(
            "main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select",
            "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
        )
        assert sizes and min(sizes) >= 16, (path, sizes)


def test_on_a_phone_the_menu_folds_into_one_button_and_opens_without_a_script(open_page):
    """Issue 16, part 11: the header menu took 160–190 px of a 360 px phone."""
    page = open_page(PHONE, js=False)
    page.goto("/")
    assert page.evaluate("document.querySelector('header').getBoundingClientRect().height") <= 130
    expect(page.locator("header a:text-is('Thống kê')")).to_be_hidden()
    page.click("header label:text-is('Danh mục')")
    expect(page.locator("header a:text-is('Thống kê')")).to_be_visible()
    checked = open_page(PHONE)  # axe-core runs in the page, so with JavaScript; the menu opened the same way
    checked.goto("/")
    checked.click("header label:text-is('Danh mục')")
    assert accessibility_violations(checked) == []
