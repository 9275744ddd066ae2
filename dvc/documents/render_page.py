"""Child process of ``preview``: reads a JSON request line and a PDF on stdin, writes the page count or one page as
a PNG on stdout. Exit 2: no such page; 3: not a PDF. Runs under the memory and CPU ceiling its parent sets; imports
nothing of the portal."""

from __future__ import annotations

import io
import json
import resource
import sys

MAX_PIXELS = 4_000_000  # about 1000 × 4000: any page, however shaped, is drawn within this
MAX_SIDE = 4000


def main() -> int:
    raw = sys.stdin.buffer.read()
    header, _newline, data = raw.partition(b"\n")
    request = json.loads(header)
    memory, cpu = int(request["memory"]), int(request["cpu"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    import pypdfium2 as pdfium  # type: ignore[import-untyped]  # loaded under the ceilings

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        sys.stderr.write(str(exc))
        return 3
    try:
        if request["mode"] == "count":
            sys.stdout.write(str(len(document)))
            return 0
        index = int(request["index"])
        if not 0 <= index < len(document):
            return 2
        document.init_forms()  # draws form widgets too: the signature stamp is one
        page = document[index]
        width, height = max(page.get_width(), 1.0), max(page.get_height(), 1.0)
        scale = min(int(request["width"]) / width, MAX_SIDE / height, MAX_SIDE / width)
        scale = min(scale, (MAX_PIXELS / (width * height)) ** 0.5)
        image = page.render(scale=max(scale, 0.01)).to_pil()
        out = io.BytesIO()
        image.convert("RGB").save(out, "PNG", optimize=True)
        sys.stdout.buffer.write(out.getvalue())
        return 0
    finally:
        document.close()


if __name__ == "__main__":
    sys.exit(main())
