"""Accent folding for search: the same folded text on SQLite and PostgreSQL.

``unidecode`` folds every Vietnamese letter, đ/Đ included (NFD mark stripping would leave đ), so a stored,
pre-folded column searched with plain LIKE gives identical results on both databases.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9.]+")


def fold(text: str) -> str:
    """'Đăng ký Kết hôn' -> 'dang ky ket hon'; dots kept so that codes like 1.001193 still match."""
    ascii_text = unidecode(unicodedata.normalize("NFC", text or "")).lower()
    return " ".join(_NON_WORD.sub(" ", ascii_text).split())


def padded(folded: str) -> str:
    """' dang ky ket hon ': stored with spaces around so that ' ket' matches the start of a word only."""
    return f" {folded} "


def words_of(folded: str, code: str = "") -> set[str]:
    """The index words of a folded text, plus the code and its number alone (1.001193 and 001193)."""
    found = {word.strip(".")[:64] for word in folded.split()} - {""}
    if code:
        found |= {code.lower(), code.split(".")[1] if "." in code else code}
    return found


def tokens(query: str) -> list[str]:
    """Distinct search words of a query, longest first (the most selective filter runs first)."""
    words = {word.strip(".") for word in fold(query).split()} - {""}
    return sorted(words, key=len, reverse=True)[:12]
