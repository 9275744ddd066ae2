from django.urls import path

from dvc.catalog import views

app_name = "catalog"

urlpatterns = [
    path("thu-tuc/", views.catalog_home, name="home"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="detail"),
    path("thu-tuc/<str:code>/to-khai.pdf", views.printable_form, name="printable_form"),
    path("thu-tuc/<str:code>/mau/<int:requirement_id>/", views.requirement_template, name="template"),
]
