from django.urls import path

from dvc.vault import login_views, views

app_name = "vault"

urlpatterns = [
    path("kho-du-lieu/", views.my_vault, name="mine"),
    path("kho-du-lieu/<uuid:file_id>/", views.download, name="download"),
    path("kho-du-lieu/<uuid:file_id>/xoa/", views.remove, name="remove"),
    path("dang-nhap/chu-ky-so/", login_views.signature_login, name="signature_login"),
    path("dang-nhap/chu-ky-so/xac-nhan/", login_views.signature_login_confirm, name="signature_login_confirm"),
]
