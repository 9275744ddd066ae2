from django.contrib import admin
from django.http import HttpRequest

from dvc.notify.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """The delivery log: read-only, so what was sent and what failed is never rewritten by hand."""

    list_display = ["created_at", "channel", "recipient", "template", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status", "template"]
    search_fields = ["recipient"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
