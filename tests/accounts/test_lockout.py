"""The lockout holds: per account for the right password too, from any address, with one
answer for right, wrong and unknown; per client by its real address behind trusted proxies."""

import re

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.constants import SecurityEventKind
from accounts.models import SecurityEvent
from tests.factories import PASSWORD, UserFactory, log_in_with_code, make_case

LOGIN_URL = reverse("accounts:login")


def login(client, email, password=PASSWORD):
    return client.post(LOGIN_URL, {"username": email, "password": password})


def comparable(response):
    """Everything a client can tell apart: the status, every header but the per-request id,
    the cookies set (names and attributes, not the CSRF cookie's random value nor its clock
    time) and the body without the per-render CSRF token."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
    headers = sorted((k, v) for k, v in response.items() if k != "X-Request-ID")
    cookies = sorted(
        (name, sorted((k, v) for k, v in morsel.items() if v and k != "expires"))
        for name, morsel in response.cookies.items()
    )
    return (response.status_code, headers, cookies, body)


def fail_five_times(client, email):
    responses = [login(client, email, "helemaal-fout-wachtwoord") for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]


class AccountLockoutTests:
    def test_right_password_from_another_address_is_refused_like_a_wrong_one(self, worker, db):
        attacker = Client(REMOTE_ADDR="198.51.100.1")
        fail_five_times(attacker, worker.email)

        owner = Client(REMOTE_ADDR="203.0.113.20")
        right = login(owner, worker.email)
        wrong = login(Client(REMOTE_ADDR="203.0.113.21"), worker.email, "nog-een-fout-wachtwoord")

        assert right.status_code == 429
        assert comparable(right) == comparable(wrong)
        assert "_auth_user_id" not in owner.session
        assert "een kwartier geblokkeerd" in right.content.decode()

    def test_a_locked_unknown_account_answers_like_a_locked_real_one(self, worker, db):
        fail_five_times(Client(REMOTE_ADDR="198.51.100.1"), "niemand@example.nl")
        fail_five_times(Client(REMOTE_ADDR="198.51.100.2"), worker.email)
        unknown = login(Client(REMOTE_ADDR="203.0.113.1"), "niemand@example.nl")
        known = login(Client(REMOTE_ADDR="203.0.113.2"), worker.email)
        assert comparable(unknown) == comparable(known)

    def test_authenticate_refuses_the_right_password_while_locked(self, worker, db):
        """Whatever login view calls authenticate() (ours, the admin's, allauth's)."""
        factory = RequestFactory()
        for _ in range(5):
            request = factory.post("/", REMOTE_ADDR="198.51.100.1")
            assert authenticate(request, username=worker.email, password="fout-fout-fout") is None
        request = factory.post("/", REMOTE_ADDR="203.0.113.9")
        assert authenticate(request, username=worker.email, password=PASSWORD) is None
        assert request.axes_locked_out is True
        other = UserFactory()
        request = factory.post("/", REMOTE_ADDR="203.0.113.9")
        assert authenticate(request, username=other.email, password=PASSWORD) == other

    def test_credentials_keyed_as_allauth_posts_them_count_too(self, worker, db):
        factory = RequestFactory()
        for _ in range(5):
            request = factory.post("/", {"login": worker.email}, REMOTE_ADDR="198.51.100.1")
            authenticate(request, email=worker.email, password="fout-fout-fout")
        request = factory.post("/", {"login": worker.email}, REMOTE_ADDR="203.0.113.9")
        assert authenticate(request, email=worker.email, password=PASSWORD) is None

    def test_lockout_is_logged_once_and_refused_attempts_each(self, worker, db):
        fail_five_times(Client(REMOTE_ADDR="198.51.100.1"), worker.email)
        login(Client(REMOTE_ADDR="203.0.113.20"), worker.email)
        locked = SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT)
        assert [(e.subject, e.ip_address) for e in locked] == [(worker, "198.51.100.1")]
        failed = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED)
        assert failed.count() == 6
        assert failed.first().ip_address == "203.0.113.20"
        assert "geblokkeerd" in failed.first().detail
        assert not SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_SUCCEEDED).exists()


class ProxyTests:
    @pytest.fixture(autouse=True)
    def _one_proxy(self, settings):
        settings.TRUSTED_PROXY_COUNT = 1

    def via_proxy(self, client_address, forged=""):
        """Every request reaches the app from the proxy (10.0.0.1), which appends the address
        it saw; `forged` is what the client itself wrote in X-Forwarded-For."""
        chain = f"{forged}, {client_address}" if forged else client_address
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=chain)

    def test_one_attackers_failures_do_not_lock_out_another_address(self, worker, db):
        attacker = self.via_proxy("198.51.100.66")
        victims = [UserFactory() for _ in range(5)]
        for victim in victims:  # password spraying: one failure per account
            login(attacker, victim.email, "fout-fout-fout")
        assert login(attacker, worker.email).status_code == 429  # the attacker is locked out
        colleague = self.via_proxy("203.0.113.5")
        response = log_in_with_code(colleague, worker.email)
        assert response.status_code == 302
        assert colleague.session["_auth_user_id"] == str(worker.pk)

    def test_forged_forwarded_for_does_not_escape_the_lockout(self, worker, db):
        for n in range(5):
            login(self.via_proxy("198.51.100.66", forged=f"192.0.2.{n}"), f"x{n}@example.nl", "f")
        response = login(self.via_proxy("198.51.100.66", forged="192.0.2.99"), worker.email)
        assert response.status_code == 429

    def test_the_access_log_records_the_real_address(self, worker, db):
        client = self.via_proxy("203.0.113.5", forged="6.6.6.6")
        log_in_with_code(client, worker.email)
        event = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN_SUCCEEDED)
        assert event.ip_address == "203.0.113.5"

    def test_the_case_access_log_records_the_real_address_too(self, db):
        from cases.models import AccessLog

        case = make_case()
        client = self.via_proxy("203.0.113.5", forged="6.6.6.6")
        client.force_login(case.owner)
        assert client.get(case.get_absolute_url()).status_code == 200
        assert AccessLog.objects.filter(case=case).latest("pk").ip_address == "203.0.113.5"

    def test_forwarded_for_from_an_address_that_is_no_trusted_proxy_is_ignored(
        self, settings, worker, db
    ):
        settings.TRUSTED_PROXY_NETWORKS = ["10.0.0.0/24"]
        direct = Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="203.0.113.5")
        for n in range(5):
            direct.defaults["HTTP_X_FORWARDED_FOR"] = f"203.0.113.{n}"
            login(direct, f"x{n}@example.nl", "fout-fout-fout")
        assert login(direct, worker.email).status_code == 429
        assert login(self.via_proxy("203.0.113.5"), worker.email).status_code == 302
        address = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED).first()
        assert address.ip_address == "198.51.100.66"
