"""The portal's information pages: help (how to register, file, pay and look up, with pictures of the portal
itself), the privacy notice (Luật 91/2025/QH15) and the accessibility statement (issue 16, part 10).

Each page is a whole text per language (``web/pages/<name>.<language>.html``, Vietnamese when a language has none):
legal and help prose reads better written than assembled from translated sentences.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import select_template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dvc.accounts.registration import PRIVACY_NOTICE_VERSION
from dvc.web.caching import anonymous_page_cache

HELP_TOPICS = {
    "dang-ky": _("Đăng ký và đăng nhập"),
    "nop-ho-so": _("Nộp hồ sơ trực tuyến"),
    "thanh-toan": _("Thanh toán phí, lệ phí"),
    "tra-cuu": _("Tra cứu hồ sơ"),
}


def _page(request: HttpRequest, name: str, context: dict) -> HttpResponse:
    language = (get_language() or "vi").split("-")[0]
    template = select_template([f"web/pages/{name}.{language}.html", f"web/pages/{name}.vi.html"])
    return HttpResponse(template.render(context, request))


@anonymous_page_cache(600)
def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "web/help.html", {"topics": HELP_TOPICS.items()})


@anonymous_page_cache(600)
def help_topic(request: HttpRequest, topic: str) -> HttpResponse:
    if topic not in HELP_TOPICS:
        raise Http404
    return _page(request, f"help-{topic}", {"title": HELP_TOPICS[topic], "topics": HELP_TOPICS.items()})


@anonymous_page_cache(600)
def privacy(request: HttpRequest) -> HttpResponse:
    return _page(request, "privacy", {"version": PRIVACY_NOTICE_VERSION})


@anonymous_page_cache(600)
def accessibility(request: HttpRequest) -> HttpResponse:
    return _page(request, "accessibility", {})
