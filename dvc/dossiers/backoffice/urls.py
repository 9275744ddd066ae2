from django.urls import path

from dvc.dossiers.backoffice import batch_views, intake_views, register_views, viewer_views, views
from dvc.dossiers.citizen import public_views

app_name = "staff"

urlpatterns = [
    path("can-bo/", views.queue, name="queue"),
    path("can-bo/hang-loat/", batch_views.batch, name="batch"),
    path("can-bo/tiep-nhan-tai-quay/", intake_views.intake, name="intake"),
    path("can-bo/so-theo-doi/", register_views.register, name="register"),
    path("can-bo/ho-so/<uuid:dossier_id>/", views.detail, name="detail"),
    path("can-bo/ho-so/<uuid:dossier_id>/xu-ly/<slug:action>/", views.act, name="act"),
    path("can-bo/ho-so/<uuid:dossier_id>/dinh-kem/<int:attachment_id>/", views.attachment, name="attachment"),
    path("can-bo/ho-so/<uuid:dossier_id>/van-ban/<slug:name>/", views.document, name="document"),
    path("can-bo/ho-so/<uuid:dossier_id>/van-ban/<slug:name>/xem/", viewer_views.view_document, name="view_document"),
    path(
        "can-bo/ho-so/<uuid:dossier_id>/van-ban/<slug:name>/trang-<int:page>.png",
        viewer_views.document_page,
        name="document_page",
    ),
    path(
        "can-bo/ho-so/<uuid:dossier_id>/dinh-kem/<int:attachment_id>/xem/",
        viewer_views.view_attachment,
        name="view_attachment",
    ),
    path(
        "can-bo/ho-so/<uuid:dossier_id>/dinh-kem/<int:attachment_id>/trang-<int:page>.png",
        viewer_views.attachment_page,
        name="attachment_page",
    ),
    path("can-bo/so-ho-tich/", register_views.civil_register, name="civil_register"),
    path("can-bo/giao-buu-gui/", register_views.postal_handover, name="postal_handover"),
    path("xac-minh/<uuid:issued_id>/", public_views.verify, name="verify"),
]
