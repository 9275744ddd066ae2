#!/usr/bin/env python3
"""The officer's queue page with 100,000 dossiers in one agency, on PostgreSQL (or SQLite when no URL is given).

    .venv/bin/python bench/officer_queue.py postgres://postgres@127.0.0.1:5432/dvc_bench_queue
    .venv/bin/python bench/officer_queue.py                    # SQLite in a temporary folder

The PostgreSQL database named in the URL is dropped and created afresh. The run loads the official units and the
demo data, generates 100,000 dossiers of one agency in the mix of states a busy commune centre has (5,000
applicants), then requests the whole page (middleware, query, working-day arithmetic, template) as a signed-in
one-stop officer, cycling through the queues and the searches by code, id number and name. Prints p50/p95/p99 in
milliseconds, overall and per request kind.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = sys.argv[1] if len(sys.argv) > 1 else ""
COUNT = int(os.environ.get("BENCH_DOSSIERS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "450"))
os.environ["DVC_VAR_DIR"] = tempfile.mkdtemp(prefix="dvc-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
os.environ.setdefault("DVC_ENV", "development")  # the benchmarks run on the development defaults
os.environ.setdefault("DVC_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("DVC_DEBUG", "0")  # as served: cached templates, no query log
if URL:
    import psycopg

    parts = urlsplit(URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = URL

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quang", "Hải"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Nam", "Phương", "Quân", "Tâm", "Vy"]
STATES = [  # (status, share)
    ("submitted", 0.05),
    ("processing", 0.55),
    ("needs_supplement", 0.08),
    ("result_ready", 0.05),
    ("returned", 0.20),
    ("refused", 0.04),
    ("withdrawn", 0.03),
]


def build() -> tuple[object, list[str], list[str], list[str]]:
    from django.contrib.auth.hashers import make_password

    from dvc.accounts.models import User
    from dvc.agencies.models import Agency, StaffRole
    from dvc.agencies.services import admin_units_load
    from dvc.catalog.models import Procedure
    from dvc.catalog.text import fold
    from dvc.dossiers.models import Dossier
    from dvc.web.demo import load_demo

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    admin_units_load()
    load_demo()
    agency = Agency.objects.get(code="000.01.01.H26")
    officer = StaffRole.objects.filter(agency=agency, role=StaffRole.Role.ONE_STOP_OFFICER).first().user
    procedures = list(Procedure.objects.filter(level="commune"))
    rng = random.Random(20261122)  # noqa: S311 -- reproducible test data
    password = make_password("Bench@2026")
    people = []
    for n in range(5000):
        people.append(
            User(
                id_number=f"0010{90 + n % 10}{n:06d}",
                full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                phone=f"+8498{n:07d}",
                is_active=True,
                password=password,
            )
        )
    User.objects.bulk_create(people, batch_size=2000)
    people = list(User.objects.filter(id_number__in=[p.id_number for p in people]))
    now = timezone.now()
    codes, id_numbers, names = [], [], []
    batch: list[Dossier] = []
    statuses = [s for s, _share in STATES]
    weights = [share for _s, share in STATES]
    for n in range(COUNT):
        person = people[n % len(people)]
        status = rng.choices(statuses, weights)[0]
        submitted = now - dt.timedelta(minutes=rng.randint(10, 60 * 24 * 365))
        day = timezone.localtime(submitted)
        code = f"{agency.code}-{day:%y%m%d}-{n % 10000:04d}"
        due = submitted + dt.timedelta(days=rng.randint(-10, 20)) if status != "submitted" else None
        if status == "processing" and n % 7 == 0:
            due = now + dt.timedelta(days=rng.randint(0, 2))
        batch.append(
            Dossier(
                code=f"{code}-{n}",
                procedure=rng.choice(procedures),
                agency=agency,
                applicant=person,
                status=status,
                applicant_data={"full_name": person.full_name, "id_number": person.id_number, "phone": person.phone},
                applicant_name=fold(person.full_name),
                form_data={"ghi_chu": "x" * 200},
                submitted_at=submitted,
                received_at=submitted if status != "submitted" else None,
                due_at=due,
            )
        )
        if n % 5000 == 0:
            codes.append(f"{code}-{n}")
            id_numbers.append(person.id_number)
            names.append(person.full_name)
        if len(batch) == 5000:
            Dossier.objects.bulk_create(batch)
            batch = []
    Dossier.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does to a table that has just been filled
    return officer, codes, id_numbers, names


def measure(officer: object, codes: list[str], id_numbers: list[str], names: list[str]) -> None:
    client = Client()
    client.force_login(officer)  # type: ignore[arg-type]

    def page(query: str):  # a queue or a page of it: one GET
        return lambda i: client.get("/can-bo/" + query)

    def search(terms: list[str]):  # the search box: a POST, then the results (the term waits in the session)
        def run(i: int):
            posted = client.post("/can-bo/", {"hang": "tat-ca", "q": terms[i % len(terms)]})
            return client.get(posted["Location"]) if posted.status_code == 302 else posted

        return run

    kinds = {
        "moi": page("?hang=moi"),
        "dang-xu-ly": page("?hang=dang-xu-ly"),
        "sap-den-han": page("?hang=sap-den-han"),
        "qua-han": page("?hang=qua-han"),
        "cho-tra": page("?hang=cho-tra"),
        "viec-cua-toi": page("?hang=viec-cua-toi"),
        "tat-ca p.50": page("?hang=tat-ca&trang=50"),
        "code": search(codes),
        "id number": search(id_numbers),
        "name": search(names),
    }
    for name, request in kinds.items():  # warm up each path once
        if request(0).status_code != 200:
            raise SystemExit(f"{name} did not answer 200")
    timings: dict[str, list[float]] = {k: [] for k in kinds}
    for i in range(RUNS):
        kind = list(kinds)[i % len(kinds)]
        start = time.perf_counter()
        response = kinds[kind](i)
        timings[kind].append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{kind} answered {response.status_code}")
    every = sorted(t for values in timings.values() for t in values)
    print(f"{connection.vendor}, {COUNT:,} dossiers, {RUNS} page requests")
    for kind, values in [*timings.items(), ("all", every)]:
        values = sorted(values)
        p95 = values[int(len(values) * 0.95) - 1]
        p99 = values[int(len(values) * 0.99) - 1]
        print(f"  {kind:12} p50 {statistics.median(values):6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms")


if __name__ == "__main__":
    started = time.perf_counter()
    built = build()
    print(f"built in {time.perf_counter() - started:.0f} s")
    measure(*built)
