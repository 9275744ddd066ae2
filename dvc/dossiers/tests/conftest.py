import pytest

from dvc.catalog.models import Procedure
from dvc.dossiers import services
from dvc.dossiers.tests.factories import commune_centre, photo_upload

MARITAL_ANSWERS = {
    "nguoi_yeu_cau": {"full_name": "Nguyễn Văn An", "birth_date": "1985-03-12", "id_number": "001085012345"},
    "dien_thoai": "0912345678",
    "noi_cu_tru": {"province": "01", "commune": "00004", "line": ""},
    "muc_dich": "Kết hôn",
    "cam_doan": True,
}


@pytest.fixture
def submitted_dossier():
    """A submitted 1.004873 dossier (xác nhận tình trạng hôn nhân) of the given citizen."""

    def make(user, agency=None, key="k1"):
        agency = agency or commune_centre()
        procedure = Procedure.objects.get(code="1.004873")
        dossier = services.dossier_start(applicant=user, procedure=procedure, agency=agency)
        services.dossier_save_draft(
            dossier=dossier,
            actor=user,
            form_data=MARITAL_ANSWERS,
            submission_method="online",
            result_method="online",
            delivery_address={},
            notify_sms=True,
            notify_email=False,
        )
        identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
        services.dossier_attach(dossier=dossier, actor=user, requirement=identity, upload=photo_upload())
        return services.dossier_submit(dossier=dossier, actor=user, idempotency_key=key)

    return make
