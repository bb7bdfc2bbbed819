"""The HSDS API's HTTP behaviour outside the happy path: every answer under /api/hsds/ is JSON
with the CORS header, errors included; other methods get 405; anonymous clients are rate
limited. (The open data itself: test_hsds.py; the official specification: test_hsds_conformance.)"""

import pytest
from django.test import Client

from tests.factories import UserFactory

MISSING = "00000000-0000-0000-0000-000000000001"


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["status"] == status
    assert body["error"] and body["message"]
    assert "Traceback" not in body["message"]
    return body


class NotFoundTests:
    @pytest.mark.parametrize(
        "path",
        ["/api/hsds/services/0", "/api/hsds/organizations/geen-uuid", "/api/hsds/taxonomies/1",
         "/api/hsds/taxonomy_terms/%00", "/api/hsds/nope", "/api/hsds/services/",
         f"/api/hsds/services/{MISSING}/extra", "/api/hsds/api/hsds/services",
         f"/api/hsds/services/{MISSING}", f"/api/hsds/organizations/{MISSING}",
         f"/api/hsds/taxonomies/{MISSING}", f"/api/hsds/taxonomy_terms/{MISSING}"],
    )  # fmt: skip
    def test_malformed_and_unknown_ids_and_paths_are_a_json_404(self, client, db, path):
        body = assert_json_error(client.get(path), 404)
        assert body["error"] == "Not Found"

    @pytest.mark.parametrize(
        "path", ["/api/hsds/service_at_locations", f"/api/hsds/service_at_locations/{MISSING}"]
    )
    def test_service_at_locations_says_it_is_not_offered_and_why(self, client, db, path):
        body = assert_json_error(client.get(path, {"page": "1"}), 404)
        assert "not offered" in body["message"] and "/services" in body["message"]


class BadRequestTests:
    """Requests Django itself refuses (before or while the view reads them) answer the API's
    JSON error under /api/hsds/, not the site's HTML page (config.views.bad_request)."""

    def test_too_many_query_parameters_is_a_json_400(self, client, db, settings):
        query = "&".join(f"p{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
        for path in ("/api/hsds/services", "/api/hsds/nope"):
            body = assert_json_error(client.get(f"{path}?{query}"), 400)
            assert "Too many query parameters" in body["message"], path

    def test_an_unknown_host_is_a_json_400(self, client, db):
        response = client.get("/api/hsds/services", HTTP_HOST="elders.example")
        body = assert_json_error(response, 400)
        assert body["error"] == "Bad Request"

    def test_the_rest_of_the_site_keeps_its_page(self, client, db, settings):
        query = "&".join(f"p{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
        response = client.get(f"/inloggen/?{query}")
        assert response.status_code == 413
        assert response["Content-Type"].startswith("text/html")
        assert "Access-Control-Allow-Origin" not in response


class MethodTests:
    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    @pytest.mark.parametrize(
        "path",
        ["/api/hsds/", "/api/hsds/services", f"/api/hsds/services/{MISSING}", "/api/hsds/nope"],
    )
    def test_other_methods_are_a_json_405_with_allow_not_a_csrf_403(self, db, method, path):
        client = Client(enforce_csrf_checks=True)
        response = getattr(client, method)(path, data="{}", content_type="application/json")
        body = assert_json_error(response, 405)
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert method.upper() in body["message"]

    def test_head_and_options_are_answered(self, client, db):
        assert client.head("/api/hsds/services").status_code == 200
        response = client.options("/api/hsds/services")
        assert response.status_code == 204
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "GET" in response["Access-Control-Allow-Methods"]


class CorsTests:
    def test_answers_and_errors_of_the_api_carry_the_cors_header(self, client, db):
        for path in ("/api/hsds/", "/api/hsds/services", "/api/hsds/taxonomy_terms", "/api/hsds/x"):
            assert client.get(path)["Access-Control-Allow-Origin"] == "*", path

    def test_a_user_still_to_enrol_a_second_factor_gets_the_same_answers(self, client, db):
        """The API is public: a session waiting for MFA enrolment is not sent to enrolment."""
        client.force_login(UserFactory(mfa=False))
        assert client.get("/api/hsds/organizations").status_code == 200
        assert_json_error(client.get("/api/hsds/services/0"), 404)
        assert_json_error(client.post("/api/hsds/services"), 405)
        assert client.get("/sociale-kaart/").url == "/account/2fa/"

    def test_the_api_sets_no_cookie(self, client, db):
        response = client.get("/api/hsds/services", {"lang": "en"})
        assert not response.cookies


class RateLimitTests:
    @pytest.fixture(autouse=True)
    def _limit(self, settings):
        settings.HSDS_API_RATE_LIMIT = 3
        settings.HSDS_API_RATE_PERIOD = 60

    def test_past_the_limit_a_client_gets_a_json_429_with_retry_after(self, client, db):
        for _ in range(3):
            assert client.get("/api/hsds/taxonomies").status_code == 200
        response = client.get("/api/hsds/taxonomies")
        body = assert_json_error(response, 429)
        assert 1 <= int(response["Retry-After"]) <= 60
        assert "Too many requests" in body["message"]
        # Errors and other paths count and are refused alike: the limit is per client.
        assert client.get("/api/hsds/nope").status_code == 429

    def test_each_client_address_has_its_own_count(self, client, db):
        for _ in range(4):
            client.get("/api/hsds/", REMOTE_ADDR="192.0.2.1")
        assert client.get("/api/hsds/", REMOTE_ADDR="192.0.2.1").status_code == 429
        assert client.get("/api/hsds/", REMOTE_ADDR="192.0.2.2").status_code == 200

    def test_behind_a_trusted_proxy_the_forwarded_address_counts(self, client, db, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        proxy = {"REMOTE_ADDR": "10.0.0.1"}
        for _ in range(4):
            client.get("/api/hsds/", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
        assert (
            client.get("/api/hsds/", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code
            == 429
        )
        assert (
            client.get("/api/hsds/", HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy).status_code
            == 200
        )

    def test_the_window_ends(self, client, db, monkeypatch):
        import time

        now = 1_800_000_000  # a window start (divisible by 60)
        monkeypatch.setattr(time, "time", lambda: now)
        for _ in range(3):
            client.get("/api/hsds/")
        assert client.get("/api/hsds/")["Retry-After"] == "60"
        now += 60
        assert client.get("/api/hsds/").status_code == 200

    def test_zero_turns_the_limit_off(self, client, db, settings):
        settings.HSDS_API_RATE_LIMIT = 0
        for _ in range(10):
            assert client.get("/api/hsds/").status_code == 200


class KeptTotalTests:
    """A list's total_items is kept per content version and query (a count of every published
    service grows with the map); a save anywhere in the map makes it count again."""

    def test_the_count_is_kept_and_a_save_forgets_it(self, client, db, django_assert_num_queries):
        from tests.factories import ResourceFactory

        first = ResourceFactory(title_nl="Eerste")
        cold = client.get("/api/hsds/services").json()
        assert cold["total_items"] == 1
        # Another page of the same query: the page only, the total is kept (the same page
        # again is kept whole: KeptListTests in test_hsds.py).
        with django_assert_num_queries(1):
            assert client.get("/api/hsds/services", {"page": 2}).json()["total_items"] == 1
        # another query is another count
        assert client.get("/api/hsds/services", {"search": "nergens"}).json()["total_items"] == 0
        ResourceFactory(title_nl="Tweede", organisation=first.organisation)
        assert client.get("/api/hsds/services").json()["total_items"] == 2
        first.status = "concept"
        first.save()
        assert client.get("/api/hsds/services").json()["total_items"] == 1
