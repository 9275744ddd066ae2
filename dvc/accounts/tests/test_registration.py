import re

import pytest
from django.urls import reverse

from dvc.accounts.models import OtpChallenge, User
from dvc.accounts.registration import PRIVACY_NOTICE_VERSION
from dvc.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:register")


def form_data(**overrides):
    data = {
        "kind": "citizen",
        "id_number": "001085012345",
        "full_name": "  Nguyễn Văn An ",
        "birth_date": "12/03/1985",
        "sex": "male",
        "phone": "0912 345 678",
        "email": "an@example.vn",
        "province": "01",
        "commune": "00004",
        "address_line": "Số 1 Liễu Giai",
        "new_password1": "Matkhau@123",
        "new_password2": "Matkhau@123",
        "privacy_consent": "on",
    }
    data.update(overrides)
    return data


def test_register_sends_otp_and_activates_the_account(client, outbox):
    response = client.post(URL, form_data())
    challenge = OtpChallenge.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("accounts:otp", args=[challenge.pk])
    user = User.objects.get(id_number="001085012345")
    assert not user.is_active
    assert user.phone == "+84912345678"
    assert user.full_name == "Nguyễn Văn An"
    assert user.password.startswith("argon2")

    page = client.get(response.url)
    assert "091****678" in page.content.decode()
    code = outbox.last_otp("+84912345678")
    assert outbox.sms()[-1]["to"] == "+84912345678"
    assert "sent_at" in outbox.sms()[-1]

    response = client.post(response.url, {"otp": code}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Tài khoản đã được kích hoạt" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.phone_verified_at is not None


def test_otp_is_stored_only_as_a_keyed_hash(client, outbox):
    client.post(URL, form_data())
    code = outbox.last_otp()
    challenge = OtpChallenge.objects.get()
    assert code not in challenge.code_hash
    # Once sent, the SMS text with the code is wiped from the delivery log too.
    from dvc.notify.models import Message

    assert all(code not in message.body for message in Message.objects.all())


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"new_password1": "matkhau123", "new_password2": "matkhau123"}, "new_password1", "Mật khẩu chưa đủ mạnh"),
        ({"id_number": "003085012345"}, "id_number", "mã tỉnh"),
        ({"id_number": "001285012345"}, "id_number", "năm sinh 1985"),
        ({"phone": "0123"}, "phone", "Số điện thoại di động không hợp lệ"),
        ({"new_password2": "Matkhau@124"}, "new_password2", "Hai mật khẩu không giống nhau"),
        ({"commune": "07210"}, "commune", "không thuộc tỉnh"),
        ({"birth_date": "31/02/1985"}, "birth_date", "Nhập một ngày hợp lệ"),
        ({"full_name": ""}, "full_name", "Vui lòng nhập “Họ và tên"),
    ],
)
def test_bad_input_gives_a_vietnamese_error_beside_the_field_and_stores_nothing(
    client, outbox, overrides, field, message
):
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.exists()
    assert not OtpChallenge.objects.exists()
    assert outbox.sms() == []


def test_organization_registers_with_tax_code_and_representative(client, outbox):
    data = form_data(
        kind="business", id_number="0100109106", full_name="Công ty Cổ phần Ví Dụ", birth_date="", sex="",
        representative_name="Trần Văn Bình", representative_id_number="001085012345",
    )  # fmt: skip
    response = client.post(URL, data)
    assert response.status_code == 302
    user = User.objects.get(id_number="0100109106")
    assert user.kind == User.Kind.BUSINESS
    assert user.representative_name == "Trần Văn Bình"


def test_organization_needs_a_valid_tax_code_and_representative(client):
    response = client.post(URL, form_data(kind="organization", id_number="0100109107", representative_name=""))
    errors = response.context["form"].errors
    assert "Mã số thuế không hợp lệ" in errors["id_number"][0]
    assert "người đại diện" in errors["representative_name"][0]
    assert not User.objects.exists()


def test_an_id_number_with_an_active_account_changes_nothing_and_is_not_revealed(client, outbox, tasks):
    """The answer for a taken id number is the one for a free one (issue 15: account enumeration)."""
    owner = UserFactory(id_number="001085012345")
    response = client.post(URL, form_data(), follow=True)
    assert response.status_code == 200 and "Nhập mã OTP" in response.content.decode()
    assert "Có thể số định danh này đã có tài khoản" in response.content.decode()
    tasks()
    assert outbox.sms() == []  # nothing to the phone given
    after = User.objects.get(pk=owner.pk)
    assert (after.full_name, after.phone, after.password) == (owner.full_name, owner.phone, owner.password)


def test_registering_again_before_confirming_replaces_the_pending_details(client, outbox):
    client.post(URL, form_data())
    client.post(URL, form_data(phone="0987654321", full_name="Nguyễn Văn Ân"))
    user = User.objects.get()
    assert user.phone == "+84987654321" and user.full_name == "Nguyễn Văn Ân"
    live = OtpChallenge.objects.filter(verified_at__isnull=True).order_by("-created_at")
    assert live.first().phone == "+84987654321"


def test_choosing_a_province_without_javascript_keeps_what_was_typed(client):
    response = client.post(URL, form_data(commune="", choose_province="1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phường Ba Đình" in html
    assert "Nguyễn Văn An" in html
    assert "Matkhau@123" not in html
    assert not User.objects.exists()


def test_register_page_marks_required_fields_and_works_without_javascript(client):
    html = client.get(URL).content.decode()
    assert 'name="choose_province"' in html
    assert 'class="req"' in html
    assert "Tỉnh, thành phố" in html


def test_a_9_digit_cmnd_cannot_register(client, outbox):
    """Issue 16, part 9: the CMND ceased to be valid on 1/1/2025 (Luật Căn cước 2023)."""
    response = client.post(URL, form_data(id_number="012345678"))
    assert "hết giá trị từ 01/01/2025" in " ".join(response.context["form"].errors["id_number"])
    assert not User.objects.exists() and outbox.sms() == []


def test_birth_date_and_sex_are_asked_on_the_first_submit_and_marked_required(client):
    """Issue 16, part 7: they were enforced only once the id number was right, and carried no asterisk."""
    response = client.post(URL, form_data(id_number="12", birth_date="", sex=""))
    errors = response.context["form"].errors
    assert "id_number" in errors and "ngày sinh" in errors["birth_date"][0] and "giới tính" in errors["sex"][0]
    html = client.get(URL).content.decode()
    for label in ("Ngày sinh", "Giới tính"):
        assert re.search(rf'>{label}\s*<span class="req"', html), label


def test_errors_are_summarised_at_the_top_each_linking_to_its_field(client):
    """Issue 16, part 7: the summary was not linked to its fields and the title did not say there was an error."""
    html = client.post(URL, form_data(full_name="", phone="12")).content.decode()
    summary = re.search(
        r'<div class="alert alert-error error-summary"[^>]*id="tom-tat-loi".*?</div>', html, re.S
    ).group(0)
    assert '<a href="#id_full_name">Họ và tên / tên tổ chức:' in summary and '<a href="#id_phone">' in summary
    assert re.search(r"<title>Lỗi: ", html)
    assert "<title>Lỗi" not in client.get(URL).content.decode()


def test_registration_asks_consent_to_the_privacy_notice_and_keeps_which_notice(client):
    """Issue 16, part 10: consent on registration under Luật 91/2025/QH15."""
    refused = client.post(reverse("accounts:register"), form_data(privacy_consent=""))
    page = refused.content.decode()
    assert refused.status_code == 200 and "đánh dấu đồng ý để đăng ký tài khoản" in page
    assert f'href="{reverse("web:privacy")}"' in page
    assert not User.objects.filter(id_number="001085012345").exists()
    client.post(reverse("accounts:register"), form_data())
    user = User.objects.get(id_number="001085012345")
    assert user.privacy_consent_at is not None and user.privacy_notice_version == PRIVACY_NOTICE_VERSION


def test_an_empty_registration_says_for_each_field_what_to_do(client):
    """Issue 16, part 7: "Trường này là bắt buộc." seven times, "Vui lòng nhập “Giới tính”" for a drop-down."""
    page = client.post(URL, {"kind": "citizen"}).content.decode()
    assert "Trường này là bắt buộc" not in page
    for message in (
        "Vui lòng nhập “Số định danh (CCCD) hoặc mã số thuế”.", "Vui lòng nhập “Số điện thoại di động”.",
        "Vui lòng đọc Thông báo xử lý dữ liệu cá nhân",
    ):  # fmt: skip
        assert message in page, message
    assert '<a href="#id_phone">Số điện thoại di động: Vui lòng nhập' in page  # the summary links to the field
