#!/usr/bin/env python3
"""Walk a dossier from submission to rating against a running portal with the demo data (`make run`).

Usage: python scripts/smoke_backoffice.py [BASE_URL] [OUTBOX_DIR]   (defaults: http://127.0.0.1:8000 var/outbox)

The demo citizen files 1.004873 at phường Ba Đình through the API; then, in the staff pages, the one-stop officer
asks for a clearer photo, the citizen sends it, the officer receives the dossier and assigns the specialist, the
specialist drafts the result and proposes it, the leader approves and signs, the officer returns it online; the
citizen downloads the signed result and rates the service; the public verification page checks the signature.
Every login goes through the OTP read from the outbox. Standard library only.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import struct
import sys
import time
import uuid
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import smoke
from smoke import check, csrf, form, latest_otp, outbox_files, request

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 -- the demo accounts' published password
CITIZEN = ("001085012345", "+84987000001")
OFFICER = ("001193000021", "+84912000021")
SPECIALIST = ("001088000022", "+84912000022")
LEADER = ("001172000023", "+84912000023")
ANSWERS = json.loads((Path(__file__).resolve().parents[1] / "dvc" / "web" / "demo_answers.json").read_text("utf-8"))


def png(width: int = 40, height: int = 30) -> bytes:
    """A small grey PNG made with the standard library: the photo of the identity card."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def api_login(who: tuple[str, str]) -> dict[str, str]:
    since = outbox_files()
    status, _h, body = request(
        "POST", "/api/v1/auth/login", {"id_number": who[0], "password": DEMO_PASSWORD}, as_json=True
    )
    check(status == 200, f"API login for {who[0]}")
    challenge = json.loads(body)["challenge_id"]
    status, _h, body = request(
        "POST", "/api/v1/auth/verify", {"challenge_id": challenge, "otp": latest_otp(who[1], since)}, as_json=True
    )
    return {"Authorization": f"Bearer {json.loads(body)['token']}"}


_sessions: dict[str, list[http.cookiejar.Cookie]] = {}
_current = ""


def page_login(who: tuple[str, str]) -> None:
    """Switch the browser to ``who``: their earlier session when there is one (one OTP per person per run)."""
    global _current
    if _current:
        _sessions[_current] = list(smoke.jar)
    smoke.jar.clear()
    _current = who[0]
    for cookie in _sessions.get(who[0], []):
        smoke.jar.set_cookie(cookie)
    if who[0] in _sessions or not who[1]:  # back to a session, or browsing without one
        return
    since = outbox_files()
    status, location = form("/dang-nhap/", {"id_number": who[0], "password": DEMO_PASSWORD})
    check(status == 302 and "/xac-thuc/" in location, f"{who[0]}: password accepted, OTP asked")
    status, location = form(location, {"otp": latest_otp(who[1], since)})
    check(status == 302, f"{who[0]}: signed in with the OTP")


def multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: image/png\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def until_shown(dossier_id: str, page: str, text: str) -> str:
    """The staff page as it refreshes itself while the worker works (every 2–3 s; here every second), until it
    shows ``text`` or a minute has passed."""
    for _ in range(60):
        if text in page:
            break
        time.sleep(1)
        page = request("GET", f"/can-bo/ho-so/{dossier_id}/?dang-ky-so=1")[2]
    return page


def act(dossier_id: str, action: str, data: dict[str, str] | None = None) -> str:
    path = f"/can-bo/ho-so/{dossier_id}/"
    request("GET", path)
    status, _headers, body = request(
        "POST",
        f"{path}xu-ly/{action}/",
        {**(data or {}), "csrfmiddlewaretoken": csrf()},
        {"Referer": smoke.BASE + path},
    )
    check(status == 302, f"staff action {action}" + ("" if status == 302 else f": {status} {body[:300]}"))
    return request("GET", path)[2]


def main() -> None:
    citizen = api_login(CITIZEN)
    status, _h, body = request(
        "POST", "/api/v1/dossiers", {"procedure": "1.004873", "agency": "000.01.01.H26"}, citizen, as_json=True
    )
    dossier = json.loads(body)
    check(status == 201, "citizen creates the draft through the API")
    dossier_id = dossier["id"]
    request("PATCH", f"/api/v1/dossiers/{dossier_id}", {"form_data": ANSWERS}, citizen, as_json=True)
    _s, _h, body = request("GET", "/api/v1/procedures/1.004873")
    requirement = next(r["id"] for r in json.loads(body)["requirements"] if r["name"].startswith("Giấy tờ tùy thân"))
    content, kind = multipart({"requirement": str(requirement)}, "file", "cccd.png", png())
    status, _h, body = request_raw("POST", f"/api/v1/dossiers/{dossier_id}/attachments", content, citizen, kind)
    check(status == 201, "citizen attaches the identity card photo")
    status, _h, body = request(
        "POST", f"/api/v1/dossiers/{dossier_id}/submit", {"idempotency_key": uuid.uuid4().hex}, citizen, as_json=True
    )
    code = json.loads(body).get("code", "")
    check(status == 200 and code.startswith("000.01.01.H26-"), f"submitted: {code}")

    page_login(OFFICER)
    check(code in request("GET", "/can-bo/?hang=moi")[2], "the officer sees it among new dossiers")
    act(dossier_id, "yeu-cau-bo-sung", {"requirements": str(requirement), "note": "Ảnh CCCD bị mờ, chụp lại."})

    content, kind = multipart({"requirement": str(requirement)}, "file", "cccd-ro.png", png(60, 40))
    request_raw("POST", f"/api/v1/dossiers/{dossier_id}/attachments", content, citizen, kind)
    status, _h, body = request("POST", f"/api/v1/dossiers/{dossier_id}/supplement", {}, citizen, as_json=True)
    check(status == 200, "citizen sends the supplement")

    page_login(OFFICER)
    page = act(dossier_id, "tiep-nhan")
    check("Hẹn trả" in page, "received; due date shown")
    _s, _h, body = request("GET", f"/can-bo/ho-so/{dossier_id}/")
    specialist_id = re.search(r'<option value="(\d+)"[^>]*>Hoàng Văn Nam</option>', body)
    check(specialist_id is not None, "the specialist is offered for assignment")
    act(dossier_id, "giao", {"specialist": specialist_id.group(1) if specialist_id else ""})

    page_login(SPECIALIST)
    act(dossier_id, "tao-du-thao", {"r-tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai."})
    act(dossier_id, "de-xuat", {"decision": "approve", "note": "Đủ điều kiện xác nhận."})

    page_login(LEADER)
    page = act(dossier_id, "xem-ban-cuoi")
    check("Đang lập bản cuối của kết quả" in page, "the final copy is asked for; the worker draws it")
    page = until_shown(dossier_id, page, "Bản cuối sẽ được ký số")
    final = re.search(r'name="final_sha256" value="([0-9a-f]{64})"', page)
    check(final is not None and "Bản cuối sẽ được ký số" in page, "the leader reads the final copy before signing")
    page = act(dossier_id, "phe-duyet", {"final_sha256": final.group(1) if final else ""})
    check("Đang ký số và ban hành kết quả" in page, "the approval answers at once; the worker signs")
    page = until_shown(dossier_id, page, "Kết quả đã ký số")
    verify = re.search(r'href="(/xac-minh/[0-9a-f-]+/)"', page)
    check(verify is not None and "Kết quả đã ký số" in page, "leader approves; the result is signed")

    page_login(OFFICER)
    act(dossier_id, "tra-ket-qua", {"method": "online"})

    status, result = download(f"/api/v1/dossiers/{dossier_id}/result", citizen)
    check(status == 200 and result.startswith(b"%PDF") and b"/ByteRange" in result, "citizen downloads it, signed")
    saved = Path(smoke.OUTBOX).parent / f"ket-qua-{code}.pdf"
    saved.write_bytes(result)
    print(f"     saved to {saved} (check it with: pdfsig {saved})")
    status, _h, _b = request(
        "POST",
        f"/api/v1/dossiers/{dossier_id}/rating",
        {"overall": 5, "timeliness": 5, "attitude": 5, "publicity": 5, "trips": 0, "comment": "Nhanh"},
        citizen,
        as_json=True,
    )
    check(status in (200, 201), "citizen rates the service")
    page_login(("anonymous", ""))  # a stranger holding the QR code
    _s, _h, body = request("GET", verify.group(1) if verify else "/")
    check("chữ ký số hợp lệ" in body and code in body and "Nguyễn Văn An" not in body, "public page verifies it")
    _s, _h, body = request("GET", f"/api/v1/dossiers/{dossier_id}/history", headers=citizen)
    actions = [e["action"] for e in json.loads(body)]
    check(actions[-1] == "rated" and "returned" in actions, f"history: {' → '.join(actions)}")
    print(f"back-office journey complete for {code}")


def download(path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(smoke.BASE + path, headers=headers)  # noqa: S310 -- the portal under test
    try:
        with smoke.opener.open(req, timeout=20) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def request_raw(method: str, path: str, body: bytes, headers: dict[str, str], content_type: str):  # type: ignore[no-untyped-def]
    import urllib.error
    import urllib.request

    req = urllib.request.Request(  # noqa: S310 -- the portal under test
        smoke.BASE + path, data=body, method=method, headers={**headers, "Content-Type": content_type}
    )
    try:
        with smoke.opener.open(req, timeout=20) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode()


if __name__ == "__main__":
    main()
