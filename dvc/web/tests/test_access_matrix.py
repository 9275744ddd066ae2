"""The access-control matrix over every URL and every API route.

Each route is classified below (a new route that is not fails the first test). Private ones are then requested as
an anonymous visitor, another citizen and an officer of another agency: each must be refused without showing
the dossier and without changing anything. The owner and the dossier's own agency are let in, so the test can
tell a refusal from a broken page.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dvc.accounts.services import api_token_create
from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.models import AuditEntry, DossierAttachment, DossierEvent
from dvc.dossiers.tests.factories import agency_staff, commune_centre

pytestmark = pytest.mark.django_db

# Open to everyone (pages, callbacks checked by signature, the sandbox gateway outside production).
PUBLIC = {
    "web:home", "web:health", "web:language", "accounts:register", "accounts:login", "accounts:password_reset", "agencies:list",
    "agencies:detail", "catalog:home", "catalog:detail", "catalog:printable_form", "catalog:template",
    "dossiers:lookup", "staff:verify", "payments:by_code", "payments:vnpay_return", "payments:vnpay_ipn",
    "payments:sandbox_pay", "payments:sandbox_api", "stats:public", "captcha-image", "captcha-image-2x",
    "captcha-audio", "captcha-refresh", "set_language", "admin_login", "api:openapi-json", "api:openapi-view",
    "api:register", "api:login", "api:verify", "api:resend", "api:password_reset", "api:password_reset_confirm",
    "api:admin_units", "api:agencies", "api:procedures", "api:procedure", "api:validate_form", "api:sectors",
    "api:life_events", "api:lookup", "api:stats", "api:api-root",
}  # fmt: skip
# A signed-in person's own things, with no object in the address: nothing of anyone else's can be asked for.
OWN = {
    "accounts:logout", "accounts:profile", "accounts:password_change", "accounts:phone_change", "dossiers:start",
    "dossiers:mine", "vault:mine", "api:logout", "api:me", "api:my_dossiers", "api:create",
}  # fmt: skip
# Bound to the browser that started them (tested in accounts and payments): a challenge or a payment by code.
SESSION_BOUND = {"accounts:otp", "accounts:otp_resend", "payments:by_code_start"}
# A citizen's dossier, by its id in the address (and the dossier's vault file and payment receipt).
CITIZEN = {
    "dossiers:detail", "dossiers:edit", "dossiers:upload", "dossiers:attachment", "dossiers:remove_attachment",
    "dossiers:printable", "dossiers:signed_form", "dossiers:remote_sign_start", "dossiers:remote_sign",
    "dossiers:use_from_vault", "dossiers:submit", "dossiers:receipt", "dossiers:withdraw", "dossiers:result",
    "dossiers:rate", "payments:pay_mine", "payments:receipt", "vault:download",
}  # fmt: skip
# Staff pages: the agency's own officers only.
STAFF = {
    "staff:queue", "staff:intake", "staff:register", "staff:detail", "staff:act", "staff:attachment",
    "staff:document", "stats:report",
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
                                        "status", "dossier_queue", "dossier_detail", "dossier_act")}  # fmt: skip
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
        "payments:pay_mine": f"/ho-so/{d.pk}/thanh-toan/",
        "payments:receipt": "/bien-lai/BL-000001/",
        "vault:download": f"/kho-du-lieu/{a.stored_file_id}/",
    }


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
    for name in ("staff:queue", "staff:detail", "staff:attachment", "staff:document", "stats:report"):
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
