from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "dvc.agencies"
    label = "agencies"
    verbose_name = _("Cơ quan và đơn vị hành chính")

    def ready(self) -> None:
        from dvc import collation  # noqa: F401 -- registers the Vietnamese collation on SQLite connections
        from dvc.agencies import calendar_held  # noqa: F401 -- its signals announce a calendar change to every process
