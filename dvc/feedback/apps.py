from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "dvc.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị"
    default_auto_field = "django.db.models.BigAutoField"
