"""Vietnamese alphabetical order for every sorted list of names.

Code-point order puts "Huế" before "Hà Nội" and every "Đ" after "Z". Vietnamese dictionaries order the letters
a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f, j, w, z of foreign words in their Latin places),
compare tones only when the letters are equal, in the order ngang, huyền, hỏi, ngã, sắc, nặng (a à ả ã á ạ), and
case last.

- In PostgreSQL, ``vi_order("name")`` uses the server's ICU collation ``vi-x-icu`` (CLDR's Vietnamese tailoring).
- In SQLite, the same expression uses the collation ``vi`` that this module registers on every connection, built
  on :func:`vi_key`; :func:`vi_key` also sorts lists in Python.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate

SQLITE_COLLATION = "vi"
POSTGRES_COLLATION = "vi-x-icu"

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: place for place, letter in enumerate(_ALPHABET)}
# Marks that make another letter (ă â ê ô ơ ư) stay with the letter; the five tone marks are compared after.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vi_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Sort key: letters in Vietnamese alphabetical order, then tones, then case (upper after lower)."""
    letters: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    for char in unicodedata.normalize("NFC", text):
        lower = char.lower()
        parts = unicodedata.normalize("NFD", lower)
        base = parts[0]
        tone = 0
        for mark in parts[1:]:
            if mark in _LETTER_MARKS:
                base += mark
            else:
                tone = _TONE_RANK.get(mark, tone)
        letter = unicodedata.normalize("NFC", base)
        rank = _RANK.get(letter)
        # Spaces and punctuation before digits, digits before letters (as ICU orders them), each by code point.
        letters.append(1000 + rank if rank is not None else (500 + ord(letter) if letter.isdigit() else ord(letter)))
        tones.append(tone)
        cases.append(0 if char == lower else 1)
    return tuple(letters), tuple(tones), tuple(cases)


def vi_sorted(items: Any, name: Any = None) -> list[Any]:
    """``items`` in Vietnamese alphabetical order of ``name(item)`` (the item itself by default)."""
    return sorted(items, key=lambda item: vi_key(str(name(item) if name else item)))


def vi_order(field: str) -> Collate:
    """An ``order_by`` expression sorting ``field`` in Vietnamese order, in PostgreSQL and in SQLite alike."""
    from django.db import connection

    return Collate(F(field), POSTGRES_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION)


def _compare(left: str, right: str) -> int:
    a, b = vi_key(left), vi_key(right)
    return (a > b) - (a < b)


def _register(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


connection_created.connect(_register, dispatch_uid="dvc.collation")
