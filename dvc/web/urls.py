from django.urls import path

from dvc.web import observability, pages, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("readyz", observability.ready, name="ready"),
    path("metrics", observability.metrics, name="metrics"),
    path("sau-dang-nhap/", views.landing, name="landing"),
    path("ngon-ngu/<str:code>/", views.choose_language, name="language"),
    path("huong-dan/", pages.help_index, name="help"),
    path("huong-dan/<slug:topic>/", pages.help_topic, name="help_topic"),
    path("bao-ve-du-lieu-ca-nhan/", pages.privacy, name="privacy"),
    path("kha-nang-tiep-can/", pages.accessibility, name="accessibility"),
]
