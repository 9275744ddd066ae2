from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "dvc.notify"
    label = "notify"
    verbose_name = _("Thông báo SMS và thư điện tử")
