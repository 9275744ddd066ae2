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
    from django.db import connections
    from django.db.utils import load_backend

    dead = {"ENGINE": "django.db.backends.postgresql", "NAME": "dvc", "HOST": "127.0.0.1", "PORT": str(free_port()),
            "USER": "postgres", "OPTIONS": {"connect_timeout": 1}}  # fmt: skip
    configured = connections.configure_settings({"default": dict(settings.DATABASES["default"]), "replica": dead})
    wrapper = load_backend(dead["ENGINE"]).DatabaseWrapper(configured["replica"], "replica")
    monkeypatch.setattr(connections._connections, "replica", wrapper, raising=False)
    settings.DATABASES = {**settings.DATABASES, "replica": dead}
    monkeypatch.setattr(db_router, "_down_until", 0.0)
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
