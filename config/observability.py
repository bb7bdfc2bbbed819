"""Logs an operator can use, and error reports without case content (issue 11).

Every log line is one JSON object (structlog renders the standard library's records too) with
the request id, the user id (a number: never an e-mail address) and the path without its
query string; `RequestLogMiddleware` binds those and logs one `request` event per request.
Errors go to Sentry when SENTRY_DSN is set: no personal data, no request bodies, query
strings, cookies or headers, no local variables, no breadcrumbs (they can hold SQL values).
"""

import logging
import time
import uuid

import structlog

SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_config(*, level: str = "INFO", json: bool = True) -> dict:
    """The LOGGING setting: one handler on stderr, rendering JSON (or readable in dev)."""
    renderer = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": SHARED_PROCESSORS,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    _drop_request_object,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Request errors carry the request; the formatter keeps only the path.
            "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            # WeasyPrint reports every rendering step at INFO.
            "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        },
    }


def configure_structlog() -> None:
    structlog.configure(
        processors=[*SHARED_PROCESSORS, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def _drop_request_object(logger, method, event: dict) -> dict:
    """Django passes the request (with its body and query) as `request`; keep no more than
    the path, which the middleware bound already."""
    event.pop("request", None)
    event.pop("server_time", None)
    return event


request_logger = structlog.get_logger("gesprekswijzer.request")


class RequestLogMiddleware:
    """One JSON line per request: request id, user id, method, path without query values,
    status and duration. The id is also sent back as X-Request-ID, so a user's report can be
    matched to the log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        structlog.contextvars.clear_contextvars()
        request_id = uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(
            request_id=request_id, method=request.method, path=request.path
        )
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            structlog.contextvars.bind_contextvars(user_id=user.pk)
        request_logger.info(
            "request",
            status=response.status_code,
            duration_ms=round((time.monotonic() - started) * 1000, 1),
        )
        response["X-Request-ID"] = request_id
        structlog.contextvars.clear_contextvars()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Authentication has run: bind the user for whatever the view logs.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            structlog.contextvars.bind_contextvars(user_id=user.pk)


# --- Sentry ------------------------------------------------------------------------------

_KEEP_REQUEST = {"method"}


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """before_send: strip everything that could carry case content or personal data."""
    request = event.get("request")
    if isinstance(request, dict):
        url = request.get("url")
        event["request"] = {key: request[key] for key in _KEEP_REQUEST if key in request}
        if isinstance(url, str):
            event["request"]["url"] = url.split("?", 1)[0]
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    event.pop("breadcrumbs", None)
    event.pop("extra", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        logentry.pop("params", None)
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    return event


def sentry_init(dsn: str, *, environment: str = "production", **options) -> None:
    """Report errors to Sentry (only called when SENTRY_DSN is set)."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[
            DjangoIntegration(),
            LoggingIntegration(level=None, event_level=logging.ERROR),
        ],
        # send_default_pii stays off (its default; sentry-sdk 2.75 deprecates passing it):
        # data_collection is the structured form of the same choice, and turns off more.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
            "frame_context_lines": 0,
        },
        include_local_variables=False,
        max_request_body_size="never",
        max_breadcrumbs=0,
        traces_sample_rate=0,
        before_send=scrub_event,
        **options,
    )
