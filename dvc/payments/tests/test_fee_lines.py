"""What a dossier owes: the procedure's fees (online rate, per copy) and the post office's price."""

import pytest

from dvc.catalog.models import Procedure
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import DossierFactory
from dvc.payments.fees import fee_lines_for

pytestmark = pytest.mark.django_db


def draft(code, **changes):
    return DossierFactory(procedure=Procedure.objects.get(code=code), **changes)


def test_copies_and_postal_delivery(settings):
    settings.DVC_POSTAL_FEE_DELIVERY = 25000
    dossier = draft("1.001193", form_data={"so_ban_sao": "3"}, result_method="post")
    lines = [(line.name, line.quantity, line.amount) for line in fee_lines_for(dossier)]
    assert lines == [("Cấp bản sao trích lục khai sinh", 3, 24000), ("Chuyển kết quả qua bưu chính", 1, 25000)]


def test_online_filing_pays_the_online_rate_and_the_counter_the_full_one():
    online = draft("1.004222")
    counter = draft("1.004222", channel=Dossier.Channel.COUNTER)
    assert [line.amount for line in fee_lines_for(online)] == [10000]
    assert [line.amount for line in fee_lines_for(counter)] == [20000]


def test_no_fee_means_nothing_to_pay():
    assert fee_lines_for(draft("1.004873")) == []
