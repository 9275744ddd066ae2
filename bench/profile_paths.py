#!/usr/bin/env python3
"""Where a request's time goes: one path asked N times in-process (Django's test client, the whole middleware
stack, DEBUG off), timed plainly and then sampled by pyinstrument (issue 20: profile first).

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/ratios.py                      # makes the database with demo data and dossiers
    .venv/bin/python bench/profile_paths.py lookup-page [N] [postgres://postgres@127.0.0.1:5432/dvc_bench_ratios]

Paths: ceiling (``/healthz``), lookup-api, lookup-page (dossier codes rotated), catalog-search, my-dossiers (a
citizen's list over the API, as the crowd asks it: a benchmark citizen of ``bench/stats_scale.py`` when the database
has them, else the demo citizen). Redis as the shared cache (PROFILE_CACHE_URL, default redis://127.0.0.1:6379/15),
as in ``bench/ratios.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import server_env  # noqa: E402

WHICH = sys.argv[1] if len(sys.argv) > 1 else "lookup-page"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
URL = sys.argv[3] if len(sys.argv) > 3 else "postgres://postgres@127.0.0.1:5432/dvc_bench_ratios"
CACHE = os.environ.get("PROFILE_CACHE_URL", "redis://127.0.0.1:6379/15")


def main() -> None:
    var = Path(tempfile.mkdtemp(prefix="dvc-profile-"))
    os.environ.update(server_env(URL, var, DVC_CACHE_URL=CACHE, DVC_CACHE_PREFIX=f"profile-{var.name}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from pyinstrument import Profiler

    from dvc.accounts.models import User
    from dvc.accounts.services import api_token_create
    from dvc.dossiers.models import Dossier

    call_command("collectstatic", interactive=False, verbosity=0)
    codes = list(Dossier.objects.exclude(code="").values_list("code", flat=True)[:200])
    paths = {
        "ceiling": lambda i: "/healthz",
        "lookup-api": lambda i: f"/api/v1/lookup/{codes[i % len(codes)]}",
        "lookup-page": lambda i: f"/tra-cuu/?ma={codes[i % len(codes)]}",
        "catalog-search": lambda i: "/api/v1/procedures?q=khai%20sinh",
        "my-dossiers": lambda i: "/api/v1/dossiers",
    }
    path = paths[WHICH]
    headers = {}
    if WHICH == "my-dossiers":
        citizen = User.objects.filter(id_number__startswith="0790").order_by("pk").first()
        citizen = citizen or User.objects.get(id_number="001085012345")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {api_token_create(user=citizen)}"
        print(f"{citizen.id_number}: {Dossier.objects.filter(applicant=citizen).count()} dossiers")
    client = Client(HTTP_HOST="127.0.0.1", **headers)
    for i in range(len(codes)):
        assert client.get(path(i)).status_code == 200  # noqa: S101 - a benchmark's own check
    started = time.perf_counter()
    for i in range(N):
        client.get(path(i))
    print(f"{WHICH}: {(time.perf_counter() - started) * 1000 / N:.3f} ms per request ({N} requests, no profiler)")
    profiler = Profiler(interval=0.0002)
    with profiler:
        for i in range(N):
            client.get(path(i))
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
