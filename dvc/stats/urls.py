from django.urls import path

from dvc.stats import views

app_name = "stats"

urlpatterns = [path("thong-ke/", views.public, name="public")]
