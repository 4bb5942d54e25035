"""Write a plan's consolidated report for a period to a file, as the web page produces it."""

import argparse

from partrack.commands import PartrackCommand, checked_output_path, mistake, write_atomically
from partrack.documents.report_docx import (
    consolidated_report_docx,
    consolidated_report_xlsx,
    tasks_csv,
)
from partrack.plans.models import Plan, ReportingPeriod
from partrack.reporting import assembly

WRITERS = {
    ".docx": consolidated_report_docx,
    ".xlsx": consolidated_report_xlsx,
    ".csv": lambda data: tasks_csv(data).encode("utf-8"),
}


class Command(PartrackCommand):
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
        parser.add_argument(
            "--year",
            type=plan_year,
            help="the plan year: chooses among active plans; with --plan, must be that plan's year",
        )
        parser.add_argument("--out", required=True, help="the file to write: .docx, .xlsx or .csv")

    def handle(self, *args, period, plan=None, year=None, out, **options):
        target = checked_output_path(out, tuple(WRITERS))
        writer = WRITERS[target.suffix.lower()]
        chosen = choose_plan(plan, year)
        found = (
            ReportingPeriod.objects.select_related("plan__agency")
            .filter(plan=chosen, kind=period)
            .first()
        )
        if found is None:
            raise mistake(f"The plan {chosen.pk} has no {period} reporting period.")
        report = found.consolidated_reports.first()
        if report is None:
            data = assembly.assemble(found)
        else:
            report.period = found
            data = assembly.report_data(report)
        # A failure midway (full disk) leaves the previous report whole.
        write_atomically(target, writer(data))
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
            raise mistake(f"There is no plan {plan_id}.")
        if year is not None and plan.year != year:
            raise mistake(f"The plan {plan_id} is the plan of {plan.year}, not {year}.")
        return plan
    active = Plan.objects.active().select_related("agency")
    if year is not None:
        active = active.filter(year=year)
    plans = list(active[:10])
    if len(plans) == 1:
        return plans[0]
    if not plans:
        raise mistake(
            f"No active plan{f' of {year}' if year is not None else ''}: name one with --plan ID."
        )
    listed = "; ".join(f"{p.pk}: {p.agency.short_name} {p.year} {p.title}" for p in plans)
    raise mistake(f"More than one active plan, choose one with --plan ID ({listed}).")


def plan_year(text):
    """A plan year between 2000 and 2100; anything else is a typing mistake."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--year must be a year like 2026, not {text!r}") from None
    if not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"--year {year} is not a plan year (2000 to 2100)")
    return year
