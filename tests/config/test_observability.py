"""JSON logs with request id, user id and path, never content; Sentry without case data."""

import io
import json
import logging
from unittest import mock

import pytest
import sentry_sdk
from django.conf import settings
from sentry_sdk.transport import Transport

from config.observability import scrub_event, sentry_init
from tests.factories import make_case

SECRET = "geheime-aantekening-over-de-jongere"


@pytest.fixture
def log_lines():
    """Everything logged during the test, as the production formatter writes it."""
    formatter_spec = dict(settings.LOGGING["formatters"]["structured"])
    factory = formatter_spec.pop("()")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(factory(**formatter_spec))
    loggers = [logging.getLogger(), logging.getLogger("django.request")]
    saved = [(logger.level, logger.handlers[:]) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line]
    for logger, (level, handlers) in zip(loggers, saved, strict=True):
        logger.setLevel(level)
        logger.handlers = handlers


class JsonLogTests:
    def test_one_json_line_per_request_with_ids_and_no_query_values(self, client, db, log_lines):
        case = make_case()
        client.force_login(case.owner)
        response = client.get(f"/casussen/{case.reference}/?q={SECRET}&email={case.owner.email}")
        assert response.status_code == 200
        events = [e for e in log_lines() if e["event"] == "request"]
        assert len(events) == 1
        event = events[0]
        assert event["request_id"] == response["X-Request-ID"]
        assert event["user_id"] == case.owner.pk
        assert event["path"] == f"/casussen/{case.reference}/"
        assert event["status"] == 200
        text = json.dumps(log_lines())
        assert SECRET not in text
        assert case.owner.email not in text

    def test_a_server_error_is_one_line_without_the_request_body(self, client, db, log_lines):
        case = make_case()
        client.force_login(case.owner)
        client.raise_request_exception = False
        step = case.guide_version.snapshot["steps"][0]["key"]
        with mock.patch("cases.services.case_update_step", side_effect=RuntimeError("bug")):
            response = client.post(
                f"/casussen/{case.reference}/stap/{step}/?x={SECRET}",
                {"notes": SECRET, "version": 0},
            )
        assert response.status_code == 500
        errors = [e for e in log_lines() if e["level"] == "error"]
        assert errors
        assert all("request_id" in e and "RuntimeError" in e.get("exception", "") for e in errors)
        assert SECRET not in json.dumps(log_lines())


class CaptureTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


class SentryTests:
    def test_sentry_is_off_without_a_dsn(self):
        assert settings.SENTRY_DSN == ""
        assert sentry_sdk.get_client().transport is None  # nothing is ever sent

    @pytest.mark.sentry_patches
    def test_nothing_case_related_reaches_sentry(self, client, db):
        transport = CaptureTransport()
        sentry_init("https://public@sentry.example.invalid/1", transport=transport)
        try:
            case = make_case()
            client.force_login(case.owner)
            client.raise_request_exception = False
            client.cookies["note"] = SECRET
            step = case.guide_version.snapshot["steps"][0]["key"]
            with mock.patch(
                "cases.services.case_update_step", side_effect=RuntimeError("bug in a step")
            ):
                response = client.post(
                    f"/casussen/{case.reference}/stap/{step}/?q={SECRET}",
                    {"notes": SECRET, "version": 0},
                )
            assert response.status_code == 500
            sentry_sdk.flush()
        finally:
            sentry_sdk.init()  # off again
        payloads = [item.get_bytes().decode() for env in transport.envelopes for item in env.items]
        assert any("bug in a step" in payload for payload in payloads)
        text = "\n".join(payloads)
        assert SECRET not in text
        assert case.owner.email not in text
        assert "sessionid" not in text

    def test_scrub_keeps_the_error_and_drops_request_data(self):
        event = {
            "request": {
                "url": f"https://gw.example/casussen/GW-2026-0001/?q={SECRET}",
                "method": "POST",
                "data": {"notes": SECRET},
                "query_string": f"q={SECRET}",
                "cookies": {"sessionid": "abc"},
                "headers": {"Referer": f"https://gw.example/?q={SECRET}"},
            },
            "user": {"id": 7, "email": "a@b.nl", "ip_address": "10.0.0.1"},
            "breadcrumbs": {"values": [{"message": SECRET}]},
            "extra": {"x": SECRET},
            "exception": {"values": [{"type": "RuntimeError", "value": "bug",
                                      "stacktrace": {"frames": [{"vars": {"notes": SECRET}}]}}]},
        }  # fmt: skip
        scrubbed = scrub_event(event)
        assert SECRET not in json.dumps(scrubbed)
        assert scrubbed["request"] == {
            "method": "POST",
            "url": "https://gw.example/casussen/GW-2026-0001/",
        }
        assert scrubbed["user"] == {"id": 7}
        assert scrubbed["exception"]["values"][0]["type"] == "RuntimeError"
