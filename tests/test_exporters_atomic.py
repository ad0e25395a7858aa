"""Atomic writes: a writer killed mid-write leaves the old complete file (or nothing) and no temporary file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

import gamegen.files as files
from gamegen.errors import ExportError

# The child stops inside the write, after every byte went to the temporary file and
# before it is moved into place: the worst moment to die.
KILL_IN_FSYNC = r"""
import os, sys, time
import gamegen.files as files
real_fsync = os.fsync
def fsync_then_hang(fd):
    real_fsync(fd)
    print("written", flush=True)
    time.sleep(60)
os.fsync = fsync_then_hang
files.atomic_write_bytes(sys.argv[1], b"N" * int(sys.argv[2]))
"""

# The child rewrites the file forever, alternating two contents; it is killed at an arbitrary moment.
REWRITE_FOREVER = r"""
import sys
import gamegen.files as files
size = int(sys.argv[2])
for i in range(10**6):
    files.atomic_write_bytes(sys.argv[1], (b"A" if i % 2 else b"B") * size)
    if i == 0:
        print("first", flush=True)
"""


def _child(script: str, dest, size: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, str(dest), str(size)], stdout=subprocess.PIPE, text=True)


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()


def test_kill_mid_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    dest = tmp_path / "level.tmx"
    dest.write_bytes(b"old complete file")
    proc = _child(KILL_IN_FSYNC, dest, 32 << 20)
    assert proc.stdout.readline().strip() == "written"
    _kill(proc)
    assert dest.read_bytes() == b"old complete file"
    assert [p.name for p in tmp_path.iterdir()] == ["level.tmx"]


def test_kill_mid_first_write_leaves_nothing(tmp_path):
    dest = tmp_path / "new.json"
    proc = _child(KILL_IN_FSYNC, dest, 1 << 20)
    assert proc.stdout.readline().strip() == "written"
    _kill(proc)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.17])
def test_kill_at_any_moment_leaves_one_whole_version(tmp_path, delay):
    size = 8 << 20
    dest = tmp_path / "map.png"
    proc = _child(REWRITE_FOREVER, dest, size)
    assert proc.stdout.readline().strip() == "first"
    time.sleep(delay)
    _kill(proc)
    assert dest.read_bytes() in (b"A" * size, b"B" * size)
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


def test_named_fallback_removes_its_temporary_on_error(tmp_path, monkeypatch):
    """Where O_TMPFILE is unavailable, a failed move still leaves the old file and no temporary."""
    dest = tmp_path / "m.tmj"
    dest.write_text("old")
    monkeypatch.setattr(files, "_publish_unnamed", lambda path, data: False)

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(ExportError, match=r"cannot write .*m\.tmj: No space left on device"):
        files.atomic_write_bytes(dest, b"new")
    assert dest.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["m.tmj"]


@pytest.mark.parametrize("unnamed", [True, False], ids=["o_tmpfile", "named-temporary"])
def test_both_ways_land_whole_files_with_the_usual_permissions(tmp_path, monkeypatch, unnamed):
    if not unnamed:
        monkeypatch.setattr(files, "_publish_unnamed", lambda path, data: False)
    dest = tmp_path / "f.txt"
    for data in (b"first", b"second, longer"):
        files.atomic_write_bytes(dest, data)
        assert dest.read_bytes() == data and (dest.stat().st_mode & 0o777) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]
