"""Template helpers shared by every app's pages."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import quote

from django import template
from django.conf import settings
from django.forms import BoundField
from django.template import Context
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from dvc.agencies.models import StaffRole
from dvc.catalog.bilingual import name_of
from dvc.vault.combine import paper_limit_mb

register = template.Library()


@register.filter
def accessible(field: BoundField) -> SafeString:
    """The widget with aria-describedby pointing at its help and error texts, and aria-invalid on error."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def language_links(context: Context) -> SafeString:
    """The footer's choice of language: the current one marked, the others linking back to this page. Written in
    Python (issue 20: the template loop was a fifth of a page's layout)."""
    current = translation.get_language()
    back = quote(context["request"].get_full_path(), safe="/")
    links = []
    for code, name in _languages():
        if code == current:
            links.append(format_html('<span aria-current="true" lang="{}">{}</span>', code, name))
        else:
            address = f"{reverse('web:language', args=[code])}?next={back}"
            links.append(format_html('<a href="{}" lang="{}" hreflang="{}">{}</a>', address, code, code, name))
    return mark_safe("\n        ".join(links))  # noqa: S308 - every link above is escaped by format_html


@functools.cache
def _languages() -> tuple[tuple[str, str], ...]:
    return tuple((code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES)


@register.filter
def is_officer(user: Any) -> bool:
    """Whether ``user`` holds a back-office role (one-stop officer, specialist or leader) in some agency."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_dvc_is_officer", None)
    if cached is None:
        cached = StaffRole.objects.filter(user=user, is_active=True).exclude(role=StaffRole.Role.AGENCY_ADMIN).exists()
        user._dvc_is_officer = cached
    return bool(cached)


@register.filter
def paper_limit(file_limit_mb: int) -> int:
    """What several files of one paper may weigh together (``vault.combine``), in MB."""
    return paper_limit_mb(int(file_limit_mb))


@register.filter
def shown(record: Any, field: str = "name") -> str:
    """A catalog record's name (or ``field``) in the reader's language: ``{{ procedure|shown }}``."""
    return name_of(record, field)
