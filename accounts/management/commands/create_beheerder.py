import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.constants import Role
from accounts.models import User
from accounts.services import user_create

PASSWORD_ENV = "BEHEERDER_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a Beheerder (the first one after installing): asks for the password twice, or "
        f"reads it from ${PASSWORD_ENV} with --no-input."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Display name.")
        parser.add_argument("--no-input", action="store_true", help=f"Read ${PASSWORD_ENV}.")

    def handle(self, *args, email, name="", no_input=False, **options):
        email = email.strip().lower()
        if User.objects.filter(email=email).exists():
            raise CommandError(f"A user with the address {email} already exists.")
        if no_input:
            password = os.environ.get(PASSWORD_ENV, "")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            validate_password(password, User(email=email, display_name=name))
            user_create(email=email, password=password, role=Role.BEHEERDER, display_name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Beheerder {email} created; log in at /inloggen/.")
