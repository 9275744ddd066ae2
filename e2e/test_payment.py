"""Paying online through the built-in sandbox gateway, on a phone without JavaScript: a failed attempt changes
nothing, the next one pays; the IPN arrives through the worker, and the e-receipt downloads."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.conftest import CITIZEN, DESKTOP, PHONE, accessibility_violations


def test_a_citizen_pays_the_postage_after_a_failed_attempt(open_page, portal):
    desktop = open_page(DESKTOP, user=CITIZEN)
    desktop.goto("/ho-so/")
    desktop.click("main a:text-is('Chờ thanh toán')")
    assert accessibility_violations(desktop) == []

    page = open_page(PHONE, js=False, user=CITIZEN)
    page.goto("/ho-so/")
    page.click("main a:text-is('Chờ thanh toán')")
    page.get_by_role("link", name="Cấp Giấy xác nhận tình trạng hôn nhân").first.click()
    code = re.search(r"000\.01\.01\.H26-\d{6}-\d{4}", page.locator("main").inner_text())
    assert code
    expect(page.locator("main")).to_contain_text("22.000")

    page.click("main button:text-is('Thanh toán trực tuyến')")
    expect(page).to_have_url(re.compile(r"/cong-thanh-toan-thu-nghiem/"))
    expect(page.locator("main")).to_contain_text("22.000")
    page.check("input[name=outcome][value=fail]")
    page.click("main button:text-is('Xác nhận')")
    expect(page.locator("main .alert-error")).to_contain_text("Giao dịch không thành công")

    page.click("main a:text-is('Quay lại hồ sơ')")
    page.click("main button:text-is('Thanh toán trực tuyến')")
    page.check("input[name=outcome][value=success]")
    page.click("main button:text-is('Xác nhận')")
    # The return page waits for the gateway's own notice (the IPN, sent by the worker) and refreshes by itself.
    expect(page.locator("main")).to_contain_text(
        f"Đã thanh toán 22.000 đồng cho hồ sơ {code.group(0)}.", timeout=30_000
    )
    with page.expect_download() as download:
        page.click("main a:text-is('Tải biên lai điện tử (PDF)')")
    assert download.value.path().read_bytes().startswith(b"%PDF")
    assert portal.query(
        "SELECT fee_status, (SELECT count(*) FROM payments_receipt r WHERE r.dossier_id = d.id) "
        "FROM dossiers_dossier d WHERE code = ?",
        code.group(0),
    ) == [("paid", 1)]
