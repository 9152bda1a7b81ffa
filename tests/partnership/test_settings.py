import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    dropped = {"DEBUG", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_ENV="production", SECRET_KEY="x" * 64 + "-production-secret-for-the-check",
        ALLOWED_HOSTS="portal.example.eu",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_ENV="production", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_sqlite_is_the_default_and_database_url_switches_to_postgresql():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    sqlite = subprocess.run([sys.executable, "-c", "import django; django.setup();" + code],  # noqa: S603
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert sqlite.stdout.strip() == "django.db.backends.sqlite3"
    env["DATABASE_URL"] = "postgres://user@db.example:5432/portal"
    pg = subprocess.run([sys.executable, "-c", "import django; django.setup();" + code],  # noqa: S603
                        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert pg.stdout.strip() == "django.db.backends.postgresql"
