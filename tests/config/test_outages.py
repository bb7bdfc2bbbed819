"""A database that stops answering costs a request seconds, not a worker (issue 11)."""

import contextlib
import socket
import threading
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.factories import UserFactory


class FreezableProxy:
    """A TCP proxy on 127.0.0.1 in front of PostgreSQL. Frozen, it still accepts connections
    and keeps the open ones, but forwards nothing: the database looks stuck, not down."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.running = threading.Event()
        self.running.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                self.running.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def freeze(self):
        self.running.clear()

    def thaw(self):
        self.running.set()

    def close(self):
        self.closed = True
        self.running.set()
        self.listener.close()
        for sock in self.sockets:
            # Shut down first, so PostgreSQL sees the session end before the test database
            # is dropped.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()


@pytest.fixture
def through_proxy(transactional_db):
    """Point the app's connection at a freezable proxy, with short timeouts."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the timeouts are PostgreSQL's and psycopg's")
    settings_dict = connection.settings_dict
    saved = {key: settings_dict.get(key) for key in ("HOST", "PORT", "CONN_MAX_AGE")}
    saved_options = dict(settings_dict["OPTIONS"])
    proxy = FreezableProxy(settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432))
    connection.close()
    settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    settings_dict["OPTIONS"].update(
        connect_timeout=2, query_timeout=2, options="-c statement_timeout=1000"
    )
    yield proxy
    proxy.thaw()
    connection.close()
    settings_dict.update(saved)
    settings_dict["OPTIONS"] = saved_options
    proxy.close()


class OutageTests:
    @pytest.mark.parametrize("kept_connection", [False, True], ids=["new", "kept"])
    def test_a_frozen_database_answers_503_in_seconds_and_recovers(
        self, through_proxy, kept_connection
    ):
        user = UserFactory()
        connection.settings_dict["CONN_MAX_AGE"] = 60 if kept_connection else 0
        client = Client(raise_request_exception=False)
        client.force_login(user)
        assert client.get("/health/ready/").status_code == 200
        assert client.get("/begrippen/").status_code == 200

        through_proxy.freeze()
        started = time.monotonic()
        response = client.get("/begrippen/?q=schaamte")  # a search reads the database
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert response["Retry-After"].isdigit()
        assert "Tijdelijk niet beschikbaar" in response.content.decode()
        assert "Temporarily unavailable" in response.content.decode()
        # connect_timeout (2 s) and the query deadline (2 s), with room for a slow machine.
        assert elapsed < 8, elapsed
        assert client.get("/health/ready/").status_code == 503
        assert client.get("/health/live/").status_code == 200

        through_proxy.thaw()
        connection.close()  # the frozen connection was discarded; drop Django's handle too
        assert client.get("/begrippen/").status_code == 200
        assert client.get("/health/ready/").status_code == 200


class StatementTimeoutTests:
    def test_a_slow_statement_is_ended_by_the_server(self, through_proxy):
        with pytest.raises(OperationalError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(3)")


class DatabaseDownTests:
    def test_a_database_error_is_a_503_with_retry_after_not_a_500(self, client, worker):
        client.raise_request_exception = False
        client.force_login(worker)
        with mock.patch(
            "glossary.views.term_search", side_effect=OperationalError("connection refused")
        ):
            response = client.get("/begrippen/?q=schaamte")  # a search reads the database
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert "Tijdelijk niet beschikbaar" in response.content.decode()

    def test_any_other_error_is_still_the_500_page(self, client, worker):
        client.raise_request_exception = False
        client.force_login(worker)
        with mock.patch("glossary.views.term_search", side_effect=RuntimeError("bug")):
            response = client.get("/begrippen/?q=schaamte")  # a search reads the database
        assert response.status_code == 500


class ProbeTests:
    @pytest.mark.parametrize("path", ["/health/", "/health/live/", "/health/ready/"])
    def test_probes_answer_whatever_the_host(self, client, db, path, settings):
        settings.ALLOWED_HOSTS = ["gesprekswijzer.example.nl"]
        response = client.get(path, HTTP_HOST="127.0.0.1:8000")
        assert response.status_code == 200

    def test_other_pages_still_refuse_an_unknown_host(self, client, db, settings):
        settings.ALLOWED_HOSTS = ["gesprekswijzer.example.nl"]
        assert client.get("/inloggen/", HTTP_HOST="127.0.0.1:8000").status_code == 400

    def test_liveness_does_not_need_the_database(self, client, db):
        with mock.patch("config.views.connection.cursor", side_effect=Exception("down")):
            assert client.get("/health/live/").status_code == 200
            assert client.get("/health/ready/").status_code == 503

    def test_probes_are_not_redirected_to_https(self, client, db, settings):
        settings.SECURE_SSL_REDIRECT = True
        settings.SECURE_REDIRECT_EXEMPT = []
        assert client.get("/health/live/").status_code == 200
