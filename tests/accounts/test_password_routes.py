"""The permission matrix for passwords: no route lets a Beheerder set another user's password
(nor the superuser's). Every URL of the project, and the admin's user pages, is tried with
every password field Django's forms know; the victims' password hashes never change."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from accounts.constants import Role
from tests.config.test_security import all_paths
from tests.factories import UserFactory

NEW = "overgenomen door de beheerder"
PAYLOAD_KEYS = ("password", "password1", "password2", "new_password1", "new_password2")


@pytest.fixture
def victims(db):
    return [UserFactory(), UserFactory(role=Role.BEHEERDER, team=None, is_superuser=True)]


def test_no_route_lets_a_beheerder_set_a_password(beheerder, victims):
    paths = set(all_paths())
    for victim in victims:
        paths |= {
            f"/beheer/accounts/user/{victim.pk}/password/",
            f"/beheer/accounts/user/{victim.pk}/change/",
            "/beheer/accounts/user/add/",
            "/beheer/password_change/",
            "/beheer/auth/user/",
        }
    before = {v.pk: v.password for v in victims}
    client = Client()
    for path in sorted(paths):
        for victim in victims:
            # Logged in as the Beheerder for every request: again only where a route ended
            # the session (logging in before each of the 544 requests took a third of the time).
            if client.session.get(SESSION_KEY) != str(beheerder.pk):
                client.force_login(beheerder)
            payload = {key: NEW for key in PAYLOAD_KEYS} | {
                "old_password": NEW,
                "usable_password": "true",
                "user": victim.pk,
                "email": victim.email,
                "role": Role.MEDEWERKER.value,
                "is_active": "on",
            }
            client.post(path, payload)
    for victim in victims:
        victim.refresh_from_db()
        assert victim.password == before[victim.pk], victim
        assert not victim.check_password(NEW)


def test_the_admins_password_form_for_a_user_does_not_exist(client, beheerder, victims):
    client.force_login(beheerder)
    response = client.get(f"/beheer/accounts/user/{victims[0].pk}/password/", follow=True)
    assert 'name="password1"' not in response.content.decode()
    change = client.get(f"/beheer/accounts/user/{victims[0].pk}/change/").content.decode()
    assert 'type="password"' not in change
    assert "password/" not in change


def test_the_admins_own_password_form_sends_to_the_one_password_page(client, beheerder):
    client.force_login(beheerder)
    response = client.get("/beheer/password_change/")
    assert response.status_code == 302
    assert response.url == "/mijn-account/wachtwoord/"
