#!/usr/bin/env python3
"""The leader's final copy and approval against the 100 ms target (issue 20, part 3): the requests now, and the
drawing and signing the worker does, which the requests used to do.

    .venv/bin/python bench/approval.py [postgres://postgres@127.0.0.1:5432/dvc_bench_approval]

The database named is dropped and made afresh (demo data); APPROVAL_DOSSIERS (default 30) marital-status dossiers
of phường Ba Đình are received, drafted and proposed by the demo officers. The leader's "read the final copy" is
posted for each through the staff page (Django's test client: the whole middleware stack, DEBUG off) and timed,
then the worker's drawing of each copy (``signing_run``); then each approval, then the worker's signing. Prints
p50, p95 and the slowest of each.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import demo_setup, recreate_database, send_demo_dossiers, server_env  # noqa: E402

URL = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/dvc_bench_approval"
DOSSIERS = int(os.environ.get("APPROVAL_DOSSIERS", "30"))


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms  slowest {ordered[-1]:7.1f} ms"


def main() -> None:
    recreate_database(URL)
    demo_setup(server_env(URL, Path(tempfile.mkdtemp(prefix="dvc-approval-"))))
    from django.test import Client
    from django.urls import reverse

    from dvc.accounts.models import User
    from dvc.dossiers.backoffice import appraisal, intake
    from dvc.dossiers.backoffice.signing_queue import signing_run
    from dvc.dossiers.models import Dossier, ResultSigning

    officer, specialist, leader = (
        User.objects.get(id_number=n) for n in ("001193000021", "001088000022", "001172000023")
    )
    ready: list[Dossier] = []
    for dossier in send_demo_dossiers(DOSSIERS, "approval"):
        dossier = intake.dossier_receive(dossier=dossier, actor=officer)
        dossier = appraisal.dossier_assign(dossier=dossier, actor=officer, specialist=specialist)
        values = {"tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai."}
        dossier = appraisal.dossier_generate_result(dossier=dossier, actor=specialist, values=values)
        dossier = appraisal.dossier_propose(dossier=dossier, actor=specialist, decision="approve", note="")
        ready.append(dossier)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(leader)
    preparing = []
    for dossier in ready:
        started = time.perf_counter()
        answer = client.post(reverse("staff:act", args=[dossier.pk, "xem-ban-cuoi"]))
        preparing.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 302  # noqa: S101
    drawing = []
    for step in ResultSigning.objects.filter(state=ResultSigning.State.QUEUED, step=ResultSigning.Step.PREPARE):
        started = time.perf_counter()
        assert signing_run(str(step.pk)) == "done"  # noqa: S101 - the benchmark's own check
        drawing.append((time.perf_counter() - started) * 1000)
    ready = [Dossier.objects.select_related("final_result").get(pk=d.pk) for d in ready]
    requests = []
    for dossier in ready:
        assert dossier.final_result is not None  # noqa: S101 - the benchmark's own check
        url = reverse("staff:act", args=[dossier.pk, "phe-duyet"])
        started = time.perf_counter()
        answer = client.post(url, {"final_sha256": dossier.final_result.sha256})
        requests.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 302  # noqa: S101
    signings = []
    for signing in ResultSigning.objects.filter(state=ResultSigning.State.QUEUED, step=ResultSigning.Step.SIGN):
        started = time.perf_counter()
        assert signing_run(str(signing.pk)) == "done"  # noqa: S101
        signings.append((time.perf_counter() - started) * 1000)
    issued = Dossier.objects.filter(pk__in=[d.pk for d in ready], status=Dossier.Status.RESULT_READY).count()
    print(f"\n{len(ready)} approvals on PostgreSQL, {issued} results issued")
    print(f"  final copy request (page) {summary(preparing)}   target ≤ 100 ms")
    print(f"  final copy in the worker  {summary(drawing)}   (what the request did before)")
    print(f"  approval request (page)   {summary(requests)}   target ≤ 100 ms")
    print(f"  signing in the worker     {summary(signings)}   (what the request did before)")


if __name__ == "__main__":
    main()
