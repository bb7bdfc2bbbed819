"""The second factor (issue 10): every role enrols before reaching anything, logs in with a
TOTP code or a recovery code, and each refusal is clear and changes nothing."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from accounts.constants import Role, SecurityEventKind
from accounts.models import SecurityEvent
from accounts.selectors import user_may_remove_authenticator, user_needs_mfa_enrolment
from accounts.services import DEMO_USERS
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, log_in_with_code, totp_code

LOGIN_URL = reverse("accounts:login")
MFA_URL = reverse("mfa_authenticate")
ENROL_URL = reverse("mfa_index")
TOTP_URL = reverse("mfa_activate_totp")

pytestmark = pytest.mark.django_db


def password_step(client, user, password=PASSWORD):
    return client.post(LOGIN_URL, {"username": user.email, "password": password})


def reauthenticate(client, password=PASSWORD):
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()


def events(kind):
    return list(SecurityEvent.objects.filter(kind=kind))


class EnrolmentTests:
    @pytest.mark.parametrize(
        ("role", "landing"),
        [
            (Role.MEDEWERKER, "/casussen/"),
            (Role.COORDINATOR, "/coordinatie/"),
            (Role.BEHEERDER, "/beheer/"),
        ],
    )
    def test_every_role_is_sent_to_enrolment_until_it_has_a_second_factor(
        self, client, role, landing, django_capture_on_commit_callbacks
    ):
        user = UserFactory(role=role, mfa=False)
        response = password_step(client, user)
        assert response.status_code == 302  # no factor yet: nothing to ask
        for path in (landing, "/", "/begrippen/", "/sociale-kaart/", "/leidraden/"):
            refused = client.get(path)
            assert refused.status_code == 302, path
            assert refused.url == ENROL_URL, path
        assert client.post("/casussen/nieuw/").url == ENROL_URL
        page = client.get(ENROL_URL)
        assert page.status_code == 200
        assert "Stel er nu een in" in page.content.decode()

        client.get(TOTP_URL)
        secret = client.session["mfa.totp.secret"]
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(TOTP_URL, {"code": totp_code(secret)})
        assert done.status_code == 302
        assert client.get(landing).status_code == 200
        assert Authenticator.objects.filter(user=user, type="totp").exists()
        assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()
        enrolled = events(SecurityEventKind.MFA_ENROLLED)
        assert {e.detail for e in enrolled} == {"app (TOTP)", "herstelcodes"}
        assert {e.actor for e in enrolled} == {user}

    def test_without_a_factor_logout_and_language_switch_still_work(self, client):
        user = UserFactory(mfa=False)
        client.force_login(user)
        assert client.get("/casussen/").url == ENROL_URL
        assert client.post("/taal/", {"language": "en", "next": "/"}).status_code == 302
        assert client.post(reverse("accounts:logout")).url == LOGIN_URL
        assert "_auth_user_id" not in client.session

    def test_a_wrong_code_at_enrolment_is_refused_and_enrols_nothing(self, client):
        user = UserFactory(mfa=False)
        client.force_login(user)
        client.get(TOTP_URL)
        response = client.post(TOTP_URL, {"code": "000000"})
        assert response.status_code == 200
        assert "Deze code klopt niet" in response.content.decode()
        assert not Authenticator.objects.filter(user=user).exists()
        assert client.get("/casussen/").url == ENROL_URL

    def test_demo_users_may_skip_only_where_the_setting_allows(self, settings):
        demo = UserFactory(email=DEMO_USERS[0][0], mfa=False)
        settings.MFA_DEMO_USERS_MAY_SKIP = False
        assert user_needs_mfa_enrolment(user=demo, used_sso=False)
        settings.MFA_DEMO_USERS_MAY_SKIP = True
        assert not user_needs_mfa_enrolment(user=demo, used_sso=False)
        other = UserFactory(mfa=False)
        assert user_needs_mfa_enrolment(user=other, used_sso=False)
        assert not user_needs_mfa_enrolment(user=other, used_sso=True)

    def test_the_enrolled_session_costs_no_query_for_the_check(
        self, client, django_assert_num_queries
    ):
        user = UserFactory()
        client.force_login(user)
        client.get("/taal/")  # warm up what is not ours
        with django_assert_num_queries(2):  # session, user with its role: no MFA query
            client.get(reverse("accounts:home"))


class LoginWithCodeTests:
    def test_password_alone_does_not_log_in_when_a_factor_exists(self, client, worker):
        response = password_step(client, worker)
        assert response.url == MFA_URL
        assert "_auth_user_id" not in client.session
        assert client.get("/casussen/").url.startswith(LOGIN_URL)

    def test_the_current_code_logs_in(self, client, worker):
        password_step(client, worker)
        response = client.post(MFA_URL, {"code": totp_code()})
        assert response.url == "/casussen/"
        assert client.session["_auth_user_id"] == str(worker.pk)

    @pytest.mark.parametrize("code", ["expired", "wrong", "letters"])
    def test_an_expired_or_wrong_code_is_refused_and_logged(self, client, worker, code):
        value = {"expired": totp_code(offset=-3), "wrong": "123456", "letters": "abcdef"}[code]
        password_step(client, worker)
        response = client.post(MFA_URL, {"code": value})
        assert response.status_code == 200
        assert "Deze code klopt niet" in response.content.decode()
        assert "_auth_user_id" not in client.session
        [failed] = events(SecurityEventKind.MFA_FAILED)
        assert failed.subject == worker and failed.actor is None

    def test_a_used_code_is_refused_the_second_time(self, client, worker):
        password_step(client, worker)
        code = totp_code()
        assert client.post(MFA_URL, {"code": code}).status_code == 302
        client.post(reverse("accounts:logout"))
        password_step(client, worker)
        again = client.post(MFA_URL, {"code": code})
        assert again.status_code == 200
        assert "al gebruikt" in again.content.decode()
        assert "_auth_user_id" not in client.session

    def test_english_refusal_is_translated(self, client, worker):
        client.post("/taal/", {"language": "en", "next": "/"})
        password_step(client, worker)
        response = client.post(MFA_URL, {"code": "123456"})
        assert "This code is wrong, expired or already used" in response.content.decode()

    def test_too_many_wrong_codes_are_refused_even_with_the_right_one(self, client, worker):
        password_step(client, worker)
        for _ in range(5):
            client.post(MFA_URL, {"code": "123456"})
        response = client.post(MFA_URL, {"code": totp_code()})
        assert response.status_code == 200
        assert "Te veel onjuiste codes" in response.content.decode()
        assert "_auth_user_id" not in client.session


class RecoveryCodeTests:
    def test_a_recovery_code_logs_in_once_and_is_refused_when_replayed(self, client, worker):
        codes = RecoveryCodes.activate(worker).get_unused_codes()
        password_step(client, worker)
        assert client.post(MFA_URL, {"code": codes[0]}).url == "/casussen/"
        [used] = events(SecurityEventKind.RECOVERY_CODE_USED)
        assert used.actor == worker
        client.post(reverse("accounts:logout"))

        password_step(client, worker)
        replay = client.post(MFA_URL, {"code": codes[0]})
        assert replay.status_code == 200
        assert "Deze code klopt niet" in replay.content.decode()
        assert "_auth_user_id" not in client.session
        assert (
            len(RecoveryCodes(Authenticator.objects.get(type="recovery_codes")).get_unused_codes())
            == 9
        )


class RemovalTests:
    def test_the_only_factor_cannot_be_removed(self, client, worker):
        password_step(client, worker)
        client.post(MFA_URL, {"code": totp_code()})
        assert client.post(reverse("mfa_deactivate_totp")).url.startswith("/account/bevestigen/")
        reauthenticate(client)
        response = client.post(reverse("mfa_deactivate_totp"))
        assert response.status_code == 200
        assert "enige tweede factor" in response.content.decode()
        assert Authenticator.objects.filter(user=worker, type="totp").exists()
        assert not events(SecurityEventKind.MFA_REMOVED)

    def test_a_factor_goes_while_another_remains_and_is_logged(
        self, client, worker, django_capture_on_commit_callbacks
    ):
        passkey = Authenticator.objects.create(user=worker, type="webauthn", data={})
        password_step(client, worker)
        client.post(MFA_URL, {"code": totp_code()})
        elsewhere = Client()
        log_in_with_code(elsewhere, worker.email)
        assert elsewhere.get("/casussen/").status_code == 200
        assert client.post(reverse("mfa_deactivate_totp")).url.startswith("/account/bevestigen/")
        reauthenticate(client)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("mfa_deactivate_totp"))
        assert response.status_code == 302
        assert not Authenticator.objects.filter(user=worker, type="totp").exists()
        [removed] = events(SecurityEventKind.MFA_REMOVED)
        assert removed.subject == worker and removed.detail == "app (TOTP)"
        assert not user_may_remove_authenticator(authenticator=passkey)
        assert client.get("/casussen/").status_code == 200  # the passkey still counts
        # A change of factor ends the user's other sessions, as a password change does.
        assert elsewhere.get("/casussen/").url.startswith("/inloggen/")
        assert events(SecurityEventKind.SESSIONS_ENDED)

    def test_removing_the_last_factor_elsewhere_sends_the_session_back_to_enrolment(
        self, client, worker
    ):
        client.force_login(worker)
        assert client.get("/casussen/").status_code == 200
        Authenticator.objects.filter(user=worker).delete()
        session = client.session
        session.pop("accounts.mfa_ok")
        session.save()
        assert client.get("/casussen/").url == ENROL_URL


def test_totp_secret_of_factories_matches_the_codes():
    assert re.fullmatch(r"\d{6}", totp_code(TOTP_SECRET))
