"""The result document's text: the procedure's template filled with the dossier, or the general one."""

import pytest

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.documents.result import result_body, result_pdf
from dvc.dossiers.tests.factories import commune_centre

pytestmark = pytest.mark.django_db


def test_the_general_template_lists_what_the_agency_certifies(submitted_dossier):
    dossier = submitted_dossier(UserFactory(full_name="Nguyễn Văn An", id_number="001085012345"))
    body = result_body(dossier)
    assert "cho ông/bà Nguyễn Văn An, số định danh cá nhân 001085012345" in body
    assert "Mục đích sử dụng: Kết hôn" in body
    assert "True" not in body and "0912345678" not in body  # not the declaration box, not the phone


def test_a_procedure_template_is_filled_and_unknown_names_stay_visible(submitted_dossier):
    dossier = submitted_dossier(UserFactory(full_name="Nguyễn Văn An"), agency=commune_centre(name="UBND phường X"))
    dossier.procedure.result_template = "$co_quan xác nhận: $ho_ten dùng giấy này để $muc_dich. $khong_co"
    body = result_body(dossier)
    assert body == "UBND phường X xác nhận: Nguyễn Văn An dùng giấy này để Kết hôn. $khong_co"
    assert result_pdf(dossier).startswith(b"%PDF")
