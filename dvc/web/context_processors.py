from typing import Any

from django.conf import settings
from django.http import HttpRequest

from dvc.notify.models import Notice


def portal(request: HttpRequest) -> dict[str, Any]:
    """``DVC_TRIAL``: a trial installation (not production), whose pages say where codes and messages go;
    ``PORTAL``: who runs the portal and how to reach them (header, footer, privacy notice)."""
    user = getattr(request, "user", None)
    return {
        # Counted only where a page shows it (the header of a signed-in person): one query.
        "unread_notices": (lambda: Notice.objects.filter(user=user.pk, read_at__isnull=True).count())
        if user is not None and user.is_authenticated
        else 0,
        "DVC_TRIAL": not settings.PRODUCTION,
        # Where a trial's messages are written (walk-through: the pages said var/outbox/ whatever DVC_VAR_DIR was).
        "DVC_OUTBOX": "" if settings.PRODUCTION else f"{settings.OUTBOX_DIR}/",
        "PORTAL": {
            "name": settings.DVC_PORTAL_NAME,
            "managing_agency": settings.DVC_MANAGING_AGENCY,
            "operator": settings.DVC_OPERATOR,
            "address": settings.DVC_OPERATOR_ADDRESS,
            "hotline": settings.DVC_HOTLINE,
            "hotline_tel": "".join(ch for ch in settings.DVC_HOTLINE if ch.isdigit() or ch == "+"),
            "email": settings.DVC_CONTACT_EMAIL,
            "data_protection_email": settings.DVC_DATA_PROTECTION_EMAIL,
        },
    }
