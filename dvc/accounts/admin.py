from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dvc.accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Accounts for system admins; passwords are never shown or typed here (people reset them by OTP)."""

    list_display = ["id_number", "full_name", "kind", "phone", "is_active", "is_staff", "date_joined"]
    list_filter = ["kind", "is_active", "is_staff"]
    search_fields = ["id_number", "full_name", "phone", "email"]
    raw_id_fields = ["province", "commune"]
    readonly_fields = ["date_joined", "last_login", "phone_verified_at"]
    fieldsets = [
        (None, {"fields": ["kind", "id_number", "full_name", "birth_date", "sex"]}),
        (_("Liên hệ"), {"fields": ["phone", "email", "province", "commune", "address_line"]}),
        (_("Tổ chức"), {"fields": ["representative_name", "representative_id_number"]}),
        (_("Quyền"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Nhật ký"), {"fields": ["date_joined", "last_login", "phone_verified_at"]}),
    ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_superuser)
