"""Numbers as Vietnamese readers write them: 200.000 đồng."""

from django import template

from dvc import formatting

register = template.Library()
register.filter("dong", formatting.dong)
register.filter("iso_day", formatting.iso_day)
