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


def year_in_words(year: int) -> str:
    """2026 -> 'hai nghìn không trăm hai mươi sáu', 2005 -> 'hai nghìn không trăm linh năm', as civil-status
    papers write a year (num2words says "hai nghìn lẻ hai mươi sáu", which they do not)."""
    words = [num2words(year // 1000, lang="vi"), "nghìn"]
    hundreds, tail = divmod(year % 1000, 100)
    if year % 1000:
        words += [num2words(hundreds, lang="vi") if hundreds else "không", "trăm"]
    if 0 < tail < 10:
        words += ["linh", num2words(tail, lang="vi")]
    elif tail:
        words.append(num2words(tail, lang="vi"))
    return " ".join(words)


def date_in_words(day: dt.date) -> str:
    """01/11/2026 -> 'Ngày một, tháng mười một, năm hai nghìn không trăm hai mươi sáu' (Luật Hộ tịch 2014
    Điều 14: the date of birth in figures and in words)."""
    month = "tư" if day.month == 4 else num2words(day.month, lang="vi")  # April is "tháng tư", never "tháng bốn"
    return f"Ngày {num2words(day.day, lang='vi')}, tháng {month}, năm {year_in_words(day.year)}"
