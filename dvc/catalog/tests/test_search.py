import pytest

from dvc.catalog.selectors import Filters, search
from dvc.catalog.text import fold

pytestmark = pytest.mark.django_db


def names(**kwargs):
    return [p.name for p in search(Filters(**kwargs))]


def test_fold_handles_every_vietnamese_letter():
    assert fold("Đăng ký KẾT HÔN, Ủy ban; Phường Ba Đình") == "dang ky ket hon uy ban phuong ba dinh"


@pytest.mark.parametrize(
    "query", ["dang ky ket hon", "DANG KY KET HON", "Đăng ký kết hôn", "kết hôn đăng ký", "hon ket"]
)
def test_accent_case_and_word_order_do_not_matter(query):
    assert names(q=query)[:2] == ["Đăng ký kết hôn", "Đăng ký lại kết hôn"]


def test_name_matches_come_before_other_matches():
    found = names(q="thuong tru")
    assert found[0] == "Đăng ký thường trú"
    assert found.index("Đăng ký thường trú") < found.index(
        "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi"
    )


def test_search_by_code():
    assert names(q="1.001193") == ["Đăng ký khai sinh"]


def test_a_word_matches_from_its_start_only():
    # "hon" must not match "thông" (in "thông tin"), only words starting with "hon".
    assert "Đăng ký thường trú" not in names(q="hon")


def test_every_word_must_match():
    assert names(q="khai sinh xyzabc") == []


def test_filters_combine_with_the_query():
    assert set(names(q="dang ky", level="province")) == set()
    assert names(sector="chung-thuc", q="chu ky") == [
        "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường hợp "
        "người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)"
    ]
    assert set(names(life_event="ket-hon")) == {
        "Đăng ký kết hôn",
        "Đăng ký lại kết hôn",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
    }
    assert all(p.service_level == "full_online" for p in search(Filters(service_level="full_online")))


def test_unpublished_procedures_are_not_found():
    from dvc.catalog.models import Procedure
    from dvc.catalog.services import catalog_changed

    Procedure.objects.filter(code="1.000894").update(is_published=False)
    catalog_changed()
    assert "Đăng ký kết hôn" not in names(q="ket hon")
