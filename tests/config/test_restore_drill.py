"""The restore drill of README "Backups", on PostgreSQL: dump, restore into a new database,
the same rows in every table, purge again, and the app serves a case and its plan from the
restored copy."""

import datetime as dt
import os
import shutil
import subprocess
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import Case
from cases.services import case_close
from tests.factories import make_case


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the backup is pg_dump/pg_restore: PostgreSQL only")
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing (Debian: postgresql-client)")
    settings_dict = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": settings_dict["HOST"] or "127.0.0.1",
        "PGPORT": str(settings_dict["PORT"] or 5432),
        "PGUSER": settings_dict["USER"] or "postgres",
        "PGPASSWORD": settings_dict["PASSWORD"] or "",
    }
    return env


def admin_sql(env, sql):
    with psycopg.connect(
        host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"], password=env["PGPASSWORD"],
        dbname="postgres", autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(sql)


class RestoreDrillTests:
    def test_dump_restore_purge_and_serve(self, postgres, tmp_path):
        env = postgres
        case = make_case()
        expired = make_case(owner=case.owner)
        case_close(case=expired, actor=expired.owner)
        original = connection.settings_dict["NAME"]
        restored = f"{original}_restored"
        dump = tmp_path / "gesprekswijzer.dump"

        # The backup service's command (docker/backup.sh).
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), original],
            env=env, check=True, timeout=120,
        )  # fmt: skip
        before = table_counts()
        assert before["cases_case"] == 2
        # The case expires after the backup was made; the live database purges it.
        Case.objects.filter(pk=expired.pk).update(closed_at=timezone.now() - dt.timedelta(days=400))
        call_command("purge_cases", stdout=StringIO())
        assert not Case.objects.filter(pk=expired.pk).exists()

        admin_sql(env, f'DROP DATABASE IF EXISTS "{restored}"')
        admin_sql(env, f'CREATE DATABASE "{restored}"')
        settings_dict = connection.settings_dict
        try:
            # README runbook: restore into an empty database ...
            subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
                env=env, check=True, timeout=120,
            )  # fmt: skip
            connection.close()
            settings_dict["NAME"] = restored
            assert table_counts() == before

            # ... the entrypoint migrates (nothing to do) and purges before the app opens.
            Case.objects.filter(pk=expired.pk).update(
                closed_at=timezone.now() - dt.timedelta(days=400)
            )  # the dump is "old": the case had been closed long ago by now
            call_command("migrate", "--check", verbosity=0)
            call_command("purge_cases", stdout=StringIO())
            assert not Case.objects.filter(pk=expired.pk).exists()

            client = Client()
            client.force_login(case.owner)
            detail = client.get(f"/casussen/{case.reference}/")
            assert detail.status_code == 200
            assert case.reference in detail.content.decode()
            plan = client.get(f"/casussen/{case.reference}/plan/")
            assert plan.status_code == 200
            assert case.reference in plan.content.decode()
        finally:
            connection.close()
            settings_dict["NAME"] = original
            admin_sql(env, f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
