from django.contrib.auth import get_user_model

from partrack.commands import PartrackCommand, mistake
from partrack.org.models import Agency
from partrack.plans.demo import DEMO_PASSWORD, PEOPLE, load_demo


class Command(PartrackCommand):
    help = "Load the demo: the seed plan of Sở KH&CN Phú Thọ, a second agency and demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when the database already holds an agency",
        )

    def handle(self, *args, if_empty, **options):
        if Agency.objects.exists():
            if not if_empty:
                raise mistake(
                    "The database is not empty: the demo goes into an empty one "
                    "(--if-empty to skip it quietly)."
                )
            self.stdout.write("The database is not empty: demo not loaded.")
            logins = (
                get_user_model()
                .objects.filter(username__in=[p[0] for p in PEOPLE] + ["sotuphap"])
                .values_list("username", flat=True)
            )
        else:
            logins = load_demo(office_work=True, extensions=True)
            self.stdout.write(self.style.SUCCESS("Demo loaded."))
        if logins:
            self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): {', '.join(logins)}")
