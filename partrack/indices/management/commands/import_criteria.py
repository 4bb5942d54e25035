from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partrack.indices import criteria_io, services
from partrack.org.models import Agency


class Command(BaseCommand):
    help = (
        "Check a criteria set (CSV or XLSX in the reference layout) and, unless --check, save it "
        "for an agency (the province for an index, the agency for a grading of its units)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--owner", required=True, help="short name of the owning agency")
        parser.add_argument("--name", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--decision", default="")
        parser.add_argument("--scale", type=Decimal, default=Decimal(100))
        parser.add_argument("--purpose", choices=["index", "grading"], default="index")
        parser.add_argument("--ratings", type=Path, help="the grades (ratings CSV or XLSX)")
        parser.add_argument("--rescale-without-survey", action="store_true")
        parser.add_argument("--check", action="store_true", help="check only, save nothing")

    def handle(self, *args, **options):
        owner = Agency.objects.filter(short_name=options["owner"]).first()
        if owner is None:
            raise CommandError(f"No agency with the short name {options['owner']!r}.")
        try:
            parsed = criteria_io.parse_set(
                *criteria_io.read_table(options["file"].read_bytes(), options["file"].name)
            )
            grades, grade_errors = [], []
            if options["ratings"]:
                grades, grade_errors = criteria_io.parse_ratings(
                    *criteria_io.read_table(
                        options["ratings"].read_bytes(), options["ratings"].name
                    )
                )
        except (OSError, criteria_io.SetFileError) as error:
            raise CommandError(str(error)) from error
        errors = parsed.errors + [f"{options['ratings'].name}: {e}" for e in grade_errors]
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} lỗi; chưa nhập gì.")
        if options["check"]:
            self.stdout.write(f"{len(parsed.criteria)} tiêu chí, không có lỗi.")
            return
        criteria_set = services.import_set(
            owner=owner,
            by=None,
            name=options["name"],
            decision=options["decision"],
            year=options["year"],
            scale=options["scale"],
            parsed=parsed,
            grades=grades,
            purpose=options["purpose"],
            rescale_without_survey=options["rescale_without_survey"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {len(parsed.criteria)} tiêu chí (bộ số {criteria_set.pk})."
            )
        )
