#!/usr/bin/env python3
"""Read paths against the server's own ceiling, measured in the same run with the same light generator (issue 20).

    apt-get install wrk                                   # Debian's wrk: the load generator
    .venv/bin/python bench/ratios.py [postgres://postgres@127.0.0.1:5432/dvc_bench_ratios]

The database named is dropped and made afresh (demo data plus RATIO_DOSSIERS submitted dossiers, default 200);
gunicorn serves it (RATIO_WORKERS sync workers, default 2; DEBUG off; Redis as the shared cache, RATIO_CACHE_URL),
and ``wrk -t1 -c8`` runs RATIO_SECONDS (default 10) against each of: the ceiling (``/healthz``, a constant JSON
answer through the whole middleware stack), the lookup API and page (codes rotated), and the catalog search API
(queries rotated), after a warm-up, in RATIO_ROUNDS rounds (default 3). Prints the median requests per second and
ratio to the ceiling (with each round's ratio) beside the target, p50 and the worst round's p99.
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
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import demo_setup, recreate_database, send_demo_dossiers, server_env, start_gunicorn  # noqa: E402

URL = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/dvc_bench_ratios"
SECONDS = int(os.environ.get("RATIO_SECONDS", "10"))
ROUNDS = int(os.environ.get("RATIO_ROUNDS", "3"))
WORKERS = int(os.environ.get("RATIO_WORKERS", "2"))
DOSSIERS = int(os.environ.get("RATIO_DOSSIERS", "200"))
VAR = Path(tempfile.mkdtemp(prefix="dvc-ratios-"))
# As in production: a shared Redis for the cache and the rate windows (RATIO_CACHE_URL="" runs without one).
CACHE = os.environ.get("RATIO_CACHE_URL", "redis://127.0.0.1:6379/15")
ENV = server_env(URL, VAR, **({"DVC_CACHE_URL": CACHE, "DVC_CACHE_PREFIX": f"ratios-{VAR.name}"} if CACHE else {}))
QUERIES = ["khai sinh", "ket hon", "thuong tru", "chung thuc", "ho kinh doanh", "ly lich tu phap", "tam tru"]
TARGETS = {"lookup API": 0.5, "lookup page": 0.3, "catalog search API": 0.3}


def prepare() -> list[str]:
    """Demo data and submitted dossiers; their codes."""
    recreate_database(URL)
    demo_setup(ENV)
    from django.db import connection

    codes = [dossier.code for dossier in send_demo_dossiers(DOSSIERS, "ratio")]
    connection.close()
    return codes


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


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    codes = prepare()
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
        # The machine's other work moves every figure by ±20 % from one 10 s run to the next: each round measures
        # the ceiling beside the paths, and the median of the rounds' ratios is reported.
        for _ in range(ROUNDS):
            rounds.append({name: wrk(base, asked) for name, asked in paths.items()})
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\ngunicorn {WORKERS} sync workers, wrk -t1 -c8, {ROUNDS} rounds of {SECONDS} s per path, "
          f"{len(codes)} dossier codes rotated; median of the rounds, p99 the worst round's")  # fmt: skip
    for name in paths:
        ratios = [measured[name]["rps"] / measured["ceiling (/healthz)"]["rps"] for measured in rounds]
        ratio = statistics.median(ratios)
        rps = statistics.median(measured[name]["rps"] for measured in rounds)
        p50 = statistics.median(measured[name]["p50"] for measured in rounds)
        p99 = max(measured[name]["p99"] for measured in rounds)
        errors = sum(measured[name]["errors"] for measured in rounds)
        target = TARGETS.get(name)
        verdict = "" if target is None else (f"  target ≥ {target:.2f}: " + ("met" if ratio >= target else "NOT met"))
        each = " ".join(f"{r:.2f}" for r in ratios)
        print(f"  {name:<22} {rps:8.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
              f"{ratio:5.2f}× ceiling ({each})  errors {errors:.0f}{verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
