from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Casussen")

    def ready(self):
        from accounts.signals import user_access_changed

        user_access_changed.connect(end_invalid_shares, dispatch_uid="cases_end_invalid_shares")


def end_invalid_shares(sender, user, actor=None, **kwargs):
    from cases.services import case_shares_end_invalid

    case_shares_end_invalid(user=user, actor=actor)
