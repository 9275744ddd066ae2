from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "dvc.web"
    label = "web"
    verbose_name = _("Giao diện cổng")

    def ready(self) -> None:
        from django_tasks.signals import log_task_started, task_enqueued, task_finished, task_started

        from dvc.web import observability

        # A task's log lines carry the id of the request that enqueued it (dvc.web.observability): taken up before
        # django-tasks logs the start, dropped after it logs the end.
        task_enqueued.connect(observability.task_enqueued, dispatch_uid="dvc-task-enqueued")
        task_started.disconnect(log_task_started)
        task_started.connect(observability.task_started, dispatch_uid="dvc-task-started")
        task_started.connect(log_task_started)
        task_finished.connect(observability.task_finished, dispatch_uid="dvc-task-finished")
