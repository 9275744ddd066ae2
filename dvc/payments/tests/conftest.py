import json

import pytest

from dvc.dossiers.models import Dossier
from dvc.payments import tasks, vnpay
from dvc.payments.models import FeeLine


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
def unpaid(submitted_dossier):
    """A submitted dossier owing 58,000 đồng (a charge and the postal delivery)."""

    def make(user, **kwargs):
        dossier = submitted_dossier(user, **kwargs)
        FeeLine.objects.create(dossier=dossier, kind=FeeLine.Kind.CHARGE, name="Lệ phí cấp giấy xác nhận", amount=36000)
        FeeLine.objects.create(dossier=dossier, kind=FeeLine.Kind.POSTAL, name="Chuyển kết quả qua bưu chính",
                               amount=22000, position=1)  # fmt: skip
        Dossier.objects.filter(pk=dossier.pk).update(fee_status=Dossier.FeeStatus.UNPAID)
        dossier.refresh_from_db()
        return dossier

    return make
