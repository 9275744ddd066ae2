"""Issue 19's acceptance in browsers: a parent files the newborn group (khai sinh – thường trú – thẻ BHYT) once; the
commune, the ward police and social insurance each find their part in their own queue and resolve it; the citizen
follows one dossier and downloads three results within the group's deadline. Then the same in Bắc Ninh, where social
insurance works outside the portal: its part goes through the exchange (the exchange sandbox over HTTP), the first
delivery is lost and sent again by the worker, and a status sent twice changes the dossier once."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from e2e.conftest import (
    DESKTOP,
    LEADER,
    OFFICER,
    SPECIALIST,
    accessibility_violations,
    act,
    png,
    wait_for_worker,
)

CHILD_ID = "001226012345"  # Hà Nội (001), a boy born in the 21st century (2), in 2026 (26)
BINH = ("024192004321", "+84987000002")
CITIZEN = ("001085012345", "+84987000001")
POLICE_BA_DINH = ("001089000041", "+84912000041")
INSURANCE_HN = ("001186000051", "+84912000051")
POLICE_BAC_GIANG = ("024091000042", "+84912000042")
BAC_GIANG = {
    "officer": ("024094000031", "+84912000031"),
    "specialist": ("024187000032", "+84912000032"),
    "leader": ("024070000033", "+84912000033"),
}
PARTS = re.compile(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}")


def file_newborn_group(page, portal, phone: str, *, province: str, commune: str) -> tuple[str, str]:
    """The signed-in parent files 3.000722 at their own ward, signing remotely; returns (dossier id, code)."""
    page.goto("/thu-tuc/3.000722/nop-ho-so/")
    page.click("main form[method=post] button[type=submit]")  # the own ward, already chosen
    for name, value in {
        "f-ho_ten_tre": "Nguyễn Minh Khôi", "f-ngay_sinh_tre": "01/11/2026", "f-noi_sinh": "Bệnh viện đa khoa tỉnh",
        "f-me.full_name": "Trần Thị Bình", "f-que_quan": "Xã Thanh Lâm, Hà Nội", "f-me_noi_cu_tru": "Số 1 phố chính",
        "f-chu_ho": "Nguyễn Văn An", "f-quan_he_chu_ho": "Con", "f-noi_kcb": "Trạm y tế phường",
        "f-noi_thuong_tru.line": "Số 1 phố chính",
    }.items():  # fmt: skip
        page.fill(f"[name='{name}']", value)
    for name, value in (("f-dan_toc", "Kinh"), ("f-quoc_tich", "Việt Nam"), ("f-me_dan_toc", "Kinh"),
                        ("f-me_quoc_tich", "Việt Nam"), ("f-gioi_tinh", "male"), ("f-quan_he", "cha_me")):  # fmt: skip
        page.select_option(f"[name='{name}']", value)
    page.select_option("select[name='f-noi_thuong_tru.province']", province)
    page.wait_for_selector(f"select[name='f-noi_thuong_tru.commune'] option[value='{commune}']", state="attached")
    page.select_option("select[name='f-noi_thuong_tru.commune']", commune)
    page.check("[name='f-cam_doan']")
    page.click("#ho-so .actions button[name=continue]")
    page.locator("#giay-to li:has-text('Giấy chứng sinh') input[type=file]").set_input_files(
        {"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": png()}
    )
    expect(page.locator("#giay-to li:has-text('Giấy chứng sinh')")).to_contain_text("giay-chung-sinh.png")
    page.click("#ho-so .actions button[name=continue]")
    page.click("#ho-so .actions button[name=continue]")  # delivery as offered
    page.click("main button:has-text('Ký số từ xa')")
    page.fill("input[name=otp]", portal.otp(phone))
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/gui/$"))
    page.click("main form.card button[type=submit]")
    expect(page.locator("main")).to_contain_text("Phần đầu của hồ sơ đã được chuyển đến cơ quan giải quyết")
    code = PARTS.search(page.locator(".big-code").inner_text()).group(0)
    return re.search(r"/ho-so/([0-9a-f-]+)/", page.url).group(1), code


def part_code(page, dossier_id: str, name: str) -> str:
    """The code of one part, as the citizen's dossier page lists it."""
    page.goto(f"/ho-so/{dossier_id}/")
    item = page.locator("#lien-thong li", has_text=name)
    expect(item).to_have_count(1)
    return PARTS.search(item.inner_text()).group(0)


def resolve(pages: dict, code: str, *, officer_fields: dict[str, str] | None = None, specialist: str) -> None:
    """The part's agency: the one-stop officer receives and assigns, the specialist drafts and proposes, the leader
    reads the final copy and signs."""
    officer = pages["officer"]
    officer.goto("/can-bo/?hang=moi")
    officer.click(f"main a:text-is('{code}')")
    expect(officer.locator("#lien-thong")).to_contain_text("Hồ sơ này")
    act(officer, "tiep-nhan")
    act(officer, "giao", specialist=specialist)
    drafter = pages["specialist"]
    drafter.goto(officer.url)
    act(drafter, "tao-du-thao", **{f"r-{k}": v for k, v in (officer_fields or {}).items()})
    act(drafter, "de-xuat", decision="approve", note="Đủ điều kiện.")
    leader = pages["leader"]
    leader.goto(officer.url)
    act(leader, "xem-ban-cuoi")
    wait_for_worker(leader, "Bản cuối sẽ được ký số")  # the worker draws it; the page refreshes itself
    act(leader, "phe-duyet")  # answered at once; the worker signs and the page refreshes itself (issue 20)
    wait_for_worker(leader, "Kết quả đã ký số")


def one_person(open_page, who) -> dict:
    page = open_page(DESKTOP, user=who)
    return {"officer": page, "specialist": page, "leader": page}


def test_the_newborn_group_is_filed_once_and_resolved_by_three_agencies(open_page, portal):
    citizen = open_page(DESKTOP, user=CITIZEN)
    dossier_id, code = file_newborn_group(citizen, portal, CITIZEN[1], province="01", commune="00004")
    parts = citizen.locator("#lien-thong")
    expect(parts).to_contain_text("Đăng ký khai sinh")
    expect(parts).to_contain_text("Chờ phần trước có kết quả")
    assert accessibility_violations(citizen) == []
    mine = citizen.goto("/ho-so/")
    assert mine.ok and code in citizen.locator("main").inner_text()

    commune = {"officer": open_page(DESKTOP, user=OFFICER), "specialist": open_page(DESKTOP, user=SPECIALIST),
               "leader": open_page(DESKTOP, user=LEADER)}  # fmt: skip
    birth = part_code(citizen, dossier_id, "Đăng ký khai sinh")
    resolve(commune, birth, officer_fields={"so_dinh_danh_tre": CHILD_ID}, specialist="Hoàng Văn Nam")

    residence = part_code(citizen, dossier_id, "Đăng ký thường trú")
    card = part_code(citizen, dossier_id, "Cấp thẻ bảo hiểm y tế")
    assert residence.startswith("000.01.02.H26-") and card.startswith("000.00.02.H26-")
    police = one_person(open_page, POLICE_BA_DINH)
    police["officer"].goto("/can-bo/?hang=moi")
    expect(police["officer"].locator("main")).to_contain_text(residence)
    expect(police["officer"].locator("main")).not_to_contain_text(card)  # each agency sees its own part only
    resolve(police, residence, specialist="Đinh Công Sơn")
    resolve(one_person(open_page, INSURANCE_HN), card, specialist="Lý Thị Hoa",
            officer_fields={"ma_so_bhxh": "0126012345", "han_the": "đến 31/10/2032"})  # fmt: skip

    citizen.goto(f"/ho-so/{dossier_id}/")
    main = citizen.locator("main")
    expect(main.locator(".facts .badge").first).to_have_text("Đã có kết quả")
    expect(citizen.locator("#lien-thong a:has-text('Tải kết quả')")).to_have_count(3)
    facts = main.locator(".facts").inner_text()
    assert "Ngày hẹn trả" in facts
    with citizen.expect_download() as download:
        citizen.locator("#lien-thong li", has_text="Đăng ký thường trú").locator("a:has-text('Tải kết quả')").click()
    assert b"/ByteRange" in download.value.path().read_bytes()  # signed by the ward police
    assert accessibility_violations(citizen) == []


def _wait_for(page, path: str, text: str, *, within: str = "main", timeout: float = 60) -> None:
    """Reload ``path`` until ``text`` shows in ``within`` (the worker delivers in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(path)
        if text in " ".join(page.locator(within).all_inner_texts()):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never appeared at {path}")
        time.sleep(1)


def test_a_part_outside_the_portal_goes_through_the_exchange_lost_once_and_answered_twice(open_page, portal):
    tester = open_page(DESKTOP, user=OFFICER)  # the exchange sandbox (for officers): Bắc Ninh's social insurance
    tester.goto("/lien-thong-thu-nghiem/")
    tester.fill("#count", "1")
    tester.click("main button:text-is('Làm mất tin')")
    expect(tester.locator("main")).to_contain_text("1 tin tiếp theo từ cổng sẽ bị “mất”")

    citizen = open_page(DESKTOP, user=BINH)
    dossier_id, _code = file_newborn_group(citizen, portal, BINH[1], province="24", commune="07210")
    commune = {role: open_page(DESKTOP, user=who) for role, who in BAC_GIANG.items()}
    birth = part_code(citizen, dossier_id, "Đăng ký khai sinh")
    resolve(commune, birth, officer_fields={"so_dinh_danh_tre": "024226012345"}, specialist="Lương Thị Thu")
    card = part_code(citizen, dossier_id, "Cấp thẻ bảo hiểm y tế")

    # The first delivery is lost (503); the worker sends the same message again.
    _wait_for(tester, "/lien-thong-thu-nghiem/", card)
    ((attempts, status),) = portal.query(
        "SELECT attempts, status FROM exchange_outboundmessage WHERE correlation = ?", card
    )
    assert (attempts, status) == (2, "sent")
    case = tester.locator("main section.card", has_text=card)
    expect(case).to_contain_text("024226012345")
    case.locator("button[value=receive]").click()
    expect(tester.locator("main")).to_contain_text(f"{card}: cổng trả lời “accepted”")
    tester.locator("main section.card", has_text=card).locator("button[value=resend]").click()
    expect(tester.locator("main")).to_contain_text(f"{card}: cổng trả lời “duplicate”")
    _wait_for(citizen, f"/ho-so/{dossier_id}/", "Đang xử lý", within="#lien-thong li:has-text('Cấp thẻ bảo hiểm y tế')")
    tester.locator("main section.card", has_text=card).locator("button[value=result]").click()
    expect(tester.locator("main")).to_contain_text(f"{card}: cổng trả lời “accepted”")

    resolve(one_person(open_page, POLICE_BAC_GIANG), part_code(citizen, dossier_id, "Đăng ký thường trú"),
            specialist="Tạ Văn Hùng")  # fmt: skip
    _wait_for(citizen, f"/ho-so/{dossier_id}/", "Tải kết quả: Thẻ bảo hiểm y tế")
    expect(citizen.locator("#lien-thong a:has-text('Tải kết quả')")).to_have_count(3)
    received = portal.query(
        "SELECT COUNT(*) FROM dossiers_dossierevent e JOIN dossiers_dossier d ON d.id = e.dossier_id "
        "WHERE d.code = ? AND e.action = 'received'", card,
    )  # fmt: skip
    assert received == [(1,)]  # the status sent twice was applied once
    card_page = citizen.locator("#lien-thong li", has_text="Cấp thẻ bảo hiểm y tế")
    expect(card_page).to_contain_text("Bảo hiểm xã hội khu vực XI")
