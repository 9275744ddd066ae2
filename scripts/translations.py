#!/usr/bin/env python3
"""Small helper for the English catalogue (locale/en/LC_MESSAGES/django.po); standard library only.

    python scripts/translations.py missing            # msgids without an English text, or marked fuzzy
    python scripts/translations.py set FILE.json      # {"Vietnamese msgid": "English text", ...}
                                                      # plural texts: {"msgid": ["one ...", "many ..."]}

Run `make messages` first to collect new texts; `make messages` again compiles after `set`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
_LINE = re.compile(r'^(msgid|msgstr|msgid_plural|msgstr\[\d+\]) (".*")$')


def parse_block(block: str) -> tuple[list[str], str, str]:
    comments, parts, current = [], {"msgid": "", "msgstr": ""}, None
    for line in block.strip().split("\n"):
        if line.startswith("#"):
            comments.append(line)
        elif match := _LINE.match(line):
            current = "msgid" if match.group(1) == "msgid" else "msgstr"
            parts[current] += json.loads(match.group(2))
        elif line.startswith('"') and current:
            parts[current] += json.loads(line)
    return comments, parts["msgid"], parts["msgstr"]


def blocks() -> list[str]:
    return PO.read_text(encoding="utf-8").split("\n\n")


def missing() -> list[str]:
    found = []
    for block in blocks()[1:]:
        comments, msgid, msgstr = parse_block(block)
        if msgid and (not msgstr or any("fuzzy" in c for c in comments if c.startswith("#,"))):
            found.append(msgid)
    return found


def set_translations(updates: dict[str, str | list[str]]) -> None:
    out = blocks()[:1]
    for block in blocks()[1:]:
        comments, msgid, _msgstr = parse_block(block)
        if msgid in updates:
            kept = [c for c in comments if not c.startswith("#|")]
            kept = [re.sub(r",? ?fuzzy", "", c) for c in kept]
            kept = [c for c in kept if c.strip() not in ("#,", "#")]
            text = updates[msgid]
            plural = re.search(r"^msgid_plural .*$", block, re.MULTILINE)
            context = re.search(r"^msgctxt .*$", block, re.MULTILINE)
            lines = [*kept, *([context.group(0)] if context else []), "msgid " + json.dumps(msgid, ensure_ascii=False)]
            if plural:
                forms = text if isinstance(text, list) else [text, text]
                lines.append(plural.group(0))
                lines += [f"msgstr[{i}] " + json.dumps(form, ensure_ascii=False) for i, form in enumerate(forms)]
            else:
                lines.append("msgstr " + json.dumps(text, ensure_ascii=False))
            block = "\n".join(lines)
        out.append(block.strip("\n"))
    PO.write_text("\n\n".join(out).rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    if len(sys.argv) >= 2 and sys.argv[1] == "missing":
        for msgid in missing():
            print(json.dumps(msgid, ensure_ascii=False))
    elif len(sys.argv) == 3 and sys.argv[1] == "set":
        set_translations(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
        print(f"{len(missing())} text(s) still without English")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
