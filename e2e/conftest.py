"""Browser end-to-end tests: the portal as `make run` starts it, driven by Playwright in Debian's chromium.

One portal per test session, in a temporary folder of its own (SQLite database, file outbox, uploads), with its
web server and task worker started by ``manage.py run_portal`` and the demo data loaded. The tests read what a demo
user reads: OTP codes from the outbox. The captcha's answer is read from the portal's own database, as only a
test can. A failing test leaves a screenshot of each of its pages in ``var/e2e/``.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DVC_E2E_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "var" / "e2e"
PASSWORD = "Demo@2026"
CITIZEN = ("001085012345", "+84987000001")
OFFICER = ("001193000021", "+84912000021")
SPECIALIST = ("001088000022", "+84912000022")
LEADER = ("001172000023", "+84912000023")
PHONE = 360
DESKTOP = 1280
RESIDENCE = "fieldset:has(select[name='f-noi_cu_tru.province'])"  # the e-form's address block in 1.004873

if not Path(CHROMIUM).exists():  # .ci/run installs Debian's chromium; elsewhere say what is missing
    pytest.skip(f"no chromium at {CHROMIUM}: install Debian's chromium package", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Portal:
    url: str
    var: Path
    process: subprocess.Popen[bytes]
    sent: set[str] = field(default_factory=set)

    @property
    def outbox(self) -> Path:
        return self.var / "outbox"

    def otp(self, phone: str, timeout: float = 20) -> str:
        """The newest code sent to ``phone`` that no earlier call returned (the worker delivers it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in sorted(self.outbox.glob("sms-*.json"), reverse=True):
                if path.name in self.sent:
                    continue
                message = json.loads(path.read_text(encoding="utf-8"))
                found = re.search(r"(?<![-\d])(\d{6})(?![-\d])", message["body"])  # not the date in a dossier code
                if message["to"] == phone and found:
                    self.sent.add(path.name)
                    return found.group(1)
            time.sleep(0.2)
        raise AssertionError(f"no OTP for {phone} in {self.outbox}")

    def sms_to(self, phone: str, text: str, timeout: float = 20) -> bool:
        """Whether an SMS containing ``text`` reaches ``phone`` within ``timeout`` seconds (the worker sends it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in self.outbox.glob("sms-*.json"):
                message = json.loads(path.read_text(encoding="utf-8"))
                if message["to"] == phone and text in message["body"]:
                    return True
            time.sleep(0.2)
        return False

    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.var / "dvc.sqlite3", timeout=10) as db:
            return db.execute(sql, args).fetchall()

    def captcha_answer(self, hashkey: str) -> str:
        return str(self.query("SELECT response FROM captcha_captchastore WHERE hashkey = ?", hashkey)[0][0])


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    var = tmp_path_factory.mktemp("portal")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DVC_") and k != "DATABASE_URL"}
    # A lost exchange message is sent again after 2 s rather than 30 s (test_linked_procedures).
    env |= {"DVC_VAR_DIR": str(var), "DVC_ENV": "development", "DVC_EXCHANGE_RETRY_SECONDS": "2"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    for step in (["migrate", "--noinput"], ["load_admin_units"]):
        subprocess.run([*manage, *step], env=env, check=True, capture_output=True, timeout=600)
    addr = f"127.0.0.1:{_free_port()}"
    log = (var / "portal.log").open("wb")
    process = subprocess.Popen([*manage, "run_portal", "--addr", addr], env=env, stdout=log, stderr=log)
    url = f"http://{addr}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as response:  # noqa: S310 -- loopback
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the portal did not start:\n" + (var / "portal.log").read_text(errors="replace"))
        time.sleep(0.5)
    yield Portal(url, var, process)
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"],
        )  # fmt: skip
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def sessions() -> dict[str, Any]:
    """Each demo user signs in through the pages once per run (the OTP caps allow a few codes an hour); later
    browsers start with that user's cookies."""
    return {}


@pytest.fixture
def open_page(
    browser: Any, portal: Portal, sessions: dict[str, Any], request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """A new browser (its own cookies) at a width, with or without JavaScript, signed in or not:
    ``open_page(360, js=False, user=CITIZEN)``."""
    contexts: list[Any] = []
    pages: list[Any] = []

    def make(width: int = PHONE, *, js: bool = True, user: tuple[str, str] | None = None) -> Any:
        state = None
        if user is not None and user[0] not in sessions:
            page = make(width)
            login(page, portal, user)
            sessions[user[0]] = page.context.storage_state()
        if user is not None:
            state = sessions[user[0]]
        context = browser.new_context(
            base_url=portal.url,
            viewport={"width": width, "height": 800 if width == PHONE else 900},
            java_script_enabled=js,
            bypass_csp=True,  # lets axe-core be injected; the pages' own scripts still obey the CSP header
            locale="vi-VN",
            storage_state=state,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for n, page in enumerate(pages):
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{n}.png"), full_page=True)
        print(f"screenshots in {ARTIFACTS}; portal log at {portal.var / 'portal.log'}")
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    if report.when == "call":
        item.report_call = report  # type: ignore[attr-defined]
    return report


def login(page: Any, portal: Portal, who: tuple[str, str], next_path: str = "/") -> None:
    """Sign in through the pages: identity number and password, then the OTP from the outbox."""
    page.goto(f"/dang-nhap/?next={next_path}")
    page.fill("input[name=id_number]", who[0])
    page.fill("input[name=password]", PASSWORD)
    page.click("form.card button[type=submit]")
    page.fill("input[name=otp]", portal.otp(who[1]))
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(re.escape(portal.url + next_path) + r"$"))


def accessibility_violations(page: Any) -> list[str]:
    """Run axe-core in the page (WCAG 2.1 A and AA rules) and describe what it finds."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `npm ci` in {ROOT}")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']});
            return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` +
                v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }"""
    )
    return [f"{page.url}: {line}" for line in found]


def png(width: int = 400, height: int = 250) -> bytes:
    """A photographed paper, as a phone uploads it."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 200, 190)).save(buffer, "PNG")
    return buffer.getvalue()


def attach(page: Any, paper: str, name: str, content: bytes) -> None:
    """Choose a file for a paper: with JavaScript it is sent as soon as it is chosen, without it "Tải lên" sends it
    (either way with the answers typed so far)."""
    from playwright.sync_api import expect

    box = page.locator(f"#giay-to li:has-text('{paper}') .upload")
    box.locator("input[type=file]").set_input_files({"name": name, "mimeType": "image/png", "buffer": content})
    if page.locator("html.js").count() == 0:
        box.locator("button").click()
    expect(page.locator(f"#giay-to li:has-text('{paper}')")).to_contain_text(name)


def file_dossier(page: Any, portal: Portal) -> tuple[str, str]:
    """The signed-in citizen files 1.004873 at phường Ba Đình the shortest way; returns (id, code)."""
    page.goto("/thu-tuc/1.004873/nop-ho-so/")
    page.check("label:has-text('phường Ba Đình') input")
    page.click("main form[method=post] button[type=submit]")
    page.fill("input[name='f-muc_dich']", "Kết hôn")
    page.check("input[name='f-cam_doan']")
    page.select_option("select[name='f-noi_cu_tru.province']", "01")
    if page.is_visible(f"{RESIDENCE} button[name=choose_province]"):  # without JavaScript
        page.click(f"{RESIDENCE} button[name=choose_province]")
    page.wait_for_selector("select[name='f-noi_cu_tru.commune'] option[value='00004']", state="attached")
    page.select_option("select[name='f-noi_cu_tru.commune']", "00004")
    page.fill("input[name='f-noi_cu_tru.line']", "Số 1 Liễu Giai")
    page.click("#ho-so .actions button[name=continue]")  # the e-form done: on to the papers
    attach(page, "Giấy tờ tùy thân", "cccd.png", png())
    page.click("#ho-so .actions button[name=continue]")  # the papers done: on to delivery
    page.click("#ho-so .actions button[name=continue]")  # delivery as offered: on to the check page
    page.click("main form.card button[type=submit]")
    found = re.search(r"000\.01\.01\.H26-\d{6}-\d{4}", page.locator("main").inner_text())
    assert found, page.locator("main").inner_text()
    return re.search(r"/ho-so/([0-9a-f-]+)/", page.url).group(1), found.group(0)


def act(page: Any, slug: str, **fields: str) -> None:
    """An officer's action on the open dossier page: fill the action's form and press its button."""
    form = page.locator(f"form[action$='/xu-ly/{slug}/']")
    folded = page.locator("details:not([open])", has=form)
    if folded.count():  # the rarer actions are folded away under their title
        folded.locator("summary").click()
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.count() > 1 or field.first.get_attribute("type") in ("radio", "checkbox"):
            form.locator(f"[name={name}][value='{value}']").check()
        elif field.first.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()


def wait_for_worker(page: Any, text: str) -> None:
    """The worker makes the leader's final copy, or signs an approved result; the staff page refreshes itself until
    it shows ``text``. A loaded worker may take longer than one wait: look again after a reload (issue 20, part 3)."""
    from playwright.sync_api import expect

    for _ in range(3):
        try:
            expect(page.locator("main")).to_contain_text(text, timeout=15_000)
            return
        except AssertionError:
            page.reload()
    expect(page.locator("main")).to_contain_text(text)
