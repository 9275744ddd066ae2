"""The "Thông báo" page: every notice the portal sent the signed-in person, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dvc.notify.models import Notice
from dvc.notify.services import notices_mark_read


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Shown as they were (unread ones marked), then all marked read: opening the page is reading them."""
    notices = list(Notice.objects.filter(user=request.user.pk).order_by("-created_at")[:100])
    notices_mark_read(user_id=request.user.pk)
    return render(request, "notify/inbox.html", {"notices": notices})
