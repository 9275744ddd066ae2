"""How amounts are written for Vietnamese readers, on pages, in documents and in messages alike."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from num2words import num2words


def thousands(amount: int) -> str:
    """200000 -> '200.000': Vietnamese groups thousands with dots."""
    return f"{amount:,}".replace(",", ".")


def dong_in_words(amount: int) -> str:
    """58000 -> 'Năm mươi tám nghìn đồng': the amount in words a receipt for phí and lệ phí carries."""
    words = num2words(amount, lang="vi")
    return f"{words[:1].upper()}{words[1:]} đồng"


def dong(amount: int | None) -> str:
    """200000 -> '200.000 đồng'; nothing owed reads 'Miễn phí'."""
    if amount is None:
        return ""
    if amount == 0:
        return _("Miễn phí")
    return _("%(amount)s đồng") % {"amount": thousands(amount)}


def moment_short(moment: dt.datetime | None) -> str:
    """'14:30 02/12/2026' in Vietnam's time; '' for no moment."""
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}" if moment else ""


def moment_long(moment: dt.datetime | None) -> str:
    """'14 giờ 30, ngày 02/12/2026', as written on administrative documents; '' for no moment."""
    return f"{timezone.localtime(moment):%H giờ %M, ngày %d/%m/%Y}" if moment else ""


def day_of(moment: dt.datetime | None) -> str:
    """'02/12/2026'; '' for no moment."""
    return f"{timezone.localtime(moment):%d/%m/%Y}" if moment else ""


def iso_day(value: str | None) -> str:
    """A stored ISO date ('1985-03-12', as answers and snapshots keep it) as '12/03/1985'; other text unchanged."""
    text = str(value or "")
    try:
        return f"{dt.date.fromisoformat(text):%d/%m/%Y}"
    except ValueError:
        return text
