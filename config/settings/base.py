"""Settings shared by every environment. Values that differ per deployment come from the
environment (12-factor); dev.py, test.py and prod.py only adjust what they must."""

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.observability import configure_structlog, logging_config, sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its admin classes patch the right forms.
    "modeltranslation",
    # Django's admin with our admin site (config/admin.py): the back office at /beheer/.
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    # Second factor and single sign-on (issue 10): django-allauth's account, mfa and
    # socialaccount apps with its OpenID Connect provider. Our own templates in templates/.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "config",
    "accounts",
    "glossary",
    "resources",
    "guidance",
    "cases",
]

MIDDLEWARE = [
    # First: the container's probes are answered whatever ALLOWED_HOSTS or HTTPS say.
    "config.middleware.HealthCheckMiddleware",
    # Next: every other request gets an id and one JSON log line (config/observability.py).
    "config.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed by the app (README, "Compression"): BREACH needs an attacker's request
    # to carry the victim's cookies and a secret in the page; SameSite=Lax cookies, masked
    # CSRF tokens and Django's random-length gzip padding (Heal The Breach) answer it.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.IgnoreBrowserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Until a user has a second factor, they reach nothing but enrolment and logout.
    "accounts.middleware.MFAEnrolmentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits, and no-store on every page behind login.
    "accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last, as its documentation asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
            ],
        },
    },
]

# The embedded default is a SQLite file in the project; production sets DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Reconnecting costs 6-9 ms a request on PostgreSQL: keep connections open.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
# A stuck or unreachable database must not hang requests (issue 11): opening a connection
# gives up after DB_CONNECT_TIMEOUT seconds, PostgreSQL ends a statement after
# DB_STATEMENT_TIMEOUT seconds (0 = never), and the client stops waiting one second later
# whatever the network does (config/db/postgresql). A request then gets the 503 page.
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "3"))
DB_STATEMENT_TIMEOUT = float(os.environ.get("DB_STATEMENT_TIMEOUT", "5"))
# No parallel query by default (DB_PARALLEL_WORKERS, PostgreSQL's
# max_parallel_workers_per_gather): starting the workers cost 5-10 ms of every map search
# at 100,000 resources, and no statement of the app was measurably faster with them (README
# "Performance").
DB_PARALLEL_WORKERS = int(os.environ.get("DB_PARALLEL_WORKERS", "0"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "config.db.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DB_CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={int(DB_STATEMENT_TIMEOUT * 1000)}"
            f" -c max_parallel_workers_per_gather={DB_PARALLEL_WORKERS}",
            "query_timeout": DB_STATEMENT_TIMEOUT + 1 if DB_STATEMENT_TIMEOUT > 0 else None,
        }
    )
# The cache of each process (content kept per content version, rate limits). Django's
# default holds 300 entries and then drops a third at random: one page of the map keeps
# 100 rendered descriptions, so the kept facet counts and vocabulary were dropped too.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))},
    },
    # The open data API's kept list pages (resources/api.py, _kept_list): a cache of its own,
    # so they never push out what the rest keeps. At most API_CACHE_MAX_ENTRIES bodies of at
    # most API_KEPT_MAX_BYTES each: 128 x 256 KB = 32 MB per worker at worst.
    "api": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "api",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("API_CACHE_MAX_ENTRIES", "128"))},
    },
    # The social map's kept search rankings (resources/selectors.py, _ranked_ids): at most
    # 8 KB each, so 512 stay under 4 MB per worker however many different words are searched.
    "ranking": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ranking",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("RANKING_CACHE_MAX_ENTRIES", "512"))},
    },
}
API_KEPT_MAX_BYTES = int(os.environ.get("API_KEPT_MAX_BYTES", str(256 * 1024)))
# The largest form body accepted (bytes). The longest legitimate one, a guide with its steps
# in the back office, stays well below; anything bigger gets the 413 page before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(1024 * 1024)))
# Seconds a client is told to wait (Retry-After) when the database is unavailable.
RETRY_AFTER_SECONDS = int(os.environ.get("RETRY_AFTER_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading team, region and role with the user (one query).
    "accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Length and predictability only, no composition rules (NIST SP 800-63B, BIO): what is
    # left after removing common words, repeats, sequences and years must still be long.
    {"NAME": "accounts.passwords.PredictablePasswordValidator"},
]
# Links that set a password: a reset link (sent by a Beheerder) and an invitation. Each works
# once; a used or expired link is refused.
PASSWORD_RESET_TIMEOUT = int(float(os.environ.get("PASSWORD_RESET_HOURS", "24")) * 60 * 60)
INVITATION_TIMEOUT = int(float(os.environ.get("INVITATION_DAYS", "7")) * 24 * 60 * 60)

# Mail (invitations, reset links): SMTP from the environment; development prints to the console.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gesprekswijzer@localhost")

# Where a user reports an accessibility problem: the deploying organisation's own e-mail
# address and/or web page (a form, a service desk). Shown in the accessibility statement
# only when set; nothing is made up when they are empty.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "").strip()
ACCESSIBILITY_CONTACT_URL = os.environ.get("ACCESSIBILITY_CONTACT_URL", "").strip()
if ACCESSIBILITY_CONTACT_EMAIL and not re.fullmatch(
    r"[^@\s]+@[^@\s]+\.[^@\s]+", ACCESSIBILITY_CONTACT_EMAIL
):
    raise ImproperlyConfigured("ACCESSIBILITY_CONTACT_EMAIL is not an e-mail address.")
if ACCESSIBILITY_CONTACT_URL and not ACCESSIBILITY_CONTACT_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("ACCESSIBILITY_CONTACT_URL must be an http:// or https:// address.")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login, second factor and single sign-on through django-allauth (README: "Second factor and
# single sign-on"). Login is by e-mail address and password through Django's authenticate()
# (so the axes lockout applies); nobody signs up by themselves: a Beheerder creates accounts.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.EmailLoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_NOTIFICATIONS = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300

# Every role logs in with a second factor: TOTP (with recovery codes) or a passkey/security
# key (WebAuthn). Not an environment variable: production cannot switch it off. Only a
# session that logged in through the municipality's identity provider (SSO) needs none here,
# the identity provider asks its own. dev.py lets the demo users skip it.
MFA_REQUIRED = True
MFA_DEMO_USERS_MAY_SKIP = False
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Gesprekswijzer"
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TRUST_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False

# Single sign-on: OpenID Connect against the municipality's identity provider, off unless
# OIDC_ENABLED. Users are matched by e-mail address; roles, team and region stay here; an
# unknown address is refused and no account is made (accounts.adapters.SocialAccountAdapter).
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_PROVIDER_ID = "gemeente"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "sso"
SOCIALACCOUNT_PROVIDERS: dict = {
    "openid_connect": {
        # allauth's provider plus a nonce checked at the callback (accounts/oidc.py).
        "provider_class": "accounts.oidc.NonceOpenIDConnectProvider",
        "APPS": [],
    }
}
if OIDC_ENABLED:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [
        {
            "provider_id": OIDC_PROVIDER_ID,
            "name": os.environ.get("OIDC_PROVIDER_NAME", "") or "SSO",
            "client_id": env_required("OIDC_CLIENT_ID"),
            "secret": env_required("OIDC_CLIENT_SECRET"),
            "settings": {
                "server_url": env_required("OIDC_SERVER_URL"),
                "oauth_pkce_enabled": True,
            },
        }
    ]

# Behind a TLS proxy: how many proxies in front of the app append to X-Forwarded-For. Only
# those entries are trusted (accounts.net.client_ip); 0 means REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Optionally the proxies' own addresses (comma-separated, CIDR allowed): X-Forwarded-For is then
# read only from a request that came from one of them; anyone else's header is ignored.
TRUSTED_PROXY_NETWORKS = env_list("TRUSTED_PROXY_NETWORKS")
for _network in TRUSTED_PROXY_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXY_NETWORKS: {_network!r} is no network.") from exc

# Lockout: five failed attempts for one e-mail address (existing or not, so the lockout reveals
# nothing), or from one IP address (password spraying), lock login for a cool-off.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "accounts.services.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client address comes from the one place that knows the trusted proxies, so one attacker
# behind the proxy locks out only themself and the logs show the same address.
AXES_CLIENT_IP_CALLABLE = "accounts.net.client_ip"
# A refused attempt during a lockout does not restart it: the lock lasts 15 minutes from the
# fifth failure, also for the real user who keeps trying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Axes keeps the POST of a failed attempt; mask every field that can hold a secret or the
# address typed (the own-password form also goes through authenticate()).
AXES_SENSITIVE_PARAMETERS = [
    "username", "login", "email", "ip_address", "csrfmiddlewaretoken", "old_password",
    "new_password1", "new_password2", "password1", "password2", "code", "token",
]  # fmt: skip

# Sessions in the database, linked to their user so users and the Beheerder can see and end
# them (accounts.sessions). A session ends after SESSION_IDLE_MINUTES without a request and
# SESSION_MAX_HOURS after login, whatever happens (accounts.middleware.SessionLimitsMiddleware).
SESSION_ENGINE = "accounts.sessions"
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
SESSION_ABSOLUTE_LIMIT = timedelta(hours=float(os.environ.get("SESSION_MAX_HOURS", "10")))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIMIT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl",)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers that hold everywhere; prod.py adds the HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Strict Content Security Policy: everything from this origin, nothing inline, no third party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Content loaders run in this order by `manage.py load_content`; each content issue adds its
# own (a dotted path to a function taking the content folder), so no app imports another.
CONTENT_DIR = BASE_DIR / "fixtures" / "content"
CONTENT_LOADERS: list[str] = [
    "glossary.content.load",
    "resources.content.load",
    "guidance.content.load",
]

# The open-data API (/api/hsds/) answers 429 past this many requests per client address in each
# period of seconds; 0 turns the limit off. Counted in the default cache: with several app
# processes or containers give them a shared cache, or each counts on its own.
HSDS_API_RATE_LIMIT = int(os.environ.get("HSDS_API_RATE_LIMIT", "300"))
HSDS_API_RATE_PERIOD = int(os.environ.get("HSDS_API_RATE_PERIOD", "60"))
# Sources (resources/sync.py): other instances' open maps this one subscribes to.
SOURCE_SYNC_TIMEOUT = float(os.environ.get("SOURCE_SYNC_TIMEOUT", "20"))
SOURCE_SYNC_MAX_BYTES = int(os.environ.get("SOURCE_SYNC_MAX_BYTES", str(10 * 1024 * 1024)))
SOURCE_SYNC_MAX_PAGES = int(os.environ.get("SOURCE_SYNC_MAX_PAGES", "500"))
# The official HSDS 3.0 schemas the items are validated against; empty: beside the repository
# (../shared/external/hsds-3.0/schema).
HSDS_SCHEMA_DIR = os.environ.get("HSDS_SCHEMA_DIR", "")

# Demo users (make run) are only ever created where this is on: dev.py turns it on.
DEMO_USERS_ALLOWED = False

# One JSON line per event on stderr (config/observability.py); LOG_FORMAT=console for humans.
configure_structlog()
LOGGING = logging_config(
    level=os.environ.get("LOG_LEVEL", "INFO"),
    json=os.environ.get("LOG_FORMAT", "json") != "console",
)

# Errors to Sentry only when SENTRY_DSN is set; never case content (config/observability.py).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    sentry_init(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"))

# Closed cases are deleted this many calendar months after closing (manage.py purge_cases).
CASE_RETENTION_MONTHS = int(os.environ.get("CASE_RETENTION_MONTHS", "12"))
# The access log of purged cases, the purge records and the security log are kept this many
# years, then deleted by purge_cases (NEN 7513 asks at least five).
LOG_RETENTION_YEARS = int(os.environ.get("LOG_RETENTION_YEARS", "5"))
# Policy figures (cases.statistics) hide counts below this, and what would reveal them.
STATISTICS_MIN_COUNT = int(os.environ.get("STATISTICS_MIN_COUNT", "5"))
