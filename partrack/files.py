"""Files under MEDIA_ROOT that always match the database.

A file is first written under `.partial/` (same folder tree, same disk) while its row is being
saved. `files.atomic()` renames it to its real name as the last step of the transaction and
removes it when the block fails, so a rollback or an error leaves nothing. A crash (kill -9)
before that step leaves only a partial file, which `check_files --fix` removes; a crash between
the rename and the commit leaves a file without a row, which it also finds and removes.
Outside `files.atomic()` the rename waits for the commit (`transaction.on_commit`).

Deleting a row removes its files once the deletion commits (`remove_files_after_delete`).
"""

import hashlib
import logging
import os
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models, transaction

logger = logging.getLogger(__name__)

PARTIAL = ".partial"
# A partial file older than this belongs to no running write: check_files may clean it.
STALE_PARTIAL_SECONDS = 15 * 60

_local = threading.local()


def media_root():
    return Path(settings.MEDIA_ROOT)


def partial_path(name):
    return media_root() / PARTIAL / name


def final_path(name):
    return media_root() / name


@contextmanager
def atomic(using=None):
    """transaction.atomic() that publishes the files staged inside it, or removes them on failure.

    Django has no on_rollback hook; this block is it, for the files written within it.
    """
    staged = []
    stack = _local.__dict__.setdefault("stack", [])
    stack.append(staged)
    try:
        with transaction.atomic(using=using):
            yield
            # Last step before the commit: a crash here leaves a file without a row (found by
            # check_files), never a row without its file.
            for name in staged:
                publish(name)
    except BaseException:
        for name in staged:
            partial_path(name).unlink(missing_ok=True)
            final_path(name).unlink(missing_ok=True)
        raise
    finally:
        stack.pop()


def stage(field_file, filename, content):
    """Write `content` (bytes or a File) for `field_file` under a partial name; returns the name.

    Sets the field's name (the row is saved by the caller). The file gets its real name at the
    end of the enclosing `files.atomic()`, or else when the transaction commits.
    """
    instance, model_field = field_file.instance, field_file.field
    name = model_field.generate_filename(instance, filename)
    temp = partial_path(name)
    temp.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(temp, "xb") as out:
            if isinstance(content, bytes):
                out.write(content)
            else:
                content.seek(0)
                for chunk in content.chunks():
                    out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        # A full disk or an interrupted copy: nothing half-written stays behind.
        temp.unlink(missing_ok=True)
        raise
    field_file.name = name
    field_file._committed = True
    stack = _local.__dict__.get("stack", [])
    if stack:
        for staged in stack:
            staged.append(name)
    else:
        transaction.on_commit(lambda: publish(name), robust=True)
    return name


def publish(name):
    """Move a partial file to its real name; True when done (or already done)."""
    temp, final = partial_path(name), final_path(name)
    if not temp.exists():
        return final.exists()
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp, final)
    return True


def remove_after_commit(names):
    """Remove these files from MEDIA_ROOT once the current transaction commits."""
    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: _remove(names), robust=True)


def _remove(names):
    for name in names:
        for path in (final_path(name), partial_path(name)):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                # check_files finds what could not be removed now (a read-only disk).
                logger.warning("Could not remove %s", path, exc_info=True)


def remove_files_after_delete(sender, instance, **kwargs):
    """post_delete receiver: the row's files go once its deletion commits."""
    remove_after_commit([getattr(instance, f.attname).name for f in file_fields(sender)])


def file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def models_with_files():
    """{model: [FileField]} for every installed model that keeps files."""
    found = {}
    for model in apps.get_models():
        fields = file_fields(model)
        if fields:
            found[model] = fields
    return found


def referenced_rows():
    """{file name: "app_label.model #pk"} for every file a row refers to."""
    rows = {}
    for model, fields in models_with_files().items():
        for field_ in fields:
            values = model._default_manager.exclude(**{field_.attname: ""}).values_list(
                "pk", field_.attname
            )
            for pk, name in values.iterator():
                if name:
                    rows[name] = f"{model._meta.label_lower} #{pk}"
    return rows


def referenced_names():
    return set(referenced_rows())


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class FileCheck:
    orphans: list = field(default_factory=list)  # published files no row refers to
    missing: list = field(default_factory=list)  # "label #pk: name" of rows without their file
    unfinished: list = field(default_factory=list)  # partial files whose row committed
    stale: list = field(default_factory=list)  # old partial files of writes that never committed
    pending: list = field(default_factory=list)  # recent partial files (a write in progress)

    @property
    def clean(self):
        return not (self.orphans or self.missing or self.unfinished or self.stale)


def check(now=None, stale_after=STALE_PARTIAL_SECONDS):
    """Compare MEDIA_ROOT with the rows; names relative to MEDIA_ROOT, sorted."""
    now = now or time.time()
    root = media_root()
    # Rows first, files second: a row committed in between has its file seen as unfinished or
    # pending, never as missing-and-orphaned.
    rows = referenced_rows()
    referenced = set(rows)
    result = FileCheck()
    on_disk = set()
    partial = set()
    if root.exists():
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            relative = path.relative_to(root)
            if relative.parts[0] == PARTIAL:
                partial.add((Path(*relative.parts[1:]).as_posix(), path))
            else:
                on_disk.add(relative.as_posix())
    # A file published after the first read was committed before this second one: not an orphan.
    unmatched = on_disk - referenced
    result.orphans = sorted(unmatched - referenced_names()) if unmatched else []
    for name, path in sorted(partial):
        if name in referenced and name not in on_disk:
            result.unfinished.append(name)
        elif now - path.stat().st_mtime >= stale_after:
            result.stale.append(name)
        else:
            result.pending.append(name)
    result.missing = [
        f"{rows[name]}: {name}" for name in sorted(referenced - on_disk - set(result.unfinished))
    ]
    return result


def fix(result):
    """Finish the publishes whose row committed; remove orphans and stale partial files."""
    for name in result.unfinished:
        publish(name)
    for name in result.orphans:
        final_path(name).unlink(missing_ok=True)
    for name in result.stale:
        partial_path(name).unlink(missing_ok=True)
    _remove_empty_folders(media_root())


def _remove_empty_folders(root):
    if not root.exists():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        with suppress(OSError):  # not empty
            folder.rmdir()
