#!/usr/bin/env python3
"""Public statistics at national scale: 10 million dossiers on PostgreSQL, then the statistics pages timed.

    .venv/bin/python bench/stats_scale.py postgres://postgres@127.0.0.1:5432/dvc_bench_stats
    BENCH_DOSSIERS=1000000 .venv/bin/python bench/stats_scale.py postgres://...   # a smaller run
    BENCH_REUSE=1 .venv/bin/python bench/stats_scale.py postgres://...   # keep the dossiers: figures and timing only
    BENCH_REUSE=figures .venv/bin/python bench/stats_scale.py postgres://...   # keep the figures too: timing only

The database named in the URL is dropped and created afresh. The run:
1. migrates, loads the official units and the demo catalog, creates a one-stop centre in each of the 3,321
   communes and 34 provinces, and 200,000 applicants;
2. writes the dossiers with COPY (secondary indexes dropped during the load and rebuilt after), spread over
   2025-07-01 .. today with the mix of outcomes a real year has;
3. computes the figures the portal keeps incrementally (daily rows, monthly roll-ups by agency and by province,
   open dossiers by due day and by due month) with one SQL pass over the dossiers, following the same rules (early /
   on time / late against the due date, an extended dossier counted late; processing time in calendar days here);
4. requests the public statistics page as served (DEBUG off, cached templates) for the whole country, for a
   province, and with a sector filter, plus the home page, and prints p50/p95/p99.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/dvc_bench_stats"
COUNT = int(os.environ.get("BENCH_DOSSIERS", "10000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))
os.environ["DVC_VAR_DIR"] = tempfile.mkdtemp(prefix="dvc-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
os.environ.setdefault("DVC_ENV", "development")  # the benchmarks run on the development defaults
os.environ.setdefault("DVC_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("DVC_DEBUG", "0")
# The page as rendered, not the copy the portal keeps for anonymous visitors (dvc/web/caching.py).
os.environ.setdefault("DVC_PAGE_CACHE", "0")

import psycopg  # noqa: E402

parts = urlsplit(URL)
DB = parts.path.lstrip("/")
REUSE = os.environ.get("BENCH_REUSE") in ("1", "figures")
if not REUSE:
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres",
                         autocommit=True) as admin:  # fmt: skip
        admin.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        admin.execute(f'CREATE DATABASE "{DB}"')
os.environ["DATABASE_URL"] = URL

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

START = dt.date(2025, 7, 1)
OUTCOMES = [  # (status, share)
    ("returned", 0.78), ("result_ready", 0.04), ("processing", 0.06), ("needs_supplement", 0.02),
    ("refused", 0.03), ("withdrawn", 0.02), ("submitted", 0.05),
]  # fmt: skip


def phase(name: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {name}: {now - started:.0f} s", flush=True)
    return now


def setup() -> tuple[list[int], list[int], list[int], list[int]]:
    from dvc.accounts.models import User
    from dvc.agencies.models import AdminUnit, Agency
    from dvc.agencies.services import admin_units_load
    from dvc.catalog.models import Procedure
    from dvc.web.demo import load_demo

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    admin_units_load()
    load_demo()
    units = list(AdminUnit.objects.filter(effective_to__isnull=True).select_related("parent"))
    agencies = []
    for n, unit in enumerate(units):
        province = unit.code if unit.level == "province" else unit.parent.code if unit.parent else "00"
        agencies.append(Agency(
            code=f"B{n:05d}.{province}", name=f"Trung tâm Phục vụ hành chính công {unit.name}",
            kind=Agency.Kind.PROVINCE_CENTRE if unit.level == "province" else Agency.Kind.COMMUNE_CENTRE,
            level=Agency.Level.PROVINCE if unit.level == "province" else Agency.Level.COMMUNE, admin_unit=unit,
        ))  # fmt: skip
    Agency.objects.bulk_create(agencies, batch_size=2000)
    communes = list(Agency.objects.filter(code__startswith="B", level="commune").values_list("pk", flat=True))
    provinces = list(Agency.objects.filter(code__startswith="B", level="province").values_list("pk", flat=True))
    commune_procedures = list(Procedure.objects.filter(level="commune").values_list("pk", flat=True))
    province_procedures = list(Procedure.objects.exclude(level="commune").values_list("pk", flat=True))
    password = User.objects.get(id_number="001085012345").password
    column_defaults(User)
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY accounts_user (id_number, full_name, phone, email, kind, sex, address_line, representative_name, "
            "representative_id_number, is_active, is_staff, is_superuser, password, date_joined) FROM STDIN"
        ) as copy,
    ):
        now = timezone.now()
        for n in range(200_000):
            copy.write_row((f"0790{n:08d}", f"Người nộp {n}", f"+8497{n:07d}", "", "citizen", "", "", "", "",
                            True, False, False, password, now))  # fmt: skip
    return communes, provinces, commune_procedures, province_procedures


def column_defaults(model: Any) -> None:
    """The model's field defaults as the table's own, so that COPY may leave out the columns it does not fill (the
    model gains columns; Django keeps defaults in Python, and COPY would write NULL)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        for field in model._meta.concrete_fields:
            default = None if field.null or field.primary_key else field.get_default()  # "" for text without one
            if default is None:
                continue
            value = field.get_db_prep_save(default, connection)
            cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{field.column}" SET DEFAULT %s', [value])


def load(
    communes: list[int], provinces: list[int], commune_procedures: list[int], province_procedures: list[int]
) -> None:
    from dvc.accounts.models import User
    from dvc.dossiers.models import Dossier

    users = list(User.objects.filter(id_number__startswith="0790").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dossiers_dossier' "
            "AND indexname NOT LIKE '%pkey'"
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'dossiers_dossier'::regclass AND contype IN ('u', 'f')"
        )
        constraints = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE dossiers_dossier DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    rng = random.Random(20261122)  # noqa: S311 -- reproducible test data
    statuses = [s for s, _ in OUTCOMES]
    weights = [w for _, w in OUTCOMES]
    span = (timezone.localdate() - START).days
    columns = (
        "id, code, procedure_id, agency_id, applicant_id, status, applicant_data, form_data, submission_method, "
        "result_method, delivery_address, notify_sms, notify_email, fee_status, signed_by, created_at, updated_at, "
        "submitted_at, received_at, due_at, decided_at, returned_at, extended_until, channel, proposal, "
        "proposal_note, paused_days, decision_note, return_note, applicant_name"
    )
    tz = timezone.get_current_timezone()
    column_defaults(Dossier)
    with connection.cursor() as cursor, cursor.copy(f"COPY dossiers_dossier ({columns}) FROM STDIN") as copy:
        for n in range(COUNT):
            at_province = n % 10 == 0
            agency = rng.choice(provinces if at_province else communes)
            procedure = rng.choice(province_procedures if at_province else commune_procedures)
            status = rng.choices(statuses, weights)[0]
            day = START + dt.timedelta(days=rng.randrange(span + 1))
            submitted = dt.datetime.combine(day, dt.time(7 + rng.randrange(10), rng.randrange(60)), tzinfo=tz)
            received = (
                None if status in ("submitted", "withdrawn") else submitted + dt.timedelta(hours=rng.randrange(1, 30))
            )
            due = received + dt.timedelta(days=rng.choice((1, 3, 5, 7, 10, 15))) if received else None
            decided = None
            if status in ("returned", "result_ready", "refused") and due is not None:
                # 93% finish early or on the due day (often shortly before its close), 7% late.
                if rng.random() < 0.93:
                    decided = due - dt.timedelta(days=rng.choice((3, 2, 1, 0, 0, 0)), hours=1)
                else:
                    decided = due + dt.timedelta(days=rng.randrange(1, 6))
            extended = due + dt.timedelta(days=3) if due is not None and rng.random() < 0.01 else None
            channel = "counter" if rng.random() < 0.35 else "online"
            copy.write_row((
                uuid.UUID(int=rng.getrandbits(128)), f"B-{n:09d}", procedure, agency, users[n % len(users)], status,
                "{}", "{}", "online", "online", "{}", False, False, "not_required", "", submitted, submitted,
                submitted, received, due, decided, decided if status == "returned" else None, extended, channel, "",
                "", 0, "", "", "nguoi nop",
            ))  # fmt: skip
            if n and n % 1_000_000 == 0:
                print(f"    {n:,} dossiers", flush=True)
    backed = {name for name, _definition in constraints}
    with connection.cursor() as cursor:
        for name, definition in indexes:
            if name not in backed:  # a unique constraint brings its own index back
                cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE dossiers_dossier ADD CONSTRAINT "{name}" {definition}')


FIGURES_SQL = """
TRUNCATE stats_dailyfigure, stats_monthlyagencyfigure, stats_monthlyprovincefigure, stats_opendossiers,
  stats_openbyprovince, stats_openmonthly, stats_openmonthlybyprovince;

WITH d AS (
  SELECT agency_id, procedure_id, channel, status, extended_until IS NOT NULL AS extended,
         (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS received_day,
         (decided_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS decided_day,
         (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS due_day, decided_at, due_at,
         (submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS submitted_day
  FROM dossiers_dossier
), flows AS (
  SELECT received_day AS day, agency_id, procedure_id,
         count(*) FILTER (WHERE channel = 'online') AS received_online,
         count(*) FILTER (WHERE channel = 'counter') AS received_counter,
         0 AS processed, 0 AS early, 0 AS on_time, 0 AS late, 0 AS refused, 0 AS withdrawn, 0 AS processing_days
  FROM d WHERE received_day IS NOT NULL GROUP BY 1, 2, 3
  UNION ALL
  SELECT decided_day, agency_id, procedure_id, 0, 0,
         count(*) FILTER (WHERE status IN ('returned', 'result_ready')),
         count(*) FILTER (WHERE status IN ('returned', 'result_ready') AND NOT extended AND decided_day < due_day),
         count(*) FILTER (WHERE status IN ('returned', 'result_ready') AND NOT extended AND decided_day = due_day
                          AND decided_at <= due_at),
         count(*) FILTER (WHERE status IN ('returned', 'result_ready') AND (extended OR decided_at > due_at)),
         count(*) FILTER (WHERE status = 'refused'), 0,
         coalesce(sum(decided_day - received_day) FILTER (WHERE status IN ('returned', 'result_ready')), 0)
  FROM d WHERE decided_day IS NOT NULL GROUP BY 1, 2, 3
  UNION ALL
  SELECT submitted_day, agency_id, procedure_id, 0, 0, 0, 0, 0, 0, 0, count(*), 0
  FROM d WHERE status = 'withdrawn' GROUP BY 1, 2, 3
)
INSERT INTO stats_dailyfigure (day, agency_id, procedure_id, received_online, received_counter, processed, early,
  on_time, late, refused, withdrawn, processing_days, paid, paid_online, rated, overall_sum, timeliness_sum,
  attitude_sum, publicity_sum)
SELECT day, agency_id, procedure_id, sum(received_online), sum(received_counter), sum(processed), sum(early),
       sum(on_time), sum(late), sum(refused), sum(withdrawn), sum(processing_days), 0, 0, 0, 0, 0, 0, 0
FROM flows GROUP BY 1, 2, 3;

INSERT INTO stats_monthlyagencyfigure (month, agency_id, procedure_id, province, received_online, received_counter,
  processed, early, on_time, late, refused, withdrawn, processing_days, paid, paid_online, rated, overall_sum,
  timeliness_sum, attitude_sum, publicity_sum)
SELECT date_trunc('month', f.day)::date, f.agency_id, f.procedure_id,
       CASE WHEN u.level = 'province' THEN u.code ELSE p.code END, sum(received_online), sum(received_counter),
       sum(processed), sum(early), sum(on_time), sum(late), sum(refused), sum(withdrawn), sum(processing_days),
       0, 0, 0, 0, 0, 0, 0
FROM stats_dailyfigure f JOIN agencies_agency a ON a.id = f.agency_id
JOIN agencies_adminunit u ON u.id = a.admin_unit_id LEFT JOIN agencies_adminunit p ON p.id = u.parent_id
GROUP BY 1, 2, 3, 4;

INSERT INTO stats_monthlyprovincefigure (month, province, procedure_id, received_online, received_counter, processed,
  early, on_time, late, refused, withdrawn, processing_days, paid, paid_online, rated, overall_sum, timeliness_sum,
  attitude_sum, publicity_sum)
SELECT m.month, CASE WHEN u.level = 'province' THEN u.code ELSE p.code END, m.procedure_id,
       sum(received_online), sum(received_counter), sum(processed), sum(early), sum(on_time), sum(late),
       sum(refused), sum(withdrawn), sum(processing_days), 0, 0, 0, 0, 0, 0, 0
FROM stats_monthlyagencyfigure m JOIN agencies_agency a ON a.id = m.agency_id
JOIN agencies_adminunit u ON u.id = a.admin_unit_id LEFT JOIN agencies_adminunit p ON p.id = u.parent_id
GROUP BY 1, 2, 3;

INSERT INTO stats_opendossiers (agency_id, procedure_id, province, due_day, count)
SELECT d.agency_id, d.procedure_id, CASE WHEN u.level = 'province' THEN u.code ELSE p.code END,
       (d.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, count(*)
FROM dossiers_dossier d JOIN agencies_agency a ON a.id = d.agency_id
JOIN agencies_adminunit u ON u.id = a.admin_unit_id LEFT JOIN agencies_adminunit p ON p.id = u.parent_id
WHERE d.status = 'processing' AND d.due_at IS NOT NULL GROUP BY 1, 2, 3, 4;

INSERT INTO stats_openbyprovince (province, procedure_id, due_day, count)
SELECT province, procedure_id, due_day, sum(count) FROM stats_opendossiers GROUP BY 1, 2, 3;

INSERT INTO stats_openmonthly (agency_id, procedure_id, province, due_month, count)
SELECT agency_id, procedure_id, province, date_trunc('month', due_day)::date, sum(count) FROM stats_opendossiers
GROUP BY 1, 2, 3, 4;

INSERT INTO stats_openmonthlybyprovince (province, procedure_id, due_month, count)
SELECT province, procedure_id, due_month, sum(count) FROM stats_openmonthly GROUP BY 1, 2, 3;
"""


def aggregate() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '1GB'")  # the grouping of 10 million rows sorts in memory, not on disk
        for statement in FIGURES_SQL.split(";\n\n"):
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE")


def measure() -> None:
    from dvc.catalog.models import Sector

    client = Client()
    sector = Sector.objects.order_by("code").first()
    kinds = {
        "country": "/thong-ke/",
        "province 01": "/thong-ke/?tinh=01",
        "province 79": "/thong-ke/?tinh=79",
        "country, sector": f"/thong-ke/?linh_vuc={sector.code if sector else ''}",
        "country, 2025": "/thong-ke/?tu_thang=2025-07&den_thang=2025-12",
        "home page": "/",
    }
    for path in kinds.values():
        if client.get(path).status_code != 200:
            raise SystemExit(f"{path} did not answer 200")
    timings: dict[str, list[float]] = {k: [] for k in kinds}
    for i in range(RUNS):
        kind = list(kinds)[i % len(kinds)]
        started = time.perf_counter()
        client.get(kinds[kind])
        timings[kind].append((time.perf_counter() - started) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        dossiers = cursor.fetchone()[0]
        cursor.execute(
            "SELECT (SELECT count(*) FROM stats_dailyfigure), (SELECT count(*) FROM stats_monthlyagencyfigure), "
            "(SELECT count(*) FROM stats_monthlyprovincefigure)"
        )
        daily, monthly, provincial = cursor.fetchone()
    print(f"{dossiers:,} dossiers; figure rows: {daily:,} daily, {monthly:,} monthly by agency, "
          f"{provincial:,} monthly by province; {RUNS} page requests")  # fmt: skip
    for kind, values in timings.items():
        values.sort()
        p95, p99 = values[int(len(values) * 0.95) - 1], values[int(len(values) * 0.99) - 1]
        print(f"  {kind:16} p50 {statistics.median(values):6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms")


if __name__ == "__main__":
    began = mark = time.perf_counter()
    if not REUSE:
        built = setup()
        mark = phase("setup (units, catalog, 3,355 agencies, 200,000 applicants)", began)
        load(*built)
        mark = phase(f"{COUNT:,} dossiers written with COPY, indexes rebuilt", mark)
    else:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
    if os.environ.get("BENCH_REUSE") != "figures":
        aggregate()
        mark = phase("figures computed, VACUUM ANALYZE", mark)
    measure()
