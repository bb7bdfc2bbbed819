from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ConfigConfig(AppConfig):
    """The project package is an app only to carry project-wide management commands
    (load_content); it has no models."""

    default = True
    name = "config"
    verbose_name = "Gesprekswijzer"

    def ready(self):
        from config.admin import name_translation_fields

        name_translation_fields()


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with the project's admin site (config.admin.AdminSite)."""

    default = False  # "config" itself is ConfigConfig

    default_site = "config.admin.AdminSite"
