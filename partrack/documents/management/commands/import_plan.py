import json
import os
import stat
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from partrack.commands import PartrackCommand, mistake
from partrack.documents.errors import DocumentError
from partrack.documents.reading import read_plan
from partrack.documents.services import SameYearPlan, import_new_plan
from partrack.org.models import Agency


class Command(PartrackCommand):
    help = "Read a plan's appendix from a DOCX, PDF or XLSX file and save it for an agency."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the plan document (.docx, .pdf or .xlsx)")
        parser.add_argument(
            "--agency", help="short name of the agency that owns the plan (e.g. SKHCN)"
        )
        parser.add_argument("--dry-run", action="store_true", help="read only, save nothing")
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="print the plan as JSON (expected.json's schema)",
        )
        parser.add_argument(
            "--second-plan-reason",
            default="",
            help="why the agency needs a second plan of a year it already follows (kept in the "
            "plan's history); without it such an import is refused",
        )

    def handle(self, *args, file, agency, dry_run, as_json, second_plan_reason, **options):
        path = Path(file)
        kind = file_kind(path)
        if kind is not None:
            raise mistake(f"{file!r} {kind}: give the plan's .docx, .pdf or .xlsx file")
        # Read through an open file so the size cap holds while reading, whatever stat said.
        max_bytes = settings.PARTRACK_MAX_UPLOAD_MB * 1024 * 1024
        try:
            with open_regular(path) as opened:
                parsed = read_plan(
                    opened,
                    filename=str(path),
                    max_bytes=max_bytes,
                    known_names=lambda: unit_names(agency),
                )
        except DocumentError as e:
            raise mistake(f"{file}: {e}") from e
        except OSError as e:
            raise mistake(f"{file}: {e.strerror or e}") from e
        # With --json, stdout holds only the JSON; everything else goes to stderr.
        report = self.stderr if as_json else self.stdout
        if as_json:
            self.stdout.write(json.dumps(parsed.to_json(), ensure_ascii=False, indent=1))
        else:
            for task in parsed.tasks:
                for warning in task.warnings:
                    self.stderr.write(f"Task {task.number}: {warning}")
        if dry_run:
            return
        owner = self.find_agency(agency)
        try:
            # The same service the web import's confirmation calls, with the same data.
            plan, unmatched = import_new_plan(
                agency=owner,
                data=parsed.plan_data(),
                by=None,
                filename=str(file).rsplit("/", 1)[-1],
                second_plan_reason=second_plan_reason,
            )
        except SameYearPlan as e:
            raise mistake(
                f"{owner.short_name} already follows plan {e.plan.pk} for {e.plan.year} "
                f"(“{e.plan.title}”). Import this file as its revision (nhập bản điều chỉnh) at "
                f"{reverse('import_revision', args=[e.plan.pk])}, or make a second plan with "
                '--second-plan-reason "why".'
            ) from e
        report.write(
            f"Saved plan {plan.pk} for {owner.short_name}: {plan.tasks.count()} tasks "
            f"in {plan.areas.count()} areas."
        )
        for name in dict.fromkeys(unmatched):
            report.write(f"Lead not matched to a unit (kept as written): {name}")

    def find_agency(self, short_name):
        if short_name:
            agency = Agency.objects.filter(short_name__iexact=short_name).first()
            if agency is None:
                raise mistake(f"No agency with the short name {short_name!r}.")
            return agency
        agencies = list(Agency.objects.filter(units__isnull=False).distinct()[:2])
        if len(agencies) != 1:
            raise mistake("Name the agency that owns the plan with --agency SHORTNAME.")
        return agencies[0]


def unit_names(short_name):
    """The named agency's unit names, for a scan's OCR'd leads; none when it is not named."""
    agency = Agency.objects.filter(short_name__iexact=short_name).first() if short_name else None
    return agency.unit_names() if agency else []


def file_kind(path):
    """Why `path` cannot be read as a document (without opening it), or None when it can."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "does not exist"
    except OSError as e:
        return f"cannot be read ({e.strerror})"
    if stat.S_ISDIR(mode):
        return "is a folder"
    if not stat.S_ISREG(mode):
        # A FIFO would block forever and /dev/zero never ends: only regular files.
        return "is not a regular file"
    return None


def open_regular(path):
    """Open `path` for reading without blocking, and only if it is (still) a regular file."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise mistake(
            f"{str(path)!r} is not a regular file: give the plan's .docx, .pdf or .xlsx file"
        )
    return os.fdopen(descriptor, "rb")
