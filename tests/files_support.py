"""Work done in a separate `partrack` process, so that a test can kill it or race it.

Run as `python -m tests.files_support ACTION [ARG]` with DATABASE_URL and MEDIA_ROOT set:

  setup              migrate and load the demo, with evidence files and two report versions
  hang-upload FLAG   save a progress update with an evidence file, and stop (touching FLAG)
                     once the file is written and its row saved, before the commit
  hang-build FLAG    the same while storing a new version of the consolidated report
  hang-published FLAG  save evidence, and stop once its file has its real name, before the commit
  writer STOP GO     keep saving progress with evidence files until the file STOP exists,
                     touching GO after each; prints how many it saved
  inspect [ARGS]      print (JSON) the rows per model, the sha256 of every referenced file, and
                     what `check_files ARGS` says (then check_files again after a --fix)
"""

import json
import os
import sys
import time
from pathlib import Path

from partrack.documents import libreoffice
from tests.files import PDF


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partrack.settings")
    import django

    django.setup()


def office_and_lead():
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.select_related("membership__unit")
    return users.get(username="vanphong"), users.get(username="phongcds")


def save_progress(task_number, n=0):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partrack.plans import services
    from partrack.plans.models import Task

    _office, lead = office_and_lead()
    task = Task.objects.get(plan__agency__short_name="SKHCN", number=task_number)
    services.record_progress(
        task=task,
        by=lead,
        unit=lead.membership.unit,
        status=task.status if task.status != "done" else "in_progress",
        percent=min(99, task.percent),
        narrative=f"Cập nhật {n}",
        done_on=None,
        expected_version=task.version,
        evidence=[
            services.NewEvidence(
                number_symbol=f"{n}/BC-CĐS",
                file=SimpleUploadedFile(f"bao-cao-{n}.pdf", PDF + str(n).encode()),
            )
        ],
    )


def build_report():
    from partrack.plans.models import ReportingPeriod
    from partrack.reporting import consolidation

    office, _lead = office_and_lead()
    period = ReportingPeriod.objects.get(plan__agency__short_name="SKHCN", kind="q1")
    report = consolidation.start_consolidated_report(period=period, by=office)
    libreoffice.docx_to_pdf = lambda docx: None  # LibreOffice is not what is tested
    return consolidation.produce_report_files(report=report, by=office)


def reached(flag, name, before):
    Path(flag).write_text(json.dumps({"name": name, "counts": before}))
    time.sleep(600)


def hang_at_publish(flag):
    """Stop the process where a crash hurts most: file written, row saved, not committed."""
    from partrack import files

    before = summary()["counts"]

    def hang(name):
        reached(flag, name, before)

    files.publish = hang


def hang_after_publish(flag):
    """Stop in the last instant before the commit: the file already has its real name."""
    from partrack import files

    real_publish = files.publish
    before = summary()["counts"]

    def publish_then_hang(name):
        real_publish(name)
        reached(flag, name, before)

    files.publish = publish_then_hang


def summary():
    """Rows per model, sha256 of every referenced file (None: missing), task versions."""
    from django.db.models import Count, Q

    from partrack import backup, files
    from partrack.plans.models import Task

    counts = {label: model._base_manager.count() for label, model in backup.kept_models().items()}
    hashes = {}
    for name in files.referenced_names():
        path = files.final_path(name)
        hashes[name] = files.sha256_of(path) if path.is_file() else None
    # A task's version counts its updates: a dump that mixed two moments would break this.
    tasks = Task.objects.annotate(n=Count("updates", filter=Q(updates__kind="update")))
    versions = {str(t.pk): [t.version, t.n] for t in tasks}
    return {"counts": counts, "files": hashes, "tasks": versions}


def check_files(*args):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    try:
        call_command("check_files", *args, stdout=out)
    except CommandError as error:
        return [error.returncode, out.getvalue() + str(error)]
    return [0, out.getvalue()]


def main(action, *args):
    setup_django()
    from django.core.management import call_command

    if action == "setup":
        from partrack.plans.demo import load_demo

        call_command("migrate", verbosity=0)
        load_demo()
        for n in range(3):
            save_progress(5, n)
        build_report()
        build_report()
    elif action == "hang-upload":
        hang_at_publish(args[0])
        save_progress(6, 99)
    elif action == "hang-published":
        hang_after_publish(args[0])
        save_progress(6, 98)
    elif action == "hang-build":
        hang_at_publish(args[0])
        build_report()
    elif action == "writer":
        stop, started, n = Path(args[0]), Path(args[1]), 0
        while not stop.exists():
            n += 1
            save_progress(7 + n % 3, 1000 + n)
            started.touch()
        print(n)
    elif action == "inspect":
        # The state after a scenario, and what check_files (given `args`) says of it, in one go.
        result = summary()
        result["check"] = check_files(*args)
        if "--fix" in args:
            result["recheck"] = check_files()
        print(json.dumps(result))
    else:
        sys.exit(f"unknown action {action}")


if __name__ == "__main__":
    main(*sys.argv[1:])


# For the tests: a database of their own for each process-level scenario.


def scratch_database_url(tmp_path, name):
    """A new empty database on the engine the tests run on; returns (url, drop)."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / name}.sqlite3", lambda: None
    import psycopg

    parsed = dj_database_url.parse(url)
    # Under pytest-xdist each worker has its own (PYTEST_XDIST_WORKER is "gw0", "gw1", …).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    database = f"test_{parsed['NAME']}_{name}{'_' + worker if worker else ''}"
    server = {
        "host": parsed["HOST"] or None,
        "port": parsed["PORT"] or None,
        "user": parsed["USER"] or None,
        "password": parsed["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')

    def drop():
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    return url.rsplit("/", 1)[0] + "/" + database, drop


def process_env(database_url, media_root):
    return {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "DJANGO_SETTINGS_MODULE": "partrack.settings",
    }
