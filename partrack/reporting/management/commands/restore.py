"""Put a backup archive back, then check every row count and file against its manifest."""

from django.core.management.base import BaseCommand, CommandError

from partrack.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `partrack backup` into this database and MEDIA_ROOT "
        "(migrate, load the rows, put back the files), then verify every count and checksum. "
        "Refuses a database that already holds data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive written by `partrack backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="empty a database that already holds data before restoring into it",
        )

    def handle(self, *args, file, force, **options):
        try:
            result = restore(file, force=force)
        except (BackupError, OSError) as error:
            raise CommandError(f"Restore failed: {error}") from None
        for line in result.lines:
            self.stdout.write(line)
        if result.differences:
            for line in result.differences:
                self.stderr.write(f"DIFFERENT: {line}")
            raise CommandError(
                f"Restored with {len(result.differences)} difference(s) from the backup.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("Restored: every row count and file checksum match."))
