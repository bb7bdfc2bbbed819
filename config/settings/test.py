"""The test suite: pytest-django. DATABASE_URL picks PostgreSQL; SQLite otherwise."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["axes"]["level"] = "ERROR"  # noqa: F405
# Static files come from the finders (no collectstatic in tests), as in development.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "config.db.postgresql":  # noqa: F405
    # Creating, migrating and dropping the test database on a busy CI machine may take longer
    # than a request may; tests/config/test_outages.py sets its own short timeouts.
    DATABASES["default"]["OPTIONS"].update(  # noqa: F405
        options="-c statement_timeout=0", query_timeout=None
    )
