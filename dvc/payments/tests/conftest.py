import json

import pytest

from dvc.dossiers.tests.factories import DossierFactory
from dvc.payments import tasks, vnpay


@pytest.fixture
def gateway(monkeypatch, settings):
    """The sandbox's HTTP calls (its IPN to the portal, the status queries) travel through Django's test client
    instead of the network: the same views answer them."""
    from django.test import Client

    client = Client()
    base = settings.SITE_URL

    def http_get(url, timeout=15.0):
        assert url.startswith(base)
        return client.get(url[len(base) :]).content.decode()

    def post_json(url, body, timeout=15.0):
        assert url.startswith(base)
        return client.post(url[len(base) :], json.dumps(body), content_type="application/json").json()

    monkeypatch.setattr(tasks, "http_get", http_get)
    monkeypatch.setattr(vnpay, "post_json", post_json)
    return base


@pytest.fixture
def unpaid():
    """A submitted dossier owing 58,000 đồng (a charge and the postal delivery)."""

    def make(user, agency=None, key=None):
        return DossierFactory(
            unpaid=True, applicant=user, fees=[36000, 22000], **({"agency": agency} if agency else {})
        )

    return make
