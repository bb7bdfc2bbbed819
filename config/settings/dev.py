"""Local development: `make run`. Never used in production."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "1").lower() in {"1", "true", "yes", "on"}
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-gesprekswijzer"  # noqa: S105
DEMO_USERS_ALLOWED = True
# The demo users may skip the second factor here (`make run` says so); nobody else may, and
# prod.py refuses this setting.
MFA_DEMO_USERS_MAY_SKIP = True
# Passkeys on http://127.0.0.1 while developing; production is HTTPS only.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Serve files from static/ without collectstatic while developing.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Invitations and reset links are printed in the terminal of `make run`.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"


# Readable logs while developing (LOG_FORMAT=json to see what production writes).
LOGGING = logging_config(  # noqa: F405
    level=os.environ.get("LOG_LEVEL", "INFO"), json=os.environ.get("LOG_FORMAT") == "json"
)
