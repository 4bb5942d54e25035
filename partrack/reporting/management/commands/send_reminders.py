"""Create the reminders that are due and send the e-mails waiting; safe to run twice, or in a loop.

Exit status: 0 when every e-mail due went out (or waits for its retry), 1 when the mail server
could not be reached (the e-mails stay in the outbox), 2 for a mistake in the arguments.
"""

import logging
import time
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from partrack.reporting.outbox import MailServerDown
from partrack.reporting.reminders import send_reminders

logger = logging.getLogger(__name__)

# --now outside these years is a typing mistake, not a moment to compute reminders for.
FIRST_YEAR, LAST_YEAR = 2000, 2099
# The longest --interval: a day. Longer would be a typing mistake (and time.sleep overflows).
MAX_INTERVAL = 24 * 60 * 60


def parse_moment(text):
    """An ISO date-time; a naive one is read in settings.TIME_ZONE (Asia/Ho_Chi_Minh)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--now phải là ngày giờ dạng 2026-03-03T08:00, không phải {text!r}", returncode=2
        ) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise CommandError(
            f"--now {text}: năm {moment.year} không hợp lý "
            f"(chỉ nhận từ năm {FIRST_YEAR} đến {LAST_YEAR})",
            returncode=2,
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def parse_interval(text):
    try:
        seconds = int(text)
    except (TypeError, ValueError):
        raise CommandError(
            f"--interval phải là một số giây, không phải {text!r}", returncode=2
        ) from None
    if not 1 <= seconds <= MAX_INTERVAL:
        raise CommandError(
            f"--interval {seconds}: phải từ 1 đến {MAX_INTERVAL} giây (một ngày)", returncode=2
        )
    return seconds


class Command(BaseCommand):
    help = (
        "Send the reminders due now (in the app and by e-mail), then every e-mail waiting in the "
        "outbox. Sends each one once; an e-mail that could not go is retried by the next run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="Keep running, every --interval seconds."
        )
        # Both are read as text and checked in handle(), so that a mistake is one line, exit 2.
        parser.add_argument(
            "--interval",
            default="900",
            help="Seconds between two runs with --loop (default 900).",
        )
        parser.add_argument(
            "--now",
            help="Act as if it were this moment (ISO date-time; naive means local time).",
        )

    def handle(self, *args, loop=False, interval="900", now=None, **options):
        interval = parse_interval(str(interval))
        now = parse_moment(now) if now is not None else None
        if not loop:
            try:
                self.run_once(now)
            except MailServerDown as down:
                raise CommandError(str(down), returncode=1) from None
            return
        try:
            while True:
                close_old_connections()
                try:
                    self.run_once(now)
                except MailServerDown as down:
                    # The e-mails wait in the outbox; the next round tries again.
                    self.stderr.write(str(down))
                except Exception:
                    # A failed run is retried at the next one; the loop itself goes on.
                    logger.exception("send_reminders failed")
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("stopped")

    def run_once(self, now):
        try:
            notifications, delivery = send_reminders(now=now or timezone.now())
        except MailServerDown as down:
            self.stdout.write(f"sent {down.notifications} notifications (0 emails)")
            raise
        line = f"sent {notifications} notifications ({delivery.sent} emails)"
        if delivery.failed:
            line += f", {delivery.failed} e-mails failed"
        if delivery.waiting:
            line += f", {delivery.waiting} e-mails waiting"
        self.stdout.write(line)
