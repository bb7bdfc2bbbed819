from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Sociale kaart")

    def ready(self):
        from resources.caching import connect_signals

        connect_signals()
