"""kill -9 in the middle of an evidence upload or a report build leaves no file without its row.

Each scenario runs `partrack` code in a process of its own, on a database of its own (SQLite, or
PostgreSQL when the tests run there), stops it at the worst moment and kills it.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.files_support import process_env, scratch_database_url

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_process(tmp_path_factory):
    """Environment of a migrated demo database with evidence files and report versions."""
    folder = tmp_path_factory.mktemp("crash")
    url, drop = scratch_database_url(folder, "crash")
    env = process_env(url, folder / "media")
    run(env, "-m", "tests.files_support", "setup")
    yield env
    drop()


def run(env, *args, check=True):
    done = subprocess.run(
        [sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{args} failed:\n{done.stdout}\n{done.stderr}")
    return done


def inspect(env, *check_files_args):
    """Rows, files and what check_files (with these arguments) says, from the other process."""
    return json.loads(run(env, "-m", "tests.files_support", "inspect", *check_files_args).stdout)


def kill_at_hook(env, action, tmp_path):
    """Start the action, wait until it reports it reached its hook, kill -9 it."""
    flag = tmp_path / "reached"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.files_support", action, str(flag)],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "the process never reached its hook"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    reached = json.loads(flag.read_text())
    return reached["name"], reached["counts"]


def media(env):
    root = Path(env["MEDIA_ROOT"])
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("action", "model"),
    [("hang-upload", "plans.evidence"), ("hang-build", "reporting.reportfile")],
)
def test_a_kill_after_the_file_is_written_leaves_no_file_without_its_row(
    demo_process, tmp_path, action, model
):
    name, before = kill_at_hook(demo_process, action, tmp_path)
    after = inspect(demo_process)

    assert after["counts"][model] == before[model]  # the row never committed
    assert name not in after["files"]
    published = [n for n in media(demo_process) if not n.startswith(".partial/")]
    assert sorted(published) == sorted(after["files"])  # every published file has its row
    assert f".partial/{name}" in media(demo_process)  # only the unfinished bytes are left
    code, output = after["check"]
    assert code == 0, output
    assert "File without a row" not in output
    assert "being written now, left alone" in output

    # Once old enough to belong to no running write, the leftover is removed.
    fixed = inspect(demo_process, "--fix", "--stale-minutes", "0")
    assert fixed["check"][0] == 0, fixed["check"][1]
    assert f"Leftover of an interrupted write: {name} — removed" in fixed["check"][1]
    assert not any(n.startswith(".partial/") for n in media(demo_process))
    assert fixed["recheck"] == [0, "Files and rows match.\n"]


def test_a_kill_between_the_rename_and_the_commit_leaves_a_file_check_files_removes(
    demo_process, tmp_path
):
    name, before = kill_at_hook(demo_process, "hang-published", tmp_path)
    assert name in media(demo_process)

    fixed = inspect(demo_process, "--fix")
    assert fixed["counts"] == before
    code, output = fixed["check"]
    assert code == 0
    assert f"File without a row: {name} — removed" in output
    assert name not in media(demo_process)
    assert fixed["recheck"] == [0, "Files and rows match.\n"]
