"""E-form answers the electronic identity vouches for (NĐ 69/2024/NĐ-CP, level 2; Luật Căn cước 2023 Điều 9).

A field whose prefill source is an identity fact (name, id number, birth date, sex, the person themself) takes the
verified value when the applicant's identity is verified: shown read-only with a "đã xác thực" mark, kept on every
save whatever was posted, and named on the dossier so the officer sees where it came from.
"""

from __future__ import annotations

from typing import Any

from dvc.catalog.eform import Widget, prefill_answers

SOURCES = frozenset({"full_name", "id_number", "birth_date", "sex", "self"})


def names(schema: dict[str, Any] | None, user: Any) -> list[str]:
    """The fields of ``schema`` that take a verified value for ``user`` (none when not verified)."""
    if user is None or getattr(user, "identity_verified_at", None) is None:
        return []
    return [spec["name"] for spec in (schema or {}).get("fields", []) if spec.get("prefill") in SOURCES]


def answers(schema: dict[str, Any] | None, user: Any) -> dict[str, Any]:
    locked = set(names(schema, user))
    if not locked:
        return {}
    return {name: value for name, value in prefill_answers(schema or {}, user).items() if name in locked}


def mark(widgets: list[Widget], locked: list[str]) -> list[Widget]:
    for widget in widgets:
        if widget.spec.get("name") in locked:
            widget.verified = True
            for part in widget.parts:
                part.verified = True
    return widgets
