"""Queue "task became overdue" for the day, then send every webhook delivery that is due.

Safe to run twice or in a loop: each event is queued once per webhook (its key) and each
delivery is claimed before it is sent. Exit status: 0, 2 for a mistake in the arguments, or 1
and one line when the database fails (what was sent before is recorded; the rest waits for the
next run); a receiver that does not answer is not an error of the run (its delivery waits for a
retry).
"""

import logging
import time

from django.db import close_old_connections
from django.utils import timezone

from partrack.commands import PartrackCommand
from partrack.reporting.management.commands.send_reminders import parse_interval, parse_moment
from partrack.webhooks.services import deliver, queue_overdue

logger = logging.getLogger(__name__)


class Command(PartrackCommand):
    help = (
        "Queue the overdue-task events of the day, then post every webhook delivery due, "
        "signed; a delivery that fails is retried by a later run after a growing wait."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="Keep running, every --interval seconds."
        )
        parser.add_argument(
            "--interval", default="60", help="Seconds between two runs with --loop (default 60)."
        )
        parser.add_argument(
            "--now", help="Act as if it were this moment (ISO date-time; naive means local time)."
        )

    def handle(self, *args, loop=False, interval="60", now=None, **options):
        interval = parse_interval(str(interval))
        now = parse_moment(now) if now is not None else None
        if not loop:
            self.run_once(now)
            return
        try:
            while True:
                close_old_connections()
                try:
                    self.run_once(now)
                except Exception:
                    # A failed run is retried at the next one; the loop itself goes on.
                    logger.exception("deliver_webhooks failed")
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("stopped")

    def run_once(self, now):
        moment = now or timezone.now()
        overdue = queue_overdue(now=moment)
        result = deliver(now=moment)
        line = f"queued {overdue} overdue events, delivered {result.delivered}"
        if result.failed:
            line += f", {result.failed} failed"
        if result.waiting:
            line += f", {result.waiting} waiting"
        self.stdout.write(line)
