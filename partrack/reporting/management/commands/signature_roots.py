"""List the CA roots trusted when PARtrack checks a signed PDF, for the administrator to check."""

from datetime import UTC, datetime

from django.conf import settings

from partrack.commands import FAILURE, PartrackCommand
from partrack.signatures import demo_root_path, installed_roots


class Command(PartrackCommand):
    help = (
        "List the certificate roots trusted for signed PDFs (PARTRACK_SIGNATURE_TRUST_ROOTS, plus "
        "the demo's root when the demo made one): subject, validity, SHA-256, file. Exits 1 when "
        "a file cannot be read or no root is installed."
    )

    def handle(self, *args, **options):
        configured = settings.PARTRACK_SIGNATURE_TRUST_ROOTS
        roots, unreadable = installed_roots()
        self.stdout.write(
            f"PARTRACK_SIGNATURE_TRUST_ROOTS = {configured}"
            if configured
            else "PARTRACK_SIGNATURE_TRUST_ROOTS is not set."
        )
        if demo_root_path().is_file():
            self.stdout.write(
                f"Demo root (demo only, delete to stop trusting it): {demo_root_path()}"
            )
        now = datetime.now(UTC)
        for root in roots:
            expired = " — EXPIRED" if root.not_after < now else ""
            not_yet = " — NOT YET VALID" if root.not_before > now else ""
            self.stdout.write(
                f"\n{root.subject}{' (demo)' if root.demo else ''}\n"
                f"  valid {root.not_before:%Y-%m-%d} to {root.not_after:%Y-%m-%d}"
                f"{expired}{not_yet}\n"
                f"  SHA-256 {root.sha256}\n"
                f"  file {root.source}"
            )
        for problem in unreadable:
            self.stderr.write(f"Cannot read {problem.source}: {problem.error}")
        self.stdout.write(f"\n{len(roots)} trusted root(s).")
        if unreadable:
            raise self.failure(f"{len(unreadable)} file(s) could not be read.")
        if not roots:
            raise self.failure(
                "No root installed: every signature will show as untrusted. "
                "Set PARTRACK_SIGNATURE_TRUST_ROOTS (README, 'Signed PDFs')."
            )

    def failure(self, message):
        from django.core.management.base import CommandError

        return CommandError(message, returncode=FAILURE)
