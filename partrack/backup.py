"""One archive with the database and every file its rows refer to; and putting it back.

The database is read first, as one snapshot (SQLite's online backup API, or a REPEATABLE READ
transaction on PostgreSQL), so people may keep working; then the files that snapshot refers to
are added. A file added after the snapshot is not in it, and neither is its row. The archive is
a zip: database.jsonl (Django's serialisation, any engine restores it), media/<name> for each
file, and manifest.json with the rows per model and the sha256 of every file.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone

from partrack import files

FORMAT = 1
DATABASE = "database.jsonl"
MANIFEST = "manifest.json"
MEDIA = "media/"
# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions).
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
SNAPSHOT_ALIAS = "partrack_backup_snapshot"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for a person."""


def kept_models():
    """The models a backup holds, by label ("plans.task")."""
    skipped_apps = {label for label in EXCLUDED if "." not in label}
    return {
        model._meta.label_lower: model
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.app_label not in skipped_apps
        and model._meta.label_lower not in EXCLUDED
    }


def file_field_names():
    """{"plans.evidence": ["file"]}: where a serialised row names its files."""
    return {
        model._meta.label_lower: [f.name for f in fields]
        for model, fields in files.models_with_files().items()
    }


@dataclass
class Summary:
    counts: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)  # name → {"sha256", "size"}
    missing: list = field(default_factory=list)  # names a row refers to, not found on disk


def backup(target, *, using="default", attempts=3):
    """Write the archive to `target` (via a temporary name); returns its Summary."""
    target = Path(target)
    if target.exists() and target.is_dir():
        raise BackupError(f"{target} is a folder: name the archive file to write.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    for _attempt in range(attempts):
        summary = _backup_once(target, using=using)
        # A row deleted after the snapshot takes its file before it is copied: a new snapshot
        # no longer has that row. A file still missing then is really missing.
        if not summary.missing:
            break
    return summary


def _backup_once(target, *, using):
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    with tempfile.TemporaryDirectory(prefix="partrack-backup-") as work:
        dump = Path(work) / DATABASE
        dump_database(dump, using=using)
        summary = Summary(counts=dict.fromkeys(sorted(kept_models()), 0))
        names = set()
        with_files = file_field_names()
        with open(dump, encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                summary.counts[row["model"]] = summary.counts.get(row["model"], 0) + 1
                for name in with_files.get(row["model"], []):
                    if row["fields"].get(name):
                        names.add(row["fields"][name])
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                archive.write(dump, DATABASE)
                for name in sorted(names):
                    try:
                        source = files.open_published(name)
                    except FileNotFoundError:
                        summary.missing.append(name)
                        continue
                    with closing(source):
                        summary.files[name] = _add_file(archive, source, MEDIA + name)
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "engine": connections[using].vendor,
                    "database_sha256": files.sha256_of(dump),
                    "counts": summary.counts,
                    "files": summary.files,
                    "missing": summary.missing,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            with open(partial, "rb") as written:
                os.fsync(written.fileno())
            os.replace(partial, target)
        finally:
            Path(partial).unlink(missing_ok=True)
    return summary


def _add_file(archive, data, arcname):
    """Copy an open file (disk or object store) into the archive, hashing what was copied."""
    digest = hashlib.sha256()
    size = 0
    # Stored, not deflated: office files and PDFs are compressed already.
    info = zipfile.ZipInfo(arcname, date_time=timezone.localtime().timetuple()[:6])
    with archive.open(info, "w", force_zip64=True) as out:
        for block in iter(lambda: data.read(1024 * 1024), b""):
            digest.update(block)
            size += len(block)
            out.write(block)
    return {"sha256": digest.hexdigest(), "size": size}


def dump_database(path, *, using="default"):
    """Serialise the whole database, as it was at one moment, to `path` (JSON lines)."""
    options = {
        "format": "jsonl",
        "exclude": EXCLUDED,
        "use_natural_foreign_keys": True,
        "output": str(path),
        "verbosity": 0,
    }
    connection = connections[using]
    # Inside someone else's transaction (a test's) the snapshot is theirs already.
    outer = connection.in_atomic_block
    if connection.vendor == "sqlite" and not outer:
        with sqlite_snapshot(connection) as alias:
            call_command("dumpdata", database=alias, **options)
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        call_command("dumpdata", database=using, **options)


@contextmanager
def sqlite_snapshot(connection):
    """A copy of the SQLite database made by its online backup API, open as a Django database.

    The copy takes one step, so writers are neither blocked for long nor able to tear it.
    """
    connection.ensure_connection()
    with tempfile.TemporaryDirectory(prefix="partrack-snapshot-") as folder:
        copy = Path(folder) / "snapshot.sqlite3"
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        connections.settings[SNAPSHOT_ALIAS] = {
            **connection.settings_dict,
            "NAME": str(copy),
            "OPTIONS": {},
        }
        try:
            yield SNAPSHOT_ALIAS
        finally:
            connections[SNAPSHOT_ALIAS].close()
            del connections[SNAPSHOT_ALIAS]
            del connections.settings[SNAPSHOT_ALIAS]


# Restore


@dataclass
class Verification:
    lines: list = field(default_factory=list)  # what was compared, for the person
    differences: list = field(default_factory=list)


def read_manifest(archive):
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError("This file is not a PARtrack backup (it has no manifest).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def database_is_empty(using="default"):
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    return not any(
        model._base_manager.using(using).exists()
        for model in kept_models().values()
        if model._meta.db_table in tables
    )


def restore(source, *, force=False, using="default"):
    """Put an archive back into this database and the media storage; returns the Verification."""
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"Cannot read {source}: {error}") from None
    with archive, tempfile.TemporaryDirectory(prefix="partrack-restore-") as work:
        manifest = read_manifest(archive)
        if not database_is_empty(using) and not force:
            raise BackupError(
                "The database is not empty: restore into an empty one, "
                "or add --force to replace everything in it."
            )
        dump = Path(work) / DATABASE
        with archive.open(DATABASE) as data, open(dump, "wb") as out:
            shutil.copyfileobj(data, out)
        if files.sha256_of(dump) != manifest["database_sha256"]:
            raise BackupError("The archive is damaged: its database does not match its manifest.")
        call_command("migrate", database=using, interactive=False, verbosity=0)
        if force:
            call_command("flush", database=using, interactive=False, verbosity=0)
        # Files first: if loading the rows fails, there are files without rows (check_files
        # removes them), never rows without files.
        for name in manifest["files"]:
            _extract(archive, name)
        call_command("loaddata", str(dump), database=using, verbosity=0)
    return verify(manifest, using=using)


def _extract(archive, name):
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise BackupError(f"The archive names a file outside the media folder: {name}")
    with archive.open(MEDIA + name) as data:
        try:
            files.write_published(name, data)
        except ValueError:
            raise BackupError(
                f"The archive names a file outside the media folder: {name}"
            ) from None


def verify(manifest, *, using="default"):
    """Compare the database and the media with the manifest, model by model and file by file."""
    result = Verification()
    models = kept_models()
    for label, expected in sorted(manifest["counts"].items()):
        model = models.get(label)
        found = model._base_manager.using(using).count() if model else None
        if found != expected:
            result.differences.append(f"{label}: {expected} rows in the backup, {found} here")
        result.lines.append(f"{label}: {found} rows")
    bad = 0
    for name, expected in sorted(manifest["files"].items()):
        if not files.exists(name):
            result.differences.append(f"file missing: {name}")
            bad += 1
        elif files.sha256_of_published(name) != expected["sha256"]:
            result.differences.append(f"file differs from the backup: {name}")
            bad += 1
    result.lines.append(f"{len(manifest['files']) - bad} of {len(manifest['files'])} files intact")
    referenced = files.referenced_rows()
    for name, row in sorted(referenced.items()):
        if not files.exists(name):
            result.differences.append(f"{row} has no file {name}")
    for name in manifest.get("missing", []):
        result.differences.append(f"already missing when backed up: {name}")
    return result
