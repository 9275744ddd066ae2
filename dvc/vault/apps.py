from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "dvc.vault"
    label = "vault"
    verbose_name = _("Kho dữ liệu và tệp")
