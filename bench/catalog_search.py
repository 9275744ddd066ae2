#!/usr/bin/env python3
"""Catalog search latency with 6,000 generated procedures, on SQLite and (when given) PostgreSQL.

    .venv/bin/python bench/catalog_search.py                                   # SQLite in a temporary folder
    .venv/bin/python bench/catalog_search.py postgres://postgres@127.0.0.1:5432/dvc_bench

Each run builds a fresh database, loads the official administrative units, the demo catalog and 6,000
generated procedures, then times the search as the catalog page runs it (count + first page of 20) for a mix
of accent-free, accented, multi-word, code and no-hit queries. Prints p50/p95/p99 in milliseconds.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = sys.argv[1] if len(sys.argv) > 1 else ""
os.environ["DVC_VAR_DIR"] = tempfile.mkdtemp(prefix="dvc-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
os.environ.setdefault("DVC_ENV", "development")  # the benchmarks run on the development defaults
if URL:
    os.environ["DATABASE_URL"] = URL

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

COUNT = 6000
RUNS = 400
VERBS = [
    "Đăng ký",
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Gia hạn",
    "Xác nhận",
    "Thẩm định",
    "Điều chỉnh",
    "Thu hồi",
    "Công nhận",
]
OBJECTS = [
    "giấy phép xây dựng",
    "giấy chứng nhận quyền sử dụng đất",
    "khai sinh",
    "kết hôn",
    "hộ kinh doanh",
    "thường trú",
    "giấy phép lái xe",
    "chứng chỉ hành nghề",
    "giấy phép kinh doanh rượu",
    "hộ chiếu",
    "phiếu lý lịch tư pháp",
    "giấy phép môi trường",
    "đăng ký phương tiện thủy nội địa",
    "trợ cấp xã hội",
    "bảo hiểm y tế",
    "giấy phép lao động",
]
QUALIFIERS = [
    "cho cá nhân",
    "cho tổ chức",
    "có yếu tố nước ngoài",
    "lần đầu",
    "do bị mất",
    "tại cấp xã",
    "tại cấp tỉnh",
    "trực tuyến",
]
BODY = "Giấy phép Ủy ban nhân dân cấp tỉnh"
QUERIES = [
    "dang ky ket hon",
    "Đăng ký kết hôn",
    "giay phep xay dung",
    "cap lai ho chieu",
    "1.001193",
    "thuong tru",
    "CHUNG CHI HANH NGHE",
    "lao dong nuoc ngoai",
    "khai sinh",
    "xyz khong co",
    "giay phep",
    "moi truong cap tinh",
]


def build() -> None:
    from dvc.agencies.services import admin_units_load
    from dvc.catalog.models import Procedure, SearchWord, Sector
    from dvc.catalog.text import fold, padded, words_of
    from dvc.web.demo import load_demo

    call_command("migrate", verbosity=0)
    admin_units_load()
    load_demo()
    sectors = list(Sector.objects.all())
    rng = random.Random(20261121)  # noqa: S311 -- reproducible test data
    rows = []
    for n in range(COUNT):
        name = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}"
        code = f"{rng.choice('1235')}.{100000 + n:06d}"
        sector = rng.choice(sectors)
        rows.append(
            Procedure(
                code=code,
                name=name,
                sector=sector,
                level=rng.choice(["central", "province", "commune"]),
                implementing_body=BODY,
                service_level=rng.choice(["full_online", "partial"]),
                submission_channels=["online", "counter"],
                result_channels=["online", "counter"],
                processing_days=rng.randint(0, 30),
                steps="Bước 1.",
                legal_basis="Luật.",
                result_document="Giấy phép",
                name_folded=padded(fold(name)),
                search_text=padded(fold(f"{code} {name} {sector.name} {BODY}")),
            )
        )
    Procedure.objects.bulk_create(rows, batch_size=1000)
    SearchWord.objects.bulk_create(
        (SearchWord(procedure=p, word=w) for p in rows for w in words_of(p.search_text, p.code)), batch_size=5000
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure() -> dict[str, float]:
    from dvc.catalog.selectors import Filters, search

    start = time.perf_counter()
    list(search(Filters(q="khai sinh"))[:20])  # the first search of a process builds its in-memory index
    print(f"index build and first search: {(time.perf_counter() - start) * 1000:.0f} ms")
    timings = []
    for index in range(RUNS):
        filters = Filters(q=QUERIES[index % len(QUERIES)])
        start = time.perf_counter()
        found = search(filters)
        found.count()
        list(found[:20])
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "p99": timings[int(len(timings) * 0.99) - 1],
        "max": timings[-1],
    }


def main() -> None:
    if URL:
        from urllib.parse import urlsplit

        import psycopg

        parts = urlsplit(URL)
        admin = psycopg.connect(
            host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres", autocommit=True
        )
        name = parts.path.lstrip("/")
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        admin.close()
    build()
    from dvc.catalog.models import Procedure

    result = measure()
    print(
        f"{connection.vendor}: {Procedure.objects.count()} procedures, {RUNS} searches (count + first 20): "
        + ", ".join(f"{k} {v:.1f} ms" for k, v in result.items())
    )


if __name__ == "__main__":
    main()
