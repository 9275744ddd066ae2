"""The REST API at /api/v1 (django-ninja, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

This module only creates the API and mounts the apps' routers; errors are mapped by ``dvc.api_errors``,
authentication is ``dvc.accounts.auth``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.operation import Operation

from dvc import api_errors
from dvc.accounts.api import router as accounts_router
from dvc.agencies.api import router as agencies_router
from dvc.catalog.api import router as catalog_router
from dvc.dossiers.backoffice.api import router as backoffice_router
from dvc.dossiers.citizen.api import router as dossiers_router
from dvc.dossiers.citizen.signing_api import router as signing_router
from dvc.payments.api import router as payments_router
from dvc.stats.api import router as stats_router


class PortalAPI(NinjaAPI):
    """The API whose operationIds stay as published when a router's module moves: clients generated from the
    OpenAPI document name their methods after them."""

    MOVED = {
        "dvc.dossiers.citizen.api": "dvc.dossiers.api",
        "dvc.dossiers.citizen.signing_api": "dvc.dossiers.signing_api",
    }

    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        return f"{self.MOVED.get(module, module)}_{operation.view_func.__name__}".replace(".", "_")


api = PortalAPI(
    title="DVC — Cổng Dịch vụ công",
    version="1",
    description='API của Cổng Dịch vụ công: danh mục, hồ sơ, tài khoản. Lỗi trả về dạng {"code", "message"}.',
    urls_namespace="api",
)
api_errors.install(api)


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """JSON 404 for any path under /api/v1 that no route matches."""
    return api.create_response(request, api_errors.error_body("not_found", _("Không có địa chỉ API này.")), status=404)


api.add_router("/", accounts_router)
api.add_router("/", agencies_router)
api.add_router("/", catalog_router)
api.add_router("/", dossiers_router)
api.add_router("/", signing_router)
api.add_router("/", backoffice_router)
api.add_router("/", payments_router)
api.add_router("/", stats_router)
