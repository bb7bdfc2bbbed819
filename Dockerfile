# Production image: gunicorn (gthread workers, one thread each) serving Django; static files by
# WhiteNoise.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock ./
RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.lock
COPY . .
# Build-time values only: collectstatic and compilemessages need settings, not secrets.
RUN DJANGO_SETTINGS_MODULE=config.settings.prod SECRET_KEY=build-only ALLOWED_HOSTS=build \
        /opt/venv/bin/python manage.py collectstatic --noinput --verbosity 0 \
    && DJANGO_SETTINGS_MODULE=config.settings.prod SECRET_KEY=build-only ALLOWED_HOSTS=build \
        /opt/venv/bin/python manage.py compilemessages --ignore=.venv --verbosity 0

FROM python:3.11-slim-bookworm
# Pango and a font for WeasyPrint (the conversation plan and the handout as PDF).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
        libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH DJANGO_SETTINGS_MODULE=config.settings.prod
RUN useradd --system --no-create-home --uid 10001 app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app /app /app
WORKDIR /app
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/ready/', timeout=4)"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
