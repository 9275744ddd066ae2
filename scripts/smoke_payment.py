#!/usr/bin/env python3
"""Pay a demo dossier's fees through the built-in sandbox gateway against a running portal (`make run`).

Usage: python scripts/smoke_payment.py [BASE_URL] [OUTBOX_DIR]   (defaults: http://127.0.0.1:8000 var/outbox)

The demo citizen signs in (password + OTP from the outbox), finds the dossier waiting for payment in
"Chờ thanh toán", pays it at the sandbox (ATM card, success), waits for the sandbox's IPN to reach the portal
through the worker, then downloads the receipt. Standard library only.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import smoke
from smoke import check, csrf, form, latest_otp, outbox_files, request

CITIZEN = ("001085012345", "+84987000001")


def main() -> None:
    since = outbox_files()
    status, location = form("/dang-nhap/", {"id_number": CITIZEN[0], "password": "Demo@2026"})
    check(status == 302, "citizen: password accepted")
    status, _location = form(location, {"otp": latest_otp(CITIZEN[1], since)})
    check(status == 302, "citizen: signed in with the OTP")
    _s, _h, page = request("GET", "/ho-so/?muc=cho-thanh-toan")
    found = re.search(r'href="/ho-so/([0-9a-f-]{36})/"', page)
    check(found is not None, "a dossier waits in “Chờ thanh toán”")
    dossier = found.group(1) if found else ""
    _s, _h, page = request("GET", f"/ho-so/{dossier}/")
    check("Thanh toán trực tuyến" in page and "22.000 đồng" in page, "the dossier shows its fee lines")
    status, headers, _b = request(
        "POST", f"/ho-so/{dossier}/thanh-toan/", {"csrfmiddlewaretoken": csrf()}, {"Referer": smoke.BASE + "/"}
    )
    gateway = headers.get("Location", "")
    check(status == 302 and "/cong-thanh-toan-thu-nghiem/" in gateway, "sent to the sandbox gateway")
    _s, _h, page = request("GET", gateway.replace(smoke.BASE, ""))
    order = re.search(r'name="order" value="([^"]+)"', page)
    check(order is not None and "22.000 đồng" in page, "the sandbox shows the amount")
    data = {
        "order": order.group(1).replace("&quot;", '"') if order else "",
        "method": "NCB",
        "outcome": "success",
        "csrfmiddlewaretoken": csrf(),
    }
    status, headers, _b = request(
        "POST", "/cong-thanh-toan-thu-nghiem/paymentv2/vpcpay.html", data, {"Referer": gateway}
    )
    back = headers.get("Location", "")
    check(status == 302 and "/payments/vnpay/return?" in back, "the sandbox sends the browser back")
    for _ in range(40):
        _s, _h, page = request("GET", back.replace(smoke.BASE, ""))
        if "Đã thanh toán" in page:
            break
        time.sleep(0.5)
    check("Đã thanh toán 22.000 đồng" in page, "the IPN arrived: the return page says paid")
    receipt = re.search(r'href="(/bien-lai/[^"]+/)"', page)
    check(receipt is not None, "a receipt is offered")
    status, headers, _b = request_bytes(receipt.group(1) if receipt else "/")
    check(status == 200 and headers.get("Content-Type", "").startswith("application/pdf"), "the receipt PDF downloads")
    _s, _h, page = request("GET", f"/ho-so/{dossier}/")
    check("Đã thanh toán" in page, "the dossier shows paid")
    print("payment journey complete")


def request_bytes(path: str):  # type: ignore[no-untyped-def]
    import urllib.error
    import urllib.request

    req = urllib.request.Request(smoke.BASE + path)  # noqa: S310 -- the portal under test
    try:
        with smoke.opener.open(req, timeout=20) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


if __name__ == "__main__":
    main()
