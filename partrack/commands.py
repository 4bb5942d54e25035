"""What PARtrack's own commands share: one clear line instead of a traceback, and safe writes.

A person's mistake (a wrong flag, a folder that does not exist, a year like 9999) is one line on
stderr and exit status 2; a failure of the machine (the database away, the disk full) is one
line and exit status 1. Output files are written whole or not at all.
"""

import os
import sys
import tempfile
from pathlib import Path

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

USAGE = 2  # the exit status for a person's mistake, as argparse uses
FAILURE = 1


def mistake(message):
    """A CommandError for a person's mistake: exit status 2."""
    return CommandError(message, returncode=USAGE)


def one_line(exc):
    return " ".join(str(exc).split()) or type(exc).__name__


class PartrackCommand(BaseCommand):
    """A management command that never shows a traceback for a mistake or an outside failure."""

    # Every system check but the database one: an unreachable database is the one line below,
    # not a check report (`partrack check` still runs it).
    requires_system_checks = [
        tag for name, tag in vars(Tags).items() if not name.startswith("_") and tag != Tags.database
    ]

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            # argparse prints the whole usage first; one line says it better.
            if not parser.called_from_command_line:
                raise CommandError(f"Error: {message}")
            sys.stderr.write(f"{parser.prog}: {message} (see --help)\n")
            sys.exit(USAGE)

        parser.error = error
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except (OperationalError, InterfaceError) as e:
            raise CommandError(
                f"the database cannot be reached: {one_line(e)}", returncode=FAILURE
            ) from e
        except OSError as e:
            where = f" ({e.filename})" if e.filename else ""
            raise CommandError(f"{e.strerror or one_line(e)}{where}", returncode=FAILURE) from e


def checked_output_path(out, suffixes):
    """The file `out` may be written: its folder exists, it is not a folder, its suffix fits."""
    target = Path(out)
    if target.suffix.lower() not in suffixes:
        listed = (
            ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]
        )
        raise mistake(f"--out must end in {listed}, not {target.name!r}")
    folder = target.parent
    if not folder.is_dir():
        raise mistake(f"the folder {str(folder)!r} does not exist: create it first")
    if target.exists() and not target.is_file():
        raise mistake(f"{str(target)!r} is not a regular file")
    return target


def write_atomically(target, data):
    """Write `data` beside `target` under a temporary name, then rename it into place.

    A failure midway (full disk, a kill) leaves the previous file as it was and no half file.
    """
    target = Path(target)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as open() would have made it
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
