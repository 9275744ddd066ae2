from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "dvc.payments"
    label = "payments"
    verbose_name = "Thanh toán"
    default_auto_field = "django.db.models.BigAutoField"
