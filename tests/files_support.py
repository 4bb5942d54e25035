"""Work done in a separate `partrack` process, so that a test can kill it or race it.

Run as `python -m tests.files_support ACTION [ARG]` with DATABASE_URL and MEDIA_ROOT set:

  setup              migrate and load the demo, with evidence files and two report versions
  hang-upload FLAG   save a progress update with an evidence file, and stop (touching FLAG)
                     once the file is written and its row saved, before the commit
  hang-build FLAG    the same while storing a new version of the consolidated report
  writer STOP        keep saving progress with evidence files until the file STOP exists;
                     prints how many it saved
  summary            print (JSON) the rows per model and the sha256 of every referenced file
"""

import json
import os
import sys
import time
from pathlib import Path

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
    consolidation.convert_to_pdf = lambda docx: None  # LibreOffice is not what is tested
    return consolidation.produce_report_files(report=report, by=office)


def hang_at_publish(flag):
    """Stop the process where a crash hurts most: file written, row saved, not committed."""
    from partrack import files

    def hang(name):
        Path(flag).write_text(name)
        time.sleep(600)

    files.publish = hang


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
    elif action == "hang-build":
        hang_at_publish(args[0])
        build_report()
    elif action == "writer":
        stop, n = Path(args[0]), 0
        while not stop.exists():
            n += 1
            save_progress(7 + n % 3, 1000 + n)
        print(n)
    elif action == "summary":
        from partrack import backup, files

        counts = {
            label: model._base_manager.count() for label, model in backup.kept_models().items()
        }
        hashes = {}
        for name in files.referenced_names():
            path = files.final_path(name)
            hashes[name] = files.sha256_of(path) if path.is_file() else None
        print(json.dumps({"counts": counts, "files": hashes}))
    else:
        sys.exit(f"unknown action {action}")


if __name__ == "__main__":
    main(*sys.argv[1:])
