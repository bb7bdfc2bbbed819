import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


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

    def test_entrypoint_migrates_then_serves_with_sync_gunicorn_workers(self):
        entrypoint = ROOT / "docker" / "entrypoint.sh"
        assert os.access(entrypoint, os.X_OK)
        text = entrypoint.read_text()
        assert "manage.py migrate --noinput" in text
        assert "--worker-class sync" in text
