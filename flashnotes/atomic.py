"""The one way flashnotes writes a file: readers see the old file or the new one, never half.

A shared project can ship anything in its folders, symlinks included. So the temporary file
gets a random name from `tempfile.mkstemp` (O_CREAT|O_EXCL: it never opens a path that
already exists, so a planted link is never followed), is flushed to disk, and is renamed
over the target. A rename replaces a link at the target's name, never the file it points to.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from .signals import held


def replace_file(path: Path, write: Callable[[IO[Any]], None], *, binary: bool = False) -> None:
    """Write `path` through a new temporary file beside it, then rename it into place.

    An existing target keeps its permission bits (an 0600 file stays private); a new one
    gets the umask's default, as a plain `open` would give it. Raises OSError as the file
    system does; the temporary file is gone either way.
    """
    _write_beside(path, write, binary, lambda temporary: os.replace(temporary, path))


def create_file(path: Path, data: bytes) -> None:
    """Create `path` with `data` in one step; FileExistsError if anything has that name.

    The complete file is hard-linked into place, which never replaces an existing file
    or link (and never follows one), then its temporary name is removed.
    """

    def publish(temporary: str) -> None:
        try:
            os.link(temporary, path, follow_symlinks=False)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: create the name exclusively
            _create_exclusively(path, data)
        os.unlink(temporary)

    _write_beside(path, lambda stream: stream.write(data), True, publish)


def _create_exclusively(path: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    descriptor = os.open(path, flags, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            _flush_to_disk(descriptor)
    except BaseException:
        os.unlink(path)
        raise


def _write_beside(
    path: Path,
    write: Callable[[IO[Any]], None],
    binary: bool,
    publish: Callable[[str], None],
) -> None:
    mode = _mode_for(path)
    with held() as release:  # no SIGTERM between mkstemp and the `try` that cleans up
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            release()
            os.fchmod(handle, mode)
            with (
                os.fdopen(handle, "wb")
                if binary
                else os.fdopen(handle, "w", encoding="utf-8", newline="")
            ) as stream:
                write(stream)
                stream.flush()
                _flush_to_disk(stream.fileno())
            publish(name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise
    _sync_folder(path.parent)


def rewrite_in_place(path: Path, data: bytes) -> None:
    """Overwrite the regular file `path` with `data`, keeping its inode (and so its hard links).

    Not atomic, so only for a file the user hard-linked on purpose. The space is reserved
    before the first byte changes, so a full disk fails with the file as it was.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
    with os.fdopen(descriptor, "wb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        try:
            os.posix_fallocate(descriptor, 0, len(data))
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise  # not every file system can reserve space; a full one says so
        stream.write(data)
        stream.truncate()
        stream.flush()
        _flush_to_disk(descriptor)


def _mode_for(path: Path) -> int:
    try:
        status = os.lstat(path)
    except OSError:
        return 0o666 & ~_umask()
    if stat.S_ISREG(status.st_mode):
        return stat.S_IMODE(status.st_mode)
    return 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _flush_to_disk(descriptor: int) -> None:
    """fsync, where the file system can: some (FUSE, network mounts) cannot, and say so."""
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every file system lets a folder be synced."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
