from django.urls import path

from dvc.feedback import views

app_name = "feedback"

urlpatterns = [
    path("phan-anh-kien-nghi/", views.public_list, name="list"),
    path("phan-anh-kien-nghi/gui/", views.ask, name="ask"),
    path("phan-anh-kien-nghi/xac-nhan/", views.confirm, name="confirm"),
    path("phan-anh-kien-nghi/cua-toi/", views.mine, name="mine"),
    path("phan-anh-kien-nghi/tra-loi/<str:token>/", views.answer_by_link, name="answer"),
    path("can-bo/phan-anh-kien-nghi/", views.staff_list, name="staff_list"),
    path("can-bo/phan-anh-kien-nghi/<uuid:question_id>/", views.staff_detail, name="staff_detail"),
]
