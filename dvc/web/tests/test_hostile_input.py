"""Hostile input: script and SQL payloads in every filter and form field come back escaped (or are refused) and
never as a server error; attack files are refused at upload; the security headers are on every page; Django's
deployment check has nothing to say about the production settings."""

from __future__ import annotations

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

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.decision import dossier_refuse
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.citizen.papers import dossier_attach
from dvc.dossiers.models import DossierAttachment
from dvc.dossiers.tests.factories import MARITAL_ANSWERS, agency_staff, commune_centre
from dvc.errors import InvalidInput
from dvc.vault import inspection

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
SQLI = "' OR '1'='1' --; DROP TABLE dossiers_dossier; --"
RAW = ("<script>alert(1)</script>", "<img src=x onerror")


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
