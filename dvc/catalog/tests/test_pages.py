import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db
HOME = reverse("catalog:home")


def result_titles(html):
    return re.findall(r'class="result-title" href="[^"]+">([^<]+)', html)


def test_any_procedure_is_within_3_clicks_of_the_home_page(client):
    from dvc.catalog.models import Procedure

    home = client.get("/").content.decode()
    tiles = set(re.findall(r'href="(/thu-tuc/\?su_kien=[^"]+)"', home))
    assert tiles
    reachable = set()
    for tile in tiles:  # click 1: a life-event tile; click 2: the procedure
        reachable |= set(
            re.findall(r'href="/thu-tuc/([0-9.A-Z]+)/"', client.get(tile.replace("&amp;", "&")).content.decode())
        )
    catalog = client.get(HOME).content.decode()
    for sector_link in set(re.findall(r'href="(/thu-tuc/\?linh_vuc=[^"]+)"', catalog)):  # via "Thủ tục" → sector
        reachable |= set(re.findall(r'href="/thu-tuc/([0-9.A-Z]+)/"', client.get(sector_link).content.decode()))
    assert set(Procedure.objects.values_list("code", flat=True)) <= reachable


def test_search_from_the_home_page(client):
    html = client.get(HOME, {"q": "dang ky ket hon"}).content.decode()
    assert result_titles(html)[0] == "Đăng ký kết hôn"
    assert "Tìm thấy 2 thủ tục" in html


def test_no_hit_says_so_and_suggests_removing_filters(client):
    html = client.get(HOME, {"q": "khai sinh", "cap": "province"}).content.decode()
    assert "Không tìm thấy thủ tục nào phù hợp" in html
    assert "Thử bỏ bộ lọc" in html and "?q=khai%20sinh" in html
    html = client.get(HOME, {"q": "xyzabc"}).content.decode()
    assert "Không tìm thấy thủ tục nào phù hợp" in html and "mã thủ tục" in html


def test_filters_by_agency_level(client):
    from dvc.agencies.tests.factories import AgencyFactory

    agency = AgencyFactory(level="province", kind="province_centre")
    titles = result_titles(client.get(HOME, {"co_quan": agency.code}).content.decode())
    assert "Cấp hộ chiếu phổ thông ở trong nước" in titles and "Đăng ký khai sinh" not in titles


def test_results_are_paginated_with_a_constant_number_of_queries(client, django_assert_max_num_queries, monkeypatch):
    from dvc.catalog import views

    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    with django_assert_max_num_queries(12):
        html = client.get(HOME, {"q": "dang ky"}).content.decode()
    assert "Trang 1/" in html and "trang=2" in html


def test_procedure_page_shows_every_published_part(client):
    html = client.get(reverse("catalog:detail", args=["2.000815"])).content.decode()
    for part in [
        "2.000815", "Chứng thực", "Cấp xã", "Ủy ban nhân dân cấp xã", "Một phần", "Cách thức nộp", "Nhận kết quả",
        "Trong ngày", "2.000 đồng/trang", "từ 3 trở đi: 1.000 đồng", "tối đa 200.000 đồng", "Thành phần hồ sơ",
        "Bản chính giấy tờ, văn bản làm cơ sở chứng thực bản sao", "Trình tự thực hiện", "Căn cứ pháp lý",
        "Nghị định 23/2015/NĐ-CP", "Bản sao có chứng thực", "Giấy tờ, chứng thực", "tệp PDF, JPG, PNG, tối đa 10 MB",
    ]:  # fmt: skip
        assert part in html, part


def test_submit_button_leads_to_login_for_visitors(client):
    html = client.get(reverse("catalog:detail", args=["1.001193"])).content.decode()
    assert f'href="{reverse("accounts:login")}?next=/thu-tuc/1.001193/nop-ho-so/"' in html
    assert "Miễn lệ phí đăng ký khai sinh đúng hạn" in html


def test_templates_download_as_pdf_with_vietnamese_text(client):
    from dvc.catalog.models import Procedure

    procedure = Procedure.objects.get(code="1.001193")
    requirement = procedure.requirements.get(template_is_eform=True)
    html = client.get(reverse("catalog:detail", args=["1.001193"])).content.decode()
    url = reverse("catalog:template", args=["1.001193", requirement.pk])
    assert url in html
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "ĐĂNG KÝ KHAI SINH" in text and "Họ, chữ đệm, tên của trẻ" in text


def test_uploaded_template_file_downloads(client, settings, tmp_path):
    from django.core.files.base import ContentFile

    from dvc.catalog.models import DocumentRequirement

    requirement = DocumentRequirement.objects.filter(procedure__code="2.000884").first()
    requirement.template.save("mau-chung-thuc.docx", ContentFile(b"PK\x03\x04 word"), save=True)
    response = client.get(reverse("catalog:template", args=["2.000884", requirement.pk]))
    assert response.status_code == 200
    assert "mau-chung-thuc" in response["Content-Disposition"]


def test_unknown_procedure_or_template_is_a_404(client):
    assert client.get(reverse("catalog:detail", args=["9.999999"])).status_code == 404
    assert client.get(reverse("catalog:template", args=["1.001193", 999999])).status_code == 404
    assert client.get(reverse("catalog:printable_form", args=["2.000884"])).status_code == 404


def test_hostile_query_strings_are_harmless(client):
    response = client.get(HOME, {"q": "<script>alert(1)</script>' OR 1=1 --", "trang": "-1", "cap": "x" * 500})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
