#!/usr/bin/env python3
"""Read paths against the server's own ceiling, measured in the same run with the same light generator (issue 20).

    apt-get install wrk                                   # Debian's wrk: the load generator
    .venv/bin/python bench/ratios.py [postgres://postgres@127.0.0.1:5432/dvc_bench_ratios]

The database named is dropped and made afresh (demo data plus RATIO_DOSSIERS submitted dossiers, default 200);
gunicorn serves it (RATIO_WORKERS sync workers, default 2; DEBUG off; Redis as the shared cache, RATIO_CACHE_URL),
and ``wrk -t1 -c8`` runs RATIO_SECONDS (default 10) against each of: the ceiling (``/healthz``, a constant JSON
answer through the whole middleware stack), the lookup API and page (codes rotated), and the catalog search API
(queries rotated), after a warm-up, in RATIO_ROUNDS rounds (default 3); then complete submissions over the API
(create, answers, a 2 KB PDF, send) by RATIO_SUBMITTERS keep-alive client threads (default 4) for as long, counted
as complete submissions per second against the same round's ceiling. Prints the median requests per second and
ratio to the ceiling (with each round's ratio) beside the target, p50 and the worst round's p99.

RATIO_REUSE=1 keeps the database named (the 10 M dossiers of ``bench/stats_scale.py``): its codes are sampled from
it and only the submitters' accounts are added.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import (  # noqa: E402
    ANSWERS,
    demo_setup,
    pdf,
    recreate_database,
    send_demo_dossiers,
    server_env,
    start_gunicorn,
)

URL = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/dvc_bench_ratios"
SECONDS = int(os.environ.get("RATIO_SECONDS", "10"))
ROUNDS = int(os.environ.get("RATIO_ROUNDS", "3"))
WORKERS = int(os.environ.get("RATIO_WORKERS", "2"))
DOSSIERS = int(os.environ.get("RATIO_DOSSIERS", "200"))
SUBMITTERS = int(os.environ.get("RATIO_SUBMITTERS", "4"))
REUSE = os.environ.get("RATIO_REUSE") == "1"
VAR = Path(tempfile.mkdtemp(prefix="dvc-ratios-"))
# As in production: a shared Redis for the cache and the rate windows (RATIO_CACHE_URL="" runs without one).
CACHE = os.environ.get("RATIO_CACHE_URL", "redis://127.0.0.1:6379/15")
ENV = server_env(URL, VAR, **({"DVC_CACHE_URL": CACHE, "DVC_CACHE_PREFIX": f"ratios-{VAR.name}"} if CACHE else {}))
QUERIES = ["khai sinh", "ket hon", "thuong tru", "chung thuc", "ho kinh doanh", "ly lich tu phap", "tam tru"]
TARGETS = {"lookup API": 0.5, "lookup page": 0.3, "catalog search API": 0.3, "complete submissions": 0.015}
SUBMISSION = "complete submissions"


def prepare() -> tuple[list[str], list[str], int]:
    """Demo data and submitted dossiers (or the database as it is, RATIO_REUSE=1); their codes, the submitters' API
    tokens and the identity paper's requirement."""
    if REUSE:
        os.environ.update(ENV)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # this run's own folder, as demo_setup does
    else:
        recreate_database(URL)
        demo_setup(ENV)
    from django.db import connection

    from dvc.accounts.models import User
    from dvc.accounts.services import api_token_create
    from dvc.catalog.models import Procedure

    if REUSE:
        with connection.cursor() as cursor:  # about DOSSIERS codes from anywhere in the table, without sorting it
            cursor.execute(
                "SELECT code FROM dossiers_dossier TABLESAMPLE SYSTEM (0.05) WHERE code <> '' LIMIT %s", [DOSSIERS]
            )
            codes = [row[0] for row in cursor.fetchall()]
    else:
        codes = [dossier.code for dossier in send_demo_dossiers(DOSSIERS, "ratio")]
    password = User.objects.get(id_number="001085012345").password
    tokens = []
    for n in range(SUBMITTERS):
        user, _created = User.objects.get_or_create(
            id_number=f"0011920{n:05d}",
            defaults={
                "full_name": f"Người thử {n}",
                "phone": f"+8491200{n:04d}",
                "is_active": True,
                "password": password,
            },
        )
        tokens.append(api_token_create(user=user))
    requirement = Procedure.objects.get(code="1.004873").requirements.get(name__startswith="Giấy tờ tùy thân").pk
    connection.close()
    return codes, tokens, requirement


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    return start_gunicorn(ENV, WORKERS)


def rotating(paths: list[str]) -> Path:
    """A wrk script that asks for each path in turn."""
    script = VAR / f"paths-{len(list(VAR.iterdir()))}.lua"
    listed = ",".join(json.dumps(p) for p in paths)
    script.write_text(
        f"local paths = {{{listed}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n",
        encoding="utf-8",
    )
    return script


def wrk(base: str, paths: list[str], seconds: int = SECONDS) -> dict[str, float]:
    command = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency", "-s", str(rotating(paths)), base]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    found = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for label, key in (("50%", "p50"), ("99%", "p99")):
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        found[key] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    found["errors"] = float(errors.group(1)) if errors else 0.0
    return found


class Submitter(threading.Thread):
    """Complete submissions over one keep-alive connection until ``stop``: create, answers, attach, send."""

    def __init__(self, base: str, token: str, requirement: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.address = urlsplit(base).netloc
        self.headers = {"Authorization": f"Bearer {token}"}
        self.requirement, self.stop = requirement, stop
        self.done: list[float] = []  # each complete submission's time, ms
        self.errors = 0

    def call(self, connection: HTTPConnection, method: str, path: str, body: bytes, kind: str) -> dict[str, object]:
        connection.request(method, path, body=body, headers={**self.headers, "Content-Type": kind})
        answer = connection.getresponse()
        data = answer.read()
        if answer.status not in (200, 201):
            raise RuntimeError(f"{method} {path}: {answer.status} {data[:200]!r}")
        return dict(json.loads(data))

    def run(self) -> None:
        connection = HTTPConnection(self.address, timeout=30)
        paper = pdf(2000)
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                draft = json.dumps({"procedure": "1.004873", "agency": "000.01.01.H26"}).encode()
                made = self.call(connection, "POST", "/api/v1/dossiers", draft, "application/json")
                url = f"/api/v1/dossiers/{made['id']}"
                self.call(connection, "PATCH", url, json.dumps({"form_data": ANSWERS}).encode(), "application/json")
                boundary = uuid.uuid4().hex
                part = 'Content-Disposition: form-data; name="requirement"\r\n\r\n'
                head = (
                    f"--{boundary}\r\n{part}{self.requirement}\r\n"
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cccd.pdf"\r\n'
                    "Content-Type: application/pdf\r\n\r\n"
                )
                body = head.encode() + paper + f"\r\n--{boundary}--\r\n".encode()
                self.call(connection, "POST", f"{url}/attachments", body, f"multipart/form-data; boundary={boundary}")
                key = json.dumps({"idempotency_key": uuid.uuid4().hex}).encode()
                if not self.call(connection, "POST", f"{url}/submit", key, "application/json").get("code"):
                    raise RuntimeError("sent without a code")
            except (OSError, RuntimeError, ValueError):
                self.errors += 1
                connection.close()
                connection = HTTPConnection(self.address, timeout=30)
                continue
            self.done.append((time.perf_counter() - started) * 1000)
        connection.close()


def submissions(base: str, tokens: list[str], requirement: int, seconds: int = SECONDS) -> dict[str, float]:
    """Complete submissions per second by one thread per token, with p50/p99 of a whole submission."""
    stop = threading.Event()
    threads = [Submitter(base, token, requirement, stop) for token in tokens]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    times = sorted(t for thread in threads for t in thread.done)
    if not times:
        return {"rps": 0.0, "p50": 0.0, "p99": 0.0, "errors": float(sum(t.errors for t in threads))}
    return {
        "rps": len(times) / seconds,
        "p50": statistics.median(times),
        "p99": times[min(len(times) - 1, int(len(times) * 0.99))],
        "errors": float(sum(t.errors for t in threads)),
    }


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    codes, tokens, requirement = prepare()
    server, base = start_server()
    paths = {
        "ceiling (/healthz)": ["/healthz"],
        "lookup API": [f"/api/v1/lookup/{code}" for code in codes],
        "lookup page": [f"/tra-cuu/?ma={code}" for code in codes],
        "catalog search API": [f"/api/v1/procedures?q={quote(q)}" for q in QUERIES],
    }
    rounds: list[dict[str, dict[str, float]]] = []
    try:
        for asked in paths.values():  # warm up: both workers, their connections, every code once
            wrk(base, asked, seconds=2)
        submissions(base, tokens, requirement, seconds=2)
        # The machine's other work moves every figure by ±20 % from one 10 s run to the next: each round measures
        # the ceiling beside the paths, and the median of the rounds' ratios is reported.
        for _ in range(ROUNDS):
            measured = {name: wrk(base, asked) for name, asked in paths.items()}
            measured[SUBMISSION] = submissions(base, tokens, requirement)
            rounds.append(measured)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\ngunicorn {WORKERS} sync workers, wrk -t1 -c8, {ROUNDS} rounds of {SECONDS} s per path, "
          f"{len(codes)} dossier codes rotated; {len(tokens)} submitting threads (p50/p99 of a whole submission); "
          "median of the rounds, p99 the worst round's")  # fmt: skip
    for name in [*paths, SUBMISSION]:
        ratios = [measured[name]["rps"] / measured["ceiling (/healthz)"]["rps"] for measured in rounds]
        ratio = statistics.median(ratios)
        rps = statistics.median(measured[name]["rps"] for measured in rounds)
        p50 = statistics.median(measured[name]["p50"] for measured in rounds)
        p99 = max(measured[name]["p99"] for measured in rounds)
        errors = sum(measured[name]["errors"] for measured in rounds)
        target = TARGETS.get(name)
        verdict = "" if target is None else (f"  target ≥ {target:g}: " + ("met" if ratio >= target else "NOT met"))
        each = " ".join(f"{r:.3f}" for r in ratios)
        unit = "/s   " if name == SUBMISSION else "req/s"
        print(f"  {name:<22} {rps:8.1f} {unit}  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
              f"{ratio:6.3f}× ceiling ({each})  errors {errors:.0f}{verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
