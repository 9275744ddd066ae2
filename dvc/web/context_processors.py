from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """``DVC_TRIAL``: a trial installation (not production), whose pages say where codes and messages go;
    ``PORTAL``: who runs the portal and how to reach them (header, footer, privacy notice)."""
    return {
        "DVC_TRIAL": not settings.PRODUCTION,
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
