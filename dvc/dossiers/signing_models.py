"""The leader's steps that the worker does (issue 20, part 3): making the final copy the leader reads, and signing
and issuing the result once approved."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ResultSigning(models.Model):
    """One request for the worker: make the final copy of a dossier's result for the leader to read (``prepare``),
    or sign and issue it (``sign``). The page answers at once; the officer's page shows the state and refreshes
    itself until the request is done or has failed. One at a time per dossier."""

    class Step(models.TextChoices):
        PREPARE = "prepare", _("Lập bản cuối")
        SIGN = "sign", _("Ký số và ban hành")

    class State(models.TextChoices):
        QUEUED = "queued", _("Chờ ký số")
        RUNNING = "running", _("Đang ký số")
        DONE = "done", _("Đã ký số")
        FAILED = "failed", _("Ký số không thành công")

    ACTIVE = (State.QUEUED, State.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="signings")
    step = models.CharField(max_length=8, choices=Step.choices, default=Step.SIGN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    final_sha256 = models.CharField(max_length=64, blank=True)  # the final copy the leader read ("" from the API)
    proposed_at = models.DateTimeField(null=True, blank=True)  # the proposal approved: a newer one is not signed
    ip = models.GenericIPAddressField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu ký số kết quả")
        verbose_name_plural = _("yêu cầu ký số kết quả")
        ordering = ["-requested_at"]
        constraints = [
            # A second click while the first is being signed is refused, never signed twice.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(state__in=["queued", "running"]), name="one_signing_at_a_time"
            )
        ]
        indexes = [models.Index(fields=["state", "requested_at"], name="signing_state_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.state}"
