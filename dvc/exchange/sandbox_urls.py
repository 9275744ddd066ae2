from django.urls import path

from dvc.exchange import sandbox_views

app_name = "exchange_sandbox"

urlpatterns = [
    path("", sandbox_views.cases, name="cases"),
    path("v1/messages", sandbox_views.platform, name="platform"),
    path("ho-so/<int:pk>/", sandbox_views.case_action, name="act"),
    path("lam-mat-tin/", sandbox_views.lose, name="lose"),
    path("tep/<str:token>/", sandbox_views.result_file, name="file"),
]
