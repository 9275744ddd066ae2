from django.urls import path

from dvc.dossiers.backoffice import intake_views, register_views, views
from dvc.dossiers.citizen import public_views

app_name = "staff"

urlpatterns = [
    path("can-bo/", views.queue, name="queue"),
    path("can-bo/tiep-nhan-tai-quay/", intake_views.intake, name="intake"),
    path("can-bo/so-theo-doi/", register_views.register, name="register"),
    path("can-bo/ho-so/<uuid:dossier_id>/", views.detail, name="detail"),
    path("can-bo/ho-so/<uuid:dossier_id>/xu-ly/<slug:action>/", views.act, name="act"),
    path("can-bo/ho-so/<uuid:dossier_id>/dinh-kem/<int:attachment_id>/", views.attachment, name="attachment"),
    path("can-bo/ho-so/<uuid:dossier_id>/van-ban/<slug:name>/", views.document, name="document"),
    path("xac-minh/<uuid:issued_id>/", public_views.verify, name="verify"),
]
