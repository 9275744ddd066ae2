from django.urls import path

from dvc.dossiers import staff_views

app_name = "staff"

urlpatterns = [
    path("can-bo/", staff_views.queue, name="queue"),
    path("can-bo/tiep-nhan-tai-quay/", staff_views.intake, name="intake"),
    path("can-bo/so-theo-doi/", staff_views.register, name="register"),
    path("can-bo/ho-so/<uuid:dossier_id>/", staff_views.detail, name="detail"),
    path("can-bo/ho-so/<uuid:dossier_id>/xu-ly/<slug:action>/", staff_views.act, name="act"),
    path("can-bo/ho-so/<uuid:dossier_id>/dinh-kem/<int:attachment_id>/", staff_views.attachment, name="attachment"),
    path("can-bo/ho-so/<uuid:dossier_id>/van-ban/<slug:name>/", staff_views.document, name="document"),
    path("xac-minh/<uuid:issued_id>/", staff_views.verify, name="verify"),
]
