"""The one-stop journey in browsers: the citizen files; the officer asks for a clearer photo; the citizen sends it;
the officer receives and assigns; the specialist drafts and proposes; the leader approves and signs; the officer
returns the result; the citizen downloads it and rates the service; a stranger checks it by its QR link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    CITIZEN,
    DESKTOP,
    LEADER,
    OFFICER,
    PHONE,
    SPECIALIST,
    accessibility_violations,
    act,
    attach,
    file_dossier,
    png,
    wait_for_worker,
)


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_dossier_goes_from_filing_to_signed_result_and_rating(open_page, portal, width):
    citizen = open_page(width, user=CITIZEN)
    dossier_id, code = file_dossier(citizen, portal)

    officer = open_page(width, user=OFFICER)
    officer.goto("/can-bo/?hang=moi")
    officer.click(f"main a:text-is('{code}')")
    expect(officer.locator("h1")).to_contain_text(code)
    act(officer, "yeu-cau-bo-sung", requirements=_identity(officer), note="Ảnh CCCD bị mờ, đề nghị chụp lại.")
    expect(officer.locator("main")).to_contain_text("Đã gửi yêu cầu bổ sung cho người nộp.")

    citizen.goto(f"/ho-so/{dossier_id}/")
    expect(citizen.locator("main")).to_contain_text("Ảnh CCCD bị mờ, đề nghị chụp lại.")
    assert accessibility_violations(citizen) == []
    citizen.click("main a:text-is('Bổ sung hồ sơ')")
    attach(citizen, "Giấy tờ tùy thân", "cccd-ro.png", png(800, 500))
    citizen.click("#ho-so button[name=continue]")
    citizen.click("main form.card button:text-is('Gửi bổ sung')")
    expect(citizen.locator("main")).to_contain_text("cccd-ro.png")

    officer.reload()
    # The answers read as on paper (names, dd/mm/yyyy, Có), and the new photo opens in the page.
    answers = officer.locator("main section", has=officer.locator("h2", has_text="Tờ khai"))
    expect(answers).to_contain_text("sinh ngày 12/03/1985")
    expect(answers).to_contain_text("Phường Ba Đình, Thành phố Hà Nội")
    expect(answers).not_to_contain_text("True")
    officer.locator("main li", has_text="cccd-ro.png").locator("a").first.click()
    photo = officer.locator("main figure.page-image img")
    expect(photo).to_be_visible()
    officer.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=photo.element_handle())
    officer.go_back()
    act(officer, "tiep-nhan")
    expect(officer.locator("main")).to_contain_text("Hẹn trả")
    act(officer, "giao", specialist="Hoàng Văn Nam")

    specialist = open_page(width, user=SPECIALIST)
    specialist.goto(f"/can-bo/ho-so/{dossier_id}/")
    act(specialist, "tao-du-thao", **{"r-tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai."})
    act(specialist, "de-xuat", decision="approve", note="Đủ điều kiện xác nhận.")

    leader = open_page(width, user=LEADER)
    leader.goto("/can-bo/")
    leader.click("main a:text-is('Chờ phê duyệt')")
    leader.click(f"main a:text-is('{code}')")
    act(leader, "xem-ban-cuoi")  # the leader reads the final copy, number and signer included, before signing
    wait_for_worker(leader, "Bản cuối sẽ được ký số")  # the worker draws it; the page refreshes itself
    final = leader.locator("main figure.page-image img").first
    expect(final).to_be_visible()
    leader.wait_for_function("img => img.complete && img.naturalWidth > 500", arg=final.element_handle())
    act(leader, "phe-duyet")  # answered at once; the worker signs and the page refreshes itself (issue 20)
    wait_for_worker(leader, "Kết quả đã ký số")

    officer.reload()
    act(officer, "tra-ket-qua", method="online")
    expect(officer.locator("main")).to_contain_text("Đã trả kết quả")

    citizen.goto(f"/ho-so/{dossier_id}/")
    history = citizen.locator("main")
    expect(history).to_contain_text("Đã có kết quả")
    for internal in ("du-thao-ket-qua", "ban-cuoi-", "Đủ điều kiện xác nhận.", "Hoàng Văn Nam"):  # staff's own work
        expect(history).not_to_contain_text(internal)
    with citizen.expect_download() as download:
        citizen.click("main a:text-is('Tải kết quả')")
    signed = download.value.path().read_bytes()
    assert signed.startswith(b"%PDF") and b"/ByteRange" in signed
    rating = citizen.locator("#danh-gia form")
    for name in ("overall", "timeliness", "attitude", "publicity"):
        rating.locator(f"input[name={name}][value='5']").check()
    rating.locator("input[name=trips]").first.check()  # never had to go to the office
    rating.locator("button[type=submit]").click()
    expect(citizen.locator("main")).to_contain_text("Mức độ hài lòng: 5/5")
    assert accessibility_violations(citizen) == []
    verify = citizen.get_attribute("main a:text-is('Kiểm tra tính xác thực của kết quả')", "href")

    stranger = open_page(width)
    stranger.goto(verify)
    expect(stranger.locator("main")).to_contain_text("chữ ký số hợp lệ")
    expect(stranger.locator("main")).to_contain_text(code)
    expect(stranger.locator("main")).not_to_contain_text("Nguyễn Văn An")
    assert accessibility_violations(stranger) == []


def _identity(page) -> str:
    label = page.locator("form[action$='/xu-ly/yeu-cau-bo-sung/'] label:has-text('Giấy tờ tùy thân') input")
    value = label.get_attribute("value")
    assert value and re.fullmatch(r"\d+", value)
    return value


def test_the_queue_is_worked_with_the_keyboard_alone(open_page, portal):
    """Issue 17, part 9: choose new dossiers and receive them at once, keys only; the queue passes axe-core."""
    citizen = open_page(DESKTOP, user=CITIZEN)
    _dossier_id, code = file_dossier(citizen, portal)
    officer = open_page(DESKTOP, user=OFFICER)
    officer.goto("/can-bo/?hang=moi")
    assert accessibility_violations(officer) == []
    box = officer.get_by_label(f"Chọn hồ sơ {code}")
    box.focus()
    officer.keyboard.press("Space")
    expect(box).to_be_checked()
    button = officer.locator("main button:text-is('Tiếp nhận các hồ sơ đã chọn')")
    button.focus()
    officer.keyboard.press("Enter")
    expect(officer.locator("main")).to_contain_text(f"Đã tiếp nhận 1 hồ sơ: {code}")
