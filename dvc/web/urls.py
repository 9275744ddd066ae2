from django.urls import path

from dvc.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("sau-dang-nhap/", views.landing, name="landing"),
    path("ngon-ngu/<str:code>/", views.choose_language, name="language"),
]
