#!/usr/bin/env python3
"""Fault drills under a submission load, on loopback, bounded in time (about 2 minutes).

    .venv/bin/python bench/fault_drills.py [postgres://postgres@127.0.0.1:5432/dvc_fault_drill]

The database named is dropped and created. The portal runs as in production (gunicorn with 2 workers and a task
worker, SMS to the file outbox). Eight clients submit dossiers through the API, retrying a refused or unanswered
step as a real app would, with the same idempotency key for the send. Each dossier asks for the result by post,
so it owes the postage, and is then paid at the built-in VNPay sandbox (whose IPN reaches the portal through the
task worker). Meanwhile:

  t=6 s   a gunicorn worker is killed with SIGKILL;
  t=14 s  the task worker is killed with SIGKILL, and a new one started 3 s later;
  t=24 s  PostgreSQL is restarted (pg_ctlcluster; needs root — otherwise skipped and said so);
  t=36 s  the media folder's disk fills up (a 400 MB tmpfs mounted there, filled; needs root), and frees at t=46 s.

Afterwards the drill checks that every acknowledged submission exists exactly once, that nothing was submitted
without being acknowledged, that every submitted dossier's SMS was delivered exactly once, that every payment the
gateway confirmed was applied exactly once (one receipt, no flagged double payment; IPNs lost in the faults are
settled by the reconciliation, run once at the end without its 15-minute age limit), and that the portal answers
again. It prints the figures as a table
for bench/RESULTS.md.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import ANSWERS, free_port, pdf, server_env  # noqa: E402

URL = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/dvc_fault_drill"
DURATION = 56
CLIENTS = 8
VAR = Path(tempfile.mkdtemp(prefix="dvc-drill-"))
ENV = server_env(URL, VAR, DVC_NOTIFY_RETRY_SECONDS="2")
PY = str(ROOT / ".venv/bin/python")
PDF = pdf(20_000)
# The result by post: the dossier owes the post office's fee, so each one is also paid.
DRAFT = {"form_data": ANSWERS, "result_method": "post",
         "delivery_address": {"province": "01", "commune": "00004", "line": "Số 2 Liễu Giai"}}  # fmt: skip
log: list[str] = []


def note(text: str) -> None:
    line = f"{time.strftime('%H:%M:%S')} {text}"
    log.append(line)
    print(line, flush=True)


def django_setup() -> None:
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
    os.environ.setdefault("DVC_ENV", "development")  # the benchmarks run on the development defaults
    import django

    django.setup()


def prepare() -> tuple[list[str], int]:
    import psycopg

    parts = urlsplit(URL)
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres",
                         autocommit=True) as admin:  # fmt: skip
        admin.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{parts.path.lstrip("/")}"')
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from dvc.accounts.models import User
    from dvc.accounts.services import api_token_create
    from dvc.catalog.models import Procedure
    from dvc.web.demo import load_demo

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_admin_units", verbosity=0)
    load_demo()
    password = User.objects.get(id_number="001085012345").password
    tokens = []
    for n in range(CLIENTS):
        user = User.objects.create(id_number=f"0011910{n:05d}", full_name=f"Người thử {n}", phone=f"+8491100{n:04d}",
                                   is_active=True, password=password)  # fmt: skip
        tokens.append(api_token_create(user=user))
    requirement = Procedure.objects.get(code="1.004873").requirements.get(name__startswith="Giấy tờ tùy thân").pk
    connection.close()
    return tokens, requirement


class Client(threading.Thread):
    def __init__(self, base: str, token: str, requirement: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.requirement, self.stop = base, token, requirement, stop
        self.acknowledged: list[tuple[str, str]] = []
        self.paid: list[str] = []
        self.errors: Counter[str] = Counter()

    def call(self, method: str, path: str, body: bytes | None, content_type: str) -> tuple[int, dict]:
        request = urllib.request.Request(self.base + path, data=body, method=method, headers={  # noqa: S310
            "Authorization": f"Bearer {self.token}", "Content-Type": content_type})  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 -- loopback
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, {}
        except (OSError, ValueError) as error:
            return 0, {"error": type(error).__name__}

    def step(self, method: str, path: str, payload: object = None, *, multipart: bytes | None = None,
             boundary: str = "", ok: tuple[int, ...] = (200, 201)) -> dict | None:  # fmt: skip
        """One step, retried until answered (or the drill ends): what an app on a flaky network does."""
        while not self.stop.is_set() or (method == "POST" and path.endswith("/submit")):
            if multipart is not None:
                status, body = self.call(method, path, multipart, f"multipart/form-data; boundary={boundary}")
            else:
                status, body = self.call(method, path, json.dumps(payload).encode(), "application/json")
            if status in ok:
                return body
            self.errors[f"{path.split('/')[-1] or 'create'} → {status or body.get('error')}"] += 1
            time.sleep(0.5)
            if self.stop.is_set() and not path.endswith("/submit"):
                return None
        return None

    def run(self) -> None:
        while not self.stop.is_set():
            draft = self.step("POST", "/api/v1/dossiers", {"procedure": "1.004873", "agency": "000.01.01.H26"})
            if not draft:
                return
            dossier = draft["id"]
            if self.step("PATCH", f"/api/v1/dossiers/{dossier}", DRAFT) is None:
                return
            boundary = uuid.uuid4().hex
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="requirement"\r\n\r\n{self.requirement}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cccd.pdf"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            )
            body = head.encode() + PDF + f"\r\n--{boundary}--\r\n".encode()
            attached = self.step("POST", f"/api/v1/dossiers/{dossier}/attachments", multipart=body, boundary=boundary)
            if attached is None:
                return
            key = uuid.uuid4().hex  # one key for every try of this send: a repeat returns the same dossier
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                sent = self.step("POST", f"/api/v1/dossiers/{dossier}/submit", {"idempotency_key": key})
                if sent and sent.get("code"):
                    self.acknowledged.append((dossier, sent["code"]))
                    break
            else:
                continue
            self.pay(dossier)

    def pay(self, dossier: str) -> None:
        """Start a payment through the API, then confirm it at the sandbox's page, retrying like a browser would."""
        started = self.step("POST", f"/api/v1/dossiers/{dossier}/payments", {})
        if not started:
            return
        url = started["redirect_url"]
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        for _try in range(40):
            try:
                page = opener.open(url, timeout=15).read().decode()
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
                order = re.search(r'name="order" value="([^"]*)"', page)
                if token and order:
                    form = {"csrfmiddlewaretoken": token.group(1), "order": html.unescape(order.group(1)),
                            "method": "NCB", "outcome": "success"}  # fmt: skip
                    opener.open(urllib.request.Request(url.split("?")[0], data=urlencode(form).encode()), timeout=15)  # noqa: S310
            except urllib.error.HTTPError as answer:
                if answer.code == 302:  # sent back to the portal's return page: the gateway took the money
                    self.paid.append(dossier)
                    return
                self.errors[f"sandbox → {answer.code}"] += 1
            except OSError as error:
                self.errors[f"sandbox → {type(error).__name__}"] += 1
            time.sleep(0.5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def workers_of(master: subprocess.Popen[bytes]) -> list[int]:
    found = subprocess.run(  # noqa: S603
        ["pgrep", "-P", str(master.pid)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return [int(pid) for pid in found.stdout.split()]


def answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=3):  # noqa: S310 -- loopback
            return True
    except OSError:
        return False


def main() -> None:
    processes: list[subprocess.Popen[bytes]] = []
    try:
        drill(processes)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        subprocess.run(["umount", str(VAR / "media")], check=False, capture_output=True)  # noqa: S603, S607


def drill(processes: list[subprocess.Popen[bytes]]) -> None:
    root = os.geteuid() == 0
    tokens, requirement = prepare()
    media = VAR / "media"
    media.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    ENV["DVC_SITE_URL"] = base  # where the sandbox sends its IPN and the payer back
    web = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "dvc.wsgi", "--workers", "2", "--bind",  # noqa: S603
                            f"127.0.0.1:{port}", "--log-level", "error"], cwd=ROOT, env=ENV)  # fmt: skip
    worker_command = [PY, "manage.py", "run_worker", "--interval", "0.2"]
    worker = subprocess.Popen(worker_command, cwd=ROOT, env=ENV)  # noqa: S603
    processes += [web, worker]
    while not answers(base):
        time.sleep(0.3)
    stop = threading.Event()
    clients = [Client(base, token, requirement, stop) for token in tokens]
    for client in clients:
        client.start()
    started = time.monotonic()
    done: set[str] = set()
    mounted = False

    def at(second: float, name: str) -> bool:
        if name not in done and time.monotonic() - started >= second:
            done.add(name)
            return True
        return False

    while time.monotonic() - started < DURATION:
        if at(6, "web"):
            victim = workers_of(web)[0]
            os.kill(victim, signal.SIGKILL)
            note(f"killed gunicorn worker {victim} (SIGKILL)")
        if at(14, "worker"):
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            note("killed the task worker (SIGKILL)")
        if at(17, "worker back"):
            worker = subprocess.Popen(worker_command, cwd=ROOT, env=ENV)  # noqa: S603
            processes.append(worker)
            note("started a new task worker")
        if at(24, "postgres"):
            versions = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").exists() else []
            if root and versions and shutil.which("pg_ctlcluster"):
                subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],  # noqa: S603, S607
                               check=True, capture_output=True)  # fmt: skip
                note("restarted PostgreSQL")
            else:
                note("PostgreSQL restart skipped: needs root and pg_ctlcluster")
        if at(36, "disk full"):
            if root:
                subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400m", "tmpfs", str(media)], check=True)  # noqa: S603, S607
                mounted = True
                filler = media / "filler"
                with open(filler, "wb") as handle:
                    try:
                        while True:
                            handle.write(b"\0" * 1024 * 1024)
                            handle.flush()
                    except OSError:
                        pass
                note("media disk full (tmpfs filled)")
            else:
                note("disk-full drill skipped: needs root to mount a small tmpfs")
        if at(46, "disk freed") and mounted:
            (media / "filler").unlink()
            note("media disk space freed")
        time.sleep(0.1)
    stop.set()
    for client in clients:
        client.join(timeout=90)
    failed = verify(base, clients)
    web.terminate()
    worker.terminate()
    web.wait(timeout=30)
    worker.wait(timeout=30)
    if mounted:
        subprocess.run(["umount", str(media)], check=False)  # noqa: S603, S607
    if failed:
        raise SystemExit(1)


def verify(base: str, clients: list[Client]) -> bool:
    """Once the load has stopped: wait for the worker, settle the payments, check every guarantee and print the
    table; True when one failed."""
    note("load stopped; waiting for the task worker to deliver every message")
    django_setup()
    from django.db import close_old_connections

    from dvc.dossiers.models import Dossier
    from dvc.notify.models import Message

    close_old_connections()
    waited = time.monotonic()
    deadline = waited + 200  # the worker's own sweep re-enqueues lost deliveries after their 2-minute lease
    while Message.objects.filter(status=Message.Status.PENDING).exists() and time.monotonic() < deadline:
        time.sleep(2)
    note(f"every message delivered {time.monotonic() - waited:.0f} s after the load stopped")
    import datetime as dt

    from django_tasks_db.models import DBTaskResult

    from dvc.payments.gateway import reconcile

    deadline = time.monotonic() + 120  # the sandbox's IPNs, retried by the worker
    ipn = DBTaskResult.objects.filter(task_path="dvc.payments.tasks.sandbox_send_ipn", status__in=("READY", "RUNNING"))
    while ipn.filter(status="READY").exists() and time.monotonic() < deadline:
        time.sleep(2)
    # IPNs lost with the killed worker or refused while PostgreSQL restarted wait for reconciliation, which asks the
    # gateway about attempts pending for 15 minutes; the drill runs it now, without the age limit.
    from django.conf import settings

    settings.SITE_URL = base  # this process was set up before the port was known
    settled = reconcile(older_than=dt.timedelta(0))
    note(f"reconciliation asked the gateway about {settled.checked} pending payment(s): {settled.paid} paid, "
         f"{settled.unanswered} unanswered, {len(settled.mismatches)} mismatches")  # fmt: skip
    deadline = time.monotonic() + 60  # the "paid" notices the reconciliation just queued
    while Message.objects.filter(status=Message.Status.PENDING).exists() and time.monotonic() < deadline:
        time.sleep(1)
    recovered = answers(base)
    acknowledged = [pair for client in clients for pair in client.acknowledged]
    ack_codes = Counter(code for _dossier, code in acknowledged)
    drilled = Dossier.objects.filter(applicant__id_number__startswith="0011910", code__isnull=False).exclude(code="")
    submitted = list(drilled.values_list("id", "code"))
    db_codes = Counter(code for _id, code in submitted)
    sms = [json.loads(p.read_text(encoding="utf-8")) for p in (VAR / "outbox").glob("sms-*.json")]
    sms_ids = Counter(m["id"] for m in sms)
    submitted_ids = {str(i) for i in Message.objects.filter(template="dossier_submitted").values_list("id", flat=True)}
    submitted_sms = Counter(code for m in sms if m["id"] in submitted_ids for code in db_codes if code in m["body"])
    messages = Counter(Message.objects.values_list("status", flat=True))
    from dvc.payments.models import PaymentAttempt, Receipt

    paid = {dossier for client in clients for dossier in client.paid}
    receipts = Counter(str(d) for d in Receipt.objects.values_list("dossier_id", flat=True))
    paid_attempts = Counter(
        str(d) for d in PaymentAttempt.objects.filter(status="paid").values_list("dossier_id", flat=True)
    )
    unapplied = [d for d in paid if receipts.get(d, 0) != 1]
    double_receipts = [d for d, n in receipts.items() if n > 1]
    double_attempts = [d for d, n in paid_attempts.items() if n > 1]
    flagged = PaymentAttempt.objects.filter(flagged=True).count()
    errors = sum((client.errors for client in clients), Counter())
    lost = [code for code in ack_codes if db_codes[code] != 1]
    unacknowledged = [code for code in db_codes if code not in ack_codes]
    duplicated_sms = [message_id for message_id, n in sms_ids.items() if n > 1]
    missing_sms = [code for code in db_codes if submitted_sms.get(code, 0) != 1]
    print("\n| check | result |\n|---|---|")
    print(f"| submissions acknowledged to clients | {len(acknowledged)} |")
    print(f"| acknowledged but missing or duplicated in the database | {len(lost)} |")
    print(f"| in the database but never acknowledged | {len(unacknowledged)} |")
    print(f"| dossier codes used twice | {sum(1 for n in db_codes.values() if n > 1)} |")
    print(f"| SMS files written / distinct messages | {len(sms)} / {len(sms_ids)} |")
    print(f"| SMS delivered twice | {len(duplicated_sms)} |")
    print(f"| submitted dossiers without exactly one 'submitted' SMS | {len(missing_sms)} |")
    print(f"| messages by status at the end | {dict(messages)} |")
    print(f"| payments confirmed by the gateway / receipts issued | {len(paid)} / {sum(receipts.values())} |")
    print(f"| confirmed payments not applied exactly once | {len(unapplied)} |")
    print(f"| dossiers with two receipts / two paid attempts / flagged attempts | {len(double_receipts)} / "
          f"{len(double_attempts)} / {flagged} |")  # fmt: skip
    print(f"| portal answering after the drills | {'yes' if recovered else 'NO'} |")
    print(f"| errors seen by clients during the faults (then retried) | {dict(errors)} |")
    print("\n" + "\n".join(log))
    return bool(
        lost or unacknowledged or duplicated_sms or missing_sms or not recovered or unapplied or double_receipts
    )


if __name__ == "__main__":
    main()
