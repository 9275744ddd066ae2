"""The access-control matrix over every URL and every API route.

Each route is classified below (a new route that is not fails the first test). Private ones are then requested as
an anonymous visitor, another citizen and an officer of another agency: each must be refused without showing
the dossier and without changing anything. The owner and the dossier's own agency are let in, so the test can
tell a refusal from a broken page.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.db.models.fields.files import FieldFile
from django.urls import URLPattern, URLResolver, get_resolver

from dvc.accounts.models import User
from dvc.accounts.services import api_token_create
from dvc.accounts.tests import test_account_claim as account_claim
from dvc.accounts.tests.factories import UserFactory
from dvc.accounts.tests.test_account_claim import RECORDED_PHONE, WALK_IN, register, sms_to
from dvc.accounts.tests.test_registration import form_data as registration_form
from dvc.agencies.models import StaffRole
from dvc.agencies.services import staff_role_grant
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.models import AuditEntry, DossierAttachment, DossierEvent
from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre
from dvc.payments.models import PaymentAttempt
from dvc.payments.tests.test_ipn import started
from dvc.payments.tests.test_payment_sabotage import CAPTCHA

pytestmark = pytest.mark.django_db
walked_in = account_claim.walked_in  # the fixture: a citizen's account made at the counter, not claimed yet

# Open to everyone (pages, callbacks checked by signature, the sandbox gateway outside production).
PUBLIC = {
    "web:home", "web:health", "web:ready",
    # /metrics answers a Bearer token (DVC_METRICS_TOKEN) only, tested in test_observability.
    "web:metrics", "web:language", "web:help", "web:help_topic", "web:privacy", "web:accessibility",
    "accounts:register", "accounts:login", "accounts:password_reset", "agencies:list",
    "agencies:detail", "catalog:home", "catalog:detail", "catalog:printable_form", "catalog:template",
    "dossiers:lookup", "staff:verify", "payments:by_code", "payments:vnpay_return", "payments:vnpay_ipn",
    "payments:sandbox_pay", "payments:sandbox_api", "stats:public", "captcha-image", "captcha-image-2x",
    "captcha-audio", "captcha-refresh", "set_language", "admin_login", "api:openapi-json", "api:openapi-view",
    "api:register", "api:login", "api:verify", "api:resend", "api:password_reset", "api:password_reset_confirm",
    "api:admin_units", "api:agencies", "api:procedures", "api:procedure", "api:validate_form", "api:sectors",
    "api:life_events", "api:lookup", "api:stats", "api:api-root",
    "accounts:identity_login", "accounts:identity_callback", "api:identity_token", "vault:signature_login",
    "dossiers:result_by_link",  # the result by a signed link that expires (the result-ready message's)
    "feedback:list", "feedback:ask", "feedback:answer",
    # The development identity provider (outside production only): OpenID Connect endpoints, checked by protocol.
    "dev_idp:root", "dev_idp:discovery", "dev_idp:jwks", "dev_idp:authorize", "dev_idp:token", "dev_idp:userinfo",
    "dev_idp:end_session",
    # The CSC sandbox (outside production only): answers the portal's bearer token, not a person's session.
    "csc_sandbox:info", "csc_sandbox:credentials_list", "csc_sandbox:credentials_info", "csc_sandbox:send_otp",
    "csc_sandbox:authorize", "csc_sandbox:sign_hash",
    # The exchange: inbound messages checked by their Ed25519 signature, files by a signed address that expires.
    "exchange:inbound", "exchange:file",
    # The exchange sandbox (outside production only): plays the platform and the agencies outside the portal.
    "exchange_sandbox:cases", "exchange_sandbox:platform", "exchange_sandbox:act", "exchange_sandbox:lose",
    "exchange_sandbox:file",
}  # fmt: skip
# A signed-in person's own things, with no object in the address: nothing of anyone else's can be asked for.
OWN = {
    "accounts:logout", "accounts:profile", "accounts:password_change", "accounts:phone_change", "dossiers:start",
    "dossiers:mine", "vault:mine", "api:logout", "api:me", "api:my_dossiers", "api:create", "web:landing",
    "api:signing_providers", "accounts:authenticator", "notify:inbox", "feedback:mine",
}  # fmt: skip
# Bound to the browser that started them (tested in accounts and payments): a challenge or a payment by code.
SESSION_BOUND = {
    "accounts:otp",
    "accounts:otp_resend",
    "payments:by_code_start",
    "accounts:identity_confirm",
    "vault:signature_login_confirm",
    "accounts:otp_other",
    "accounts:otp_app",
    "feedback:confirm",
}
# A citizen's dossier, by its id in the address (and the dossier's vault file and payment receipt).
CITIZEN = {
    "dossiers:detail", "dossiers:edit", "dossiers:section", "dossiers:upload", "dossiers:attachment", "dossiers:remove_attachment",
    "dossiers:printable", "dossiers:signed_form", "dossiers:remote_sign_start", "dossiers:remote_sign",
    "dossiers:use_from_vault", "dossiers:submit", "dossiers:receipt", "dossiers:withdraw", "dossiers:result",
    "dossiers:rate", "payments:pay_mine", "payments:receipt", "vault:download", "vault:remove",
    "dossiers:on_behalf", "dossiers:owner_notifications", "dossiers:refusal",
}  # fmt: skip
# Staff pages: the agency's own officers only.
STAFF = {
    "staff:queue", "staff:intake", "staff:register", "staff:detail", "staff:act", "staff:attachment",
    "staff:document", "stats:report", "staff:view_document", "staff:document_page", "staff:view_attachment",
    "staff:attachment_page", "staff:civil_register", "staff:postal_handover",
    "staff:batch", "feedback:staff_list", "feedback:staff_detail",
}  # fmt: skip
API_CITIZEN = ("/api/v1/dossiers/{id}", "/api/v1/dossiers/{id}/")  # every route under a dossier id
API_STAFF = "/api/v1/backoffice/"
REFUSED = {302, 401, 403, 404, 405}


def _named_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":  # the admin site has its own permission checks (test_admin_scope)
                    continue
                walk(pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_route_is_classified():
    classified = PUBLIC | OWN | SESSION_BOUND | CITIZEN | STAFF
    api_private = {"api:" + n for n in ("detail", "patch", "attach", "submit", "withdraw", "history", "receipt",
                                        "supplement_request", "send_supplement", "rating", "result", "start",
                                        "status", "dossier_queue", "dossier_search", "dossier_detail",
                                        "dossier_act", "declaration", "upload_signed_form", "remote_signing_start",
                                        "remote_signing_status", "remote_signing_confirm", "set_owner", "clear_owner",
                                        "owner_authorization")}  # fmt: skip
    assert _named_routes() - classified - api_private == set()


@pytest.fixture
def world(submitted_dossier):
    """A citizen's dossier at agency A, received and assigned; agency B's officer; another citizen."""
    agency = commune_centre()
    staff = agency_staff(agency)
    owner = UserFactory(full_name="Nguyễn Văn Chủ")
    dossier = submitted_dossier(owner, agency=agency)
    dossier = dossier_receive(dossier=dossier, actor=staff.officer)
    other_agency = commune_centre(code="000.09.09.H26")
    return {
        "dossier": dossier,
        "owner": owner,
        "staff": staff,
        "stranger": UserFactory(),
        "foreign_officer": agency_staff(other_agency).officer,
        "attachment": DossierAttachment.objects.get(dossier=dossier),
    }


def _citizen_urls(world) -> dict[str, str]:
    d, a = world["dossier"], world["attachment"]
    return {
        "dossiers:detail": f"/ho-so/{d.pk}/",
        "dossiers:edit": f"/ho-so/{d.pk}/sua/",
        "dossiers:section": f"/ho-so/{d.pk}/sua/to-khai/",
        "dossiers:upload": f"/ho-so/{d.pk}/dinh-kem/",
        "dossiers:attachment": f"/ho-so/{d.pk}/dinh-kem/{a.pk}/",
        "dossiers:remove_attachment": f"/ho-so/{d.pk}/dinh-kem/{a.pk}/xoa/",
        "dossiers:printable": f"/ho-so/{d.pk}/bieu-mau.pdf",
        "dossiers:signed_form": f"/ho-so/{d.pk}/ky-so/",
        "dossiers:remote_sign_start": f"/ho-so/{d.pk}/ky-so-tu-xa/",
        "dossiers:remote_sign": f"/ho-so/{d.pk}/ky-so-tu-xa/{uuid.uuid4()}/",
        "dossiers:use_from_vault": f"/ho-so/{d.pk}/dung-tu-kho/",
        "dossiers:submit": f"/ho-so/{d.pk}/gui/",
        "dossiers:receipt": f"/ho-so/{d.pk}/bien-nhan.pdf",
        "dossiers:withdraw": f"/ho-so/{d.pk}/rut/",
        "dossiers:result": f"/ho-so/{d.pk}/ket-qua/",
        "dossiers:rate": f"/ho-so/{d.pk}/danh-gia/",
        "dossiers:on_behalf": f"/ho-so/{d.pk}/nop-ho/",
        "dossiers:refusal": f"/ho-so/{d.pk}/van-ban-tu-choi.pdf",
        "dossiers:owner_notifications": f"/ho-so/{d.pk}/thong-bao-chu-ho-so/",
        "payments:pay_mine": f"/ho-so/{d.pk}/thanh-toan/",
        "payments:receipt": "/bien-lai/BL-000001/",
        "vault:download": f"/kho-du-lieu/{a.stored_file_id}/",
        "vault:remove": f"/kho-du-lieu/{a.stored_file_id}/xoa/",
    }


def _question_of(agency):
    """A question the dossier's agency must answer (an officer of another agency must not see it)."""
    from dvc.feedback.models import Question

    return Question.objects.create(
        agency=agency, asker_name="Nguyễn Văn Chủ", asker_phone="+84912000999", subject="Hỏi", body="Hỏi về hồ sơ",
        status=Question.Status.OPEN,
    )  # fmt: skip


def _staff_urls(world) -> dict[str, str]:
    d, a = world["dossier"], world["attachment"]
    return {
        "staff:queue": "/can-bo/",
        "staff:intake": "/can-bo/tiep-nhan-tai-quay/?thu_tuc=1.004873",
        "staff:register": "/can-bo/so-theo-doi/",
        "staff:detail": f"/can-bo/ho-so/{d.pk}/",
        "staff:act": f"/can-bo/ho-so/{d.pk}/xu-ly/tu-choi/",
        "staff:attachment": f"/can-bo/ho-so/{d.pk}/dinh-kem/{a.pk}/",
        "staff:document": f"/can-bo/ho-so/{d.pk}/van-ban/mau-01/",
        "stats:report": "/can-bo/bao-cao/",
        "staff:view_document": f"/can-bo/ho-so/{d.pk}/van-ban/du-thao/xem/",
        "staff:document_page": f"/can-bo/ho-so/{d.pk}/van-ban/du-thao/trang-1.png",
        "staff:view_attachment": f"/can-bo/ho-so/{d.pk}/dinh-kem/{a.pk}/xem/",
        "staff:attachment_page": f"/can-bo/ho-so/{d.pk}/dinh-kem/{a.pk}/trang-1.png",
        "staff:civil_register": "/can-bo/so-ho-tich/",
        "staff:postal_handover": "/can-bo/giao-buu-gui/",
        "staff:batch": "/can-bo/hang-loat/",
        "feedback:staff_list": "/can-bo/phan-anh-kien-nghi/",
        "feedback:staff_detail": f"/can-bo/phan-anh-kien-nghi/{_question_of(d.agency).pk}/",
    }


def _unchanged(world):
    dossier = world["dossier"]
    return (
        DossierEvent.objects.filter(dossier=dossier).count(),
        AuditEntry.objects.filter(dossier_id=dossier.pk).count(),
        type(dossier).objects.get(pk=dossier.pk).status,
    )


def _shows(response, world) -> bool:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return world["dossier"].code.encode() in body or "Nguyễn Văn Chủ".encode() in body


def test_citizen_pages_refuse_everyone_but_the_owner(client, world):
    urls = _citizen_urls(world)
    assert set(urls) == CITIZEN
    before = _unchanged(world)
    for who in (None, world["stranger"], world["foreign_officer"], world["staff"].officer):
        client.logout()
        if who is not None:
            client.force_login(who)
        for name, url in urls.items():
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code in REFUSED, (name, method.__name__, who, response.status_code)
                assert not _shows(response, world), (name, who)
                if who is None and response.status_code == 302:
                    assert response.url.startswith("/dang-nhap/"), name
    assert _unchanged(world) == before
    client.force_login(world["owner"])
    for name in ("dossiers:detail", "dossiers:attachment", "dossiers:printable", "dossiers:receipt"):
        assert client.get(urls[name]).status_code == 200, name


def test_staff_pages_refuse_citizens_and_other_agencies(client, world):
    urls = _staff_urls(world)
    assert set(urls) == STAFF
    before = _unchanged(world)
    for who in (None, world["owner"], world["stranger"], world["foreign_officer"]):
        client.logout()
        if who is not None:
            client.force_login(who)
        for name, url in urls.items():
            dossier_page = str(world["dossier"].pk) in url
            for method in (client.get, client.post):
                response = method(url, {"reason": "Thử xâm nhập"}) if method == client.post else method(url)
                if dossier_page or who is None or who != world["foreign_officer"]:
                    assert response.status_code in REFUSED, (name, method.__name__, who, response.status_code)
                assert not _shows(response, world), (name, who)
    assert _unchanged(world) == before
    client.force_login(world["staff"].officer)
    for name in (
        "staff:queue", "staff:detail", "staff:attachment", "staff:document", "stats:report", "staff:view_attachment",
        "staff:civil_register", "staff:postal_handover",
    ):  # fmt: skip
        assert client.get(urls[name]).status_code == 200, name


def _api_operations(client) -> list[tuple[str, str]]:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [(path, method) for path, methods in paths.items() for method in methods if "{dossier_id}" in path]


def test_api_routes_under_a_dossier_refuse_everyone_but_the_owner_and_its_agency(client, world):
    dossier = world["dossier"]
    operations = _api_operations(client)
    assert len(operations) >= 15
    before = _unchanged(world)
    tokens = {
        "anonymous": None,
        "stranger": api_token_create(user=world["stranger"]),
        "foreign officer": api_token_create(user=world["foreign_officer"]),
    }
    for who, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for path, method in operations:
            url = re.sub(r"\{action\}", "refuse", path.replace("{dossier_id}", str(dossier.pk)))
            response = getattr(client, method)(url, data={}, content_type="application/json", headers=headers)
            assert response.status_code in REFUSED | {422}, (who, method, path, response.status_code)
            assert not _shows(response, world), (who, method, path)
    assert _unchanged(world) == before
    owner = {"Authorization": f"Bearer {api_token_create(user=world['owner'])}"}
    assert client.get(f"/api/v1/dossiers/{dossier.pk}", headers=owner).json()["code"] == dossier.code
    officer = {"Authorization": f"Bearer {api_token_create(user=world['staff'].officer)}"}
    assert client.get(f"/api/v1/backoffice/dossiers/{dossier.pk}", headers=officer).json()["code"] == dossier.code
    queue = client.get("/api/v1/backoffice/dossiers", headers={"Authorization": f"Bearer {tokens['foreign officer']}"})
    assert dossier.code not in queue.content.decode()
    search = {"q": "Nguyễn Văn Chủ"}  # the search by name (POST): another agency finds nothing, a citizen is refused
    for who, token in tokens.items():
        found = client.post("/api/v1/backoffice/dossiers/search", search, content_type="application/json",
                            headers={"Authorization": f"Bearer {token}"} if token else {})  # fmt: skip
        assert (found.status_code in REFUSED or who == "foreign officer") and dossier.code not in found.content.decode()
    found = client.post("/api/v1/backoffice/dossiers/search", search, content_type="application/json", headers=officer)
    assert [row["code"] for row in found.json()["results"]] == [dossier.code]


# Issue 15 acceptance: the access findings, each as a matrix of who asks and what they get.


@pytest.mark.parametrize("via", ["page", "api"])
def test_walking_through_dossier_codes_is_answered_429_and_the_code_alone_shows_no_one(client, submitted_dossier,
                                                                                      settings, via):  # fmt: skip
    """Issue 15, finding 6: sequential codes could be walked through, each showing a name and a procedure."""
    settings.DVC_LOOKUP_PER_CLIENT = 3
    dossier = submitted_dossier(UserFactory(full_name="Nguyễn Văn Chủ"))
    hidden = (dossier.procedure.name, "Nguyễn V*** C", "Nguyễn Văn Chủ")

    def ask(code: str, security_code: str = "", ip: str = "203.0.113.7") -> tuple[int, str]:
        if via == "api":
            answer = client.get(f"/api/v1/lookup/{code}", {"security_code": security_code}, REMOTE_ADDR=ip)
            return answer.status_code, json.dumps(answer.json(), ensure_ascii=False)
        answer = client.get("/tra-cuu/", {"ma": code, "bm": security_code}, REMOTE_ADDR=ip)
        return answer.status_code, answer.content.decode()

    prefix = dossier.code.rsplit("-", 1)[0]
    walked = [ask(f"{prefix}-{n:04d}") for n in range(2)] + [ask(dossier.code)]
    assert walked[-1][0] == 200 and "Đã gửi, chờ tiếp nhận" in walked[-1][1]  # found: its status only
    assert 429 not in [code for code, _text in walked]
    assert not any(private in text for _code, text in walked for private in hidden)
    code, text = ask(dossier.code, dossier.security_code)  # even the right security code waits now
    assert code == 429 and "Bạn tra cứu quá nhiều lần" in text and not any(private in text for private in hidden)
    code, text = ask(dossier.code, dossier.security_code, ip="198.51.100.7")  # the limit is the walker's own
    assert code == 200 and "Nguyễn V*** C" in text


def _change_form(client, url: str) -> dict:
    """Every field of a procedure's change form, as the admin page fills it (main form and inline formsets)."""
    page = client.get(url)
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    return {
        form.add_prefix(name): value
        for form in forms
        for name in form.fields
        if (value := form[name].value()) is not None and value is not False and not isinstance(value, FieldFile)
    }


@pytest.fixture
def catalog_admin(client):
    """Agency A's catalog administrator; procedure 2.000815 as a system administrator's form would post it."""
    mine, theirs = commune_centre(code="000.21.01.H26"), commune_centre(code="000.21.02.H26")
    admin_user = UserFactory()
    staff_role_grant(user=admin_user, agency=mine, role=StaffRole.Role.AGENCY_ADMIN)
    procedure = Procedure.objects.get(code="2.000815")
    url = f"/quan-tri/catalog/procedure/{procedure.pk}/change/"
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    procedure.agencies.add(mine)
    form = _change_form(client, url)
    client.force_login(admin_user)
    return {"procedure": procedure, "url": url, "form": form, "mine": mine, "theirs": theirs}


def _national(procedure: Procedure) -> tuple:
    procedure.refresh_from_db()
    fees = list(procedure.fees.values_list("amount", "tier_amount", "max_amount"))
    return procedure.name, procedure.legal_basis, fees, set(procedure.agencies.all())


def test_an_agency_admin_cannot_change_a_procedure_another_agency_also_handles(client, catalog_admin):
    """Issue 15, finding 8: an agency admin could rename, re-fee or detach a procedure shared with another agency."""
    procedure, url, form = catalog_admin["procedure"], catalog_admin["url"], catalog_admin["form"]
    procedure.agencies.add(catalog_admin["theirs"])
    before = _national(procedure)
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # read-only
    attempt = {**form, "name": "Đổi tên", "agencies": [catalog_admin["mine"].pk], "fees-0-amount": "1", "_save": "1"}
    assert client.post(url, attempt).status_code == 403
    assert _national(procedure) == before


def test_an_agency_admin_saving_their_own_procedure_changes_neither_fees_nor_legal_basis(client, catalog_admin):
    """Fees and the legal basis are national: a forged post of them is ignored while the rest of the save holds."""
    procedure, url, form = catalog_admin["procedure"], catalog_admin["url"], catalog_admin["form"]
    name, legal_basis, fees, agencies = _national(procedure)
    page = client.get(url).content.decode()
    assert 'name="_save"' in page and 'name="legal_basis"' not in page and 'name="fees-0-amount"' not in page
    forged = {"legal_basis": "Quyết định giả mạo", "fees-0-amount": "1", "fees-0-max_amount": "1"}
    saved = client.post(url, {**form, **forged, "name": name + " (cập nhật)", "_save": "1"})
    assert saved.status_code == 302  # the save itself went through: the name they may edit changed
    assert _national(procedure) == (name + " (cập nhật)", legal_basis, fees, agencies)
    widened = client.post(url, {**form, "agencies": [catalog_admin["mine"].pk, catalog_admin["theirs"].pk]})
    assert widened.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in widened.content.decode()
    assert _national(procedure)[3] == agencies  # another agency cannot be attached either


WALK_IN_PHONES = {"": "0988777661", "AAAA-AAAA": "0988777662"}


def _blanked(text: str, phone: str) -> str:
    """An answer with what differs between any two registrations blanked: the phone typed, the challenge, times."""
    text = text.replace(f"{phone[:3]}****{phone[-3:]}", "<the phone typed>")
    return re.sub(r'[0-9a-f-]{36}|value="[A-Za-z0-9]{64}"|"expires_at": "[^"]+"', "<x>", text)


@pytest.mark.parametrize("claim_code", list(WALK_IN_PHONES))
@pytest.mark.parametrize("via", ["page", "api"])
def test_a_counter_made_account_is_not_taken_over_without_the_claim_code(client, walked_in, outbox, tasks, via,
                                                                        claim_code):  # fmt: skip
    """Issue 15, finding 1: registering with a walk-in citizen's id number took over the account and dossiers."""
    before = User.objects.values().get(id_number=WALK_IN)

    def register_as(id_number: str, phone: str) -> tuple[int, str]:
        if via == "api":
            answer = register(client, id_number, phone, claim_code=claim_code)
            return answer.status_code, _blanked(json.dumps(answer.json(), ensure_ascii=False), phone)
        form = registration_form(id_number=id_number, phone=phone, sex="female", claim_code=claim_code)
        answer = client.post("/dang-ky/", form)
        assert answer.status_code == 302, id_number
        return answer.status_code, _blanked(client.get(answer.url).content.decode(), phone)

    phone = WALK_IN_PHONES[claim_code]
    known, unknown = register_as(WALK_IN, phone), register_as("001185008888", "0977666555")
    assert known == unknown and "<the phone typed>" in known[1]  # the same answer as for a number nobody has
    assert sms_to(outbox, tasks, "+84" + phone[1:]) == []  # yet no code reaches the newcomer's phone
    assert not [body for body in sms_to(outbox, tasks, RECORDED_PHONE) if "kích hoạt" in body]
    assert User.objects.values().get(id_number=WALK_IN) == before


def test_a_payment_for_someone_elses_dossier_cannot_be_started_without_its_security_code(client):
    """Issue 15, finding 5: anyone with the dossier code could start a payment and spoil the applicant's."""
    dossier = DossierFactory(unpaid=True, fees=[36000])
    mine = started(dossier)  # the applicant is at the gateway
    stranger = UserFactory()
    for who in (None, stranger):
        client.logout()
        if who is not None:
            client.force_login(who)
        client.post("/thanh-toan/", {"code": dossier.code, "security_code": "AAAAAA", **CAPTCHA})  # a wrong guess
        assert client.post(f"/thanh-toan/{dossier.pk}/").status_code == 404, who
    assert client.post(f"/ho-so/{dossier.pk}/thanh-toan/").status_code == 404
    bearer = {"Authorization": f"Bearer {api_token_create(user=stranger)}"}
    assert client.post(f"/api/v1/dossiers/{dossier.pk}/payments", headers=bearer).status_code == 404
    mine.refresh_from_db()
    assert list(PaymentAttempt.objects.filter(dossier=dossier)) == [mine] and mine.status == "pending"
    client.force_login(dossier.applicant)
    assert client.post(f"/ho-so/{dossier.pk}/thanh-toan/").status_code == 302  # the applicant still can
    assert PaymentAttempt.objects.filter(dossier=dossier).count() == 2
