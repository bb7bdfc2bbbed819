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
        from axes.signals import user_locked_out
        from django.contrib.auth import signals as auth_signals

        # Security log and session clocks; importing the module also connects the MFA and SSO
        # receivers it declares with @receiver.
        from accounts import receivers

        auth_signals.user_logged_in.connect(receivers.on_logged_in, dispatch_uid="gw_logged_in")
        auth_signals.user_login_failed.connect(
            receivers.on_login_failed, dispatch_uid="gw_login_failed"
        )
        auth_signals.user_logged_out.connect(receivers.on_logged_out, dispatch_uid="gw_logged_out")
        user_locked_out.connect(receivers.on_locked_out, dispatch_uid="gw_locked_out")


def sync_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    from accounts.services import roles_sync

    roles_sync(apps=apps, using=using)
