from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "dvc.stats"
    label = "stats"
    verbose_name = "Thống kê"
    default_auto_field = "django.db.models.BigAutoField"
