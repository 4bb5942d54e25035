"""Create the reminders that are due and e-mail them; safe to run twice, or in a loop."""

import logging
import time
from argparse import ArgumentTypeError
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from partrack.reporting.reminders import send_reminders

logger = logging.getLogger(__name__)


def parse_moment(text):
    """An ISO date-time; a naive one is read in settings.TIME_ZONE (Asia/Ho_Chi_Minh)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(
            f"must be an ISO date-time such as 2026-03-03T08:00, not {text!r}"
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


class Command(BaseCommand):
    help = "Send the reminders due now (in the app and by e-mail). Sends each one once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="Keep running, every --interval seconds."
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=15 * 60,
            help="Seconds between two runs with --loop (default 900).",
        )
        parser.add_argument(
            "--now",
            type=parse_moment,
            help="Act as if it were this moment (ISO date-time; naive means local time).",
        )

    def handle(self, *args, loop=False, interval=900, now=None, **options):
        if interval < 0:
            raise CommandError("--interval must not be negative")
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
                    logger.exception("send_reminders failed")
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("stopped")

    def run_once(self, now):
        notifications, emails = send_reminders(now=now or timezone.now())
        self.stdout.write(f"sent {notifications} notifications ({emails} emails)")
