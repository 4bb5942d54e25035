"""A full disk: every file opened for writing fails with ENOSPC, as the kernel answers when the
disk has no room left; reading still works."""

import builtins
import errno
import io
import os
from contextlib import contextmanager
from unittest import mock

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND


@contextmanager
def full_disk():
    """Within the block, opening a file to write raises ENOSPC; yields the paths tried."""
    real_open, real_os_open = builtins.open, os.open
    tried = []

    def refuse(path):
        tried.append(os.fsdecode(path) if not isinstance(path, int) else str(path))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), tried[-1])

    def open_(file, mode="r", *args, **kwargs):
        if not isinstance(file, int) and any(flag in mode for flag in "wax+"):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def os_open(path, flags, *args, **kwargs):
        if flags & WRITE_FLAGS:
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    with (
        mock.patch.object(builtins, "open", open_),
        mock.patch.object(io, "open", open_),
        mock.patch.object(os, "open", os_open),
    ):
        yield tried


def files_under(folder):
    """Every file under `folder`, relative, sorted (partial files included)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
