"""Catalog admin: procedures with their fees and papers, the e-form checked on save and previewed live."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from dvc.agencies.selectors import agencies_administered_by
from dvc.catalog import eform
from dvc.catalog.models import DocumentRequirement, Fee, LifeEvent, Procedure, Sector
from dvc.catalog.services import catalog_changed, catalog_export, procedure_refresh_search


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = "__all__"  # noqa: DJ007 -- the admin shows every published part of a procedure
        widgets = {
            "form_schema": forms.Textarea(attrs={"rows": 18, "class": "vLargeTextField", "data-eform-schema": "1"})
        }

    def clean_form_schema(self) -> Any:
        schema = self.cleaned_data.get("form_schema")
        problems = eform.check_schema(schema)
        if problems:
            raise forms.ValidationError(problems)
        return schema

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channels = {*data.get("submission_channels", []), *data.get("result_channels", [])}
        valid = {choice for choice, _label in Procedure.Channel.choices}
        if channels - valid:
            self.add_error("submission_channels", _("Cách thức chỉ gồm: online, counter, post."))
        return data


class FeeInline(admin.TabularInline):
    """Fees and charges are set nationally (Luật Phí và lệ phí 2015): shown to agency admins, changed only by
    system administrators."""

    model = Fee
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


class RequirementInline(admin.StackedInline):
    model = DocumentRequirement
    extra = 0


class CatalogDeletes(admin.ModelAdmin):
    """A deletion here is a catalog change: every process's search index and held procedures are read again."""

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        catalog_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        catalog_changed()


class CatalogEdits(CatalogDeletes):
    """A save here is a catalog change too (the index, the API and the held procedures carry these names)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        catalog_changed()


@admin.register(Sector)
class SectorAdmin(CatalogEdits):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(LifeEvent)
class LifeEventAdmin(CatalogEdits):
    list_display = ["name", "code", "audience", "position"]


@admin.register(Procedure)
class ProcedureAdmin(CatalogDeletes):
    form = ProcedureForm
    list_display = ["code", "name", "sector", "level", "service_level", "processing_days", "is_published"]
    list_filter = ["level", "service_level", "sector", "is_published"]
    search_fields = ["code", "name", "name_folded"]
    filter_horizontal = ["life_events", "agencies"]
    inlines = [FeeInline, RequirementInline]
    readonly_fields = ["form_preview"]
    actions = ["export_json"]

    class Media:
        js = ["dvc/eform-preview.js"]

    @admin.display(description=_("Xem trước tờ khai"))
    def form_preview(self, obj: Procedure | None) -> SafeString:
        schema = obj.form_schema if obj else {}
        return format_html("<div data-eform-preview>{}</div>", _render_preview(schema))

    # National fields: the legal basis, like the fees, is changed only by a system administrator.
    NATIONAL_FIELDS = ("legal_basis",)

    def get_readonly_fields(self, request: HttpRequest, obj: Procedure | None = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, *self.NATIONAL_FIELDS]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        procedure = form.instance
        # The agencies this admin may not see in the list stay attached (the form only offers their own).
        kept = [] if request.user.is_superuser else list(
            procedure.agencies.exclude(pk__in=agencies_administered_by(request.user)).values_list("pk", flat=True)
        )  # fmt: skip
        super().save_related(request, form, formsets, change)
        if kept:
            procedure.agencies.add(*kept)
        procedure_refresh_search(procedure=procedure)

    def has_change_permission(self, request: HttpRequest, obj: Procedure | None = None) -> bool:
        """Agency admins change a procedure only when every agency that handles it is theirs; a procedure shared
        with another agency, or a national one (no agency listed), stays read-only for them."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        agencies = set(obj.agencies.values_list("pk", flat=True))
        managed = set(agencies_administered_by(request.user).values_list("pk", flat=True))
        return bool(agencies) and agencies <= managed

    def has_delete_permission(self, request: HttpRequest, obj: Procedure | None = None) -> bool:
        return bool(request.user.is_superuser)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "agencies" and not request.user.is_superuser:
            kwargs["queryset"] = agencies_administered_by(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self) -> list[URLPattern]:
        preview = path("preview/", self.admin_site.admin_view(self.preview_view), name="catalog_procedure_preview")
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """Render a schema typed in the editor, or say what is wrong with it (staff only, no write)."""
        try:
            schema = json.loads(request.POST.get("schema") or "{}")
        except json.JSONDecodeError as exc:
            return JsonResponse(
                {"html": "", "problems": [str(_("JSON không hợp lệ: dòng %(line)d.") % {"line": exc.lineno})]}
            )
        problems = eform.check_schema(schema)
        return JsonResponse({"html": "" if problems else _render_preview(schema), "problems": problems})

    @admin.action(description=_("Xuất các thủ tục đã chọn ra tệp JSON"))
    def export_json(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> HttpResponse:
        data = catalog_export(codes=list(queryset.values_list("code", flat=True)))
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="danh-muc-thu-tuc.json"'
        messages.success(request, _("Đã xuất %(n)d thủ tục.") % {"n": len(data["procedures"])})
        return response


def _render_preview(schema: dict[str, Any]) -> str:
    if eform.check_schema(schema) or not (schema or {}).get("fields"):
        return ""
    return render_to_string("catalog/eform/preview.html", {"widgets": eform.layout(schema)})
