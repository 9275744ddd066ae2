import pytest

from dvc.web.demo import MARITAL_ANSWERS

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_search_with_filters_and_pagination(client):
    body = client.get(f"{API}/procedures", {"q": "dang ky", "page_size": 5}).json()
    assert body["count"] > 5 and body["pages"] > 1 and len(body["results"]) == 5
    second = client.get(f"{API}/procedures", {"q": "dang ky", "page_size": 5, "page": 2}).json()
    assert {r["code"] for r in body["results"]}.isdisjoint({r["code"] for r in second["results"]})
    only = client.get(f"{API}/procedures", {"q": "DANG KY KET HON"}).json()
    assert only["results"][0]["code"] == "1.000894"
    assert client.get(f"{API}/procedures", {"sector": "cu-tru"}).json()["count"] == 5


def test_procedure_detail_has_requirements_schema_and_fees(client):
    body = client.get(f"{API}/procedures/1.004222").json()
    assert body["name"] == "Đăng ký thường trú"
    assert body["fees"][0]["amount"] == 20000 and body["fees"][0]["online_amount"] == 10000
    assert body["requirements"][0]["template_url"].endswith(f"/thu-tuc/1.004222/mau/{body['requirements'][0]['id']}/")
    assert body["form_schema"]["fields"]


def test_unknown_procedure_is_a_json_404(client):
    response = client.get(f"{API}/procedures/9.999999")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("params", [{"page": 0}, {"page": "abc"}, {"page_size": 1000}])
def test_bad_paging_is_a_422(client, params):
    response = client.get(f"{API}/procedures", params)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_form_validation_endpoint_uses_the_same_rules(client):
    url = f"{API}/procedures/1.004873/form/validate"
    bad = client.post(url, {"answers": {"dien_thoai": "0123"}}, content_type="application/json")
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert "Số điện thoại di động không hợp lệ" in errors["dien_thoai"][0]
    assert "nguoi_yeu_cau.full_name" in errors and "cam_doan" in errors
    answers = MARITAL_ANSWERS
    good = client.post(url, {"answers": answers}, content_type="application/json")
    assert good.status_code == 200 and good.json()["answers"]["dien_thoai"] == "+84987000001"


def test_sectors_and_life_events(client):
    assert {"code": "ho-tich", "name": "Hộ tịch"} in client.get(f"{API}/sectors").json()
    assert "sinh-con" in {e["code"] for e in client.get(f"{API}/life-events").json()}


def test_a_database_outage_is_a_503_with_a_time_to_retry(client, monkeypatch):
    from django.db import OperationalError

    from dvc.catalog import selectors

    def down():
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(selectors, "sectors", down)
    response = client.get("/api/v1/sectors")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["code"] == "unavailable" and "thử lại" in response.json()["message"]
