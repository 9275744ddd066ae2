"""Forms of the citizen's dossier pages (the e-form itself is rendered from the procedure's schema)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dvc.accounts import captcha as check_code
from dvc.accounts.forms import AddressFieldsMixin
from dvc.agencies.models import Agency
from dvc.dossiers.models import Dossier, Rating
from dvc.formatting import dong
from dvc.formtext import CitizenForm

DECLARATION = _("Tôi xin chịu trách nhiệm trước pháp luật về lời khai trên.")


class StartForm(CitizenForm):
    agency = forms.ModelChoiceField(
        label=_("Cơ quan tiếp nhận hồ sơ"),
        queryset=Agency.objects.none(),
        to_field_name="code",
        widget=forms.RadioSelect,
        help_text=_(
            "Cơ quan của xã, phường nơi bạn cư trú được chọn sẵn; bạn có thể chọn cơ quan khác trong danh sách."
        ),
        error_messages={
            "required": _("Vui lòng chọn cơ quan tiếp nhận."),
            "invalid_choice": _("Cơ quan không hợp lệ."),
        },
    )

    reuse_previous = forms.BooleanField(
        label=_("Dùng lại thông tin từ hồ sơ trước"),
        required=False,
        help_text=_("Chép các câu trả lời của hồ sơ bạn đã gửi gần nhất cho thủ tục này; bạn vẫn sửa được từng mục."),
    )

    def __init__(
        self,
        *args: Any,
        receiving: QuerySet[Agency],
        shown: list[Agency],
        can_reuse: bool = False,
        preselect: Agency | None = None,
        **kwargs: Any,
    ) -> None:
        """``receiving``: every agency the procedure may be filed at (what is accepted; the service then applies the
        catalog's area rule with its own message); ``shown``: the page's list after the province and the search."""
        super().__init__(*args, **kwargs)
        if preselect is not None:
            self.initial.setdefault("agency", preselect.code)
        if len(shown) == 1:
            self.initial.setdefault("agency", shown[0].code)
        if not can_reuse:
            del self.fields["reuse_previous"]
        field = self.fields["agency"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = receiving

    def chosen_code(self) -> str:
        """The agency ticked (what was posted, else the preselection), to tick it again in the page's list."""
        return str(self.data.get("agency") or self.initial.get("agency") or "")


def _show_postal_fee(field: forms.Field, value: str, amount: int) -> None:
    """The post office's price beside a postal choice, so the citizen knows it before choosing."""
    choices = []
    for key, label in field.choices:  # type: ignore[attr-defined]
        if key == value and amount:
            label = _("%(label)s — cước bưu chính %(amount)s, nộp cùng phí, lệ phí (thu hộ bưu điện)") % {
                "label": label,
                "amount": dong(amount),
            }
        choices.append((key, label))
    field.choices = choices  # type: ignore[attr-defined]


class DeliveryForm(AddressFieldsMixin, CitizenForm):
    """How the papers reach the agency, how the result comes back, and how to be told (seed 000 step 9)."""

    submission_method = forms.ChoiceField(
        label=_("Cách nộp hồ sơ"), choices=Dossier.SubmissionMethod.choices, widget=forms.RadioSelect
    )
    result_method = forms.ChoiceField(
        label=_("Cách nhận kết quả"), choices=Dossier.ResultMethod.choices, widget=forms.RadioSelect
    )
    notify_sms = forms.BooleanField(label=_("Nhận thông báo qua tin nhắn SMS"), required=False)
    notify_email = forms.BooleanField(label=_("Nhận thông báo qua thư điện tử"), required=False)

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        address = dossier.delivery_address or {}
        kwargs.setdefault(
            "initial",
            {
                "submission_method": dossier.submission_method,
                "result_method": dossier.result_method,
                "notify_sms": dossier.notify_sms,
                "notify_email": dossier.notify_email,
                "province": address.get("province"),
                "commune": address.get("commune"),
                "address_line": address.get("line", ""),
            },
        )
        kwargs.setdefault("prefix", "d")
        super().__init__(*args, **kwargs)
        channels = dossier.procedure.result_channels
        self.fields["result_method"].choices = [c for c in Dossier.ResultMethod.choices if c[0] in channels]  # type: ignore[attr-defined]
        submit = [Dossier.SubmissionMethod.ONLINE.value] + (
            ["post_pickup"] if "post" in dossier.procedure.submission_channels else []
        )
        self.fields["submission_method"].choices = [c for c in Dossier.SubmissionMethod.choices if c[0] in submit]  # type: ignore[attr-defined]
        _show_postal_fee(self.fields["submission_method"], "post_pickup", settings.DVC_POSTAL_FEE_PICKUP)
        _show_postal_fee(self.fields["result_method"], Dossier.ResultMethod.POST, settings.DVC_POSTAL_FEE_DELIVERY)
        for name in ("province", "commune"):
            self.fields[name].required = False
        self.fields["province"].label = _("Tỉnh, thành phố (bưu điện nhận hồ sơ hoặc gửi kết quả)")
        self.setup_communes()

    def delivery_address(self) -> dict[str, Any]:
        """The address the post office picks the papers up from and brings the result to, when either goes by post."""
        data = self.cleaned_data
        postal = (
            data.get("result_method") == Dossier.ResultMethod.POST
            or data.get("submission_method") == Dossier.SubmissionMethod.POST_PICKUP
        )
        if not postal or not data.get("commune"):
            return {}
        return {
            "province": data["province"].code,
            "commune": data["commune"].code,
            "line": data.get("address_line", ""),
        }


class UploadForm(CitizenForm):
    requirement = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Chọn tệp"),
        error_messages={
            "required": _("Vui lòng chọn tệp để tải lên."),
            "empty": _("Tệp rỗng. Vui lòng chọn tệp khác."),
        },
    )


class SubmitForm(CitizenForm):
    """Sending, for a citizen already signed in with password and OTP: one declaration, no captcha. The e-form's own
    required tick box (``cam_doan``) is that declaration; a procedure without one asks it here."""

    declaration = forms.BooleanField(
        label=DECLARATION, error_messages={"required": _("Vui lòng đánh dấu lời cam đoan trước khi gửi.")}
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, schema: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = (schema or {}).get("fields", [])
        if any(spec.get("type") == "checkbox" and spec.get("required") for spec in fields):
            del self.fields["declaration"]


class WithdrawForm(CitizenForm):
    reason = forms.CharField(label=_("Lý do rút hồ sơ"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class CodeLookupForm(CitizenForm):
    """By dossier code (the link in every SMS): a GET, no captcha; the security code shows a little more."""

    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=40)
    bm = forms.CharField(
        label=_("Mã bảo mật của hồ sơ (không bắt buộc)"),
        max_length=12,
        required=False,
        help_text=_("In trên giấy tiếp nhận. Nhập để xem thêm tên thủ tục và tên người nộp (đã che)."),
    )


class CccdLookupForm(check_code.CheckedForm, CitizenForm):
    """By the applicant's CCCD: a POST (the id number stays out of addresses and logs), with a captcha."""

    cccd = forms.CharField(label=_("Số CCCD của người nộp"), max_length=20)
    captcha = check_code.field(_("Vui lòng nhập mã kiểm tra để tra cứu bằng CCCD."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answered = (self.data.get(self.add_prefix("captcha") + "_1") or "").strip()
        if not answered:
            self.errors.pop("captcha", None)
            self.add_error("captcha", _("Vui lòng nhập mã kiểm tra để tra cứu bằng CCCD."))
        return data


SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class RatingForm(CitizenForm):
    """Seed 003 step 9: overall satisfaction and the criteria provincial portals publish."""

    overall = forms.TypedChoiceField(
        label=_("Mức độ hài lòng chung (5 là rất hài lòng)"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    timeliness = forms.TypedChoiceField(
        label=_("Giải quyết đúng hẹn"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    attitude = forms.TypedChoiceField(
        label=_("Thái độ của cán bộ"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    publicity = forms.TypedChoiceField(
        label=_("Thông tin công khai, dễ hiểu"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    trips = forms.TypedChoiceField(
        label=_("Số lần phải đến cơ quan"), choices=Rating.Trips.choices, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OnBehalfForm(CitizenForm):
    """Whom the dossier is filed for (nộp hộ): the owner's details and, for a representative, the letter."""

    basis = forms.ChoiceField(
        label=_("Bạn nộp hồ sơ này cho ai?"),
        choices=[("", _("Cho chính tôi"))] + [(k, v) for k, v in Dossier.OwnerBasis.choices if k],
        widget=forms.RadioSelect,
        required=False,
    )
    owner_name = forms.CharField(label=_("Họ và tên chủ hồ sơ (hoặc tên tổ chức)"), max_length=255, required=False)
    owner_id_number = forms.CharField(
        label=_("Số định danh cá nhân (hoặc mã số thuế của tổ chức)"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    owner_birth_date = forms.DateField(
        label=_("Ngày sinh của chủ hồ sơ"), required=False, input_formats=["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"],
        help_text=_("Ví dụ 25/12/2015. Không cần với tổ chức."),
        error_messages={"invalid": _("Ngày sinh chưa đúng dạng ngày/tháng/năm, ví dụ 25/12/2015.")},
    )  # fmt: skip
    owner_phone = forms.CharField(
        label=_("Số điện thoại di động của chủ hồ sơ (nếu có)"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )  # fmt: skip
    owner_notify_sms = forms.BooleanField(
        label=_("Nhắn tin SMS cho chủ hồ sơ ở mỗi bước, như cho bạn"), required=False, initial=True
    )
    authorization = forms.FileField(
        label=_("Văn bản ủy quyền hoặc giấy giới thiệu (PDF, JPG, PNG, tối đa 10 MB)"),
        required=False,
        help_text=_("Cần khi bạn là người được ủy quyền, hoặc nộp cho tổ chức. Cán bộ sẽ kiểm tra văn bản này."),
    )
