"""Bearer authentication of the REST API: ``Authorization: Bearer <token>`` from ``POST /auth/verify``."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from dvc.accounts.models import ApiToken, User
from dvc.accounts.services import api_token_use


class BearerAuth(HttpBearer):
    """A token from ``POST /auth/verify``; idle and absolute expiry apply (``api_token_use``)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = api_token_use(raw=token)
        if api_token is None:
            return None
        request.api_token = api_token  # type: ignore[attr-defined]
        request.user = api_token.user
        return api_token.user


bearer = BearerAuth()


def current_token(request: HttpRequest) -> ApiToken:
    token: ApiToken = request.api_token  # type: ignore[attr-defined]
    return token


def authed_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise AuthenticationError()
    return user
