#!/bin/sh
# Migrate on start (MIGRATE_ON_START=0 when several replicas start at once: then run
# `python manage.py migrate` once as a separate step), then serve with gunicorn.
set -e
if [ "${MIGRATE_ON_START:-1}" = "1" ]; then
  python manage.py migrate --noinput
fi
# Sync workers, about one per core: measured faster here than threads on CPU-bound pages.
exec gunicorn config.wsgi \
  --bind 0.0.0.0:8000 \
  --worker-class sync \
  --workers "${WEB_CONCURRENCY:-$(nproc)}" \
  --timeout "${GUNICORN_TIMEOUT:-30}" \
  --max-requests 2000 --max-requests-jitter 200 \
  --access-logfile - \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
