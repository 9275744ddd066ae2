"""Reference renders of the shipped result templates (docs/documents/*.png), drawn from the same demo data the
document tests use. Run with DVC_DOCUMENT_RENDERS=1 to redraw them after a layout change, then look at them."""

import os
from pathlib import Path

import pytest

from dvc.documents.preview import page_count, page_png
from dvc.dossiers.documents.result import Signing, result_pdf
from dvc.dossiers.tests.factories import DossierFactory
from dvc.dossiers.tests.test_results import BIRTH, DEATH, MARRIAGE, awaiting, ba_dinh  # noqa: F401
from dvc.vault.agency_signing import sign_result

pytestmark = pytest.mark.django_db
OUT = Path(__file__).resolve().parents[3] / "docs" / "documents"


@pytest.mark.skipif(not os.environ.get("DVC_DOCUMENT_RENDERS"), reason="redraws docs/documents on request")
def test_redraw_reference_renders(ba_dinh):  # noqa: F811
    import datetime as dt

    agency, staff = ba_dinh
    cases = {
        "giay-khai-sinh": ("1.001193", BIRTH, {"so_dinh_danh_tre": "001226012345"}),
        "giay-chung-nhan-ket-hon": ("1.000894", MARRIAGE, {}),
        "trich-luc-khai-tu": ("1.000656", DEATH, {"giay_bao_tu": "Giấy báo tử số 15/GBT ngày 20/11/2026"}),
        "xac-nhan-tinh-trang-hon-nhan": (
            "1.004873",
            dict(DossierFactory.build().form_data),
            {"tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai."},
        ),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (code, answers, values) in cases.items():
        dossier = awaiting(agency, staff, code, answers)
        dossier.result_data = values
        signing = Signing("Ngô Thị Hạnh", "Phó Chủ tịch", dt.date(2026, 12, 6), "15", "01/2026")
        pdf = result_pdf(dossier, signing)
        if name == "giay-khai-sinh":  # and as the citizen receives it: the agency's stamp in the signature block
            signed = sign_result(
                pdf, agency=agency, verify_url="https://dichvucong.example/xac-minh/…", signer_name="Ngô Thị Hạnh",
                when=dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC),
            )  # fmt: skip
            (OUT / f"{name}-da-ky.png").write_bytes(page_png(signed, 0, width=900))
            extract = result_pdf(dossier, signing, copy=(1, 1))
            (OUT / "trich-luc-khai-sinh-ban-sao.png").write_bytes(page_png(extract, 0, width=900))
        for index in range(page_count(pdf)):
            suffix = f"-{index + 1}" if index else ""
            (OUT / f"{name}{suffix}.png").write_bytes(page_png(pdf, index, width=900))
