"""Issue 18: "Đăng nhập bằng tài khoản định danh điện tử" through the development identity provider, back signed
in; the e-form's identity fields are read-only and marked, and the identity paper is not asked. axe-core on each."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.conftest import DESKTOP, accessibility_violations


def test_the_national_identity_login_fills_and_locks_the_identity_fields(open_page, portal):
    page = open_page(DESKTOP, js=True)
    violations: list[str] = []
    page.goto("/dang-nhap/")
    violations += accessibility_violations(page)
    page.click("main a:has-text('Đăng nhập bằng tài khoản định danh điện tử')")
    expect(page).to_have_url(re.compile(r"/dinh-danh-thu-nghiem/uy-quyen/"))
    expect(page.locator("main")).to_contain_text("Máy chủ định danh thử nghiệm")
    violations += accessibility_violations(page)
    page.click("main button:has-text('Trần Thị Bình')")  # a demo citizen of Bắc Ninh, level 2
    expect(page.locator("main")).to_contain_text("Đăng nhập bằng tài khoản định danh điện tử thành công")
    assert page.url.startswith(portal.url) and "/dinh-danh-thu-nghiem/" not in page.url

    page.goto("/tai-khoan/")
    expect(page.locator("main")).to_contain_text("đã xác thực")
    page.goto("/thu-tuc/1.001193/nop-ho-so/")
    page.click("main form[method=post] button[type=submit]")
    page.goto(re.sub(r"/sua/.*$", "/sua/to-khai/", page.url) if "/sua/" in page.url else page.url + "to-khai/")
    name = page.locator("#id_f-nguoi_yeu_cau_full_name")
    expect(name).to_have_value("Trần Thị Bình")
    expect(name).to_have_attribute("readonly", "")
    expect(page.locator("input[name='f-nguoi_yeu_cau.full_name']")).to_have_count(0)
    expect(page.locator("main .badge-verified").first).to_be_visible()
    violations += accessibility_violations(page)
    page.goto(page.url.replace("/to-khai/", "/giay-to/"))
    papers = page.locator("main")
    expect(papers).to_contain_text("đã được xác thực qua tài khoản định danh điện tử")
    expect(page.locator("#giay-to li:has-text('Giấy tờ tùy thân') input[type=file]")).to_have_count(0)
    violations += accessibility_violations(page)
    assert not violations, "\n".join(violations)
