"""`make bench`: every main page against the reference page, on PostgreSQL under gunicorn.

Run by the Makefile after `migrate`, `load_content` and `seed_synthetic` into the bench
database. Prints one Markdown table: per page the queries per request, median and p95 latency
(and their ratio to the reference `/referentie/`, which does only the login baseline and the
layout), throughput at 8 concurrent clients (and its ratio), and instructions per request
(ratio) when valgrind is installed and BENCH_VALGRIND=1.

Rounds are interleaved (every round requests every page once, in a shuffled order), so a
noisy neighbour slows all pages alike instead of one. On a shared machine the numbers are
still noisy: compare ratios, not milliseconds, and re-run.

Environment: DATABASE_URL (default the local gw_bench), BENCH_ROUNDS (30), BENCH_SECONDS
(throughput seconds per page, 3), BENCH_PORT (8150), BENCH_WORKERS (gunicorn workers, 2).
"""

import os
import random
import statistics
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gw_bench"),
    "SECRET_KEY": "bench-only-not-secret",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
}
for _key, _value in ENV.items():
    os.environ.setdefault(_key, _value)

PORT = int(os.environ.get("BENCH_PORT", "8150"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
CLIENTS = 8
OWNER = "bench@example.org"


def setup():
    import django

    django.setup()


def session_cookie() -> tuple[str, str]:
    """A logged-in session for the bench worker, made directly (no login form, no second
    factor: the session is marked as past the enrolment check, as after a real login)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.models import User
    from accounts.selectors import MFA_SESSION_KEY

    user = User.objects.get(email=OWNER)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "accounts.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[MFA_SESSION_KEY] = user.pk
    store.create()
    return settings.SESSION_COOKIE_NAME, store.session_key


def pages() -> list[tuple[str, str]]:
    from accounts.backends import ModelBackend
    from accounts.models import User
    from cases.models import Case
    from glossary.models import Term
    from resources.models import Organisation, Resource

    owner = ModelBackend().get_user(User.objects.get(email=OWNER).pk)
    case = Case.objects.filter(owner=owner).order_by("pk").first()
    resource = Resource.objects.visible_to(owner).filter(slug__startswith="synth-").first()
    organisation = Organisation.objects.visible_to(owner).filter(slug__startswith="synth-").first()
    term = Term.objects.published().filter(slug="sexting").first() or Term.objects.first()
    found = [
        ("reference", "/referentie/"),
        ("term", f"/begrippen/{term.slug}/"),
        ("glossary index", "/begrippen/"),
        ("map", "/sociale-kaart/"),
        ("map, common word", "/sociale-kaart/?q=sexting"),
        ("map, rare word", "/sociale-kaart/?q=mediagesprek"),
        ("map, language filter", "/sociale-kaart/?taal=ar&doelgroep=ouders"),
        ("resource", resource.get_absolute_url() if resource else None),
        ("organisation", organisation.get_absolute_url() if organisation else None),
        ("guide step", "/leidraden/ouders-slachtoffer/stap/vertrouwen-opbouwen/"),
        ("case", f"/casussen/{case.reference}/" if case else None),
        ("plan", f"/casussen/{case.reference}/plan/" if case else None),
        ("plan PDF", f"/casussen/{case.reference}/plan.pdf" if case else None),
        ("HSDS services", "/api/hsds/services"),
    ]
    return [(name, path) for name, path in found if path]


def count_queries(paths, cookie) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.cookies[cookie[0]] = cookie[1]
    counts = {}
    for name, path in paths:
        client.get(path)  # warm caches as a running server has them
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {path} answered {response.status_code}")
        counts[name] = len(captured.captured_queries)
    return counts


def get(path, cookie) -> float:
    connection = HTTPConnection("127.0.0.1", PORT, timeout=60)
    start = time.perf_counter()
    connection.request(
        "GET",
        path,
        headers={
            "Cookie": f"{cookie[0]}={cookie[1]}",
            "X-Forwarded-Proto": "https",
            "Accept-Encoding": "gzip",
        },
    )
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    return elapsed


def throughput(path, cookie) -> float:
    done = [0] * CLIENTS
    stop = time.perf_counter() + SECONDS

    def client(n):
        while time.perf_counter() < stop:
            get(path, cookie)
            done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / SECONDS


def instructions(path) -> float | None:
    """Instructions per request under valgrind (callgrind), in-process through the WSGI
    handler: (5 requests - 0 requests) / 5, so start-up is not counted."""
    if os.environ.get("BENCH_VALGRIND") != "1" or not Path("/usr/bin/valgrind").exists():
        return None

    def run(n):
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--callgrind-out-file=/dev/null",
                sys.executable,
                __file__,
                "--in-process",
                path,
                str(n),
            ],
            capture_output=True,
            text=True,
            env=os.environ,
            check=True,
        )
        for line in result.stderr.splitlines():
            if "Collected :" in line:
                return int(line.rsplit(":", 1)[1].strip())
        raise SystemExit(result.stderr[-2000:])

    return (run(5) - run(0)) / 5


def in_process(path, n):
    setup()
    from django.test import Client

    cookie = session_cookie()
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.cookies[cookie[0]] = cookie[1]
    client.get(path)
    for _ in range(n):
        client.get(path)


def prepare(resources: int, terms: int, cases: int) -> None:
    """A fresh bench database with the content and the synthetic rows."""
    import psycopg
    from django.conf import settings

    setup()
    database = settings.DATABASES["default"]
    name = database["NAME"]
    if "bench" not in name:
        raise SystemExit(f"Refusing to recreate {name!r}: the name must contain 'bench'.")
    admin = psycopg.connect(
        host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"],
        password=database["PASSWORD"] or None, dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    manage = [sys.executable, str(ROOT / "manage.py")]
    # Seeding 100,000 rows runs statements longer than the app's timeout allows a request.
    environment = {**os.environ, "DB_STATEMENT_TIMEOUT": "0"}
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["load_content", "-v0"],
        ["seed_synthetic", "--resources", str(resources), "--terms", str(terms),
         "--cases", str(cases), "--owner", OWNER],
    ):  # fmt: skip
        subprocess.run(manage + command, cwd=ROOT, env=environment, check=True)
    # Statistics for the planner, as autovacuum would gather them on a live database: without
    # them PostgreSQL takes every table for a handful of rows right after the bulk insert.
    bench = psycopg.connect(
        host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"],
        password=database["PASSWORD"] or None, dbname=name, autocommit=True,
    )  # fmt: skip
    bench.execute("ANALYZE")
    bench.close()


def main():
    setup()
    cookie = session_cookie()
    paths = pages()
    queries = count_queries(paths, cookie)
    from django.db import connections

    connections.close_all()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--workers",
            WORKERS,
            # As docker/entrypoint.sh serves: one request at a time per worker, off the main
            # thread.
            "--worker-class",
            "gthread",
            "--threads",
            "1",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=os.environ,
    )
    try:
        for _ in range(100):
            try:
                get("/referentie/", cookie)
                break
            except (ConnectionError, OSError):
                time.sleep(0.2)
        for _ in range(3):  # warm both workers' caches
            for _, path in paths:
                get(path, cookie)
        times = {name: [] for name, _ in paths}
        rng = random.Random(13)
        for _ in range(ROUNDS):
            order = list(paths)
            rng.shuffle(order)
            for name, path in order:
                times[name].append(get(path, cookie))
        rates = {name: throughput(path, cookie) for name, path in paths}
    finally:
        server.terminate()
        server.wait(timeout=30)
    counts = {name: instructions(path) for name, path in paths}

    def p95(values):
        return statistics.quantiles(values, n=20)[18]

    ref = "reference"
    header = (
        "| page | queries | median ms | p95 ms | median × ref | p95 × ref | req/s at 8 "
        "| throughput × ref | instructions × ref |"
    )
    print(header)
    print("|---" * 9 + "|")
    for name, _path in paths:
        median, high = statistics.median(times[name]), p95(times[name])
        instr = f"{counts[name] / counts[ref]:.2f}" if counts[name] and counts[ref] else "n/a"
        print(
            f"| {name} | {queries[name]} | {median * 1000:.1f} | {high * 1000:.1f} "
            f"| {median / statistics.median(times[ref]):.2f} | {high / p95(times[ref]):.2f} "
            f"| {rates[name]:.1f} | {rates[name] / rates[ref]:.2f} | {instr} |"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--in-process":
        in_process(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--prepare":
        prepare(*(int(value) for value in sys.argv[2:5]))
    else:
        main()
