"""Numbers as Vietnamese readers write them: 200.000 đồng."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def dong(amount: int | None) -> str:
    if amount is None:
        return ""
    if amount == 0:
        return _("Miễn phí")
    return _("%(amount)s đồng") % {"amount": f"{amount:,}".replace(",", ".")}
