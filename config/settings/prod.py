"""Production: behind a TLS-terminating proxy, PostgreSQL from DATABASE_URL.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL. `manage.py check --deploy --fail-level WARNING`
passes with these settings.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set the environment variable ALLOWED_HOSTS.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Health checks of the container come in over plain HTTP from inside; never redirect them.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
if env_bool("TRUST_X_FORWARDED_PROTO", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# The second factor is never optional in production (only SSO sessions rely on the identity
# provider's own), whatever a settings override or the environment says.
MFA_REQUIRED = True
MFA_DEMO_USERS_MAY_SKIP = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
