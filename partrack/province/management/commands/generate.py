"""partrack generate: agencies, plans, tasks and progress made up for demos and load tests."""

import time
from datetime import date

from django.utils import timezone

from partrack.commands import PartrackCommand, mistake
from partrack.province.generate import generate, real_agencies


class Command(PartrackCommand):
    help = (
        "Add generated agencies (under generated provinces), each with an active plan, its "
        "tasks and their progress. Refuses a database holding real agencies unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, required=True, help="how many agencies")
        parser.add_argument("--tasks-per-plan", type=int, default=36)
        parser.add_argument("--updates-per-task", type=int, default=4)
        parser.add_argument("--year", type=int, help="the plans' year (default: this year)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="add generated data beside real agencies (never for a production database)",
        )

    def handle(self, *args, agencies, tasks_per_plan, updates_per_task, year, force, **options):
        if not 1 <= agencies <= 100_000:
            raise mistake(f"--agencies must be from 1 to 100000, not {agencies}")
        if not 1 <= tasks_per_plan <= 2_000:
            raise mistake(f"--tasks-per-plan must be from 1 to 2000, not {tasks_per_plan}")
        if not 0 <= updates_per_task <= 100:
            raise mistake(f"--updates-per-task must be from 0 to 100, not {updates_per_task}")
        today = timezone.localdate()
        year = year or today.year
        if not 2000 <= year <= 2100:
            raise mistake(f"--year must be from 2000 to 2100, not {year}")
        real = real_agencies().count()
        if real and not force:
            raise mistake(
                f"this database holds {real} real agencies (not made by generate): "
                "refusing to add generated data beside them; use --force to do it anyway"
            )
        started = time.monotonic()
        made = generate(
            agencies=agencies,
            tasks_per_plan=tasks_per_plan,
            updates_per_task=updates_per_task,
            year=year,
            today=min(today, date(year, 12, 31)),
        )
        self.stdout.write(f"{made} in {time.monotonic() - started:.1f} s")
