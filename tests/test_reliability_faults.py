"""A full disk or a read-only folder: a clear error, no partial file, a manifest that stays true, and a re-run finishes.

Real faults come from a 64 KiB tmpfs (mounted where the tests run as root with
CAP_SYS_ADMIN, skipped elsewhere); the same faults are also injected by
patching the low-level writes, at every write of a small batch in turn.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from exporters_samples import FakeGenerator
from test_reliability_batch import assert_consistent, snapshot

import gamegen.files as files
import gamegen.output.manifest as manifest
from gamegen.errors import ExportError
from gamegen.output.batch import MANIFEST, generate_to_folder

FORMATS = "tmx,json,txt"
FAULTS = [errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO]


def _batch(folder: Path, count: int = 6, generator=None):
    from gamegen.exporters import parse_formats

    return generate_to_folder(generator or FakeGenerator(), range(count), parse_formats(FORMATS), folder, options={"width": 64}, progress=False)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """What an undisturbed batch writes, by item count."""
    out = {}
    for count in (6, 60):
        folder = tmp_path_factory.mktemp(f"reference{count}")
        _batch(folder, count)
        out[count] = snapshot(folder)
    return out


def assert_no_partial_file(folder: Path, expected: dict[str, bytes]) -> None:
    """Whatever is in the folder is whole: each file (but the manifest) is byte for byte the undisturbed run's."""
    assert_consistent(folder)
    for path in folder.iterdir():
        if path.name != MANIFEST:
            assert path.read_bytes() == expected[path.name], path.name


def _mount(folder: Path, options: str) -> None:
    folder.mkdir(exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip() or 'not root'}); the patched faults cover this")


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    _mount(disk, "size=64k")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_stops_cleanly_and_a_rerun_finishes(small_disk, reference):
    with pytest.raises(ExportError, match=r"No space left on device; \d+ of 60 items are complete .* run the same command again") as info:
        _batch(small_disk, 60)
    assert "\n" not in str(info.value)
    assert_no_partial_file(small_disk, reference[60])
    subprocess.run(["mount", "-o", "remount,size=16m", str(small_disk)], check=True)
    _batch(small_disk, 60)
    assert snapshot(small_disk) == reference[60]


def test_the_cli_on_a_full_disk_exits_5_with_one_line(small_disk, run_cli):
    args = ("--count", 40, "--width", 200, "--raw", "--batch-size", 4, "--format", "txt,json", "--quiet")
    code, _, err = run_cli("generate", "platformer-gan", *args, "--out", small_disk)
    assert code == 5 and err.startswith("gamegen: error: cannot write") and "No space left on device" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert_consistent(small_disk)


def test_a_read_only_folder_is_refused_before_any_work(tmp_path, run_cli):
    disk = tmp_path / "ro"
    _mount(disk, "size=64k,ro")
    try:
        code, _, err = run_cli("generate", "platformer-gan", "--count", 2, "--format", "txt", "--quiet", "--out", disk / "out")
        assert code == 5 and "Read-only file system" in err and len(err.strip().splitlines()) == 1
        code, _, err = run_cli("generate", "platformer-gan", "--count", 2, "--format", "txt", "--quiet", "--out", disk)
        assert code == 5 and "cannot write in" in err and "Read-only file system" in err
        assert list(disk.iterdir()) == []
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_folder_turned_read_only_mid_batch(small_disk, reference):
    class TurnsReadOnly(FakeGenerator):
        calls = 0

        def generate_batch(self, seeds, options=None, **kwargs):
            TurnsReadOnly.calls += 1
            if TurnsReadOnly.calls == 2:  # after the first 32 items are written
                subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
            return super().generate_batch(seeds, options, **kwargs)

    subprocess.run(["mount", "-o", "remount,size=16m", str(small_disk)], check=True)
    with pytest.raises(ExportError, match="Read-only file system; 32 of 60 items are complete"):
        _batch(small_disk, 60, TurnsReadOnly())
    assert_no_partial_file(small_disk, reference[60])
    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    _batch(small_disk, 60)
    assert snapshot(small_disk) == reference[60]


def _failing(real, fault: int, at: int, calls: list, partial: bool):
    """``real`` that fails with ``fault`` on its ``at``-th call (after writing half its bytes if ``partial``)."""

    def wrapper(fd, data):
        calls.append(1)
        if len(calls) == at:
            if partial:
                real(fd, bytes(data[: len(data) // 2]))
            raise OSError(fault, os.strerror(fault))
        return real(fd, data)

    return wrapper


def _count_writes(folder: Path, monkeypatch, module, name: str) -> int:
    calls: list = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda fd, data: (calls.append(1), real(fd, data))[1])
    _batch(folder)
    monkeypatch.undo()
    shutil.rmtree(folder)
    return len(calls)


@pytest.mark.parametrize("module, name", [(files, "_write_all"), (manifest, "_write_fully")], ids=["file-write", "manifest-append"])
def test_a_fault_at_every_write_leaves_a_consistent_folder(tmp_path, monkeypatch, reference, module, name):
    """Each write of a 6-item batch fails in turn (half its bytes written first): maps, tilesets,
    the final manifest; or each manifest append. Then the same batch runs again, undisturbed."""
    real = getattr(module, name)
    writes = _count_writes(tmp_path / "count", monkeypatch, module, name)
    assert writes >= 6
    for at in range(1, writes + 1):
        folder = tmp_path / f"{name}-{at}"
        fault = FAULTS[at % len(FAULTS)]
        monkeypatch.setattr(module, name, _failing(real, fault, at, [], partial=True))
        with pytest.raises(ExportError, match=os.strerror(fault)):
            _batch(folder)
        monkeypatch.undo()
        assert_no_partial_file(folder, reference[6])
        _batch(folder)
        assert snapshot(folder) == reference[6], (name, at)
        shutil.rmtree(folder)
