"""Never lose a file: symlinks, permissions, special files, races, kills and full disks."""

from __future__ import annotations

import errno
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import SOAK
from llm_breakeven.files import FileRefused, write_file
from llm_breakeven.scenario import load
from llm_breakeven.workbook import build, workbook_bytes, write_workbook

FRESH = workbook_bytes(build(load()))


def test_a_symlink_is_written_through(tmp_path):
    shared = tmp_path / "shared" / "team.xlsx"
    shared.parent.mkdir()
    shared.write_bytes(b"their edits")
    link = tmp_path / "mine.xlsx"
    link.symlink_to(shared)
    written = write_workbook(link)
    assert link.is_symlink() and os.readlink(link) == str(shared)
    assert shared.read_bytes() == FRESH
    assert written.backup == shared.with_name("team.backup-1.xlsx")
    assert written.backup.read_bytes() == b"their edits"


def test_an_existing_file_keeps_its_permissions(tmp_path):
    private = tmp_path / "private.xlsx"
    private.write_bytes(b"old")
    private.chmod(0o600)
    write_workbook(private)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "private.backup-1.xlsx").stat().st_mode) == 0o600


@pytest.mark.parametrize("kind", ["device", "directory", "pipe"])
def test_a_path_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    if kind == "device":
        path = Path("/dev/null")
    elif kind == "directory":
        path = tmp_path / "folder.xlsx"
        path.mkdir()
    else:
        path = tmp_path / "pipe.xlsx"
        os.mkfifo(path)
    before = path.stat()
    with pytest.raises(FileRefused, match=r"not a regular file|a directory"):
        write_workbook(path)
    after = path.stat()
    assert (before.st_mode, before.st_ino) == (after.st_mode, after.st_ino)


def test_a_file_that_does_not_verify_replaces_nothing(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"keep me")

    def refuse(temporary: Path) -> None:
        raise FileRefused("does not open")

    with pytest.raises(FileRefused):
        write_file(b"new", path, verify=refuse)
    assert path.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_a_full_disk_names_the_file_and_leaves_the_old_one(tmp_path, monkeypatch):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"keep me")
    real_fsync = os.fsync

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as caught:
        write_file(b"new", path)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert caught.value.filename == str(path) and caught.value.errno == errno.ENOSPC
    assert path.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


_BUILDER = textwrap.dedent(
    """
    import sys, time
    from llm_breakeven.workbook import write_workbook
    start = float(sys.argv[2])
    while time.time() < start:
        pass
    write_workbook(sys.argv[1])
    """
)


def test_concurrent_builds_to_one_path_lose_nothing(tmp_path):
    """Eight synchronised builds over a person's workbook, once (three times in a soak run):
    the original survives in a backup each time, and every backup is whole."""
    for round_ in range(3 if SOAK else 1):
        folder = tmp_path / f"round-{round_}"
        folder.mkdir()
        path = folder / "team.xlsx"
        original = f"edited by a person, round {round_}".encode()
        path.write_bytes(original)
        start = time.time() + 2.0
        builds = [
            subprocess.Popen([sys.executable, "-c", _BUILDER, str(path), str(start)])
            for _ in range(8)
        ]
        assert [b.wait() for b in builds] == [0] * 8
        assert path.read_bytes() == FRESH
        backups = sorted(folder.glob("team.backup-*.xlsx"))
        contents = [b.read_bytes() for b in backups]
        assert original in contents
        assert all(c in (original, FRESH) for c in contents)
        assert not [p for p in folder.iterdir() if p.name.startswith(".")]


_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from llm_breakeven.files import write_file
    data = bytes([int(sys.argv[2])]) * 30_000_000
    print("ready", flush=True)
    write_file(data, Path(sys.argv[1]))
    """
)


def test_a_kill_at_any_moment_leaves_the_old_file_or_the_new_one(tmp_path):
    rng = random.Random(2026)
    path = tmp_path / "big.bin"
    old = bytes([1]) * 30_000_000
    path.write_bytes(old)
    for attempt in range(8):
        writer = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), "2"], stdout=subprocess.PIPE
        )
        assert writer.stdout is not None and writer.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, 0.25))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        data = path.read_bytes()
        assert data in (old, bytes([2]) * 30_000_000), attempt
        if data != old:  # the write finished: start again from the old file
            path.write_bytes(old)
