"""The development identity provider's addresses (included only outside production)."""

from django.urls import path

from dvc.accounts import dev_idp

app_name = "dev_idp"

urlpatterns = [
    path("", dev_idp.root, name="root"),
    path(".well-known/openid-configuration", dev_idp.discovery, name="discovery"),
    path("jwks/", dev_idp.jwks, name="jwks"),
    path("uy-quyen/", dev_idp.authorize, name="authorize"),
    path("token/", dev_idp.token, name="token"),
    path("userinfo/", dev_idp.userinfo, name="userinfo"),
    path("dang-xuat/", dev_idp.end_session, name="end_session"),
]
