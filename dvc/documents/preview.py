"""Pages of a PDF drawn as PNG images, to read a document inside a page on any browser and phone: no PDF viewer,
no plugin, no script (a PDF served under the download hardening's ``sandbox`` policy cannot be shown inline).

The PDF may come from anyone (a citizen's upload), and a few hundred bytes can describe a page that takes
gigabytes or minutes to draw. So PDFium never runs in the web process: each count or drawing is a child process
(``render_page.py``) with a memory and CPU ceiling and a wall-clock timeout, and the picture's size is capped in
pixels whatever the page's shape. A page that cannot be drawn within those limits is said to be so, and the file
can still be downloaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

WORKER = Path(__file__).with_name("render_page.py")
MEMORY_BYTES = 1024 * 1024 * 1024  # address space of the child: PDFium, the bitmap and Pillow
CPU_SECONDS = 10
WALL_SECONDS = 15


class NotAPdf(ValueError):
    """The bytes are not a PDF this renderer can open."""


class TooHeavy(ValueError):
    """The page could not be drawn within the memory and time allowed."""


def _run(data: bytes, request: dict[str, int | str]) -> bytes:
    # The child sets its own ceilings before it loads PDFium (no preexec_fn: unsafe in a threaded server).
    header = json.dumps({**request, "memory": MEMORY_BYTES, "cpu": CPU_SECONDS}).encode() + b"\n"
    try:
        done = subprocess.run(  # noqa: S603 (our own script, our own interpreter, no shell)
            [sys.executable, "-I", str(WORKER)],
            input=header + data,
            capture_output=True,
            timeout=WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise TooHeavy("timeout") from exc
    if done.returncode == 0:
        return done.stdout
    if done.returncode == 2:
        raise IndexError(request.get("index"))
    if done.returncode == 3:
        raise NotAPdf(done.stderr.decode(errors="replace")[-300:])
    raise TooHeavy(f"exit {done.returncode}")


def page_count(data: bytes) -> int:
    """How many pages the PDF has; ``NotAPdf`` or ``TooHeavy`` when it cannot be read."""
    return int(_run(data, {"mode": "count"}).decode() or 0)


def page_png(data: bytes, index: int, *, width: int = 1000) -> bytes:
    """Page ``index`` (0-based) as a PNG about ``width`` pixels wide (narrower when the page is very tall);
    ``IndexError`` past the last page."""
    return _run(data, {"mode": "page", "index": index, "width": width})
