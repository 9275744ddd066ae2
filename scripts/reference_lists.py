"""Write the nationality list of the e-forms (``dvc/catalog/data/reference/quoc_tich.json``) from the Unicode CLDR
data that Babel ships: every ISO 3166-1 country with its Vietnamese and English name.

Run after upgrading Babel (a development dependency): ``.venv/bin/python scripts/reference_lists.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from babel import Locale

OUT = Path(__file__).resolve().parent.parent / "dvc" / "catalog" / "data" / "reference" / "quoc_tich.json"
# CLDR territories that are not ISO 3166-1 countries (groupings, reserved and private-use codes).
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
# Names as Vietnamese official documents write them.
VIETNAMESE = {"TW": "Đài Loan (Trung Quốc)", "HK": "Hồng Kông (Trung Quốc)", "MO": "Ma Cao (Trung Quốc)"}


def main() -> None:
    vi, en = Locale("vi").territories, Locale("en").territories
    countries = [
        {"code": code, "vi": VIETNAMESE.get(code, vi[code]), "en": en[code]}
        for code in sorted(vi)
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "source": "Unicode CLDR (Babel), ISO 3166-1 alpha-2; tên theo cách viết trong văn bản của Việt Nam",
        "items": countries,
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(countries)} countries → {OUT}")


if __name__ == "__main__":
    main()
