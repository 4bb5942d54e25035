"""Production defaults that keep pages fast: kept PostgreSQL connections, cached templates."""

import json

import pytest

from tests.test_settings import PRODUCTION, partrack

SHOW = (
    "import json; from django.conf import settings; from django.template import engines; "
    "db = settings.DATABASES['default']; "
    "loaders = engines['django'].engine.template_loaders; "
    "print(json.dumps([db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], "
    "type(loaders[0]).__module__]))"
)
POSTGRES = "postgres://partrack@db.example:5432/partrack"


def shown(**env):
    result = partrack("shell", "-c", SHOW, **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "age", "checked"),
    [
        ({"DATABASE_URL": POSTGRES}, 60, True),
        ({"DATABASE_URL": POSTGRES, "DATABASE_CONN_MAX_AGE": "0"}, 0, False),
        ({"DATABASE_URL": POSTGRES, "DATABASE_CONN_MAX_AGE": "300"}, 300, True),
        ({}, 0, False),  # SQLite: a file to open, nothing to keep
    ],
)
def test_postgresql_connections_are_kept_a_minute_and_checked_before_reuse(env, age, checked):
    conn_max_age, health_checks, _loader = shown(**env)
    assert conn_max_age == age
    assert health_checks is checked


def test_a_malformed_connection_age_stops_start_up_with_its_name():
    result = partrack("check", **{**PRODUCTION, "DATABASE_CONN_MAX_AGE": "a minute"})
    assert result.returncode != 0
    assert "DATABASE_CONN_MAX_AGE" in result.stderr


def test_templates_are_compiled_once_and_cached_in_production():
    *_, loader = shown()
    assert loader == "django.template.loaders.cached"


def test_a_production_worker_keeps_what_it_loaded_out_of_full_garbage_collections():
    """gunicorn loads partrack.wsgi in each worker: what it loads is frozen for the collector,
    so that a full pass walks only what requests made (a pause of 90–150 ms otherwise)."""
    probe = "import gc, partrack.wsgi; print(gc.get_freeze_count())"
    result = partrack("shell", "-c", probe, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.splitlines()[-1]) > 10_000
