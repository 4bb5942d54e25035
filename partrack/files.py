"""Files under MEDIA_ROOT that always match the database.

A file is first written under `.partial/` (same folder tree, same disk) while its row is being
saved. `files.atomic()` renames it to its real name as the last step of the transaction and
removes it when the block fails, so a rollback or an error leaves nothing. A crash (kill -9)
before that step leaves only a partial file, which `check_files --fix` removes; a crash between
the rename and the commit leaves a file without a row, which it also finds and removes.
Outside `files.atomic()` the rename waits for the commit (`transaction.on_commit`).

Deleting a row removes its files once the deletion commits (`remove_files_after_delete`).

On an S3-compatible object store (settings.s3_storage) the same steps hold with keys for paths:
a file is uploaded under `.partial/<name>` and, as the last step of the transaction, copied to
`<name>` and the partial key deleted (S3 has no rename). A store that fails before the commit
raises StorageUnavailable and the transaction rolls back: the database is unchanged. A database
that fails after the upload removes both keys; a crash leaves a partial key (or an orphan),
which `check_files --fix` finds by listing the bucket, as on disk.
"""

import errno
import hashlib
import io
import logging
import os
import shutil
import threading
import time
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PARTIAL = ".partial"
# A partial file older than this belongs to no running write: check_files may clean it.
STALE_PARTIAL_SECONDS = 15 * 60

_local = threading.local()


class StorageUnavailable(OSError):
    """The object store could not be reached or refused an operation; nothing was saved."""


def on_object_store():
    """True when media live on an S3-compatible store rather than under MEDIA_ROOT."""
    # Read from the settings, not the storage: a disk deployment never imports boto3.
    return settings.STORAGES["default"]["BACKEND"].startswith("storages.backends.s3")


def read_errors():
    """What reading a stored file raises when it is gone or unreadable: OSError, and boto's
    errors on a bucket (django-storages lets them through)."""
    if on_object_store():
        from botocore.exceptions import BotoCoreError, ClientError

        return (OSError, BotoCoreError, ClientError)
    return (OSError,)


def bucket():
    return _Bucket(default_storage)


class _Bucket:
    """The few S3 operations files.py needs, on the default storage's bucket and prefix.

    Every failure of the store comes out as StorageUnavailable, an OSError like a failed disk.
    """

    def __init__(self, storage):
        self.client = storage.connection.meta.client
        self.name = storage.bucket_name
        self.prefix = storage.location.strip("/")

    def key(self, name, partial=False):
        return "/".join(p for p in (self.prefix, PARTIAL if partial else "", name) if p)

    def name_of(self, key):
        """(name, partial?) of a key under the prefix."""
        relative = key[len(self.prefix) + 1 :] if self.prefix else key
        if relative.startswith(PARTIAL + "/"):
            return relative[len(PARTIAL) + 1 :], True
        return relative, False

    @contextmanager
    def errors(self, doing):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except (BotoCoreError, ClientError) as error:
            # The details (host, key, code) go to the log; the person reads a sentence.
            logger.warning("Object store failed to %s: %s", doing, error)
            raise StorageUnavailable(errno.EIO, _("không kết nối được kho lưu trữ tệp")) from error

    def put_partial(self, name, content):
        """Upload bytes or a file under the partial key of `name`."""
        body = io.BytesIO(content) if isinstance(content, bytes) else content
        if not isinstance(content, bytes):
            body.seek(0)
        with self.errors(f"upload {name}"):
            self.client.upload_fileobj(body, self.name, self.key(name, partial=True))

    def exists(self, key):
        from botocore.exceptions import ClientError

        with self.errors(f"look up {key}"):
            try:
                self.client.head_object(Bucket=self.name, Key=key)
            except ClientError as error:
                if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                    return False
                raise
        return True

    def publish(self, name):
        partial, final = self.key(name, partial=True), self.key(name)
        if not self.exists(partial):
            return self.exists(final)
        with self.errors(f"publish {name}"):
            self.client.copy({"Bucket": self.name, "Key": partial}, self.name, final)
            self.client.delete_object(Bucket=self.name, Key=partial)
        return True

    def delete(self, *keys):
        if keys:
            with self.errors("delete " + ", ".join(keys)):
                self.client.delete_objects(
                    Bucket=self.name, Delete={"Objects": [{"Key": k} for k in keys]}
                )

    def listing(self):
        """(name, partial?, last modified as a timestamp) of every object under the prefix."""
        paginator = self.client.get_paginator("list_objects_v2")
        prefix = f"{self.prefix}/" if self.prefix else ""
        with self.errors("list the bucket"):
            for page in paginator.paginate(Bucket=self.name, Prefix=prefix):
                for item in page.get("Contents", []):
                    name, partial = self.name_of(item["Key"])
                    yield name, partial, item["LastModified"].timestamp()

    def open(self, name):
        with self.errors(f"read {name}"):
            return self.client.get_object(Bucket=self.name, Key=self.key(name))["Body"]

    def put(self, name, fileobj):
        """Upload straight to the final name (a restore, whose rows come after its files)."""
        with self.errors(f"upload {name}"):
            self.client.upload_fileobj(fileobj, self.name, self.key(name))


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
        _discard(staged)
        raise
    finally:
        stack.pop()


def _discard(names):
    """Remove what a failed block staged or published; a store that is down keeps its keys
    for check_files, and the block's own error is the one raised."""
    if not names:
        return
    if on_object_store():
        store = bucket()
        keys = [store.key(n, partial=p) for n in names for p in (True, False)]
        with suppress(StorageUnavailable):
            store.delete(*keys)
        return
    for name in names:
        partial_path(name).unlink(missing_ok=True)
        final_path(name).unlink(missing_ok=True)


def stage(field_file, filename, content):
    """Write `content` (bytes or a File) for `field_file` under a partial name; returns the name.

    Sets the field's name (the row is saved by the caller). The file gets its real name at the
    end of the enclosing `files.atomic()`, or else when the transaction commits.
    """
    instance, model_field = field_file.instance, field_file.field
    name = model_field.generate_filename(instance, filename)
    if on_object_store():
        # A failed or interrupted upload stores nothing under the key (S3 writes whole objects).
        bucket().put_partial(name, content)
    else:
        _write_partial(name, content)
    field_file.name = name
    field_file._committed = True
    stack = _local.__dict__.get("stack", [])
    if stack:
        for staged in stack:
            staged.append(name)
    else:
        transaction.on_commit(lambda: publish(name), robust=True)
    return name


def _write_partial(name, content):
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


def publish(name):
    """Move a partial file to its real name; True when done (or already done)."""
    if on_object_store():
        return bucket().publish(name)
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
    if on_object_store():
        store = bucket()
        try:
            store.delete(*[store.key(n, partial=p) for n in names for p in (True, False)])
        except StorageUnavailable:
            logger.warning("Could not remove %s", ", ".join(names))
        return
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


def exists(name):
    """Whether the published file `name` is there (on disk or in the bucket)."""
    if on_object_store():
        store = bucket()
        return store.exists(store.key(name))
    return final_path(name).is_file()


def open_published(name):
    """The published file `name` for reading (binary); FileNotFoundError when it is not there."""
    if on_object_store():
        if not exists(name):
            raise FileNotFoundError(2, "No such object", name)
        return bucket().open(name)
    return open(final_path(name), "rb")


def sha256_of_published(name):
    digest = hashlib.sha256()
    with closing(open_published(name)) as source:
        for block in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def write_published(name, source):
    """Write `source` (a binary file) as the published file `name`, via its partial name."""
    if on_object_store():
        bucket().put(name, source)
        return
    target = final_path(name)
    if not target.resolve().is_relative_to(media_root().resolve()):
        raise ValueError(f"outside the media folder: {name}")
    temp = partial_path(name)
    temp.parent.mkdir(parents=True, exist_ok=True)
    with open(temp, "wb") as out:
        shutil.copyfileobj(source, out)
    publish(name)


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
    """Compare MEDIA_ROOT (or the bucket) with the rows; names relative to it, sorted."""
    now = now or time.time()
    root = media_root()
    # Rows first, files second: a row committed in between has its file seen as unfinished or
    # pending, never as missing-and-orphaned.
    rows = referenced_rows()
    referenced = set(rows)
    result = FileCheck()
    on_disk = set()
    partial = set()  # (name, last modified)
    if on_object_store():
        for name, is_partial, modified in bucket().listing():
            if is_partial:
                partial.add((name, modified))
            else:
                on_disk.add(name)
    elif root.exists():
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            relative = path.relative_to(root)
            if relative.parts[0] == PARTIAL:
                partial.add((Path(*relative.parts[1:]).as_posix(), path.stat().st_mtime))
            else:
                on_disk.add(relative.as_posix())
    # A file published after the first read was committed before this second one: not an orphan.
    unmatched = on_disk - referenced
    result.orphans = sorted(unmatched - referenced_names()) if unmatched else []
    for name, modified in sorted(partial):
        if name in referenced and name not in on_disk:
            result.unfinished.append(name)
        elif now - modified >= stale_after:
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
    if on_object_store():
        store = bucket()
        keys = [store.key(n) for n in result.orphans]
        keys += [store.key(n, partial=True) for n in result.stale]
        for start in range(0, len(keys), 1000):  # DeleteObjects takes 1,000 keys at most
            store.delete(*keys[start : start + 1000])
        return
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
