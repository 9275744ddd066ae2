import pytest

from dvc.catalog.models import Fee
from dvc.catalog.services import fee_amount


def copy_fee():
    # TT 226/2016/TT-BTC: 2.000 đồng a page, 1.000 đồng from page 3, at most 200.000 đồng a copy.
    return Fee(
        kind="fee",
        name="Chứng thực bản sao",
        amount=2000,
        unit="page",
        tier_from=3,
        tier_amount=1000,
        max_amount=200000,
    )


@pytest.mark.parametrize(("pages", "amount"), [(1, 2000), (2, 4000), (3, 5000), (10, 12000), (500, 200000)])
def test_tiered_per_page_fee(pages, amount):
    assert fee_amount(copy_fee(), quantity=pages) == amount


def test_online_amount_applies_when_filed_online():
    fee = Fee(kind="charge", name="Lệ phí đăng ký thường trú", amount=20000, online_amount=10000)
    assert fee_amount(fee) == 20000 and fee_amount(fee, online=True) == 10000
    assert fee_amount(fee, quantity=3) == 20000  # per case, whatever the quantity


def test_per_copy_fee():
    assert fee_amount(Fee(kind="charge", name="Trích lục", amount=8000, unit="copy"), quantity=3) == 24000
