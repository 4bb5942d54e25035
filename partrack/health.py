"""Is this PARtrack able to serve? `/healthz` for the load balancer and a system check.

Three things must hold: the database answers, the media folder (or bucket) takes a file, and every
migration is applied. `/healthz` answers JSON, 200 when all hold and 503 naming what does not;
the system check makes `partrack check` fail when the database cannot be reached. The page is
public, so it names the failure but keeps the driver's message (hosts, ports) for the log.
"""

import logging
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_problem():
    """None when the database answers a query, else why not (one line)."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as e:
        return f"database unreachable: {one_line(e)}"
    return None


def media_problem():
    """None when a file can be written (and removed) in MEDIA_ROOT or the bucket, else why not."""
    from partrack import files

    if files.on_object_store():
        store = files.bucket()
        # Under .partial/: should the delete fail, check_files removes it as a stale partial.
        name = f".healthz-{uuid.uuid4().hex}"
        try:
            store.put_partial(name, b"")
            store.delete(store.key(name, partial=True))
        except files.StorageUnavailable as e:
            return f"object store not writable: {one_line(e.__cause__ or e)}"
        return None
    media = Path(settings.MEDIA_ROOT)
    try:
        media.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=media, prefix=".healthz-"):
            pass
    except OSError as e:
        return f"media folder not writable: {one_line(e)}"
    return None


def migrations_problem():
    """None when every migration is applied, else how many are not."""
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as e:
        return f"migrations unknown: {one_line(e)}"
    if pending:
        return f"{len(pending)} migrations not applied (run partrack migrate)"
    return None


def public(problem):
    """What the public page says: the failure's name without the details after the colon."""
    return "ok" if problem is None else problem.split(":", 1)[0]


def one_line(exc):
    text = " ".join(str(exc).split())
    return text[:300] or type(exc).__name__


@never_cache
@require_safe
def healthz(request):
    """No login, no session, no template: the load balancer's probe."""
    problems = {"database": database_problem(), "media": media_problem()}
    problems["migrations"] = (
        "skipped: database unreachable" if problems["database"] else migrations_problem()
    )
    healthy = not any(problems.values())
    for problem in filter(None, problems.values()):
        logger.error("healthz: %s", problem)
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {name: public(problem) for name, problem in problems.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


@checks.register(checks.Tags.database)
def check_database_reachable(app_configs=None, databases=None, **kwargs):
    """`partrack check` fails, rather than saying "no issues", when the database is away."""
    problem = database_problem()
    if problem is None:
        return []
    settings_db = settings.DATABASES[DEFAULT_DB_ALIAS]
    where = settings_db.get("HOST") or settings_db.get("NAME")
    return [
        checks.Error(
            f"Cannot reach the database ({where}): {problem}",
            hint="Check DATABASE_URL and that the database server is running.",
            id="partrack.E001",
        )
    ]
