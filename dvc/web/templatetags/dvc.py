"""Template helpers shared by every app's pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

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
