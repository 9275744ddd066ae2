from django.urls import path

from dvc.notify import views

app_name = "notify"

urlpatterns = [
    path("thong-bao/", views.inbox, name="inbox"),
]
