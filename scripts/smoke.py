#!/usr/bin/env python3
"""Walk the account journey against a running portal, as a person with a browser would.

Usage: python scripts/smoke.py [BASE_URL] [OUTBOX_DIR]   (defaults: http://127.0.0.1:8000 var/outbox)

Registers a new citizen, reads the OTP from the outbox, activates, signs in with OTP, edits the profile,
signs out; then the same through the API with a Bearer token. Exits non-zero at the first surprise.
Standard library only, so it runs with any Python 3.11+.
"""

from __future__ import annotations

import http.cookiejar
import json
import random
import re
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUTBOX = Path(sys.argv[2] if len(sys.argv) > 2 else "var/outbox")
PASSWORD = "Smoke@2026x"  # noqa: S105 -- a throwaway account made by this script


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def request(method: str, path: str, data: dict | None = None, headers: dict | None = None, as_json: bool = False):
    body = None
    headers = dict(headers or {})
    if data is not None and as_json:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    elif data is not None:
        body = urllib.parse.urlencode(data).encode()
    # BASE is the portal under test, given by whoever runs the script.
    req = urllib.request.Request(BASE + path, data=body, method=method, headers=headers)  # noqa: S310
    try:
        with opener.open(req, timeout=20) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode()


def csrf() -> str:
    return next(c.value for c in jar if c.name == "csrftoken")


def form(path: str, data: dict) -> tuple[int, str]:
    request("GET", path)
    status, headers, body = request("POST", path, {**data, "csrfmiddlewaretoken": csrf()}, {"Referer": BASE + path})
    return status, headers.get("Location", "") if status in (301, 302) else body


def outbox_files() -> set[Path]:
    return set(OUTBOX.glob("sms-*.json"))


def latest_otp(phone: str, before: set[Path]) -> str:
    """The code in the first SMS to ``phone`` that was not in the outbox ``before`` the action."""
    for _ in range(40):
        for path in sorted(outbox_files() - before, reverse=True):
            message = json.loads(path.read_text(encoding="utf-8"))
            found = re.search(r"\b(\d{6})\b", message["body"])
            if message["to"] == phone and found:
                return found.group(1)
        time.sleep(0.25)
    raise SystemExit(f"no OTP for {phone} in {OUTBOX}")


def check(condition: bool, what: str) -> None:
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        raise SystemExit(1)


def cccd() -> str:
    return f"001085{random.randrange(10**6):06d}"  # noqa: S311


def main() -> None:
    id_number, phone_local = cccd(), f"09{random.randrange(10**8):08d}"  # noqa: S311
    phone = "+84" + phone_local[1:]
    since = outbox_files()
    status, location = form(
        "/dang-ky/",
        {"kind": "citizen", "id_number": id_number, "full_name": "Người Dùng Thử", "birth_date": "12/03/1985",
         "sex": "male", "phone": phone_local, "province": "01", "commune": "00004",
         "new_password1": PASSWORD, "new_password2": PASSWORD, "privacy_consent": "on"},
    )  # fmt: skip
    check(status == 302 and "/xac-thuc/" in location, "register sends to the OTP page")
    status, location = form(location, {"otp": latest_otp(phone, since)})
    check(status == 302 and location.endswith("/dang-nhap/"), "OTP from the outbox activates the account")

    bad_status, body = form("/dang-nhap/", {"id_number": id_number, "password": "Sai@12345"})
    check(bad_status == 200 and "còn 4 lần thử" in body, "a wrong password says how many tries are left")
    since = outbox_files()
    status, location = form("/dang-nhap/", {"id_number": id_number, "password": PASSWORD})
    check(status == 302 and "/xac-thuc/" in location, "password accepted, OTP asked")
    status, location = form(location, {"otp": latest_otp(phone, since)})
    check(status == 302 and location.endswith("/sau-dang-nhap/"), "login with OTP goes to the landing by role")
    status, headers, _body = request("GET", location)
    check(status == 302 and headers.get("Location", "").endswith("/ho-so/"), "a citizen lands on “Hồ sơ của tôi”")
    status, location = form(
        "/tai-khoan/", {"email": "thu@example.vn", "province": "24", "commune": "07210", "address_line": "Số 5"}
    )
    _status, _headers, body = request("GET", "/tai-khoan/")
    check(status == 302 and "Phường Bắc Giang" in body and "thu@example.vn" in body, "profile edit is saved")
    request("GET", "/")
    status, _headers, _body = request("POST", "/dang-xuat/", {"csrfmiddlewaretoken": csrf()}, {"Referer": BASE + "/"})
    status_after, headers, _ = request("GET", "/tai-khoan/")
    check(status_after == 302 and "/dang-nhap/" in headers.get("Location", ""), "logout ends the session")

    since = outbox_files()
    credentials = {"id_number": id_number, "password": PASSWORD}
    status, _h, body = request("POST", "/api/v1/auth/login", credentials, as_json=True)
    challenge = json.loads(body)["challenge_id"]
    check(status == 200, "API login returns a challenge")
    status, _h, body = request(
        "POST", "/api/v1/auth/verify", {"challenge_id": challenge, "otp": latest_otp(phone, since)}, as_json=True
    )
    token = json.loads(body)["token"]
    auth = {"Authorization": f"Bearer {token}"}
    status, _h, body = request("GET", "/api/v1/me", headers=auth)
    check(status == 200 and json.loads(body)["id_number"] == id_number, "API me with the Bearer token")
    status, _h, _b = request("POST", "/api/v1/auth/logout", headers=auth)
    status_after, _h, body = request("GET", "/api/v1/me", headers=auth)
    check(status == 204 and status_after == 401, "API logout revokes the token")
    print(f"journey complete for {id_number}")


if __name__ == "__main__":
    main()
