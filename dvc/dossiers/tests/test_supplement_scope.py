"""A request for more papers opens only what the officer asked for, and the officer sees what changed
(issue 15, finding 3: a supplement window let the citizen rewrite the whole dossier, with the old fees)."""

import pytest
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import agency_staff, commune_centre, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(client, submitted_dossier):
    """Phường Ba Đình asks for a clearer identity photo and opens the e-form's "Mục đích sử dụng", by its page."""
    agency = commune_centre()
    staff = agency_staff(agency)
    citizen = UserFactory()
    dossier = dossier_receive(dossier=submitted_dossier(citizen, agency=agency), actor=staff.officer)
    identity = dossier.procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    client.force_login(staff.officer)
    sent = client.post(
        reverse("staff:act", args=[dossier.pk, "yeu-cau-bo-sung"]),
        {"requirements": [identity.pk], "fields": ["muc_dich"], "note": "Ảnh mờ; ghi rõ mục đích sử dụng."},
    )
    assert sent.status_code == 302
    client.force_login(citizen)
    return dossier, identity, staff


def edit_post(dossier, **changes):
    post = {
        "f-nguoi_yeu_cau.full_name": "Nguyễn Văn An", "f-nguoi_yeu_cau.birth_date": "12/03/1985",
        "f-nguoi_yeu_cau.id_number": "001085012345", "f-dien_thoai": "0987000001", "f-noi_cu_tru.province": "01",
        "f-noi_cu_tru.commune": "00004", "f-noi_cu_tru.line": "Số 1 Liễu Giai", "f-muc_dich": "Kết hôn",
        "f-gioi_tinh": "male", "f-dan_toc": "Kinh", "f-quoc_tich": "Việt Nam", "f-cam_doan": "on", "d-submission_method": "online", "d-result_method": "online", "d-notify_sms": "on",
    }  # fmt: skip
    post.update(changes)
    return post


def test_only_the_opened_answers_and_papers_can_change(client, asked):
    dossier, identity, _staff = asked
    moved = client.post(reverse("dossiers:edit", args=[dossier.pk]), edit_post(dossier, **{"d-result_method": "post",
                        "d-province": "01", "d-commune": "00004", "d-address_line": "Số 9"}))  # fmt: skip
    assert moved.status_code == 200 and "chỉ sửa được" in moved.content.decode()
    renamed = client.post(
        reverse("dossiers:edit", args=[dossier.pk]), edit_post(dossier, **{"f-dien_thoai": "0911111111"})
    )
    assert renamed.status_code == 200 and "chỉ sửa được" in renamed.content.decode()
    dossier.refresh_from_db()
    assert dossier.result_method == "online" and dossier.form_data["dien_thoai"] == "+84987000001"
    other = dossier.procedure.requirements.exclude(pk=identity.pk).first()
    if other is not None:
        refused = client.post(reverse("dossiers:upload", args=[dossier.pk]), {"requirement": other.pk, "file": photo_upload()},
                              follow=True)  # fmt: skip
        assert "không nằm trong yêu cầu bổ sung" in refused.content.decode()
    allowed = client.post(
        reverse("dossiers:edit", args=[dossier.pk]), edit_post(dossier, **{"f-muc_dich": "Vay vốn ngân hàng"})
    )
    assert allowed.status_code == 302
    client.post(
        reverse("dossiers:upload", args=[dossier.pk]), {"requirement": identity.pk, "file": photo_upload("ro.jpg")}
    )
    dossier.refresh_from_db()
    assert dossier.form_data["muc_dich"] == "Vay vốn ngân hàng"


def test_the_officer_sees_what_the_supplement_changed(client, asked):
    dossier, identity, staff = asked
    client.post(reverse("dossiers:edit", args=[dossier.pk]), edit_post(dossier, **{"f-muc_dich": "Vay vốn ngân hàng"}))
    client.post(
        reverse("dossiers:upload", args=[dossier.pk]), {"requirement": identity.pk, "file": photo_upload("ro.jpg")}
    )
    sent = client.post(reverse("dossiers:submit", args=[dossier.pk]),
                       {"idempotency_key": "supp-1"})  # fmt: skip
    assert sent.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.PROCESSING
    client.force_login(staff.officer)
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Kết hôn" in page and "Vay vốn ngân hàng" in page and "ro.jpg" in page


def test_the_supplement_diff_reads_as_the_answers_do(client, submitted_dossier):
    """Issue 17: the diff showed stored values ("01, 00004, …", "True", ISO dates)."""
    agency = commune_centre()
    staff = agency_staff(agency)
    citizen = UserFactory()
    dossier = dossier_receive(dossier=submitted_dossier(citizen, agency=agency), actor=staff.officer)
    client.force_login(staff.officer)
    client.post(
        reverse("staff:act", args=[dossier.pk, "yeu-cau-bo-sung"]),
        {"fields": ["noi_cu_tru", "nguoi_yeu_cau"], "note": "Ghi lại nơi cư trú và ngày sinh."},
    )
    client.force_login(citizen)
    changed = edit_post(
        dossier, **{"f-noi_cu_tru.commune": "00008", "f-noi_cu_tru.line": "Số 2 Hoàng Hoa Thám",
                    "f-nguoi_yeu_cau.birth_date": "13/03/1985"}
    )  # fmt: skip
    client.post(reverse("dossiers:edit", args=[dossier.pk]), changed)
    assert client.post(reverse("dossiers:submit", args=[dossier.pk]), {"idempotency_key": "supp-2"}).status_code == 302
    client.force_login(staff.officer)
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    table = page[page.index("Tờ khai đã sửa") :]
    assert "Số 1 Liễu Giai, Phường Ba Đình, Thành phố Hà Nội" in table
    assert "Số 2 Hoàng Hoa Thám, Phường Ngọc Hà, Thành phố Hà Nội" in table
    assert "sinh ngày 13/03/1985" in table and "00008" not in table and "1985-03-13" not in table
