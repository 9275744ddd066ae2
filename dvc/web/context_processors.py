from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """``DVC_TRIAL``: a trial installation (not production), whose pages say where codes and messages go."""
    return {"DVC_TRIAL": not settings.PRODUCTION}
