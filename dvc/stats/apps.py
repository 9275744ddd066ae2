from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "dvc.stats"
    label = "stats"
    verbose_name = "Thống kê"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from dvc.dossiers.models import DossierEvent
        from dvc.stats.services import on_event

        post_save.connect(on_event, sender=DossierEvent, dispatch_uid="stats-figures")
