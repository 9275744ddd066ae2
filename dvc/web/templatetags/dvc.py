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
from django.utils.translation import gettext

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


@register.simple_tag
def field(bound: BoundField, mark_required: bool = False) -> SafeString:
    """A form field as every form shows it: its label (with the required mark), the widget (``accessible``), its help
    and its errors, each error and the help tied to the widget by their ids. ``mark_required`` marks a field the
    form checks as required although the field itself is optional (a choice another answer makes required).
    Written in Python (issue 20): the included template it replaces was a tenth of the lookup page's form and
    rendering. A field the form does not have shows nothing, as a template's missing variable does."""
    if not isinstance(bound, BoundField):
        return mark_safe("")
    errors = bound.errors
    widget = accessible(bound)
    if getattr(bound.field.widget, "input_type", "") == "checkbox":  # the box inside its label, before the text
        star = _STAR if bound.field.required else ""
        label = format_html('<label class="check">{} {}{}</label>', widget, bound.label, star)
    else:
        mark = format_html(_REQUIRED, gettext("bắt buộc")) if bound.field.required or mark_required else ""
        label = format_html('<label for="{}">{}{}</label>\n    {}', bound.id_for_label, bound.label, mark, widget)
    parts: list[str] = [format_html('<div class="field{}">\n  {}\n', " field-error" if errors else "", label)]
    if bound.help_text:
        parts.append(format_html('  <p class="help" id="{}_help">{}</p>\n', bound.auto_id, bound.help_text))
    for error in errors:
        parts.append(format_html('  <p class="error" id="{}_error" role="alert">{}</p>\n', bound.auto_id, error))
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped by format_html


_STAR = mark_safe(' <span class="req" aria-hidden="true">*</span>')
_REQUIRED = _STAR + '<span class="sr-only">({})</span>'


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
