class IgnoreBrowserLanguageMiddleware:
    """Dutch unless the user chose otherwise: the language switch (cookie) decides, not the
    browser's Accept-Language, so a Dutch professional with an English browser still gets the
    Dutch product. Goes right before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class HealthCheckMiddleware:
    """Answers the probes before anything else: the container's own probe asks for
    http://127.0.0.1:8000/health/ over plain HTTP, so neither ALLOWED_HOSTS (which would answer
    400) nor the HTTPS redirect may stand in its way. It reveals nothing but up or down.

    /health/live/ — the process serves requests (liveness: restart when it fails);
    /health/ready/ and /health/ — the database answers too (readiness: send traffic)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from config import views

        probe = {
            "/health/live/": views.liveness,
            "/health/ready/": views.readiness,
            "/health/": views.readiness,
        }.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        return probe(request)
