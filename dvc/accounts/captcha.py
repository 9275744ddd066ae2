"""The "Mã kiểm tra" of the anonymous pages (lookup by CCCD, paying by code), with what the image alone lacked
(issue 16, part 5): a "Đổi mã khác" button and, for whoever cannot read the image, a question in words ("Bốn cộng
năm bằng mấy?"), both working without JavaScript. The answers live in django-simple-captcha's store, so checking,
expiry and single use are the library's.

A form derives from ``CheckedForm`` and takes the field with ``field()``; a view builds it with the client's address
and shows it again, empty of errors, with ``fresh()`` when ``wants_new(data)`` (one of the two buttons was pressed).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, TypeVar

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dvc.accounts import throttle

F = TypeVar("F", bound="CheckedForm")
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


def _questions_allowed(ip: str) -> bool:
    """A question in words is easier for a script than the image: each is counted, per client and for the whole
    portal, and past either cap the image is offered again (a script gains a bounded number of lookups an hour)."""
    per_client = throttle.make_key("captcha-question-ip", ip)
    everyone = throttle.make_key("captcha-question-all", "portal")
    for key, cap in (
        (per_client, settings.DVC_CAPTCHA_QUESTIONS_PER_CLIENT),
        (everyone, settings.DVC_CAPTCHA_QUESTIONS),
    ):
        window = throttle.peek(key)
        if window is not None and window.count >= cap:
            return False
    for key in (per_client, everyone):
        throttle.hit(key, window=dt.timedelta(hours=1))
    return True


def prepare(form: forms.Form, data: Any, ip: str = "") -> None:
    """Show the question instead of the image when the visitor asked for it (kept across the page's posts) and the
    hour's questions are not used up; ``form.question_refused`` then says why the image came back."""
    data = data or {}
    mode = data.get(NEW_FIELD) or data.get(MODE_FIELD)
    asked = mode == QUESTION
    allowed = asked and _questions_allowed(ip)
    form.fields["captcha"].widget.mode = QUESTION if allowed else IMAGE
    form.question_refused = asked and not allowed  # type: ignore[attr-defined]


def wants_new(data: Any) -> bool:
    return bool(data) and data.get(NEW_FIELD) in (IMAGE, QUESTION)


class CheckedForm(forms.Form):
    """A form with a "Mã kiểm tra": built with the client's address, which limits the questions in words."""

    def __init__(self, *args: Any, ip: str = "", data_for_check: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prepare(self, data_for_check if data_for_check is not None else self.data, ip)


def fresh(form_class: type[F], data: Any, ip: str) -> F:
    """The form again with what was typed (the check code left empty), a new code and no error messages."""
    kept = {key: data.get(key) for key in form_class.base_fields if key != "captcha"}
    return form_class(initial=kept, data_for_check=data, ip=ip)
