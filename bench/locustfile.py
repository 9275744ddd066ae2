"""Locust scenarios for `bench/load.py` (run that, not this file directly).

One user class per measured kind, chosen on the command line, plus ``Mix`` for the crowd of citizens and officers.
The data the users need (API tokens, dossier codes, the identity-paper requirement) comes from the JSON file named
by DVC_LOAD_DATA, written by bench/load.py before the run.
"""

from __future__ import annotations

import json
import os
import random
import sys
import uuid
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ANSWERS, pdf

DATA: dict[str, Any] = json.loads(open(os.environ["DVC_LOAD_DATA"], encoding="utf-8").read())  # noqa: SIM115
SEARCHES = ["khai sinh", "kết hôn", "hôn nhân", "chứng thực", "thường trú", "hộ kinh doanh", "lý lịch tư pháp",
            "1.004873", "hộ chiếu", "khai tử"]  # fmt: skip
PDF_200KB = pdf(200 * 1024)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Ceiling(FastHttpUser):
    """The same server's ceiling: a constant JSON answer that touches neither database nor session."""

    wait_time = constant(0)

    @task
    def health(self) -> None:
        self.client.get("/healthz", name="ceiling /healthz")


class Lookup(FastHttpUser):
    """Public lookup of a dossier by its code (seed 003, step 4), as the page a citizen opens."""

    wait_time = constant(0)

    @task
    def lookup(self) -> None:
        code = random.choice(DATA["codes"])  # noqa: S311
        self.client.get(f"/tra-cuu/?ma={code}", name="lookup /tra-cuu/?ma=")


class LookupApi(FastHttpUser):
    """The same lookup through the API (what an app or a kiosk would call)."""

    wait_time = constant(0)

    @task
    def lookup(self) -> None:
        self.client.get(f"/api/v1/lookup/{random.choice(DATA['codes'])}", name="lookup /api/v1/lookup/<code>")  # noqa: S311


class CatalogSearch(FastHttpUser):
    wait_time = constant(0)

    @task
    def search(self) -> None:
        self.client.get("/thu-tuc/", params={"q": random.choice(SEARCHES)}, name="catalog search /thu-tuc/?q=")  # noqa: S311


class ProcedurePage(FastHttpUser):
    wait_time = constant(0)

    @task
    def procedure(self) -> None:
        code = random.choice(DATA["procedures"])  # noqa: S311
        self.client.get(f"/thu-tuc/{code}/", name="procedure page /thu-tuc/<code>/")


class Login(FastHttpUser):
    """The login form: identity number and password (argon2), answered by the OTP page."""

    wait_time = constant(0)

    @task
    def login(self) -> None:
        self.client.cookiejar.clear()
        page = self.client.get("/dang-nhap/", name="login form")
        token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0] if page.text else ""
        with self.client.post(
            "/dang-nhap/",
            data={"csrfmiddlewaretoken": token, "id_number": random.choice(DATA["citizens"]), "password": "Demo@2026"},  # noqa: S311
            headers={"Referer": self.host + "/dang-nhap/"},
            allow_redirects=False,
            name="login (password) POST /dang-nhap/",
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/xac-thuc/" not in response.headers.get("Location", ""):
                response.failure(f"no OTP step: {response.status_code}")


class Submit(FastHttpUser):
    """A whole submission through the API: draft, answers, a 200 KB attachment, send."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.headers = _bearer(random.choice(DATA["tokens"]))  # noqa: S311

    @task
    def submit(self) -> None:
        created = self.client.post(
            "/api/v1/dossiers", json={"procedure": "1.004873", "agency": DATA["agency"]}, headers=self.headers,
            name="submit 1/4 create draft",
        )  # fmt: skip
        if created.status_code != 201:
            return
        dossier = created.json()["id"]
        self.client.request(
            "PATCH", f"/api/v1/dossiers/{dossier}", json={"form_data": ANSWERS}, headers=self.headers,
            name="submit 2/4 answers",
        )  # fmt: skip
        self.client.post(
            f"/api/v1/dossiers/{dossier}/attachments",
            data={"requirement": str(DATA["requirement"])},
            files={"file": ("cccd.pdf", PDF_200KB, "application/pdf")},
            headers=self.headers,
            name="submit 3/4 attach 200 KB",
        )
        with self.client.post(
            f"/api/v1/dossiers/{dossier}/submit", json={"idempotency_key": uuid.uuid4().hex}, headers=self.headers,
            name="submit 4/4 send", catch_response=True,
        ) as sent:  # fmt: skip
            if sent.status_code != 200 or not sent.json().get("code"):
                sent.failure(f"not submitted: {sent.status_code} {sent.text[:200]}")


class OfficerQueue(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.headers = _bearer(DATA["officer_token"])

    @task
    def queue(self) -> None:
        self.client.get("/api/v1/backoffice/dossiers?queue=tat-ca", headers=self.headers, name="officer queue")


class Receive(FastHttpUser):
    """Officers receiving new online dossiers; two officers on the same dossier get 409 (counted as answered)."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.headers = _bearer(DATA["officer_token"])

    @task
    def receive(self) -> None:
        page = self.client.get("/api/v1/backoffice/dossiers?queue=moi", headers=self.headers, name="receive: queue")
        rows = page.json().get("results", []) if page.status_code == 200 else []
        if not rows:
            return
        dossier = random.choice(rows)["id"]  # noqa: S311
        with self.client.post(
            f"/api/v1/backoffice/dossiers/{dossier}/receive", json={}, headers=self.headers, name="receive POST",
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 409:
                response.success()  # another officer was first: the right answer


class Mix(FastHttpUser):
    """A crowd: citizens browsing, searching, looking up and filing; officers working their queue."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.citizen = _bearer(random.choice(DATA["tokens"]))  # noqa: S311

    @task(5)
    def home(self) -> None:
        self.client.get("/", name="mix: home")

    @task(6)
    def search(self) -> None:
        self.client.get("/thu-tuc/", params={"q": random.choice(SEARCHES)}, name="mix: catalog search")  # noqa: S311

    @task(4)
    def procedure(self) -> None:
        self.client.get(f"/thu-tuc/{random.choice(DATA['procedures'])}/", name="mix: procedure page")  # noqa: S311

    @task(5)
    def lookup(self) -> None:
        self.client.get(f"/tra-cuu/?ma={random.choice(DATA['codes'])}", name="mix: lookup")  # noqa: S311

    @task(2)
    def statistics(self) -> None:
        self.client.get("/thong-ke/", name="mix: statistics")

    @task(2)
    def my_dossiers(self) -> None:
        self.client.get("/api/v1/dossiers", headers=self.citizen, name="mix: my dossiers (API)")

    @task(1)
    def officer_queue(self) -> None:
        officer = _bearer(DATA["officer_token"])
        self.client.get("/api/v1/backoffice/dossiers?queue=tat-ca", headers=officer, name="mix: officer queue")
