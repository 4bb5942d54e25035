"""Write the API's OpenAPI schema (docs/openapi.json), the file a test compares with the code."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from partrack.api.endpoints import api

COMMITTED = settings.PROJECT_DIR / "docs" / "openapi.json"


def schema_text():
    """The schema as committed: sorted keys, two-space indent, final newline, Vietnamese kept."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = (
        "Write the OpenAPI schema of /api/v1/ to docs/openapi.json (or --out FILE, - for stdout)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(COMMITTED))

    def handle(self, *args, out, **options):
        text = schema_text()
        if out == "-":
            self.stdout.write(text, ending="")
            return
        Path(out).write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {out}")
