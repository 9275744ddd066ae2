"""The "Mã kiểm tra" of the anonymous pages (lookup by CCCD, paying by code), with what the image alone lacked
(issue 16, part 5): a "Đổi mã khác" button and, for whoever cannot read the image, a question in words ("Bốn cộng
năm bằng mấy?"), both working without JavaScript. The answers live in django-simple-captcha's store, so checking,
expiry and single use are the library's.

A form takes the field with ``field()``, then ``prepare(form, data)`` in its ``__init__``; a view shows the form
again, empty of errors, when ``wants_new(data)`` (one of the two buttons was pressed).
"""

from __future__ import annotations

import secrets
from typing import Any, TypeVar

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

F = TypeVar("F", bound=forms.Form)
MODE_FIELD, NEW_FIELD = "captcha_mode", "captcha_new"
IMAGE, QUESTION = "image", "question"
_WORDS = {
    "vi": ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
}


def word_challenge() -> tuple[str, str]:
    """A sum of two digits, stored as "4+5" (shown in words in the reader's language), answered "9"."""
    first, second = 1 + secrets.randbelow(9), 1 + secrets.randbelow(9)
    return f"{first}+{second}", str(first + second)


class CheckWidget(CaptchaTextInput):
    template_name = "captcha/widgets/captcha.html"
    mode = IMAGE

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> Any:
        self.generator = "dvc.accounts.captcha.word_challenge" if self.mode == QUESTION else None
        return super().render(name, value, attrs, renderer)

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context |= {"mode": self.mode, "mode_field": MODE_FIELD, "new_field": NEW_FIELD}
        context["image_2x"] = reverse("captcha-image-2x", kwargs={"key": self._key})  # sharp on phones' screens
        if self.mode == QUESTION:
            challenge = CaptchaStore.objects.filter(hashkey=self._key).values_list("challenge", flat=True).first()
            words = _WORDS["en" if (get_language() or "vi").startswith("en") else "vi"]
            first, second = (int(n) for n in (challenge or "0+0").split("+"))
            context["question"] = _("%(a)s cộng %(b)s bằng mấy? Trả lời bằng chữ số.") % {
                "a": words[first].capitalize(),
                "b": words[second],
            }
        return context


def field(required_message: str | Promise) -> CaptchaField:
    return CaptchaField(
        label=_("Mã kiểm tra"),
        widget=CheckWidget,
        error_messages={
            "invalid": _("Mã kiểm tra không đúng. Vui lòng nhập lại theo mã mới."),
            "required": required_message,
        },
    )


def prepare(form: forms.Form, data: Any) -> None:
    """Show the question instead of the image when the visitor asked for it (kept across the page's posts)."""
    data = data or {}
    mode = data.get(NEW_FIELD) or data.get(MODE_FIELD)
    form.fields["captcha"].widget.mode = QUESTION if mode == QUESTION else IMAGE


def wants_new(data: Any) -> bool:
    return bool(data) and data.get(NEW_FIELD) in (IMAGE, QUESTION)


def fresh(form_class: type[F], data: Any) -> F:
    """The form again with what was typed (the check code left empty), a new code and no error messages."""
    kept = {key: data.get(key) for key in form_class.base_fields if key != "captcha"}
    form = form_class(initial=kept)
    prepare(form, data)
    return form
