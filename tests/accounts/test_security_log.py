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
