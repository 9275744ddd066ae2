from django.urls import path

from dvc.dossiers.citizen import filing_views, on_behalf_views, public_views, views

app_name = "dossiers"

urlpatterns = [
    path("thu-tuc/<str:code>/nop-ho-so/", views.start, name="start"),
    path("ho-so/", views.my_dossiers, name="mine"),
    path("ho-so/<uuid:dossier_id>/", views.detail, name="detail"),
    path("ho-so/<uuid:dossier_id>/sua/", filing_views.edit, name="edit"),
    path("ho-so/<uuid:dossier_id>/sua/<slug:part>/", filing_views.section, name="section"),
    path("ho-so/<uuid:dossier_id>/dinh-kem/", filing_views.upload, name="upload"),
    path("ho-so/<uuid:dossier_id>/dinh-kem/<int:attachment_id>/", views.attachment_file, name="attachment"),
    path(
        "ho-so/<uuid:dossier_id>/dinh-kem/<int:attachment_id>/xoa/",
        filing_views.remove_attachment,
        name="remove_attachment",
    ),
    path("ho-so/<uuid:dossier_id>/bieu-mau.pdf", filing_views.printable, name="printable"),
    path("ho-so/<uuid:dossier_id>/ky-so/", filing_views.upload_signed_form, name="signed_form"),
    path("ho-so/<uuid:dossier_id>/ky-so-tu-xa/", filing_views.remote_sign_start, name="remote_sign_start"),
    path("ho-so/<uuid:dossier_id>/ky-so-tu-xa/<uuid:session_id>/", filing_views.remote_sign, name="remote_sign"),
    path("ho-so/<uuid:dossier_id>/dung-tu-kho/", filing_views.use_from_vault, name="use_from_vault"),
    path("ho-so/<uuid:dossier_id>/gui/", views.submit, name="submit"),
    path("ho-so/<uuid:dossier_id>/nop-ho/", on_behalf_views.on_behalf, name="on_behalf"),
    path(
        "ho-so/<uuid:dossier_id>/thong-bao-chu-ho-so/", on_behalf_views.owner_notifications, name="owner_notifications"
    ),
    path("ho-so/<uuid:dossier_id>/bien-nhan.pdf", views.receipt, name="receipt"),
    path("ho-so/<uuid:dossier_id>/rut/", views.withdraw, name="withdraw"),
    path("ho-so/<uuid:dossier_id>/ket-qua/", views.result, name="result"),
    path("ho-so/<uuid:dossier_id>/van-ban-tu-choi.pdf", views.refusal, name="refusal"),
    path("ket-qua/tai/<str:token>/", views.result_by_link, name="result_by_link"),
    path("ho-so/<uuid:dossier_id>/danh-gia/", views.rate, name="rate"),
    path("tra-cuu/", public_views.lookup, name="lookup"),
]
