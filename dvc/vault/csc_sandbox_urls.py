"""The CSC sandbox's addresses (included only outside production)."""

from django.urls import path

from dvc.vault import csc_sandbox

app_name = "csc_sandbox"

urlpatterns = [
    path("csc/v1/info", csc_sandbox.info, name="info"),
    path("csc/v1/credentials/list", csc_sandbox.credentials_list, name="credentials_list"),
    path("csc/v1/credentials/info", csc_sandbox.credentials_info, name="credentials_info"),
    path("csc/v1/credentials/sendOTP", csc_sandbox.send_otp, name="send_otp"),
    path("csc/v1/credentials/authorize", csc_sandbox.authorize, name="authorize"),
    path("csc/v1/signatures/signHash", csc_sandbox.sign_hash, name="sign_hash"),
]
