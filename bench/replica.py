#!/usr/bin/env python3
"""The public reads on a PostgreSQL streaming replica, on loopback (issue 20, parts 4 and 5).

    .venv/bin/python bench/replica.py            # as root (the clusters run as the postgres user) or as postgres

Makes two clusters of its own with the machine's PostgreSQL binaries (the machine's own cluster is not touched): a
primary on port REPLICA_PRIMARY_PORT (5440) and, by ``pg_basebackup -R``, a streaming replica on 5441; migrates the
primary and loads the demo data; serves the portal with gunicorn (2 workers, Redis, DVC_DATABASE_REPLICA_URL) and
checks, printing what it measured:

1. the catalog's public reads are answered by the replica (its transactions counted), the primary's stay flat;
2. a client that has just written (any POST) reads the primary while its cookie lasts;
3. the replica's lag after a write on the primary;
4. ``wrk`` on the public reads while the replica is stopped: no failed request (reads fall back to the primary).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import server_env, start_gunicorn  # noqa: E402

BIN = Path(os.environ.get("REPLICA_PG_BIN", "/usr/lib/postgresql/15/bin"))
PRIMARY_PORT = int(os.environ.get("REPLICA_PRIMARY_PORT", "5440"))
REPLICA_PORT = PRIMARY_PORT + 1
CACHE = os.environ.get("REPLICA_CACHE_URL", "redis://127.0.0.1:6379/14")
PUBLIC = ["/api/v1/procedures/1.001193", "/thu-tuc/1.004873/", "/api/v1/sectors", "/api/v1/agencies"]


def as_postgres(*command: str) -> None:
    prefix = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
    subprocess.run([*prefix, *command], check=True, capture_output=True)  # noqa: S603


def start_clusters(root: Path) -> None:
    primary, replica = root / "primary", root / "replica"
    as_postgres(str(BIN / "initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres", "--no-sync")
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {PRIMARY_PORT}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\n"
                   "wal_level = replica\nmax_wal_senders = 5\nfsync = off\n")  # fmt: skip
    with (primary / "pg_hba.conf").open("a") as hba:
        hba.write("host replication postgres 127.0.0.1/32 trust\n")
    as_postgres(str(BIN / "pg_ctl"), "-D", str(primary), "-l", str(root / "primary.log"), "-w", "start")
    as_postgres(str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres",
                "-D", str(replica), "-R", "-X", "stream")  # fmt: skip
    with (replica / "postgresql.auto.conf").open("a") as conf:
        conf.write(f"port = {REPLICA_PORT}\n")
    as_postgres(str(BIN / "pg_ctl"), "-D", str(replica), "-l", str(root / "replica.log"), "-w", "start")


def stop_cluster(root: Path, name: str) -> None:
    as_postgres(str(BIN / "pg_ctl"), "-D", str(root / name), "-m", "immediate", "-w", "stop")


def query(port: int, sql: str, database: str = "dvc") -> object:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/{database}", autocommit=True) as conn:
        cursor = conn.execute(sql)
        row = cursor.fetchone() if cursor.description else None
    return row[0] if row else None


def transactions(port: int) -> int:
    return int(query(port, "SELECT xact_commit FROM pg_stat_database WHERE datname = 'dvc'"))  # type: ignore[call-overload]


def get(base: str, path: str, cookie: str = "") -> int:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 -- loopback
        return int(answer.status)


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="dvc-replica-"))
    shutil.chown(root, "postgres", "postgres") if os.geteuid() == 0 else None
    start_clusters(root)
    server = None
    try:
        query(PRIMARY_PORT, "CREATE DATABASE dvc", "postgres")
        primary_url = f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/dvc"
        replica_url = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/dvc"
        var = root / "var"
        # Every request opens its own connections here, so that each backend's statistics are flushed when it ends.
        env = server_env(primary_url, var, DVC_DATABASE_REPLICA_URL=replica_url, DVC_CACHE_URL=CACHE,
                         DVC_CACHE_PREFIX=f"replica-{root.name}", DVC_DB_CONN_MAX_AGE="0")  # fmt: skip
        manage = [str(ROOT / ".venv/bin/python"), "manage.py"]
        for command in (
            ["migrate", "--verbosity", "0"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
            ["load_demo"],
        ):
            subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
        server, base = start_gunicorn(env, 2)
        for path in PUBLIC:
            get(base, path)  # warm: the workers' first requests
        time.sleep(1.5)

        before = (transactions(PRIMARY_PORT), transactions(REPLICA_PORT))
        for _ in range(25):
            for path in PUBLIC:
                assert get(base, path) == 200  # noqa: S101 - the benchmark's own check
        time.sleep(1.5)
        after = (transactions(PRIMARY_PORT), transactions(REPLICA_PORT))
        print(f"\n1. 100 public reads: replica {after[1] - before[1]} transactions, primary {after[0] - before[0]}")

        login = urllib.request.Request(base + "/dang-nhap/", method="POST", data=b"")  # noqa: S310
        try:
            urllib.request.urlopen(login, timeout=10)  # noqa: S310
        except urllib.error.HTTPError as refused:  # a POST without a CSRF token: refused, but it wrote nothing
            cookie = refused.headers.get("Set-Cookie", "")
        else:
            cookie = ""
        pinned = cookie.split(";", 1)[0]
        before = (transactions(PRIMARY_PORT), transactions(REPLICA_PORT))
        for _ in range(10):
            for path in PUBLIC:
                get(base, path, cookie=pinned)
        time.sleep(1.5)
        after = (transactions(PRIMARY_PORT), transactions(REPLICA_PORT))
        print(f"2. after a POST ({pinned or 'no cookie!'}): 40 reads, replica {after[1] - before[1]} transactions, "
              f"primary {after[0] - before[0]}")  # fmt: skip

        started = time.perf_counter()
        query(PRIMARY_PORT, "UPDATE catalog_catalogstate SET version = version + 1")
        target = query(PRIMARY_PORT, "SELECT pg_current_wal_lsn()::text", "postgres")
        while not query(REPLICA_PORT, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", "postgres"):
            time.sleep(0.001)
        print(f"3. replica lag after a write: {(time.perf_counter() - started) * 1000:.1f} ms")

        script = root / "paths.lua"
        listed = ",".join(json.dumps(p) for p in PUBLIC)
        script.write_text(f"local paths = {{{listed}}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n"
                          "  return wrk.format('GET', paths[i])\nend\n")  # fmt: skip
        load = subprocess.Popen(["wrk", "-t1", "-c8", "-d12s", "-s", str(script), base],  # noqa: S603, S607
                                stdout=subprocess.PIPE, text=True)  # fmt: skip
        time.sleep(4)
        stop_cluster(root, "replica")
        out = load.communicate()[0]
        rps = out.split("Requests/sec:")[1].split()[0]
        errors = out.split("Non-2xx or 3xx responses:")[1].split()[0] if "Non-2xx" in out else "0"
        broken = out.split("Socket errors:")[1].split("\n")[0].strip() if "Socket errors" in out else "none"
        print(f"4. wrk 12 s on the public reads, the replica stopped at 4 s: {rps} req/s, non-2xx {errors}, "
              f"socket errors {broken}")  # fmt: skip
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        for name in ("replica", "primary"):
            with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
                stop_cluster(root, name)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
