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
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 64 + "-production-secret-for-the-check",
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
    sqlite = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert sqlite.stdout.strip() == "django.db.backends.sqlite3"
    env["DATABASE_URL"] = "postgres://user@db.example:5432/portal"
    pg = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert pg.stdout.strip() == "django.db.backends.postgresql"


def test_debug_off_without_production_refuses_to_start_with_a_clear_message():
    result = run_manage("check", DEBUG="0", SECRET_KEY="x" * 64, ALLOWED_HOSTS="portal.example.eu")
    assert result.returncode != 0
    assert "DEBUG=0 alone does not make the site safe to serve" in result.stderr
    assert "DJANGO_ENV=production" in result.stderr


def test_development_mode_runs_without_debug_and_without_hardening():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT)",
        DJANGO_ENV="development",
        DEBUG="0",
        SECRET_KEY="x" * 64,
        ALLOWED_HOSTS="127.0.0.1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["False", "False", "False"]


def test_an_unknown_environment_name_refuses_to_start():
    result = run_manage("check", DJANGO_ENV="prod", SECRET_KEY="x" * 64)
    assert result.returncode != 0
    assert "DJANGO_ENV='prod' is not known" in result.stderr
