import re

import pytest
from django.urls import reverse

from accounts.constants import Role
from tests.factories import PASSWORD, UserFactory, totp_code

LOGIN_URL = reverse("accounts:login")
MFA_URL = reverse("mfa_authenticate")


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def login(client, email, password=PASSWORD, **extra):
    """Log in as a user does: e-mail and password, then the code from the app."""
    response = client.post(LOGIN_URL, {"username": email, "password": password, **extra})
    if response.status_code == 302 and response.url == MFA_URL:
        return client.post(MFA_URL, {"code": totp_code()})
    return response


class LoginTests:
    @pytest.mark.parametrize(
        ("role", "landing"),
        [
            (Role.MEDEWERKER, "/casussen/"),
            (Role.COORDINATOR, "/coordinatie/"),
            (Role.BEHEERDER, "/beheer/"),
        ],
    )
    def test_each_role_lands_on_its_own_page(self, client, db, role, landing):
        user = UserFactory(role=role)
        response = login(client, user.email)
        assert response.status_code == 302
        assert response.url == landing
        assert client.get(landing).status_code == 200

    def test_login_ignores_case_of_email(self, client, worker):
        response = login(client, worker.email.upper())
        assert response.status_code == 302
        assert response.wsgi_request.user == worker

    def test_safe_next_is_followed(self, client, worker):
        response = login(client, worker.email, next="/casussen/")
        assert response.url == "/casussen/"

    def test_offsite_next_is_ignored(self, client, worker):
        response = login(client, worker.email, next="https://evil.example/")
        assert response.url == "/casussen/"

    def test_wrong_password_shows_one_message_without_revealing_the_account(self, client, worker):
        wrong = login(client, worker.email, "niet-het-wachtwoord")
        unknown = login(client, "niemand@example.nl", "niet-het-wachtwoord")
        assert wrong.status_code == unknown.status_code == 200
        assert wrong.context["form"].errors == unknown.context["form"].errors
        assert "passen niet bij een actief account" in wrong.content.decode()

    def test_inactive_user_gets_the_same_message(self, client, db):
        user = UserFactory(is_active=False)
        response = login(client, user.email)
        assert response.status_code == 200
        assert "passen niet bij een actief account" in response.content.decode()

    def test_empty_form_is_refused_with_a_message(self, client, db):
        response = client.post(LOGIN_URL, {})
        assert response.status_code == 200
        assert response.context["form"].errors["username"]

    def test_logged_in_user_visiting_login_goes_to_landing(self, client, worker):
        client.force_login(worker)
        response = client.get(LOGIN_URL)
        assert response.status_code == 302
        assert response.url == "/casussen/"

    def test_home_redirects_to_role_landing(self, client, coordinator):
        client.force_login(coordinator)
        assert client.get("/").url == "/coordinatie/"


class LogoutTests:
    def test_logout_by_post_ends_the_session(self, client, worker):
        client.force_login(worker)
        response = client.post(reverse("accounts:logout"))
        assert response.status_code == 302
        assert response.url == LOGIN_URL
        assert client.get("/casussen/").status_code == 302

    def test_logout_by_get_is_refused(self, client, worker):
        client.force_login(worker)
        assert client.get(reverse("accounts:logout")).status_code == 405
        assert client.get("/casussen/").status_code == 200


class LockoutTests:
    def test_five_failures_lock_the_account_even_with_the_right_password(self, client, worker):
        for _ in range(4):
            assert login(client, worker.email, "fout").status_code == 200
        locked = login(client, worker.email, "fout")
        assert locked.status_code == 429
        assert "een kwartier geblokkeerd" in locked.content.decode()
        after = login(client, worker.email)
        assert after.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_lockout_looks_the_same_for_an_unknown_address(self, client, worker):
        for _ in range(5):
            unknown = login(client, "bestaat-niet@example.nl", "fout")
        assert unknown.status_code == 429
        known_client = client.__class__(REMOTE_ADDR="10.0.0.2")
        for _ in range(5):
            known = login(known_client, worker.email, "fout")
        assert known.status_code == 429
        assert without_csrf(known.content) == without_csrf(unknown.content)

    def test_failures_are_counted_per_address_case_insensitively(self, client, worker):
        for i in range(5):
            email = worker.email.upper() if i % 2 else worker.email
            response = login(client, email, "fout")
        assert response.status_code == 429

    def test_success_before_the_limit_resets_the_count(self, client, worker):
        for _ in range(4):
            login(client, worker.email, "fout")
        assert login(client, worker.email).status_code == 302
        client.logout()
        assert login(client, worker.email, "fout").status_code == 200
