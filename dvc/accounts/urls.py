from django.urls import path

from dvc.accounts import identity_views, views

app_name = "accounts"

urlpatterns = [
    path("dang-ky/", views.register, name="register"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", identity_views.identity_logout, name="logout"),
    path("dang-nhap/dinh-danh/", identity_views.identity_login, name="identity_login"),
    path("dang-nhap/dinh-danh/ve/", identity_views.identity_callback, name="identity_callback"),
    path("dang-nhap/dinh-danh/xac-nhan/", identity_views.identity_confirm, name="identity_confirm"),
    path("xac-thuc/<uuid:challenge_id>/", views.otp, name="otp"),
    path("xac-thuc/<uuid:challenge_id>/gui-lai/", views.otp_resend, name="otp_resend"),
    path("xac-thuc/<uuid:challenge_id>/cach-khac/", views.otp_other, name="otp_other"),
    path("xac-thuc/<uuid:challenge_id>/ung-dung/", views.otp_app, name="otp_app"),
    path("tai-khoan/ung-dung-xac-thuc/", views.authenticator, name="authenticator"),
    path("quen-mat-khau/", views.password_reset, name="password_reset"),
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/doi-mat-khau/", views.password_change, name="password_change"),
    path("tai-khoan/doi-so-dien-thoai/", views.phone_change, name="phone_change"),
]
