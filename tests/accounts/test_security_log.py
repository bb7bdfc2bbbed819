"""The security log's contract: append-only in the model, the queryset and the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from accounts.constants import SecurityEventKind
from accounts.models import SecurityEvent
from accounts.net import client_ip
from accounts.services import security_event_record

pytestmark = pytest.mark.django_db


def test_event_is_recorded_without_content(worker):
    event = security_event_record(
        kind=SecurityEventKind.LOGIN_SUCCEEDED, actor=worker, ip_address="192.0.2.7"
    )
    assert SecurityEvent.objects.get() == event
    assert event.actor == worker and event.ip_address == "192.0.2.7"


def test_security_log_refuses_changes_everywhere(worker):
    event = security_event_record(kind=SecurityEventKind.LOGGED_OUT, actor=worker)
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        SecurityEvent.objects.update(detail="x")
    with pytest.raises(ValidationError):
        SecurityEvent.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_securityevent SET detail = 'x'")
    assert SecurityEvent.objects.get().detail == ""


def test_client_ip_trusts_only_the_configured_proxies(settings):
    factory = RequestFactory()
    forged = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(forged) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(forged) == "203.0.113.9"  # what our proxy saw, not what the client wrote
    short = factory.get("/", REMOTE_ADDR="10.0.0.2")
    assert client_ip(short) == "10.0.0.2"
    junk = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(junk) == "10.0.0.2"


def test_login_and_logout_are_logged_with_the_address(worker):
    from django.test import Client

    from tests.factories import PASSWORD, log_in_with_code

    client = Client(REMOTE_ADDR="203.0.113.4")
    log_in_with_code(client, worker.email, PASSWORD)
    client.post("/uitloggen/")
    rows = list(SecurityEvent.objects.order_by("pk").values_list("kind", "actor", "ip_address"))
    assert rows == [
        (SecurityEventKind.LOGIN_SUCCEEDED, worker.pk, "203.0.113.4"),
        (SecurityEventKind.LOGGED_OUT, worker.pk, "203.0.113.4"),
    ]


def test_failed_login_names_the_account_never_the_typed_address(worker, client):
    client.post("/inloggen/", {"username": worker.email, "password": "fout-fout-fout"})
    client.post("/inloggen/", {"username": "geheim-adres@example.nl", "password": "fout"})
    known, unknown = SecurityEvent.objects.order_by("pk")
    assert known.subject == worker
    assert unknown.subject is None and unknown.detail == "onbekend account"
    assert not SecurityEvent.objects.filter(detail__icontains="geheim").exists()


class SecurityLogAdminTests:
    URL = "/beheer/accounts/securityevent/"

    def test_beheerder_reads_the_log_within_a_query_budget(
        self, client, beheerder, django_assert_max_num_queries
    ):
        from tests.factories import UserFactory

        users = [UserFactory() for _ in range(10)]
        for n in range(60):
            security_event_record(
                kind=SecurityEventKind.CASE_ACCESS_REFUSED, actor=users[n % 10],
                subject=users[(n + 1) % 10], ip_address="192.0.2.1", detail="GW-2026-0001",
            )  # fmt: skip
        client.force_login(beheerder)
        with django_assert_max_num_queries(12):
            response = client.get(self.URL)
        assert response.status_code == 200
        assert response.content.decode().count("GW-2026-0001") >= 60

    def test_the_log_is_read_only_in_the_back_office(self, client, beheerder, worker):
        event = security_event_record(kind=SecurityEventKind.LOGIN_FAILED, subject=worker)
        client.force_login(beheerder)
        assert client.get(f"{self.URL}add/").status_code == 403
        assert client.post(f"{self.URL}{event.pk}/delete/").status_code == 403
        change = client.post(f"{self.URL}{event.pk}/change/", {"detail": "weg"})
        assert change.status_code == 403
        event.refresh_from_db()
        assert event.detail == ""

    def test_a_coordinator_does_not_see_the_log(self, client, coordinator):
        client.force_login(coordinator)
        assert client.get(self.URL).status_code == 403
