"""Sessions: idle timeout and absolute limit (time travel), the user's own list of sessions,
ending them, the Beheerder ending them, and no-store on every page behind login."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.constants import SecurityEventKind
from accounts.models import SecurityEvent, UserSession
from accounts.services import sessions_end
from accounts.sessions import session_public_id
from tests.factories import PASSWORD, UserFactory, log_in_with_code

ACCOUNT = reverse("accounts:account")
END = reverse("accounts:session_end")


def logged_in(user, address="203.0.113.7", agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"):
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    response = log_in_with_code(client, user.email, PASSWORD)
    assert response.status_code == 302
    return client


class SessionLimitTests:
    def test_session_ends_after_the_idle_timeout(self, worker, clock):
        client = logged_in(worker)
        clock.advance(minutes=29)
        assert client.get("/casussen/").status_code == 200
        clock.advance(minutes=29)  # active 29 minutes ago: still in
        assert client.get("/casussen/").status_code == 200
        clock.advance(minutes=30, seconds=1)
        response = client.get("/casussen/")
        assert response.status_code == 302
        assert response.url.startswith("/inloggen/")
        page = client.get(response.url)
        assert "30 minuten niet actief" in page.content.decode()
        event = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGGED_OUT).first()
        assert event.subject == worker and "niet actief" in event.detail

    def test_session_ends_at_the_absolute_limit_however_active(self, worker, clock):
        client = logged_in(worker)
        for _ in range(20):  # a request every 29m50s, up to 9h56m40s after login
            clock.advance(minutes=29, seconds=50)
            assert client.get("/casussen/").status_code == 200
        clock.advance(minutes=5)
        response = client.get("/casussen/")
        assert response.status_code == 302
        assert "langer dan 10 uur" in client.get(response.url).content.decode()

    def test_limits_come_from_settings(self, settings, worker, clock):
        import datetime as dt

        settings.SESSION_IDLE_TIMEOUT = dt.timedelta(minutes=5)
        client = logged_in(worker)
        clock.advance(minutes=5, seconds=1)
        assert client.get("/casussen/").status_code == 302

    def test_activity_is_written_at_most_once_a_minute(self, worker, clock):
        client = logged_in(worker)
        before = UserSession.objects.get(user=worker).last_seen_at
        client.get("/casussen/")
        assert UserSession.objects.get(user=worker).last_seen_at == before
        clock.advance(minutes=2)
        client.get("/casussen/")
        assert UserSession.objects.get(user=worker).last_seen_at > before

    def test_every_page_behind_login_is_no_store(self, worker):
        client = logged_in(worker)
        for path in ("/casussen/", "/sociale-kaart/", "/begrippen/", "/leidraden/", ACCOUNT):
            assert client.get(path)["Cache-Control"] == "no-store", path


class OwnSessionsTests:
    def test_user_sees_their_active_sessions_and_no_one_elses(self, worker):
        first = logged_in(worker, "203.0.113.7")
        logged_in(
            worker, "203.0.113.8", agent="Mozilla/5.0 (Windows NT 10.0) Chrome/130 Safari/537"
        )
        logged_in(UserFactory(), "198.51.100.9")
        response = first.get(ACCOUNT)
        sessions = response.context["sessions"]
        assert [s.ip_address for s in sessions] == ["203.0.113.8", "203.0.113.7"]
        assert [s.current for s in sessions] == [False, True]
        html = response.content.decode()
        assert "Chrome op Windows" in html and "Firefox op Linux" in html
        assert "198.51.100.9" not in html
        for key in UserSession.objects.values_list("session_key", flat=True):
            assert key not in html  # the key is a credential; only a derived id is shown

    def test_user_ends_another_session(self, worker):
        first = logged_in(worker)
        second = logged_in(worker)
        other = next(s for s in first.get(ACCOUNT).context["sessions"] if not s.current)
        response = first.post(END, {"session": other.public_id})
        assert response.status_code == 302
        assert first.get("/casussen/").status_code == 200
        assert second.get("/casussen/").status_code == 302

    def test_user_ends_all_other_sessions(self, worker):
        clients = [logged_in(worker) for _ in range(3)]
        clients[0].post(END, {"session": "others"})
        assert [c.get("/casussen/").status_code for c in clients] == [200, 302, 302]
        event = SecurityEvent.objects.get(kind=SecurityEventKind.SESSIONS_ENDED)
        assert event.detail.startswith("2 ")

    def test_a_session_of_someone_else_cannot_be_ended(self, worker):
        mine = logged_in(worker)
        colleague = UserFactory()
        theirs = logged_in(colleague)
        key = UserSession.objects.get(user=colleague).session_key
        response = mine.post(END, {"session": session_public_id(key)}, follow=True)
        assert "bestaat niet (meer)" in response.content.decode()
        assert theirs.get("/casussen/").status_code == 200

    def test_garbage_is_refused_with_a_message(self, worker):
        client = logged_in(worker)
        response = client.post(END, {"session": "x" * 500}, follow=True)
        assert "bestaat niet (meer)" in response.content.decode()

    def test_account_page_query_budget(self, worker, django_assert_max_num_queries):
        client = logged_in(worker)
        for _ in range(15):
            logged_in(worker)
        with django_assert_max_num_queries(6):
            response = client.get(ACCOUNT)
        assert len(response.context["sessions"]) == 16


class BeheerderEndsSessionsTests:
    def test_beheerder_ends_a_users_sessions_in_the_back_office(self, worker, beheerder):
        worker_client = logged_in(worker)
        admin = Client()
        admin.force_login(beheerder)
        response = admin.post(
            "/beheer/accounts/user/",
            {"action": "end_sessions", "_selected_action": [worker.pk]},
        )
        assert response.status_code == 302
        assert worker_client.get("/casussen/").status_code == 302
        event = SecurityEvent.objects.get(kind=SecurityEventKind.SESSIONS_ENDED)
        assert (event.actor, event.subject) == (beheerder, worker)

    def test_service_keeps_the_session_asked_for(self, worker):
        keep = logged_in(worker)
        logged_in(worker)
        assert sessions_end(user=worker, actor=None, keep_session_key=keep.session.session_key) == 1
        assert keep.get("/casussen/").status_code == 200


@pytest.mark.parametrize("path", ["/inloggen/"])
def test_public_login_page_does_not_need_a_session_row(client, db, path):
    client.get(path)
    assert not UserSession.objects.filter(user__isnull=False).exists()
