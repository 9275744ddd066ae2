"""Lighthouse (mobile) on the citizens' public pages of a portal started as `make run` serves it (issue 16, part 15).

    npm ci && .venv/bin/python bench/lighthouse.py [PATH ...]   # Debian's chromium at /usr/bin/chromium

Prints one Markdown row per page with the performance, accessibility, best-practices and SEO scores, for
bench/RESULTS.md. Lighthouse is pinned in package.json (12.2.3: later versions want Node 22).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import free_port  # noqa: E402

PAGES = [
    "/", "/thu-tuc/", "/thu-tuc/?q=khai+sinh", "/thu-tuc/1.001193/", "/tra-cuu/", "/thanh-toan/", "/dang-nhap/",
    "/dang-ky/", "/thong-ke/", "/co-quan/", "/huong-dan/", "/huong-dan/nop-ho-so/", "/bao-ve-du-lieu-ca-nhan/",
    "/kha-nang-tiep-can/",
]  # fmt: skip
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def main() -> None:
    lighthouse = ROOT / "node_modules" / ".bin" / "lighthouse"
    if not lighthouse.exists():
        raise SystemExit("run `npm ci` first: Lighthouse is a development dependency in package.json")
    with tempfile.TemporaryDirectory() as var:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DVC_") and k != "DATABASE_URL"}
        env |= {"DVC_VAR_DIR": var, "DVC_ENV": "development"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        for step in (["migrate", "--noinput"], ["load_admin_units"]):
            subprocess.run([*manage, *step], env=env, check=True, capture_output=True, timeout=600)  # noqa: S603
        addr = f"127.0.0.1:{free_port()}"
        portal = subprocess.Popen(  # noqa: S603
            [*manage, "run_portal", "--addr", addr], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            _wait(f"http://{addr}/")
            print("| page | performance | accessibility | best practices | SEO | below 100 because |")
            print("|---|---|---|---|---|---|")
            for path in sys.argv[1:] or PAGES:
                scores, flagged = _audit(lighthouse, f"http://{addr}{path}")
                row = " | ".join(str(scores[c]) for c in CATEGORIES)
                print(f"| `{path}` | {row} | {', '.join(flagged)} |", flush=True)
        finally:
            portal.terminate()
            portal.wait(timeout=30)


def _wait(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 -- loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the portal did not answer at {url}")


def _audit(lighthouse: Path, url: str) -> tuple[dict[str, int], list[str]]:
    done = subprocess.run(  # noqa: S603
        [str(lighthouse), url, "--quiet", "--output=json", "--output-path=stdout", "--form-factor=mobile",
         f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    report = json.loads(done.stdout)
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    flagged = sorted(
        {
            ref["id"]
            for name in CATEGORIES
            for ref in report["categories"][name]["auditRefs"]
            if ref.get("weight") and report["audits"][ref["id"]].get("score") not in (None, 1)
        }
    )
    return scores, flagged


if __name__ == "__main__":
    main()
