import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def compose_config(**extra) -> str:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail("docker-compose is missing: .ci/run installs Debian's docker-compose")
    env = {**os.environ, "SECRET_KEY": "s" * 50, "POSTGRES_PASSWORD": "p", **extra}
    result = subprocess.run(
        [binary, "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class ComposeTests:
    def test_docker_compose_file_parses(self):
        binary = shutil.which("docker-compose")
        if binary is None:
            pytest.fail("docker-compose is missing: .ci/run installs Debian's docker-compose")
        env = {**os.environ, "SECRET_KEY": "s" * 50, "POSTGRES_PASSWORD": "p"}
        result = subprocess.run(
            [binary, "-f", "docker-compose.yml", "config"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert "gunicorn" not in result.stdout  # the command lives in the image's entrypoint
        assert "postgres://gesprekswijzer:p@db:5432/gesprekswijzer" in result.stdout
        assert "/health/" in result.stdout

    def test_compose_refuses_to_start_without_secrets(self):
        binary = shutil.which("docker-compose")
        if binary is None:
            pytest.fail("docker-compose is missing: .ci/run installs Debian's docker-compose")
        env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "POSTGRES_PASSWORD"}}
        result = subprocess.run(
            [binary, "-f", "docker-compose.yml", "config"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode != 0

    def test_entrypoint_migrates_then_serves_one_request_per_worker_off_the_main_thread(self):
        entrypoint = ROOT / "docker" / "entrypoint.sh"
        assert os.access(entrypoint, os.X_OK)
        text = entrypoint.read_text()
        assert "manage.py migrate --noinput" in text
        assert "--worker-class gthread" in text
        assert '--threads "${GUNICORN_THREADS:-1}"' in text

    def test_entrypoint_purges_before_serving(self):
        text = (ROOT / "docker" / "entrypoint.sh").read_text()
        assert text.index("manage.py migrate") < text.index("manage.py purge_cases")
        assert text.index("manage.py purge_cases") < text.index("exec gunicorn")
        assert "first_start" in text

    def test_the_app_is_bound_to_loopback_unless_told_otherwise(self):
        assert "- 127.0.0.1:8000:8000/tcp" in compose_config()
        assert "- 0.0.0.0:8080:8000/tcp" in compose_config(WEB_BIND="0.0.0.0", WEB_PORT="8080")

    def test_forwarded_headers_are_trusted_from_nobody_by_default(self):
        config = compose_config()
        assert "FORWARDED_ALLOW_IPS: 127.0.0.1" in config
        assert "TRUSTED_PROXY_COUNT: '0'" in config
        assert "FORWARDED_ALLOW_IPS: '*'" not in config
        entrypoint = (ROOT / "docker" / "entrypoint.sh").read_text()
        assert 'TRUST_X_FORWARDED_PROTO="${TRUST_X_FORWARDED_PROTO:-0}"' in entrypoint

    def test_backups_and_the_purge_are_scheduled_services(self):
        config = compose_config()
        assert "gesprekswijzer-backup" in config
        assert "backups:/backups:rw" in config
        assert "python manage.py purge_cases; sleep 86400" in config
        script = (ROOT / "docker" / "backup.sh").read_text()
        assert "pg_dump --format=custom" in script
        assert "BACKUP_KEEP" in script


class SecretsTests:
    def test_env_files_are_ignored_by_git_and_docker(self):
        for name in (".gitignore", ".dockerignore"):
            lines = (ROOT / name).read_text().splitlines()
            assert ".env" in lines, name

    def test_git_really_ignores_env(self):
        result = subprocess.run(
            ["git", "check-ignore", "-q", ".env"], cwd=ROOT, capture_output=True, timeout=30
        )
        assert result.returncode == 0
        example = subprocess.run(
            ["git", "check-ignore", "-q", ".env.example"], cwd=ROOT, capture_output=True
        )
        assert example.returncode == 1
