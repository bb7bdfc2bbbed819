from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts en teams")

    def ready(self):
        # Each app's permissions are created in its own post_migrate; syncing after every app
        # gives the role groups the permissions of apps that came after the data migration, and
        # recreates the groups after a test flush.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts_roles_sync")
        from accounts import receivers  # noqa: F401  (security log for MFA and SSO)


def sync_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    from accounts.services import roles_sync

    roles_sync(apps=apps, using=using)
