"""Atomic replacement of a file: write a temporary file beside it, then `os.replace` it over the target.

A crash (or SIGKILL) before the rename leaves the previous file untouched; the rename itself is atomic on POSIX and
Windows when both names are in the same directory, which is why the temporary file is created there.

A process killed mid-write (SIGKILL, power loss) leaves its temporary file behind; it never blocks a later save
(each save picks a fresh random name), and a later successful save of the same target removes those that have not
been written to for `STALE_SECONDS`, so that repeated crashes do not fill the disk.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time

# Much longer than any pause between two writes of a live save (whose own temporary file must not be removed).
STALE_SECONDS = 3600


def _remove_stale(directory: str, base: str) -> None:
    pattern = os.path.join(glob.escape(directory), f".{glob.escape(base)}.*.tmp")
    for leftover in glob.glob(pattern):
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            if time.time() - os.stat(leftover).st_mtime > STALE_SECONDS:
                os.remove(leftover)


def _fsync(path: str) -> None:
    with open(path, "rb+") as file:
        os.fsync(file.fileno())


def _final_mode(path: str) -> int:
    if os.path.exists(path):
        return os.stat(path).st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path):
    """Yields a temporary path in `path`'s directory; on normal exit it replaces `path`, on error it is removed."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        yield temporary
        _fsync(temporary)
        os.chmod(temporary, _final_mode(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise
    _remove_stale(directory, os.path.basename(path))
