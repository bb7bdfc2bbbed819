from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.constants import Role
from accounts.models import User
from guidance.models import Guide
from tests.content_snapshot import load_content
from tests.factories import UserFactory


class FirstStartTests:
    def test_an_empty_installation_is_told_what_to_do(self, db):
        out = StringIO()
        call_command("first_start", stdout=out)
        text = out.getvalue()
        assert "create_beheerder" in text
        assert "load_content" in text
        assert "LOAD_CONTENT_ON_START=1" in text

    def test_with_the_flag_it_loads_the_content(self, db):
        out = StringIO()
        call_command("first_start", "--load-content", stdout=out)
        assert Guide.objects.exists()
        assert "No content yet" not in out.getvalue()

    def test_a_ready_installation_says_so(self, db):
        # The content first: from a new database that is the suite's copy of a real load
        # (tests/content_snapshot.py); the flag's test above runs the command itself.
        load_content()
        UserFactory(role=Role.BEHEERDER, team=None)
        out = StringIO()
        call_command("first_start", stdout=out)
        assert out.getvalue().startswith("Ready")


class CreateBeheerderTests:
    def test_creates_a_beheerder_from_the_environment(self, db, monkeypatch):
        monkeypatch.setenv("BEHEERDER_PASSWORD", "een-lang-genoeg-wachtwoord")
        call_command("create_beheerder", "Beheer@Gemeente.nl", "--no-input", stdout=StringIO())
        user = User.objects.get(email="beheer@gemeente.nl")
        assert user.role == Role.BEHEERDER
        assert user.is_staff
        assert user.check_password("een-lang-genoeg-wachtwoord")

    def test_a_weak_password_is_refused(self, db, monkeypatch):
        monkeypatch.setenv("BEHEERDER_PASSWORD", "kort")
        with pytest.raises(CommandError):
            call_command("create_beheerder", "b@gemeente.nl", "--no-input", stdout=StringIO())
        assert not User.objects.exists()

    def test_an_existing_address_is_refused(self, db, monkeypatch):
        UserFactory(email="b@gemeente.nl")
        monkeypatch.setenv("BEHEERDER_PASSWORD", "een-lang-genoeg-wachtwoord")
        with pytest.raises(CommandError):
            call_command("create_beheerder", "b@gemeente.nl", "--no-input", stdout=StringIO())
