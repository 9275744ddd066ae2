from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """A recurring job's run for one period (e.g. the deadline reminders of 2 December 2026), created before the
    work in the work's own transaction: a second run of the same period finds it and does nothing."""

    job = models.CharField(max_length=64)
    period = models.CharField(max_length=32)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần chạy công việc định kỳ")
        verbose_name_plural = _("lần chạy công việc định kỳ")
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="job_run_once_per_period")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"


class JobLock(models.Model):
    """One row per recurring task, locked while a worker decides whether the task's next run is booked."""

    name = models.CharField(max_length=255, primary_key=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khoá đặt lịch")
        verbose_name_plural = _("khoá đặt lịch")

    def __str__(self) -> str:
        return self.name
