from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project package is an app only to carry project-wide management commands
    (load_content); it has no models."""

    name = "config"
    verbose_name = "Gesprekswijzer"
