"""Compare MEDIA_ROOT with the rows that refer to files; with --fix, tidy what can be tidied."""

from django.core.management.base import BaseCommand, CommandError

from partrack import files


class Command(BaseCommand):
    help = (
        "List files under MEDIA_ROOT (or in the bucket) that no row refers to, and rows whose "
        "file is missing. "
        "With --fix: remove the files without a row and the leftovers of interrupted writes, "
        "and finish a write whose row was saved. Exits 1 while anything is left to report."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="remove or finish what it finds")
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=files.STALE_PARTIAL_SECONDS // 60,
            help="a partial file older than this belongs to no running write (default: 15)",
        )

    def handle(self, *args, fix, stale_minutes, **options):
        if stale_minutes < 0:
            raise CommandError("--stale-minutes cannot be negative.")
        result = files.check(stale_after=stale_minutes * 60)
        sections = [
            ("File without a row", result.orphans, "removed"),
            ("Interrupted write (its row was saved)", result.unfinished, "finished"),
            ("Leftover of an interrupted write", result.stale, "removed"),
            ("Row whose file is missing", result.missing, None),
        ]
        for label, names, done in sections:
            for name in names:
                suffix = f" — {done}" if fix and done else ""
                self.stdout.write(f"{label}: {name}{suffix}")
        if result.pending:
            self.stdout.write(f"{len(result.pending)} file(s) being written now, left alone.")
        if fix:
            files.fix(result)
        left = (
            result.missing
            if fix
            else (result.orphans + result.unfinished + result.stale + result.missing)
        )
        if not (result.orphans or result.unfinished or result.stale or result.missing):
            self.stdout.write(self.style.SUCCESS("Files and rows match."))
            return
        if left:
            raise CommandError(
                f"{len(result.orphans)} file(s) without a row, {len(result.missing)} row(s) "
                f"without a file, {len(result.unfinished) + len(result.stale)} interrupted "
                "write(s)" + ("" if fix else ": run check_files --fix to tidy") + ".",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("Fixed: files and rows now match."))
