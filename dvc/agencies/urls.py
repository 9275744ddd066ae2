from django.urls import path

from dvc.agencies import views

app_name = "agencies"

urlpatterns = [
    path("co-quan/", views.agency_list, name="list"),
    path("co-quan/<str:code>/", views.agency_detail, name="detail"),
]
