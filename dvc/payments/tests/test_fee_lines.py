"""What a dossier owes: the procedure's fees (online rate, per copy) and the post office's price."""

import pytest

from dvc.catalog.models import Fee, Procedure
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import DossierFactory
from dvc.payments.fees import amount_due, fee_lines_for, fee_lines_set
from dvc.payments.models import FeeLine

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


def test_every_line_says_what_it_is_and_a_per_case_fee_counts_once_whatever_the_copies(settings):
    settings.DVC_POSTAL_FEE_PICKUP, settings.DVC_POSTAL_FEE_DELIVERY = 22000, 25000
    procedure = Procedure.objects.get(code="1.001193")
    procedure.fees.update(position=1)
    procedure.fees.create(
        kind=Fee.Kind.FEE, name="Phí tra cứu", amount=5000, unit=Fee.Unit.CASE, note="Miễn cho hộ nghèo", position=2
    )
    procedure.fees.create(kind=Fee.Kind.FEE, name="Miễn phí", amount=0, unit=Fee.Unit.CASE, position=3)
    dossier = draft("1.001193", form_data={"so_ban_sao": "3"}, submission_method="post_pickup", result_method="post")
    lines = fee_lines_for(dossier)
    assert [(ln.kind, ln.name, ln.quantity, ln.amount, ln.note, ln.position) for ln in lines] == [
        ("charge", "Cấp bản sao trích lục khai sinh", 3, 24000, "Chỉ thu khi yêu cầu bản sao", 0),
        ("fee", "Phí tra cứu", 1, 5000, "Miễn cho hộ nghèo", 1),  # per case: once, not three times
        ("postal", "Bưu điện đến nhận hồ sơ tại nhà", 1, 22000, "", 2),
        ("postal", "Chuyển kết quả qua bưu chính", 1, 25000, "", 3),
    ]
    assert all(line.dossier == dossier for line in lines)
    # No copies asked: the per-copy line goes, the lines after it stay.
    dossier.form_data = {"so_ban_sao": "0"}
    assert [line.name for line in fee_lines_for(dossier)][:1] == ["Phí tra cứu"]


def test_fixing_the_lines_replaces_this_dossiers_lines_only():
    first = draft("1.001193", form_data={"so_ban_sao": "2"})
    other = draft("1.001193", form_data={"so_ban_sao": "1"})
    assert fee_lines_set(first) == 16000 and fee_lines_set(other) == 8000
    first.form_data = {"so_ban_sao": "1"}
    assert fee_lines_set(first) == 8000
    assert amount_due(first) == 8000 and amount_due(other) == 8000
    assert FeeLine.objects.filter(dossier=first).count() == 1


def test_a_per_copy_fee_without_a_copies_question_counts_once_and_a_bad_count_bills_none():
    procedure = Procedure.objects.get(code="1.004873")
    procedure.fees.create(kind=Fee.Kind.FEE, name="Phí sao lục", amount=3000, unit=Fee.Unit.COPY, position=9)
    assert [(ln.name, ln.quantity) for ln in fee_lines_for(draft("1.004873"))][-1] == ("Phí sao lục", 1)
    for unreadable in ("abc", "", None, True):
        assert fee_lines_for(draft("1.001193", form_data={"so_ban_sao": unreadable})) == [], unreadable


def test_a_procedure_without_an_e_form_bills_a_per_copy_fee_once():
    procedure = Procedure.objects.get(code="1.004873")
    procedure.form_schema = {}
    procedure.save(update_fields=["form_schema"])
    procedure.fees.create(kind=Fee.Kind.FEE, name="Phí sao lục", amount=3000, unit=Fee.Unit.COPY, position=9)
    assert [(ln.name, ln.quantity) for ln in fee_lines_for(draft("1.004873"))][-1] == ("Phí sao lục", 1)
