"""PARtrack's commands as a person runs them: a mistake is one line and exit status 2, never a
traceback, and a run that fails midway leaves the previous output file whole."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_DOCX = ROOT / "tests/data/seed-plan/ke-hoach-cchc-2026-skhcn-phu-tho.docx"


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory):
    """The environment of a `partrack` run against a SQLite database holding the demo."""
    folder = tmp_path_factory.mktemp("commands")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "DJANGO_", "PYTEST"))
    }
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{folder / 'partrack.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    for command in (["migrate", "-v0"], ["demo"]):
        done = run(command, env)
        assert done.returncode == 0, done.stderr
    return env


def run(arguments, env, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "partrack", *arguments],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,
    )


def assert_one_line_mistake(done, *words):
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def build_report(env, *arguments):
    return run(["build_report", "--period", "q1", *arguments], env)


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--out", "/nonexistent-folder/bao-cao.docx"], ["/nonexistent-folder", "does not exist"]),
        (["--out", "bao-cao.pdf"], [".docx, .xlsx or .csv", "bao-cao.pdf"]),
        (["--year", "9999", "--out", "r.docx"], ["--year 9999 is not a plan year"]),
        (["--year", "hai nghìn", "--out", "r.docx"], ["--year must be a year like 2026"]),
        (["--plan", "1", "--year", "2025", "--out", "r.docx"], ["plan of 2026, not 2025"]),
        (["--plan", "999", "--out", "r.docx"], ["There is no plan 999"]),
        (["--period", "q5", "--out", "r.docx"], ["invalid choice: 'q5'"]),
    ],
)
def test_build_report_answers_a_mistake_in_one_line(demo_env, tmp_path, arguments, words):
    arguments = [str(tmp_path / a) if a in ("r.docx", "bao-cao.pdf") else a for a in arguments]
    assert_one_line_mistake(build_report(demo_env, *arguments), *words)
    assert list(tmp_path.iterdir()) == []


def test_build_report_uses_the_year_given_with_its_plan(demo_env, tmp_path):
    done = build_report(demo_env, "--plan", "1", "--year", "2026", "--out", str(tmp_path / "r.csv"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith('"Số TT"')


# Runs `partrack` with the disk filling up once the output file has been written to: the data
# is in the file, and flushing it to disk fails as it does on a full disk.
FULL_DISK_AFTER_WRITING = """
import errno, os, sys
from partrack.__main__ import main

def fsync(fd):
    if os.fstat(fd).st_size > 0:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real_fsync(fd)

real_fsync, os.fsync = os.fsync, fsync
sys.argv = ["partrack", *sys.argv[1:]]
main()
"""


def test_a_report_run_that_fails_midway_leaves_the_previous_report_whole(demo_env, tmp_path):
    out = tmp_path / "bao-cao-quy-1.docx"
    first = build_report(demo_env, "--plan", "1", "--out", str(out))
    assert first.returncode == 0, first.stderr
    previous = out.read_bytes()

    failed = subprocess.run(
        [sys.executable, "-c", FULL_DISK_AFTER_WRITING, "build_report", "--period", "q3"]
        + ["--plan", "1", "--out", str(out)],
        env=demo_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines() == ["CommandError: No space left on device"]
    assert out.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "plan.docx"
    os.mkfifo(path)
    return path


def test_import_plan_refuses_a_fifo_instead_of_waiting_forever(demo_env, fifo):
    done = run(["import_plan", str(fifo), "--dry-run"], demo_env)
    assert_one_line_mistake(done, str(fifo), "is not a regular file")


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/dev/zero", ["is not a regular file"]),
        ("/nonexistent/plan.docx", ["does not exist"]),
        ("/tmp", ["is a folder"]),
    ],
)
def test_import_plan_refuses_what_is_not_a_document_file(demo_env, path, words):
    assert_one_line_mistake(run(["import_plan", path, "--dry-run"], demo_env), path, *words)


def test_import_plan_stops_reading_an_endless_file_at_the_size_limit(demo_env, tmp_path):
    huge = tmp_path / "plan.docx"
    with huge.open("wb") as file:
        file.truncate(5 * 1024**3)  # 5 GB of zeros, sparse: costs no disk
    done = run(["import_plan", str(huge), "--dry-run"], {**demo_env, "PARTRACK_MAX_UPLOAD_MB": "1"})
    assert_one_line_mistake(done, "vượt quá giới hạn 1 MB")


def test_import_plan_names_an_agency_that_does_not_exist(demo_env):
    done = run(["import_plan", str(SEED_DOCX), "--agency", "KHONGCO"], demo_env)
    assert_one_line_mistake(done, "No agency with the short name 'KHONGCO'")


def test_the_demo_refuses_a_database_that_is_not_empty_in_one_line(demo_env):
    done = run(["demo"], demo_env)
    assert_one_line_mistake(done, "not empty", "--if-empty")


def test_a_database_that_cannot_be_reached_is_one_line_and_exit_1(demo_env, tmp_path):
    env = {**demo_env, "DATABASE_URL": "postgres://partrack@127.0.0.1:1/partrack"}
    done = run(["build_report", "--period", "q1", "--out", str(tmp_path / "r.docx")], env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("CommandError: the database cannot be reached: connection failed")


def test_an_unknown_flag_is_one_line_too(demo_env):
    assert_one_line_mistake(run(["demo", "--bogus"], demo_env), "unrecognized arguments: --bogus")
