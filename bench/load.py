#!/usr/bin/env python3
"""Load benchmark: gunicorn on the 10-million-dossier database, one locust scenario at a time, each beside the same
server's ceiling (a constant JSON answer), then a crowd of simulated users.

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/stats_scale.py        # once: 10 M dossiers written with COPY into dvc_bench_stats
    .venv/bin/python bench/load.py [postgres://postgres@127.0.0.1:5432/dvc_bench_stats]

Environment: LOAD_SECONDS (each scenario, default 20), LOAD_USERS (concurrent users per scenario, default 10),
LOAD_CROWD (users in the crowd run, default 1000), LOAD_WORKERS (gunicorn workers, default 2), LOAD_ONLY (comma-
separated scenario names), LOAD_CACHE_URL (the shared Redis, default redis://127.0.0.1:6379/13; "" for none),
LOAD_PAGE_CACHE (0 serves every anonymous public page freshly rendered, as on a first visit; default 1, the portal's
own setting), LOAD_NODES (web nodes, default 1; 2 runs two gunicorn nodes of LOAD_WORKERS workers each behind
Debian's nginx, as the scale-out drill does: ``apt-get install nginx``). The server runs with DEBUG off on the
embedded defaults for SMS, e-mail and payment; the client is on the same machine, so both share its cores, as the
ceiling does.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import free_port, server_env, start_gunicorn, start_nginx, wait_until_answering  # noqa: E402

URL = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/dvc_bench_stats"
SECONDS = int(os.environ.get("LOAD_SECONDS", "20"))
USERS = int(os.environ.get("LOAD_USERS", "10"))
CROWD = int(os.environ.get("LOAD_CROWD", "1000"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))
PAGE_CACHE = os.environ.get("LOAD_PAGE_CACHE", "1")
NODES = int(os.environ.get("LOAD_NODES", "1"))
VAR = Path(tempfile.mkdtemp(prefix="dvc-load-"))
# As in production: a shared Redis for the cache, the rate windows and the lookup's rows (LOAD_CACHE_URL="" runs
# without one, each process caching for itself).
CACHE = os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/13")
# Every simulated citizen comes from 127.0.0.1: the per-address caps would stop the test, not a real crowd.
SERVER_ENV = server_env(
    URL,
    VAR,
    DVC_OTP_MAX_REQUESTS_PER_IP_HOUR="100000000",
    DVC_LOGIN_MAX_FAILURES_PER_IP="100000000",
    DVC_PAGE_CACHE=PAGE_CACHE,
    **({"DVC_CACHE_URL": CACHE, "DVC_CACHE_PREFIX": f"load-{VAR.name}"} if CACHE else {}),
)
SCENARIOS = [  # (name, locust user class, users)
    ("public lookup (page)", "Lookup", USERS),
    ("public lookup (API)", "LookupApi", USERS),
    ("catalog search", "CatalogSearch", USERS),
    ("procedure page", "ProcedurePage", USERS),
    ("login (password step)", "Login", USERS),
    ("submission (4 API requests, 200 KB attachment)", "Submit", USERS),
    ("officer queue (API)", "OfficerQueue", USERS),
    ("receive (queue + POST)", "Receive", USERS),
]


def prepare() -> Path:
    """API tokens, dossier codes and the requirement the scenarios use, read from the benchmark database."""
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
    os.environ.setdefault("DVC_ENV", "development")  # the benchmarks run on the development defaults
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dvc.accounts.models import User
    from dvc.accounts.services import api_token_create
    from dvc.catalog.models import Procedure

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    bench_citizens = User.objects.filter(id_number__startswith="0790").order_by("pk")
    citizens = list(bench_citizens.values_list("id_number", flat=True)[:500])
    if not citizens:
        raise SystemExit(f"{URL} has no benchmark citizens: run bench/stats_scale.py first")
    tokens = [api_token_create(user=user) for user in User.objects.filter(id_number__in=citizens[:300])]
    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM dossiers_dossier TABLESAMPLE SYSTEM (0.05) WHERE code <> '' LIMIT 5000")
        codes = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        dossiers = cursor.fetchone()[0]
    procedure = Procedure.objects.get(code="1.004873")
    data = {
        "citizens": citizens,
        "tokens": tokens,
        "officer_token": api_token_create(user=User.objects.get(id_number="001193000021")),
        "codes": codes,
        "procedures": list(Procedure.objects.filter(is_published=True).values_list("code", flat=True)),
        "agency": "000.01.01.H26",
        "requirement": procedure.requirements.get(name__startswith="Giấy tờ tùy thân").pk,
        "dossiers": dossiers,
    }
    path = VAR / "load-data.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    connection.close()
    return path


def start_server() -> tuple[list[subprocess.Popen[bytes]], str]:
    """One gunicorn node, or NODES of them behind nginx (which must answer before the run starts)."""
    if NODES == 1:
        server, base = start_gunicorn(SERVER_ENV, WORKERS)
        return [server], base
    nodes = [start_gunicorn(SERVER_ENV, WORKERS) for _ in range(NODES)]
    port = free_port()
    proxy = start_nginx(VAR, port, [int(base.rsplit(":", 1)[1]) for _server, base in nodes])
    processes, base = [*(server for server, _base in nodes), proxy], f"http://127.0.0.1:{port}"
    if wait_until_answering(base, tries=60):
        return processes, base
    stop(processes)
    raise SystemExit("nginx did not start")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def run_locust(base: str, data: Path, user_class: str, users: int, seconds: int, spawn: int | None = None) -> dict:
    prefix = VAR / f"locust-{user_class}"
    command = [str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless", "--only-summary",
               "-u", str(users), "-r", str(spawn or users), "-t", f"{seconds}s", "--host", base, "--csv", str(prefix),
               "--loglevel", "ERROR", user_class]  # fmt: skip
    subprocess.run(command, cwd=ROOT, env={**os.environ, "DVC_LOAD_DATA": str(data)}, check=False,  # noqa: S603
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def line(name: str, row: dict, ceiling: float | None = None) -> str:
    rps = float(row["Requests/s"])
    share = f"{100 * rps / ceiling:.0f}%" if ceiling else "—"
    return (f"| {name} | {rps:,.0f} | {share} | {row['50%']} | {row['95%']} | {row['99%']} | "
            f"{row['Failure Count']} / {row['Request Count']} |")  # fmt: skip


def main() -> None:
    data = prepare()
    facts = json.loads(data.read_text(encoding="utf-8"))
    servers, base = start_server()
    only = {s.strip() for s in os.environ.get("LOAD_ONLY", "").split(",") if s.strip()}
    rows = []
    try:
        run_locust(base, data, "Ceiling", USERS, 5)  # warm the workers
        ceiling_row = run_locust(base, data, "Ceiling", USERS, SECONDS)["Aggregated"]
        ceiling = float(ceiling_row["Requests/s"])
        rows.append(line("ceiling: constant JSON `/healthz`", ceiling_row))
        for name, user_class, users in SCENARIOS:
            if only and user_class not in only:
                continue
            stats = run_locust(base, data, user_class, users, SECONDS)
            parts = [k for k in stats if k != "Aggregated"]
            if len(parts) == 1:
                rows.append(line(name, stats[parts[0]], ceiling))
            else:
                for part in parts:
                    rows.append(line(f"{name}: {part}", stats[part], ceiling))
        if not only or "Mix" in only:
            crowd = run_locust(base, data, "Mix", CROWD, max(SECONDS * 3, 60), spawn=100)
            rows.append(line(f"crowd of {CROWD} users (think time 1–3 s), all requests", crowd["Aggregated"], ceiling))
        end_row = run_locust(base, data, "Ceiling", USERS, SECONDS)["Aggregated"]
        rows.append(line("ceiling again, after the runs", end_row))
    finally:
        stop(servers)
    cache = "on" if PAGE_CACHE != "0" else "off (every page rendered)"
    nodes = f"{NODES} nodes of gunicorn behind nginx, each with" if NODES > 1 else "gunicorn"
    print(f"\n{facts['dossiers']:,} dossiers; {nodes} {WORKERS} sync workers; {USERS} users per scenario, "
          f"{SECONDS} s each; anonymous page cache {cache}; locust on the same machine\n")  # fmt: skip
    print("| scenario | req/s | of ceiling | p50 ms | p95 ms | p99 ms | failures / requests |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
