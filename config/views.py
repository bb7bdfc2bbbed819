import datetime
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@never_cache
@require_safe
def liveness(request):
    """200 while the process serves requests: the container restarts the app when this fails,
    so it never depends on the database (a database outage is no reason to restart)."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readiness(request):
    """200 when the app and its database answer; 503 otherwise. For load balancers and the
    container health check, so it reveals nothing else. Bounded by the database timeouts."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def bad_request(request, exception):
    """The 400 handler. A request body over DATA_UPLOAD_MAX_MEMORY_SIZE (or with too many
    fields) is refused before anything reads it: 413 with a page that says why. Under the
    open-data API the answer is the API's JSON error instead (resources.api.bad_request)."""
    from resources import api

    if api.is_api_path(request.path):
        return api.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        limit_kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        return HttpResponse(render_to_string("413.html", {"limit_kb": limit_kb}), status=413)
    return defaults.bad_request(request, exception)


def server_error(request):
    """The 500 handler. A database that is down or stuck is an outage, not a bug: 503 with
    Retry-After and the generic page, rendered without touching the database."""
    exception = sys.exc_info()[1]
    # A statement timeout (psycopg's QueryCanceled) is an OperationalError as well.
    if isinstance(exception, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages without our <link rel="icon"> (the admin)."""
    return redirect(static("img/favicon.svg"), permanent=True)


# The day the accessibility statement was last drawn up; change it with the statement.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 12, 2)


@login_not_required
@require_safe
def accessibility_statement(request):
    """The accessibility statement (toegankelijkheidsverklaring): public, so anyone can read
    it before logging in. The contact route is the deploying organisation's own
    (ACCESSIBILITY_CONTACT_EMAIL / _URL); without one the statement names none."""
    return render(
        request,
        "config/accessibility_statement.html",
        {
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "contact_url": settings.ACCESSIBILITY_CONTACT_URL,
        },
    )


@require_safe
def baseline(request):
    """The benchmark's reference page (`make bench`): the login baseline (session, user with
    team, region and role) and the base layout, nothing else. Every page is measured against
    it."""
    return render(request, "base.html", {"role": request.user.role})
