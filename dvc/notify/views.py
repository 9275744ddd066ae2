"""The "Thông báo" page: every notice the portal sent the signed-in person, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dvc.notify.models import Notice


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Shown as they were (unread ones marked), then all marked read: opening the page is reading them."""
    notices = list(Notice.objects.filter(user=request.user.pk).order_by("-created_at")[:100])
    Notice.objects.filter(user=request.user.pk, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "notify/inbox.html", {"notices": notices})
