"""`/healthz` for the load balancer, and `partrack check` when the database is away."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PARTRACK = [sys.executable, "-m", "partrack"]
# Nothing listens on port 1: connecting is refused at once, as with a stopped server.
UNREACHABLE = "postgres://partrack@127.0.0.1:1/partrack"


def production_env(tmp_path, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "DJANGO_", "PYTEST"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="test-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        PARTRACK_VAR_DIR=str(tmp_path),
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        **extra,
    )
    return env


@pytest.mark.django_db
def test_healthz_answers_ok_for_a_working_site_without_login(client, django_assert_num_queries):
    with django_assert_num_queries(3):  # SELECT 1; the migrations table exists; applied ones
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "media": "ok", "migrations": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_names_a_media_folder_that_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["media"] == "media folder not writable"
    assert response.json()["checks"]["database"] == "ok"


def test_healthz_names_migrations_that_were_not_applied(tmp_path):
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='127.0.0.1').get('/healthz');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    env = production_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        DJANGO_SETTINGS_MODULE="partrack.settings",
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    status, body = done.stdout.split(" ", 1)
    assert status == "503", done.stderr
    assert (
        "migrations not applied (run partrack migrate)" in json.loads(body)["checks"]["migrations"]
    )


def test_partrack_check_fails_when_the_database_cannot_be_reached(tmp_path):
    done = subprocess.run(
        [*PARTRACK, "check"],
        env=production_env(tmp_path, DATABASE_URL=UNREACHABLE),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "partrack.E001" in done.stderr
    assert "Cannot reach the database (127.0.0.1)" in done.stderr
    assert "Traceback" not in done.stderr


def test_partrack_check_passes_when_the_database_answers(tmp_path):
    done = subprocess.run(
        [*PARTRACK, "check"],
        env=production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url, cookie=None):
    """(status, body) of one GET, redirects not followed."""
    host, port = url.removeprefix("http://").split("/", 1)[0].split(":")
    path = "/" + url.removeprefix("http://").split("/", 1)[1]
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    try:
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def server_without_database(tmp_path):
    """A production gunicorn whose database is on a port where nothing listens."""
    port = free_port()
    env = production_env(tmp_path, DATABASE_URL=UNREACHABLE, DATABASE_CONN_MAX_AGE="60")
    log = tmp_path / "server.log"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "partrack.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, log.read_text()
            time.sleep(0.1)
    yield url, log
    server.terminate()
    server.wait(timeout=10)


def test_with_the_database_stopped_pages_answer_503_in_vietnamese_and_healthz_says_why(
    server_without_database,
):
    url, log = server_without_database
    status, body = fetch(f"{url}/healthz")
    assert status == 503
    assert json.loads(body) == {
        "status": "unavailable",
        "checks": {
            "database": "database unreachable",
            "media": "ok",
            "migrations": "skipped",
        },
    }

    # A signed-in person's page needs the session, which lives in the database.
    status, page = fetch(f"{url}/", cookie="sessionid=" + "k" * 32)
    assert status == 503
    assert "Tạm thời không kết nối được cơ sở dữ liệu" in page
    assert "Server Error" not in page

    # The details stay in the log, for whoever runs the server.
    assert "healthz: database unreachable" in log.read_text()
    assert "port 1 failed" in log.read_text()


# Serves /healthz twice from one kept connection, the database server dropping that connection
# in between (as a restart or an idle timeout does), and prints what each answer said.
DROPPED_BETWEEN_REQUESTS = """
import json, sys
from wsgiref.util import setup_testing_defaults

import psycopg
from django.core.wsgi import get_wsgi_application
from django.db import connection

application = get_wsgi_application()  # the real handler: its request signals manage connections


def healthz():
    environ = {"PATH_INFO": "/healthz", "HTTP_HOST": "127.0.0.1"}
    setup_testing_defaults(environ)
    body = b"".join(application(environ, lambda status, headers: None))
    return json.loads(body)["checks"]["database"]


first = healthz()
with psycopg.connect(sys.argv[1], autocommit=True) as admin:
    admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
second = healthz()
print(json.dumps([first, second]))
"""


def test_a_kept_connection_the_server_dropped_is_replaced_not_failed_on(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs a server database: run on PostgreSQL")
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    env = production_env(
        tmp_path,
        DATABASE_URL=maintenance,
        DATABASE_CONN_MAX_AGE="600",
        DJANGO_SETTINGS_MODULE="partrack.settings",
    )
    done = subprocess.run(
        [sys.executable, "-c", DROPPED_BETWEEN_REQUESTS, maintenance],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["ok", "ok"]
