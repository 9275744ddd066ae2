"""Mutation score per module from mutmut's results (``make mutate``), against the 90 % bar of issue 15.

Reads ``mutants/**/*.py.meta`` (mutmut 3's own result files) and the equivalent mutants listed in
``docs/testing.md`` (lines ``- `mutant name` — reason``). A module passes when at least 90 % of all its mutants are
killed (listed equivalents count as not killed) and every survivor is listed as equivalent with its reason.
Exit status 1 when a module is below the bar or a survivor is neither killed nor listed.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAR = 0.90
KILLED = {1, 3, 24, -24, 36, 152, 255}  # a failing test run or a timeout: the tests noticed the change
SURVIVED = {0}
NO_TESTS = {5, 33}


def equivalents() -> dict[str, str]:
    text = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^- `([^`]+)` — (.+)$", text, re.MULTILINE)}


def main() -> int:
    metas = sorted((ROOT / "mutants").rglob("*.py.meta"))
    if not metas:
        print("No results: run `make mutate` first.")
        return 1
    listed = equivalents()
    failed = False
    for meta in metas:
        module = meta.relative_to(ROOT / "mutants").as_posix().removesuffix(".meta")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        tally: Counter[str] = Counter()
        missed = []
        for name, code in sorted(codes.items()):
            if code in KILLED:
                tally["killed"] += 1
            elif name in listed:
                tally["equivalent"] += 1
            elif code is None:
                tally["not checked"] += 1
            else:
                tally["survived" if code in SURVIVED else "no tests" if code in NO_TESTS else "other"] += 1
                missed.append(name)
        score = tally["killed"] / len(codes) if codes else 1.0  # of every mutant, equivalents counted as not killed
        ok = score >= BAR and not missed and not tally["not checked"]
        failed |= not ok
        print(
            f"{'ok  ' if ok else 'FAIL'} {module}: {score:.1%} of {len(codes)} mutants killed, "
            f"{tally['equivalent']} equivalent (listed), {len(missed)} survived or untested, "
            f"{tally['not checked']} not checked"
        )
        for name in missed:
            print(f"       {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
