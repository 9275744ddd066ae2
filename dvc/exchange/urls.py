from django.urls import path

from dvc.exchange import views

app_name = "exchange"

urlpatterns = [
    path("lien-thong/v1/messages", views.inbound, name="inbound"),
    path("lien-thong/v1/tep/<str:token>/", views.file_by_reference, name="file"),
]
