from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from dvc.api import api, api_not_found
from dvc.web.views import admin_login

admin.site.site_header = "Quản trị Cổng Dịch vụ công"
admin.site.site_title = "Quản trị DVC"
admin.site.index_title = "Danh mục quản trị"

urlpatterns = [
    # The API first: its calls are most of the traffic, and each pattern tried before a match costs (issue 20).
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", api_not_found),
    path("", include("dvc.web.urls")),
    path("", include("dvc.accounts.urls")),
    path("", include("dvc.agencies.urls")),
    path("", include("dvc.catalog.urls")),
    path("", include("dvc.dossiers.citizen.urls")),
    path("", include("dvc.dossiers.backoffice.urls")),
    path("", include("dvc.payments.urls")),
    path("", include("dvc.stats.urls")),
    path("", include("dvc.vault.urls")),
    path("", include("dvc.notify.urls")),
    path("", include("dvc.feedback.urls")),
    path("", include("dvc.exchange.urls")),
    path("captcha/", include("captcha.urls")),
    # Staff sign in through the portal's login, with its OTP step; the admin has no password-only door.
    path("quan-tri/login/", admin_login, name="admin_login"),
    # Passwords change only through the portal's service (it ends API tokens and tells the owner by SMS).
    path("quan-tri/password_change/", RedirectView.as_view(pattern_name="accounts:password_change")),
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

if not settings.PRODUCTION:
    # The development identity provider (OpenID Connect), the embedded default of the national identity login.
    urlpatterns.insert(0, path("dinh-danh-thu-nghiem/", include("dvc.accounts.dev_idp_urls")))
    # The CSC sandbox (Cloud Signature Consortium API), the embedded default of remote signing.
    urlpatterns.insert(0, path("ky-so-thu-nghiem/", include("dvc.vault.csc_sandbox_urls")))
    # The exchange sandbox: the data-exchange platform and the agencies outside the portal, played locally.
    urlpatterns.insert(0, path("lien-thong-thu-nghiem/", include("dvc.exchange.sandbox_urls")))

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
