#!/bin/sh
# Migrate on start (MIGRATE_ON_START=0 when several replicas start at once: then run
# `python manage.py migrate` once as a separate step), purge what is past its retention period,
# say what a first installation still needs, then serve with gunicorn.
set -e
if [ "${MIGRATE_ON_START:-1}" = "1" ]; then
  # A migration may take longer than a request's statement timeout.
  DB_STATEMENT_TIMEOUT=0 python manage.py migrate --noinput
fi
# Before the app opens: cases past their retention period go. After restoring an older backup
# this deletes again the cases that had already been purged (README "Backups").
DB_STATEMENT_TIMEOUT=0 python manage.py purge_cases
if [ "${LOAD_CONTENT_ON_START:-0}" = "1" ]; then
  python manage.py first_start --load-content
else
  python manage.py first_start
fi
# Which requests came through HTTPS is gunicorn's decision: it believes X-Forwarded-Proto only
# from FORWARDED_ALLOW_IPS (the proxy), and Django reads gunicorn's verdict (wsgi.url_scheme)
# instead of the raw header.
export TRUST_X_FORWARDED_PROTO="${TRUST_X_FORWARDED_PROTO:-0}"
# About one worker per core, each serving one request at a time (as sync workers do) but in
# gthread's request thread: gunicorn's sync worker runs the app on the process's main thread,
# where we measured the template-heavy pages (the social map) 40 % slower (README
# "Performance"). More threads per worker only queue CPU-bound pages behind one another.
# No gunicorn access log: the app writes one JSON line per request (config/observability.py).
exec gunicorn config.wsgi \
  --bind 0.0.0.0:8000 \
  --worker-class gthread \
  --threads "${GUNICORN_THREADS:-1}" \
  --workers "${WEB_CONCURRENCY:-$(nproc)}" \
  --timeout "${GUNICORN_TIMEOUT:-30}" \
  --max-requests 2000 --max-requests-jitter 200 \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
