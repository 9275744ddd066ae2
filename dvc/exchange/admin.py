from django.contrib import admin
from django.http import HttpRequest

from dvc.exchange.models import InboundMessage, OutboundMessage


class _ReadOnly(admin.ModelAdmin):
    """The exchange's log: read-only, so what was sent and received is never rewritten by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(_ReadOnly):
    list_display = ["created_at", "receiver", "kind", "correlation", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "receiver"]
    search_fields = ["correlation"]
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]


@admin.register(InboundMessage)
class InboundMessageAdmin(_ReadOnly):
    list_display = ["received_at", "sender", "kind", "correlation", "outcome", "handled_at"]
    list_filter = ["outcome", "kind", "sender"]
    search_fields = ["correlation"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]
