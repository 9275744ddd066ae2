"""The official administrative-unit list shipped with DVC (data/admin-units-2025.json).

Source: the statistics office's list of units in force from 2025-07-01 (34 provinces, 3,321 communes) and the
63 provinces before the reform, whose codes are the first three digits of every CCCD number.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "admin-units-2025.json"


@cache
def load_reference() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def legacy_province_codes() -> frozenset[str]:
    """Three-digit province-of-birth codes that may start a CCCD number (the 63 pre-2025 provinces)."""
    return frozenset(f"{int(item['code']):03d}" for item in load_reference()["legacy_provinces"])


def province_code(code: int | str) -> str:
    return f"{int(code):02d}"


def commune_code(code: int | str) -> str:
    return f"{int(code):05d}"
