"""Issue 20, part 4: with a streaming replica configured, the public catalog, agency and statistics reads go to it;
accounts, sessions and dossiers never do; a client that just wrote reads the primary; a replica that fails is left
alone and the request is answered from the primary. (The real replica is exercised by ``bench/replica.py``.)"""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from dvc import db_router
from dvc.accounts.models import User
from dvc.agencies.models import Agency
from dvc.catalog.models import Procedure
from dvc.dossiers.models import Dossier
from dvc.stats.models import DailyFigure
from dvc.web.middleware import ReplicaReadsMiddleware

ROUTER = db_router.ReplicaRouter()
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica(settings, monkeypatch):
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    monkeypatch.setattr(db_router, "_down_until", 0.0)
    monkeypatch.setattr(db_router, "_probed", (-db_router.PROBE_SECONDS, True))


def _through(request, view=None):
    """Run ``request`` through the middleware; the view records where the models would be read."""
    seen = {}

    def answer(req):
        seen.update(
            {model.__name__: ROUTER.db_for_read(model) for model in (Procedure, Agency, DailyFigure, User, Dossier)}
        )
        return (view or (lambda r: HttpResponse("ok")))(req)

    return ReplicaReadsMiddleware(answer)(request), seen


def test_public_reads_go_to_the_replica_and_personal_data_never_does(with_replica):
    response, seen = _through(RequestFactory().get("/api/v1/procedures", {"q": "khai sinh"}))
    assert response.status_code == 200
    assert seen == {
        "Procedure": "replica",
        "Agency": "replica",
        "DailyFigure": "replica",
        "User": "default",
        "Dossier": "default",
    }
    for path in ("/thu-tuc/1.001193/", "/thong-ke/", "/co-quan/", "/api/v1/stats", "/api/v1/agencies"):
        assert _through(RequestFactory().get(path))[1]["Procedure"] == "replica", path
    for path in ("/tra-cuu/", "/api/v1/lookup/X", "/ho-so/", "/can-bo/", "/api/v1/dossiers"):
        assert _through(RequestFactory().get(path))[1]["Procedure"] == "default", path
    assert ROUTER.db_for_write(Procedure) == "default" and ROUTER.allow_migrate("replica", "catalog") is False


def test_without_a_replica_everything_reads_the_primary_and_no_cookie_is_set():
    _response, seen = _through(RequestFactory().get("/api/v1/procedures"))
    assert set(seen.values()) == {"default"}
    assert db_router.COOKIE not in _through(RequestFactory().post("/dang-nhap/"))[0].cookies


def test_a_client_that_wrote_reads_the_primary_for_a_while(with_replica):
    wrote, _seen = _through(RequestFactory().post("/ho-so/moi/"))
    cookie = wrote.cookies[db_router.COOKIE]
    assert cookie["max-age"] == db_router.PRIMARY_AFTER_WRITE and cookie["httponly"]
    after = RequestFactory().get("/thu-tuc/")
    after.COOKIES[db_router.COOKIE] = cookie.value
    assert _through(after)[1]["Procedure"] == "default"
    stale = RequestFactory().get("/thu-tuc/")
    stale.COOKIES[db_router.COOKIE] = "1000"  # long past
    assert _through(stale)[1]["Procedure"] == "replica"


@pytest.fixture
def dead_replica(db, settings, monkeypatch, free_port):
    """A replica configured on a port where nothing listens: every query on it fails to connect. (The connection is
    made here, outside Django's configured aliases, which the test database guard would refuse.)"""
    dead = {"ENGINE": "django.db.backends.postgresql", "NAME": "dvc", "HOST": "127.0.0.1", "PORT": str(free_port()),
            "USER": "postgres", "OPTIONS": {"connect_timeout": 1}}  # fmt: skip
    yield from _replica_at(dead, settings, monkeypatch)


def _replica_at(replica, settings, monkeypatch):
    """Configure ``replica`` as the replica alias for one test, its connection made outside the guarded aliases."""
    from django.db import connections
    from django.db.utils import load_backend

    configured = connections.configure_settings({"default": dict(settings.DATABASES["default"]), "replica": replica})
    wrapper = load_backend(replica["ENGINE"]).DatabaseWrapper(configured["replica"], "replica")
    monkeypatch.setattr(connections._connections, "replica", wrapper, raising=False)
    settings.DATABASES = {**settings.DATABASES, "replica": replica}
    monkeypatch.setattr(db_router, "_down_until", 0.0)
    monkeypatch.setattr(db_router, "_probed", (-db_router.PROBE_SECONDS, True))
    yield
    wrapper.close()


def test_a_failing_replica_is_left_alone_and_the_request_answered_from_the_primary(client, dead_replica):
    api = client.get("/api/v1/procedures/1.004873")
    assert api.status_code == 200 and api.json()["code"] == "1.004873"
    assert not db_router.replica_available()  # left alone for DOWN_SECONDS in this process
    page = client.get("/thu-tuc/1.004873/")
    assert page.status_code == 200 and "1.004873" in page.content.decode()
    db_router._down_until = 0.0  # the pause is over: the page tries the replica again, fails, reads the primary
    page = client.get("/thu-tuc/1.001193/")
    assert page.status_code == 200 and "1.001193" in page.content.decode() and not db_router.replica_available()


@pytest.fixture
def live_replica(db, settings, monkeypatch):
    """A replica that answers: a second connection to the test database (made as ``dead_replica``'s is)."""
    yield from _replica_at(dict(settings.DATABASES["default"]), settings, monkeypatch)


def test_a_503_that_was_not_the_replicas_does_not_leave_a_healthy_replica_alone(live_replica):
    """Review finding: any 503 on a public read marked the replica down for 15 s (an object store that did not
    answer, the primary restarting). The request is answered again from the primary; a replica that answers a
    query is kept."""
    tries = []

    def flaky(request):
        tries.append(db_router.replica_reading())
        if len(tries) == 1:
            request.database_failed = True  # what the 503 handlers say when a database failed
            return HttpResponse("Hệ thống đang bận", status=503)
        return HttpResponse("ok")

    response, _seen = _through(RequestFactory().get("/thu-tuc/1.004873/"), view=flaky)
    assert response.status_code == 200 and tries == [True, False]  # the replica first, then the primary
    assert db_router.replica_available()  # it answered the check: not left alone


def test_an_object_store_failure_is_not_retried_as_a_database_failure(client, monkeypatch):
    from botocore.exceptions import EndpointConnectionError

    from dvc.web.middleware import DatabaseUnavailableMiddleware

    request = RequestFactory().get("/thu-tuc/1.004873/")
    response = DatabaseUnavailableMiddleware(lambda r: HttpResponse())(request)
    assert response.status_code == 200
    failed = DatabaseUnavailableMiddleware(lambda r: HttpResponse()).process_exception(
        request, EndpointConnectionError(endpoint_url="http://127.0.0.1:9")
    )
    assert failed is not None and failed.status_code == 503 and request.database_failed is False
