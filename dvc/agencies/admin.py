"""Admin for system admins (everything) and agency admins (their own agencies' hours, calendar and staff)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dvc.agencies.models import AdminUnit, Agency, CalendarDay, OfficeHours, StaffRole
from dvc.agencies.selectors import agencies_administered_by
from dvc.agencies.services import staff_role_grant


class AgencyScopedAdmin(admin.ModelAdmin):
    """Rows are limited to the agencies the signed-in agency admin manages; a superuser sees all."""

    agency_path = "agency"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(**{f"{self.agency_path}__in": agencies_administered_by(request.user)})

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "agency" and not request.user.is_superuser:
            kwargs["queryset"] = agencies_administered_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "parent", "effective_from", "effective_to"]
    list_filter = ["level", "division_type"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "successor"]


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHours
    extra = 0


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_path = "pk"
    list_display = ["code", "name", "kind", "level", "parent", "effective_from", "effective_to"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["admin_unit", "parent", "successor"]
    inlines = [OfficeHoursInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = admin.ModelAdmin.get_queryset(self, request)
        return rows if request.user.is_superuser else rows.filter(pk__in=agencies_administered_by(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


@admin.register(CalendarDay)
class CalendarDayAdmin(AgencyScopedAdmin):
    list_display = ["date", "kind", "agency", "note", "created_by"]
    list_filter = ["kind", ("agency", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "date"
    exclude = ["created_by"]

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


class StaffRoleForm(forms.ModelForm):
    """Separation of duties: whoever administers an agency does not give themselves a role that handles its
    dossiers (receiving, appraising, deciding and signing): another administrator grants it."""

    class Meta:
        model = StaffRole
        fields = ["user", "agency", "role", "title", "is_active"]

    granted_by: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by = self.granted_by
        if (
            by is not None
            and not by.is_superuser
            and data.get("user") == by
            and data.get("role") != StaffRole.Role.AGENCY_ADMIN
        ):
            raise forms.ValidationError(
                _("Quản trị cơ quan không tự cấp cho mình vai trò xử lý hồ sơ; đề nghị quản trị hệ thống cấp.")
            )
        return data


@admin.register(StaffRole)
class StaffRoleAdmin(AgencyScopedAdmin):
    form = StaffRoleForm
    list_display = ["user", "agency", "role", "title", "is_active", "created_at"]
    list_filter = ["role", "is_active", ("agency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__full_name", "user__id_number", "agency__name"]
    raw_id_fields = ["user"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"granted_by": request.user})  # this request's own form class

    def save_model(self, request: HttpRequest, obj: StaffRole, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new role goes through the service, which also opens the admin site to a new agency admin.
        granted = staff_role_grant(user=obj.user, agency=obj.agency, role=obj.role, title=obj.title)
        obj.pk = granted.pk
