from django.urls import path

from dvc.stats import staff_views, views

app_name = "stats"

urlpatterns = [
    path("thong-ke/", views.public, name="public"),
    path("can-bo/bao-cao/", staff_views.report, name="report"),
]
