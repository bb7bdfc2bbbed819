from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@never_cache
@require_safe
def health(request):
    """200 when the app and its database answer; 503 otherwise. For load balancers and the
    container health check, so it reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages without our <link rel="icon"> (the admin)."""
    return redirect(static("img/favicon.svg"), permanent=True)


@require_safe
def baseline(request):
    """The benchmark's reference page (`make bench`): the login baseline (session, user with
    team, region and role) and the base layout, nothing else. Every page is measured against
    it."""
    from django.shortcuts import render

    return render(request, "base.html", {"role": request.user.role})
