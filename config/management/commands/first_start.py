from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.constants import Role


class Command(BaseCommand):
    help = (
        "Run by the container on every start, after migrate: says what an empty installation "
        "still needs (the first Beheerder, the content) and how to do it; with --load-content "
        "it loads the content itself (safe on every start: back-office edits are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--load-content", action="store_true")

    def handle(self, *args, load_content=False, **options):
        if load_content:
            call_command("load_content", stdout=self.stdout)
        Guide = apps.get_model("guidance", "Guide")
        User = apps.get_model("accounts", "User")
        todo = []
        if not User.objects.filter(groups__name=Role.BEHEERDER.value, is_active=True).exists():
            todo.append(
                "No Beheerder yet. Create the first one:\n"
                "    docker-compose exec web python manage.py create_beheerder you@example.nl"
            )
        if not Guide.objects.exists():
            todo.append(
                "No content yet (guides, glossary, social map). Load it:\n"
                "    docker-compose exec web python manage.py load_content\n"
                "  or start with LOAD_CONTENT_ON_START=1 (loads on every start, never "
                "overwrites a back-office edit)."
            )
        if todo:
            self.stdout.write("First start — to do:\n" + "\n".join(f"- {item}" for item in todo))
        else:
            self.stdout.write("Ready: a Beheerder and the content are in place.")
