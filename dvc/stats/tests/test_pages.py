"""The public statistics: page, home widget, procedure page, API, and the rebuild command."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dvc.catalog.models import Procedure
from dvc.dossiers.tests.factories import commune_centre

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures_today():
    from dvc.stats.services import counts_add, open_count_change

    agency = commune_centre(name="Trung tâm PVHCC phường Ba Đình")
    procedure = Procedure.objects.get(code="1.004873")
    counts_add(timezone.localdate(), agency.pk, procedure.pk, received_online=9, received_counter=1, processed=8, early=5,
         on_time=2, late=1, processing_days=16, rated=2, overall_sum=9, timeliness_sum=10, attitude_sum=8,
         publicity_sum=9)  # fmt: skip
    open_count_change(agency.pk, procedure.pk, timezone.localdate() - dt.timedelta(days=3), +1)
    return agency


def test_the_public_page_shows_the_figures_with_a_chart_and_its_table(client, figures_today):
    html = client.get(reverse("stats:public")).content.decode()
    assert "Thành phố Hà Nội" in html  # the whole country: one row per province
    html = client.get(reverse("stats:public") + "?tinh=01").content.decode()
    assert "Trung tâm PVHCC phường Ba Đình" in html
    assert "12,5%" in html  # late rate 1/8, written the Vietnamese way
    assert "<svg" in html and 'aria-describedby="bang-co-quan"' in html and 'id="bang-co-quan"' in html
    assert "Cập nhật lúc" in html and "90,0%" in html  # satisfaction 4.5/5
    other = client.get(reverse("stats:public") + "?tinh=24").content.decode()
    assert "Chưa có số liệu" in other
    bad = client.get(reverse("stats:public") + "?tu_thang=abc&cap=xyz&tinh=<script>")
    assert bad.status_code == 200 and "<script>" not in bad.content.decode().split("<main")[1].split("</main>")[0]


def test_home_widget_and_procedure_page(client, figures_today):
    home = client.get("/").content.decode()
    assert "Kết quả giải quyết TTHC năm" in home and "Tỉ lệ trễ hạn" in home and "12,5%" in home
    page = client.get(reverse("catalog:detail", args=["1.004873"])).content.decode()
    assert "Thực tế thường mất khoảng 2,0 ngày làm việc" in page


def test_the_api(client, figures_today):
    body = client.get("/api/v1/stats?province=01").json()
    assert body["totals"]["processed"] == 8 and body["totals"]["late_rate"] == 12.5
    assert body["totals"]["in_progress"] == 1 and body["totals"]["overdue"] == 1
    assert body["agencies"][0]["agency"] == figures_today.code
    assert client.get("/api/v1/stats?month_from=nope").status_code == 422
    assert client.get("/api/v1/stats").json()["totals"]["processed"] == 8


def test_filters_with_control_characters_are_ignored_not_a_server_error(client, figures_today):
    """Found by the API fuzzer on PostgreSQL: a NUL byte in a filter reached the query and answered 500."""
    for name in ("sector", "province", "agency", "procedure"):
        response = client.get(f"/api/v1/stats?{name}=%05%07o%C2%99%00%5E")
        assert response.status_code == 200, (name, response.content[:200])
    page = client.get(reverse("stats:public") + "?linh_vuc=%00x&tinh=0%001")
    assert page.status_code == 200


def test_the_rebuild_command_reports_agreement(submitted_dossier, capsys):
    from dvc.accounts.tests.factories import UserFactory

    submitted_dossier(UserFactory())
    call_command("rebuild_stats")
    assert "agree" in capsys.readouterr().out
