"""Writing files the user keeps: atomically, and never over an edited file without a backup.

Used by the workbook, the scenarios export and the VBA writer alike; it knows nothing of what
it writes beyond an optional `verify` callback. The promises:

- a path that exists and is not a regular file (a device, a directory, a pipe) is refused, and
  so is a new file in a folder that does not exist, or behind a link to nowhere;
- a symlink is written through: the file it points to is updated, the link stays;
- an existing file keeps its permissions; a new one gets the umask's;
- the new file is written in full to a temporary file beside the target, flushed to disk and
  verified before it atomically replaces anything, so a kill at any moment leaves the old
  file or the new one, whole;
- an existing file with other content is first copied to NAME.backup-N.ext, N claimed with an
  exclusive create, so concurrent writers never overwrite each other's backups or the
  original; numbers only grow.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Written:
    """What `write_file` did: whether the file changed, and where the old one was kept."""

    path: Path
    changed: bool
    backup: Path | None


class FileRefused(OSError):
    """A path that is not a regular file, or a file that did not verify."""


def write_file(data: bytes, path: Path, verify: Callable[[Path], None] | None = None) -> Written:
    """Write `data` to `path` atomically, unless the file already holds exactly `data`.

    `verify(temporary_path)` may raise to stop the write before anything is replaced. An
    existing file with other content (perhaps edited by a person) is kept beside it as
    NAME.backup-N.ext. `Written.path` is the path as given (a symlink stays a symlink).
    """
    target = _target(path)
    current = _read_existing(target, path)
    if current == data:
        return Written(path, changed=False, backup=None)
    mode = _mode_for(target)
    try:
        descriptor, name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
        )
    except OSError as exc:  # name the file the user asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    temporary = Path(name)
    try:
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:  # a full disk, say: name the user's file
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        os.chmod(temporary, mode)
        if verify is not None:
            verify(temporary)
        backup = _backup(target, current) if current is not None else None
        os.replace(temporary, target)
        _sync_directory(target.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Written(path, changed=True, backup=backup)


def _target(path: Path) -> Path:
    """The file a write to `path` updates: through any symlinks, refusing special files."""
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        # a new file: in a folder that exists, never one made up for it (a typo, or a link
        # to where nothing is)
        if Path(path).is_symlink():
            raise FileRefused(
                f"{path}: a link to {target}, which does not exist; give the path of a file"
            ) from None
        if not target.parent.is_dir():
            raise FileRefused(f"{path}: the folder {target.parent} does not exist") from None
        return target
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise FileRefused(f"{path}: {kind}; give the path of a file to write")
    return target


def _read_existing(target: Path, path: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None


def _mode_for(target: Path) -> int:
    """The permissions of the file being replaced, or what a new file would get."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _backup(target: Path, content: bytes) -> Path:
    """Copy `content` (the file as it was) to the next free NAME.backup-N.ext, claimed with
    an exclusive create so that no concurrent writer can take the same name."""
    number = _highest_backup(target) + 1
    while True:
        candidate = target.with_name(f"{target.stem}.backup-{number}{target.suffix}")
        try:
            descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _mode_for(target))
        except FileExistsError:
            number += 1
            continue
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        return candidate


def _highest_backup(target: Path) -> int:
    pattern = re.compile(rf"{re.escape(target.stem)}\.backup-(\d+){re.escape(target.suffix)}")
    numbers = [
        int(match.group(1))
        for entry in target.parent.iterdir()
        if (match := pattern.fullmatch(entry.name))
    ]
    return max(numbers, default=0)


def _sync_directory(folder: Path) -> None:
    """Make a rename durable (where the platform allows opening a folder)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
