"""Settings come from the environment; production values are safe; bad values stop start-up."""

import os
import subprocess
import sys

import pytest

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "x9Qz7" * 12,
    "ALLOWED_HOSTS": "cchc.example.gov.vn",
    "DATABASE_URL": "sqlite:////tmp/partrack-check.sqlite3",
    # Not the checkout's var/: a demo run there trusts its test CA, which the check warns of.
    "PARTRACK_VAR_DIR": "/tmp/partrack-check-var",
}


def partrack(*args, **env):
    dropped = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-m", "partrack", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_a_real_secret():
    result = partrack("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = partrack("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("EMAIL_PORT", "twenty-five"),
        ("PARTRACK_SESSION_HOURS", "eight"),
        ("PARTRACK_LOGIN_FAILURE_LIMIT", "0"),
        ("PARTRACK_LOGIN_COOLOFF_MINUTES", "half an hour"),
    ],
)
def test_a_malformed_value_stops_start_up_with_its_name(name, value):
    result = partrack("check", **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_database_url_selects_postgresql():
    result = partrack(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        **{**PRODUCTION, "DATABASE_URL": "postgres://u@db.example:5432/partrack"},
    )
    assert result.stdout.splitlines()[-1] == "django.db.backends.postgresql", result.stderr


def test_static_files_collect_for_production(tmp_path):
    # The manifest storage refuses a stylesheet or script that points at a missing file.
    result = partrack(
        "collectstatic", "--no-input", **{**PRODUCTION, "STATIC_ROOT": str(tmp_path / "static")}
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert list((tmp_path / "static" / "vendor").glob("bootstrap-*/bootstrap.min.*.css"))
