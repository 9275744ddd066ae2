from django.urls import path

from dvc.payments import sandbox, views

app_name = "payments"

urlpatterns = [
    path("ho-so/<uuid:dossier_id>/thanh-toan/", views.pay_mine, name="pay_mine"),
    path("thanh-toan/", views.pay_by_code, name="by_code"),
    path("thanh-toan/<uuid:dossier_id>/", views.pay_by_code_start, name="by_code_start"),
    path("bien-lai/<str:number>/", views.receipt, name="receipt"),
    path("payments/vnpay/return", views.vnpay_return, name="vnpay_return"),
    path("payments/vnpay/ipn", views.vnpay_ipn, name="vnpay_ipn"),
    path("cong-thanh-toan-thu-nghiem/paymentv2/vpcpay.html", sandbox.pay, name="sandbox_pay"),
    path("cong-thanh-toan-thu-nghiem/merchant_webapi/api/transaction", sandbox.transaction_api, name="sandbox_api"),
]
