"""Delete old produced versions of consolidated reports; safe to run twice, or in a loop."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from partrack.reporting.retention import kept_versions, prune_report_versions

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Keep the latest PARTRACK_KEEP_REPORT_VERSIONS produced versions of each period's "
        "consolidated report, and every issued one; delete the older versions and their files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep", type=int, help="versions to keep per period (default: the setting)"
        )
        parser.add_argument(
            "--loop", action="store_true", help="Keep running, every --interval seconds."
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=6 * 60 * 60,
            help="Seconds between two runs with --loop (default 21600).",
        )

    def handle(self, *args, keep=None, loop=False, interval=21600, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be 1 or more")
        if interval < 1:
            raise CommandError("--interval must be 1 second or more")
        keep = keep or kept_versions()
        if not loop:
            self.run_once(keep)
            return
        try:
            while True:
                close_old_connections()
                try:
                    self.run_once(keep)
                except Exception:
                    # A failed run is retried at the next one; the loop itself goes on.
                    logger.exception("prune_reports failed")
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("stopped")

    def run_once(self, keep):
        pruned = prune_report_versions(keep=keep)
        self.stdout.write(f"pruned {pruned} report versions (keeping {keep} per period)")
