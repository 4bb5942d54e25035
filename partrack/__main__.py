"""The `partrack` command: Django's management commands under the project's name."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partrack.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["partrack", *sys.argv[1:]])


if __name__ == "__main__":
    main()
