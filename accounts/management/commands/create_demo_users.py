from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accounts.services import DEMO_PASSWORD, demo_users_ensure


class Command(BaseCommand):
    help = "Create one demo user per role in a demo region and team (development only)."

    def handle(self, *args, **options):
        try:
            users = demo_users_ensure()
        except PermissionDenied as exc:
            raise CommandError(
                "Demo users are only created with the development settings."
            ) from exc
        self.stdout.write("Demo accounts (development only), password: " + DEMO_PASSWORD)
        for email, role in users:
            self.stdout.write(f"  {role:<12} {email}")
        if settings.MFA_DEMO_USERS_MAY_SKIP:
            self.stdout.write(
                "Second factor: these demo users may skip it in development only "
                "(MFA_DEMO_USERS_MAY_SKIP in config/settings/dev.py); every other account is "
                "sent to /account/2fa/ at first login. Production always asks for one."
            )
