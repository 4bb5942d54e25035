"""On SQLite, a long import and people's saves share one write lock: the saves wait briefly and
succeed, never "database is locked". A real database file, as in production, in a process of
its own; the saves run in a thread with its own connection while the import runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.documents.large_plan import large_plan_docx

PARTRACK = Path(sys.executable).with_name("partrack")

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's single write lock; PostgreSQL locks rows and has no such failure",
)

SCRIPT = """
import json, threading, time, traceback
from django.core.management import call_command
from django.db import connection
from partrack.org.models import Membership
from partrack.plans import services
from partrack.plans.demo import load_demo
from partrack.plans.models import Task

call_command("migrate", verbosity=0)
load_demo()
member = Membership.objects.select_related("unit", "user").get(user__username="phongkhtc")
task = Task.objects.filter(coordinating_units=member.unit).first()
with connection.cursor() as cursor:
    pragmas = [cursor.execute(f"PRAGMA {name}").fetchone()[0]
               for name in ("journal_mode", "busy_timeout")]
saves, errors, stop, started = [], [], threading.Event(), threading.Event()

def save_again_and_again():
    # A unit's contribution on a task, again and again, each timed, on this thread's connection.
    while not stop.is_set():
        begun = time.time()
        try:
            services.add_contribution(task=task, by=member.user, unit=member.unit, narrative="x")
        except Exception:
            errors.append(traceback.format_exc(limit=1))
        saves.append((begun, time.time()))
        started.set()
    connection.close()

saver = threading.Thread(target=save_again_and_again)
saver.start()
started.wait(60)
import_began = time.time()
call_command("import_plan", PLAN_FILE, "--agency", "SKHCN")
import_ended = time.time()
time.sleep(0.2)
stop.set()
saver.join()
print(json.dumps({"pragmas": pragmas, "saves": saves, "errors": errors,
                  "import": [import_began, import_ended]}))
"""


def test_saves_wait_and_succeed_while_a_2000_task_import_writes(tmp_path):
    plan_file = tmp_path / "ke-hoach-2027.docx"
    plan_file.write_bytes(large_plan_docx(2000))
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'partrack.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    run = subprocess.run(
        [str(PARTRACK), "shell", "-c", SCRIPT.replace("PLAN_FILE", repr(str(plan_file)))],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert run.returncode == 0, run.stderr
    assert "2000 tasks in 7 areas" in run.stdout
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["pragmas"] == ["wal", 20000]
    assert result["errors"] == []
    began, ended = result["import"]
    during = [s for s in result["saves"] if s[1] > began and s[0] < ended]
    assert during, "no save overlapped the import"
    # The longest a save waited for the import's write: well under the busy timeout.
    assert max(end - start for start, end in result["saves"]) < 10
