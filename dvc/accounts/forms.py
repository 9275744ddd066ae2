"""Forms of the accounts app, shared by the pages and the API so that both apply the same checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvc.accounts import validators as v
from dvc.accounts.models import User
from dvc.agencies.models import AdminUnit
from dvc.collation import vi_order
from dvc.formtext import CitizenForm

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class TrimmedCharField(forms.CharField):
    def to_python(self, value: Any) -> str:
        return v.normalize_text(super().to_python(value) or "")


class AddressFieldsMixin(CitizenForm):
    """Province → commune from the official two-tier list, without JavaScript.

    The commune list depends on the province: the page re-renders the form with the chosen province's
    communes ("Chọn tỉnh" button) and a small script does the same in place when JavaScript runs.
    """

    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE, effective_to__isnull=True).order_by(
            vi_order("name")
        ),
        to_field_name="code",
        empty_label=_("— Chọn tỉnh, thành phố —"),
        error_messages={"invalid_choice": _("Tỉnh, thành phố không có trong danh mục.")},
    )
    commune = forms.ModelChoiceField(
        label=_("Xã, phường, đặc khu"),
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
        empty_label=_("— Chọn xã, phường —"),
        error_messages={"invalid_choice": _("Xã, phường không thuộc tỉnh, thành phố đã chọn.")},
    )
    address_line = TrimmedCharField(label=_("Số nhà, đường, thôn, tổ"), max_length=255, required=False)

    def setup_communes(self, initial_province: AdminUnit | None = None) -> None:
        source = self.data if self.is_bound else self.initial
        code = source.get(self.add_prefix("province"))
        if not code and initial_province is not None:
            code = initial_province.code
        communes = AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, effective_to__isnull=True)
        field = self.fields["commune"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = communes.filter(parent__code=code).order_by(vi_order("name")) if code else communes.none()


class NewPasswordMixin(CitizenForm):
    new_password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Sử dụng 8 ký tự trở lên bao gồm chữ thường, chữ in hoa, số và ký tự đặc biệt."),
    )
    new_password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def password_owner(self) -> User | None:
        return None

    def clean_new_password2(self) -> str:
        first = self.cleaned_data.get("new_password1")
        second: str = self.cleaned_data.get("new_password2", "")
        if first and second and first != second:
            raise ValidationError(_("Hai mật khẩu không giống nhau."))
        if first:
            try:
                validate_password(first, user=self.password_owner())
            except ValidationError as exc:
                self.add_error("new_password1", exc)
        return second


class RegistrationForm(AddressFieldsMixin, NewPasswordMixin, CitizenForm):
    """Seed 001 Bước 3 and seed 004: one form for citizens, organizations and businesses."""

    kind = forms.ChoiceField(label=_("Đăng ký cho"), choices=User.Kind.choices, initial=User.Kind.CITIZEN)
    id_number = forms.CharField(
        label=_("Số định danh (CCCD) hoặc mã số thuế"),
        max_length=20,
        help_text=_("Công dân nhập số CCCD 12 chữ số; tổ chức, doanh nghiệp nhập mã số thuế."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    full_name = TrimmedCharField(label=_("Họ và tên / tên tổ chức"), max_length=255)
    birth_date = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Ví dụ: 25/12/1990"),
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *User.Sex.choices], required=False)
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        help_text=_("Mã OTP sẽ được gửi tới số này."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    representative_name = TrimmedCharField(label=_("Họ tên người đại diện"), max_length=255, required=False)
    representative_id_number = forms.CharField(label=_("Số CCCD người đại diện"), max_length=20, required=False)
    claim_code = forms.CharField(
        label=_("Mã nhận tài khoản (nếu có)"),
        max_length=20,
        required=False,
        help_text=_(
            "Nếu bạn đã nộp hồ sơ tại bộ phận một cửa, nhập mã in trên giấy tiếp nhận (hoặc trong tin nhắn) để nhận "
            "tài khoản cùng các hồ sơ đã nộp."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    privacy_consent = forms.BooleanField(
        label=_(
            "Tôi đã đọc Thông báo xử lý dữ liệu cá nhân và đồng ý để cổng xử lý dữ liệu của tôi theo thông báo đó."
        ),
        error_messages={
            "required": _("Vui lòng đọc Thông báo xử lý dữ liệu cá nhân và đánh dấu đồng ý để đăng ký tài khoản.")
        },
    )

    field_order = [
        "kind", "id_number", "full_name", "birth_date", "sex", "representative_name", "representative_id_number",
        "phone", "email", "province", "commune", "address_line", "claim_code", "new_password1", "new_password2",
        "privacy_consent",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_communes()

    def clean_phone(self) -> str:
        return v.normalize_mobile_phone(self.cleaned_data["phone"])

    def registration(self) -> dict[str, Any]:
        """The cleaned answers as keyword arguments of ``registration.account_register``."""
        data = self.cleaned_data
        names = [name for name in self.field_order if not name.startswith("new_password")]
        return {**{name: data[name] for name in names}, "password": data["new_password1"]}

    def clean_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("birth_date")
        if value is not None and (value > timezone.localdate() or value.year < 1900):
            raise ValidationError(_("Ngày sinh không hợp lệ."))
        return value

    def password_owner(self) -> User | None:
        data = self.cleaned_data
        return User(
            id_number=data.get("id_number", ""), full_name=data.get("full_name", ""), email=data.get("email", "")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        raw_id = data.get("id_number")
        if kind == User.Kind.CITIZEN:
            # Asked of every citizen on the first submit, whatever else is wrong, so no error appears only later.
            if not data.get("birth_date") and "birth_date" not in self.errors:
                self.add_error("birth_date", _("Vui lòng nhập ngày sinh của bạn (ví dụ 25/12/1990)."))
            if not data.get("sex"):
                self.add_error("sex", _("Vui lòng chọn giới tính của bạn."))
        if raw_id and kind == User.Kind.CITIZEN:
            try:
                data["id_number"] = v.validate_cccd(raw_id)
            except ValidationError as exc:
                self.add_error("id_number", exc)
            else:
                for problem in v.check_cccd_matches_person(
                    data["id_number"], birth_date=data.get("birth_date"), sex=data.get("sex")
                ):
                    self.add_error("id_number", problem)
        elif raw_id and kind in (User.Kind.ORGANIZATION, User.Kind.BUSINESS):
            try:
                data["id_number"] = v.validate_tax_code(raw_id)
            except ValidationError as exc:
                self.add_error("id_number", exc)
            if not data.get("representative_name"):
                self.add_error("representative_name", _("Vui lòng nhập họ tên người đại diện."))
            rep_id = data.get("representative_id_number")
            if not rep_id:
                self.add_error("representative_id_number", _("Vui lòng nhập số CCCD của người đại diện."))
            else:
                try:
                    data["representative_id_number"] = v.validate_cccd(rep_id)
                except ValidationError as exc:
                    self.add_error("representative_id_number", exc)
        return data


class LoginForm(CitizenForm):
    id_number = forms.CharField(
        label=_("Số định danh (CCCD) hoặc mã số thuế"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_id_number(self) -> str:
        return v.normalize_id_number(self.cleaned_data["id_number"])


class OtpForm(CitizenForm):
    otp = forms.CharField(
        label=_("Mã OTP"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "autofocus": True}
        ),
    )


class PasswordResetStartForm(CitizenForm):
    id_number = forms.CharField(label=_("Số định danh (CCCD) hoặc mã số thuế"), max_length=20)
    phone = forms.CharField(
        label=_("Số điện thoại đã đăng ký"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    def clean_id_number(self) -> str:
        return v.normalize_id_number(self.cleaned_data["id_number"])

    def clean_phone(self) -> str:
        return v.normalize_mobile_phone(self.cleaned_data["phone"])


class PasswordResetConfirmForm(NewPasswordMixin, OtpForm):
    field_order = ["otp", "new_password1", "new_password2"]

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def password_owner(self) -> User | None:
        return self.user


class PasswordChangeForm(NewPasswordMixin, CitizenForm):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def password_owner(self) -> User | None:
        return self.user


class ProfileForm(AddressFieldsMixin, CitizenForm):
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    field_order = ["email", "province", "commune", "address_line"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "email": user.email,
                "province": user.province.code if user.province else None,
                "commune": user.commune.code if user.commune else None,
                "address_line": user.address_line,
            },
        )
        super().__init__(*args, **kwargs)
        self.setup_communes(initial_province=user.province)


class PhoneChangeForm(CitizenForm):
    phone = forms.CharField(
        label=_("Số điện thoại di động mới"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_phone(self) -> str:
        return v.normalize_mobile_phone(self.cleaned_data["phone"])


class AppApprovalForm(forms.Form):
    """Remote signing approved in the provider's app (CSC implicit authorization): nothing to type, only to finish."""

    approved = forms.BooleanField(
        label=_("Tôi đã đồng ý ký trên ứng dụng của nhà cung cấp dịch vụ ký số"),
        error_messages={"required": _("Hãy đồng ý ký trên ứng dụng ký số của bạn, rồi đánh dấu ô này.")},
    )
