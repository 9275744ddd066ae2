"""The catalog's citizen-facing texts in the reader's language (issue 16, part 13): procedure, sector and life-event
names, requirement names and e-form labels carry an English text beside the Vietnamese one (``name_en``,
``label_en``...). In English mode the English text is shown; where an agency has not written one, the Vietnamese text
is shown with a visible "(tiếng Việt)" mark, never silently mixed into an English page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def english() -> bool:
    return (get_language() or "vi").startswith("en")


def in_language(vietnamese: str, english_text: str = "") -> str:
    if not english() or not vietnamese:
        return vietnamese
    if english_text:
        return english_text
    mark = _("(tiếng Việt)")
    return f"{vietnamese} {mark}"


def field_text(spec: dict[str, Any], key: str = "label") -> str:
    """An e-form field's (or option's) ``label`` or ``help`` in the reader's language."""
    return in_language(str(spec.get(key) or ""), str(spec.get(f"{key}_en") or ""))


def name_of(record: Any, field: str = "name") -> str:
    """A catalog record's ``name`` (or ``description``) in the reader's language."""
    return in_language(str(getattr(record, field, "") or ""), str(getattr(record, f"{field}_en", "") or ""))
