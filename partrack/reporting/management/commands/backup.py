"""Back up the database and the files it refers to into one archive, while people work."""

from django.core.management.base import BaseCommand, CommandError

from partrack.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one archive (zip) with the database, as it was at one moment, every file its "
        "rows refer to, and a manifest (rows per model, sha256 of each file). Safe while "
        "people work; the archive appears only when complete."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. /srv/backup/partrack.zip")

    def handle(self, *args, file, **options):
        try:
            summary = backup(file)
        except (BackupError, OSError) as error:
            raise CommandError(f"Backup failed: {error}") from None
        rows = sum(summary.counts.values())
        self.stdout.write(
            f"Wrote {file}: {rows} rows in {len(summary.counts)} tables, "
            f"{len(summary.files)} files."
        )
        if summary.missing:
            for name in summary.missing:
                self.stderr.write(f"A row refers to a missing file: {name}")
            raise CommandError(
                f"{len(summary.missing)} file(s) were already missing: see check_files.",
                returncode=1,
            )
