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
# The API's rate limit is off in tests, except in the tests of the limit itself.
HSDS_API_RATE_LIMIT = 0


# Single sign-on is tested end to end against a real OpenID Connect provider the tests start
# themselves: django-oauth-toolkit (a dev dependency only), mounted by a test-only URLconf
# (tests/accounts/oidc_provider.py) on the live server. It signs ID tokens with a key made here.
INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider"]  # noqa: F405
# Its tables come from one migration made from its models (tests/accounts/oidc_migrations):
# its own 22 migrations (a test-only app, never migrated in production) took 9 of the 23
# seconds of migrating a test database on PostgreSQL, and made from the models without
# migrations (syncdb) they would come before accounts_user, which they point at.
# `makemigrations --check` in `make test` says when a new django-oauth-toolkit needs it made
# again (delete the file and run `makemigrations oauth2_provider` with these settings).
MIGRATION_MODULES = {"oauth2_provider": "tests.accounts.oidc_migrations"}


def _test_signing_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _test_signing_key(),
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "OpenID Connect", "profile": "Profile", "email": "E-mail"},
    "OAUTH2_VALIDATOR_CLASS": "tests.accounts.oidc_provider.Validator",
}


if DATABASES["default"]["ENGINE"] == "config.db.postgresql":  # noqa: F405
    # Creating, migrating and dropping the test database on a busy CI machine may take longer
    # than a request may; tests/config/test_outages.py sets its own short timeouts.
    DATABASES["default"]["OPTIONS"].update(  # noqa: F405
        options=f"-c statement_timeout=0 -c max_parallel_workers_per_gather={DB_PARALLEL_WORKERS}",  # noqa: F405
        query_timeout=None,
    )
