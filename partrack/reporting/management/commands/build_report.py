"""Write a plan's consolidated report for a period to a file, as the web page produces it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partrack.documents.report_docx import (
    consolidated_report_docx,
    consolidated_report_xlsx,
    tasks_csv,
)
from partrack.plans.models import Plan, ReportingPeriod
from partrack.reporting import consolidation

WRITERS = {
    ".docx": consolidated_report_docx,
    ".xlsx": consolidated_report_xlsx,
    ".csv": lambda data: tasks_csv(data).encode("utf-8"),
}


class Command(BaseCommand):
    help = (
        "Write the consolidated report of a period (DOCX; XLSX or CSV by the file's extension). "
        "Uses the office's saved text when there is one, otherwise the draft from the data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", required=True, choices=[kind.value for kind in ReportingPeriod.Kind]
        )
        parser.add_argument(
            "--plan", type=int, help="the plan's id; may be left out when one plan is active"
        )
        parser.add_argument("--year", type=int, help="the plan year, to choose among active plans")
        parser.add_argument("--out", required=True, help="the file to write: .docx, .xlsx or .csv")

    def handle(self, *args, period, plan=None, year=None, out, **options):
        target = Path(out)
        writer = WRITERS.get(target.suffix.lower())
        if writer is None:
            raise CommandError(f"--out must end in .docx, .xlsx or .csv, not {target.name!r}")
        chosen = choose_plan(plan, year)
        found = (
            ReportingPeriod.objects.select_related("plan__agency")
            .filter(plan=chosen, kind=period)
            .first()
        )
        if found is None:
            raise CommandError(f"The plan {chosen.pk} has no {period} reporting period.")
        report = found.consolidated_reports.first()
        if report is None:
            data = consolidation.assemble(found)
        else:
            report.period = found
            data = consolidation.report_data(report)
        target.write_bytes(writer(data))
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {target} — {data.title_line}, {data.figures.total} tasks, "
                f"figures as of {data.as_of:%d/%m/%Y}."
            )
        )


def choose_plan(plan_id, year):
    """The plan asked for, or the only active plan (of `year`); a clear error otherwise."""
    if plan_id is not None:
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"There is no plan {plan_id}.")
        return plan
    active = Plan.objects.active().select_related("agency")
    if year is not None:
        active = active.filter(year=year)
    plans = list(active[:10])
    if len(plans) == 1:
        return plans[0]
    if not plans:
        raise CommandError("No active plan: name one with --plan ID.")
    listed = "; ".join(f"{p.pk}: {p.agency.short_name} {p.year} {p.title}" for p in plans)
    raise CommandError(f"More than one active plan, choose one with --plan ID ({listed}).")
