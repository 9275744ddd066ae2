#!/usr/bin/env python3
"""Two web nodes behind nginx, a streaming replica, two task workers, shared Redis and S3: the drill of issue 20
(parts 4 and 5), on loopback, about 2 minutes.

    apt-get install nginx wrk                     # Debian's nginx in front of the nodes
    .venv/bin/python bench/scale_drill.py         # as root (the clusters run as the postgres user)

Builds: a PostgreSQL primary and its streaming replica (``bench/replica.py``'s clusters), an S3-compatible store
(moto's server), Redis (REPLICA_CACHE_URL), two gunicorn nodes (2 workers each) and nginx in front of them, two task
workers. Under the fault drill's submission load (8 API clients that create, fill, attach, send and pay dossiers,
``bench/fault_drills.py``) and 4 readers of the public pages through nginx:

  t=8 s   node A is killed (SIGKILL to its master and workers);
  t=16 s  the replica is stopped;
  t=24 s  task worker 1 is killed (worker 2 carries on).

Then the fault drill's checks (every acknowledged submission exactly once, every SMS once, every confirmed payment
applied once), the readers' failures, and what the clients saw while the faults happened.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import fault_drills as drill  # noqa: E402
from bench.common import free_port, start_nginx  # noqa: E402
from bench.replica import PRIMARY_PORT, REPLICA_PORT, start_clusters, stop_cluster  # noqa: E402

DURATION = 36
PUBLIC = ["/api/v1/procedures/1.001193", "/thu-tuc/1.004873/", "/api/v1/sectors", "/thu-tuc/?q=khai+sinh", "/"]


class Reader(threading.Thread):
    """A visitor opening the public pages through nginx, counting what did not answer 200."""

    def __init__(self, base: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.stop, self.answers, self.failures = base, stop, 0, Counter[str]()

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            path = PUBLIC[n % len(PUBLIC)]
            n += 1
            try:
                with urllib.request.urlopen(self.base + path, timeout=15) as answer:  # noqa: S310 -- loopback
                    answer.read()
                self.answers += 1
            except Exception as exc:
                self.failures[f"{type(exc).__name__} {getattr(exc, 'code', '')}".strip()] += 1


def node(port: int) -> subprocess.Popen[bytes]:
    command = [str(ROOT / ".venv/bin/gunicorn"), "dvc.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
               "--log-level", "error"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=drill.ENV)  # noqa: S603


def main() -> None:
    import boto3
    from moto.server import ThreadedMotoServer

    root = Path(tempfile.mkdtemp(prefix="dvc-scale-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    start_clusters(root)
    s3_port = free_port()
    store = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port)
    store.start()
    endpoint, key, secret = f"http://127.0.0.1:{s3_port}", "drill", "drill-secret"  # moto's: any keys do
    s3 = {"DVC_S3_BUCKET": "dvc-drill", "DVC_S3_ENDPOINT_URL": endpoint, "DVC_S3_REGION": "us-east-1",
          "DVC_S3_ACCESS_KEY": key, "DVC_S3_SECRET_KEY": secret}  # fmt: skip
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key,
                 aws_secret_access_key=secret).create_bucket(Bucket="dvc-drill")  # fmt: skip
    primary = f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/dvc_fault_drill"
    drill.URL = primary
    replica = primary.replace(str(PRIMARY_PORT), str(REPLICA_PORT))
    drill.ENV.update(DATABASE_URL=primary, DVC_DATABASE_REPLICA_URL=replica,
                     DVC_CACHE_URL=os.environ.get("REPLICA_CACHE_URL", "redis://127.0.0.1:6379/13"),
                     DVC_CACHE_PREFIX=f"scale-{root.name}", **s3)  # fmt: skip
    processes: list[subprocess.Popen[bytes]] = []
    try:
        tokens, requirement = drill.prepare()
        a, b, port = free_port(), free_port(), free_port()
        base = f"http://127.0.0.1:{port}"
        drill.ENV["DVC_SITE_URL"] = base
        node_a, node_b = node(a), node(b)
        worker_command = [drill.PY, "manage.py", "run_worker", "--interval", "0.2"]
        workers = [subprocess.Popen(worker_command, cwd=ROOT, env=drill.ENV) for _ in range(2)]  # noqa: S603
        proxy = start_nginx(root, port, [a, b])
        processes += [node_a, node_b, *workers, proxy]
        while not (
            drill.answers(f"http://127.0.0.1:{a}") and drill.answers(f"http://127.0.0.1:{b}") and drill.answers(base)
        ):
            time.sleep(0.3)
        stop = threading.Event()
        clients = [drill.Client(base, token, requirement, stop) for token in tokens]
        readers = [Reader(base, stop) for _ in range(4)]
        for thread in [*clients, *readers]:
            thread.start()
        started = time.monotonic()
        events = {8.0: "node", 16.0: "replica", 24.0: "worker"}
        while time.monotonic() - started < DURATION:
            due = [t for t in events if time.monotonic() - started >= t]
            for t in due:
                event = events.pop(t)
                if event == "node":
                    victims = [*drill.workers_of(node_a), node_a.pid]
                    for pid in victims:
                        os.kill(pid, signal.SIGKILL)
                    drill.note(f"killed web node A (master and workers: {victims})")
                elif event == "replica":
                    stop_cluster(root, "replica")
                    drill.note("stopped the replica")
                else:
                    workers[0].send_signal(signal.SIGKILL)
                    drill.note("killed task worker 1 (worker 2 carries on)")
            time.sleep(0.1)
        stop.set()
        for thread in [*clients, *readers]:
            thread.join(timeout=90)
        answered = sum(r.answers for r in readers)
        failures = sum((r.failures for r in readers), Counter())
        failed = drill.verify(base, clients)
        print(f"| public reads through nginx / failed | {answered} / {sum(failures.values())} {dict(failures)} |")
        if failed or failures:
            raise SystemExit(1)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        store.stop()
        for name in ("replica", "primary"):
            with contextlib.suppress(subprocess.CalledProcessError):  # stopped by the drill
                stop_cluster(root, name)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
