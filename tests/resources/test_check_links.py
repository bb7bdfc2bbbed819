import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from resources.links import check_url
from resources.models import Organisation, Resource
from tests.factories import OrganisationFactory, ResourceFactory


class Handler(BaseHTTPRequestHandler):
    def _answer(self):
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/redirect":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/no-head":
            self.send_response(200)
        elif self.path == "/slow":
            time.sleep(1.5)
            self.send_response(200)
        elif self.path == "/error":
            self.send_response(500)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    """A web server on 127.0.0.1 in a thread: the link check never reaches the internet."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class CheckUrlTests:
    @pytest.mark.parametrize("path", ["/ok", "/redirect", "/no-head"])
    def test_working_addresses(self, local_server, path):
        assert check_url(local_server + path, timeout=1).ok

    @pytest.mark.parametrize(
        ("path", "error"), [("/missing", "HTTP 404"), ("/error", "HTTP 500"), ("/slow", "time-out")]
    )
    def test_failing_addresses(self, local_server, path, error):
        result = check_url(local_server + path, timeout=0.5)
        assert not result.ok
        assert result.error == error

    def test_refused_connection(self):
        result = check_url("http://127.0.0.1:9/", timeout=0.5)
        assert not result.ok

    def test_only_http_addresses_are_requested(self):
        assert check_url("file:///etc/passwd").error == "geen http(s)-adres"


class CheckLinksCommandTests:
    def test_command_records_failures_and_successes(self, db, local_server, capsys):
        ok = ResourceFactory(slug="ok", url=f"{local_server}/ok")
        missing = ResourceFactory(slug="missing", url=f"{local_server}/missing")
        slow = ResourceFactory(slug="slow", url=f"{local_server}/slow")
        archived = ResourceFactory(
            slug="archived", url=f"{local_server}/missing", status="gearchiveerd"
        )
        organisation = OrganisationFactory(
            slug="org", website=f"{local_server}/ok", chat_url=f"{local_server}/error"
        )
        Organisation.objects.exclude(pk=organisation.pk).update(website="", chat_url="")
        history_before = Resource.history.count()

        call_command("check_links", "--timeout", "0.5", "--workers", "4")

        assert Resource.objects.get(pk=ok.pk).link_ok is True
        stored = Resource.objects.get(pk=missing.pk)
        assert (stored.link_ok, stored.link_error) == (False, "HTTP 404")
        assert stored.link_checked_at is not None
        assert Resource.objects.get(pk=slow.pk).link_error == "time-out"
        assert Resource.objects.get(pk=archived.pk).link_checked_at is None
        org = Organisation.objects.get(pk=organisation.pk)
        assert org.link_ok is False
        assert "HTTP 500" in org.link_error
        # A link check is not a content change.
        assert Resource.history.count() == history_before
        assert "failing link" in capsys.readouterr().out
