from django.urls import path

from dvc.vault import views

app_name = "vault"

urlpatterns = [
    path("kho-du-lieu/", views.my_vault, name="mine"),
    path("kho-du-lieu/<uuid:file_id>/", views.download, name="download"),
]
