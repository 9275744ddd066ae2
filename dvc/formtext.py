"""Form messages that say what to do and whose field it is (issue 16, part 7: "Trường này là bắt buộc." ×7 on one
page). Every citizen-facing form derives from ``CitizenForm``: a required field left empty says "Vui lòng nhập
“Số điện thoại di động”." (or "chọn" for a choice, "đánh dấu" for a tick box) unless the form wrote its own message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _


def _required_message(field: forms.Field, label: str) -> str:
    if isinstance(field, forms.BooleanField):
        return _("Vui lòng đánh dấu “%(label)s”.") % {"label": label}
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return _("Vui lòng chọn “%(label)s”.") % {"label": label}
    if isinstance(field, forms.DateField):
        return _("Vui lòng nhập “%(label)s” (ví dụ 25/12/1990).") % {"label": label}
    return _("Vui lòng nhập “%(label)s”.") % {"label": label}


class CitizenForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        generic = str(forms.Field.default_error_messages["required"])
        for field in self.fields.values():
            if field.label and str(field.error_messages.get("required", "")) == generic:
                field.error_messages["required"] = _required_message(field, str(field.label))
