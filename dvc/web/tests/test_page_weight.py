"""Page weight: every citizen page, with its stylesheet and script, stays within 60 KB as sent (compressed), for
cheap phones on slow networks (the project's budget; issue 16 part 15 keeps it)."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.tests.factories import DossierFactory, commune_centre

pytestmark = pytest.mark.django_db
BUDGET = 60 * 1024


def _weight(html: str) -> int:
    total = len(gzip.compress(html.encode()))
    for asset in set(re.findall(r'(?:href|src)="/static/([^"?]+)"', html)):
        found = finders.find(asset)
        if found and asset.endswith((".css", ".js", ".svg", ".ico", ".png", ".webp")):
            with open(found, "rb") as handle:
                data = handle.read()
            total += len(gzip.compress(data)) if asset.endswith((".css", ".js", ".svg")) else len(data)
    return total


def test_every_citizen_page_stays_within_60_kb(client):
    citizen = UserFactory()
    agency = commune_centre()
    draft = dossier_start(applicant=citizen, procedure=Procedure.objects.get(code="1.001193"), agency=agency)
    sent = DossierFactory(submitted=True, applicant=citizen, agency=agency)
    public = [
        "/", "/thu-tuc/", "/thu-tuc/1.001193/", "/tra-cuu/", "/dang-nhap/", "/dang-ky/", "/thong-ke/",
        "/huong-dan/", "/bao-ve-du-lieu-ca-nhan/", "/kha-nang-tiep-can/",
        *(f"/huong-dan/{topic}/" for topic in ("dang-ky", "nop-ho-so", "thanh-toan", "tra-cuu")),
    ]  # fmt: skip
    private = [
        reverse("dossiers:start", args=["1.001193"]),
        reverse("dossiers:edit", args=[draft.pk]),
        *(
            reverse("dossiers:section", args=[draft.pk, part])
            for part in ("to-khai", "giay-to", "nhan-ket-qua", "ky-so")
        ),
        reverse("dossiers:submit", args=[draft.pk]),
        reverse("dossiers:detail", args=[sent.pk]) + "?vua-gui=1",
        reverse("dossiers:mine"),
    ]
    weights = {}
    for path in public:
        weights[path] = _weight(client.get(path).content.decode())
    client.force_login(citizen)
    for path in private:
        response = client.get(path)
        assert response.status_code == 200, path
        weights[path] = _weight(response.content.decode())
    heavy = {path: weight for path, weight in weights.items() if weight > BUDGET}
    assert not heavy, heavy
