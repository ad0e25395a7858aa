"""Killed batches lose nothing, resume without regenerating, and two processes can share a folder.

The CLI test runs ``gamegen generate platformer-gan`` (``--count`` from
``$GAMEGEN_KILL_COUNT``, default 80: a run of 2,000 levels takes about a
minute on two cores, twice over for the reference, which is too long for
every ``make test``; ``GAMEGEN_KILL_COUNT=2000`` runs the issue's figure),
SIGKILLs it at several moments, runs it again each time with the same
arguments, and compares the folder with a run that was never interrupted.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from exporters_samples import FakeGenerator

from gamegen.errors import DataError
from gamegen.exporters import parse_formats
from gamegen.files import sha256_file
from gamegen.output.batch import MANIFEST, generate_to_folder, read_manifest

TESTS = Path(__file__).resolve().parent
COUNT = int(os.environ.get("GAMEGEN_KILL_COUNT", "80"))
CLI_ARGS = ["generate", "platformer-gan", "--seed", "500", "--count", str(COUNT), "--width", "28", "--format", "txt,json", "--quiet"]

# A batch of the fake generator (instant items, so kills land in writes and appends), for many kills.
FAKE_BATCH = r"""
import sys
sys.path.insert(0, sys.argv[1])
from exporters_samples import FakeGenerator
from gamegen.output.batch import generate_to_folder
from gamegen.exporters import parse_formats
first, count, width = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else 64
generate_to_folder(FakeGenerator(), range(first, first + count), parse_formats("tmx,tmj,json,txt"), sys.argv[2], options={"width": width}, progress=False)
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def assert_consistent(folder: Path) -> int:
    """Every manifest line names a whole file with its sha256; no temporary file is left → items listed."""
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    entries = read_manifest(folder)
    for entry in entries:
        assert sha256_file(folder / entry["path"]) == entry["sha256"], entry["path"]
    return len({e["path"] for e in entries})


def _lines(folder: Path) -> int:
    try:
        return (folder / MANIFEST).read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _kill_when(proc: subprocess.Popen, folder: Path, lines: int, jitter: float, timeout: float = 120) -> bool:
    """SIGKILL ``proc`` once the manifest holds ``lines`` lines, plus ``jitter`` seconds (so it dies mid-item) → killed?"""
    deadline = time.monotonic() + timeout
    while _lines(folder) < lines and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(jitter)
    proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=30) == -signal.SIGKILL


def _cli(out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gamegen", *CLI_ARGS, "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_killed_cli_batch_resumes_to_the_bytes_of_an_uninterrupted_run(tmp_path):
    reference, resumed = tmp_path / "reference", tmp_path / "resumed"
    assert subprocess.run([sys.executable, "-m", "gamegen", *CLI_ARGS, "--out", str(reference)], capture_output=True, timeout=600).returncode == 0
    rng = random.Random(10)
    kills = [0.0] + [fraction * 2 * COUNT for fraction in (0.15, 0.4, 0.65, 0.9)]  # the first kill lands during start-up
    killed = 0
    for lines in kills:
        before = {e["path"]: (resumed / e["path"]).stat() for e in read_manifest(resumed)} if resumed.exists() else {}
        proc = _cli(resumed)
        killed += _kill_when(proc, resumed, int(lines), rng.uniform(0, 0.05) if lines else rng.uniform(0.2, 1.0))
        proc.stderr.close()
        if resumed.exists():
            assert_consistent(resumed)
            for path, stat in before.items():  # complete items were not made again
                now = (resumed / path).stat()
                assert (now.st_ino, now.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns), path
    assert killed >= 4  # the runs died mid-batch, not after finishing
    final = subprocess.run([sys.executable, "-m", "gamegen", *CLI_ARGS, "--out", str(resumed)], capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    assert snapshot(resumed) == snapshot(reference)  # every file byte for byte, the manifest included, nothing else


def test_many_random_kills_of_a_batch_leave_a_consistent_folder(tmp_path):
    """Items that cost nothing to make: most kills land inside a file write or a manifest append."""
    reference, resumed = tmp_path / "reference", tmp_path / "resumed"
    generate_to_folder(FakeGenerator(), range(40), parse_formats("tmx,tmj,json,txt"), reference, options={"width": 64}, progress=False)
    rng = random.Random(7)
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", FAKE_BATCH, str(TESTS), str(resumed), "0", "40"])
        _kill_when(proc, resumed, rng.randrange(0, 160), rng.uniform(0, 0.03))
        if resumed.exists():
            assert_consistent(resumed)
    subprocess.run([sys.executable, "-c", FAKE_BATCH, str(TESTS), str(resumed), "0", "40"], check=True, timeout=120)
    assert snapshot(resumed) == snapshot(reference)


def test_kills_while_replacing_files_never_leave_a_line_the_file_contradicts(tmp_path):
    """A re-run with another width replaces every file; killed mid-way, the manifest must not vouch for old bytes."""
    folder, reference = tmp_path / "work", tmp_path / "reference"
    generate_to_folder(FakeGenerator(), range(40), parse_formats("tmx,tmj,json,txt"), folder, options={"width": 64}, progress=False)
    generate_to_folder(FakeGenerator(), range(40), parse_formats("tmx,tmj,json,txt"), reference, options={"width": 72}, progress=False)
    rng = random.Random(3)
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-c", FAKE_BATCH, str(TESTS), str(folder), "0", "40", "72"])
        _kill_when(proc, folder, 163 + rng.randrange(0, 120), rng.uniform(0, 0.02))  # 163 lines: the first run's, sorted
        assert_consistent(folder)
    subprocess.run([sys.executable, "-c", FAKE_BATCH, str(TESTS), str(folder), "0", "40", "72"], check=True, timeout=120)
    assert snapshot(folder) == snapshot(reference)


class CountingGenerator(FakeGenerator):
    def __init__(self):
        self.made: list[int] = []

    def generate_batch(self, seeds, options=None, **kwargs):
        self.made.extend(seeds)
        return super().generate_batch(seeds, options, **kwargs)


def test_resume_makes_only_what_is_missing_or_damaged(tmp_path):
    formats = parse_formats("tmx,json,txt")
    fresh, work = tmp_path / "fresh", tmp_path / "work"
    generate_to_folder(FakeGenerator(), range(10), formats, fresh, options={"width": 40}, progress=False)
    generate_to_folder(FakeGenerator(), range(10), formats, work, options={"width": 40}, progress=False)
    (work / "fake-gan-2.json").unlink()  # a missing file
    (work / "fake-gan-5.txt").write_text("changed\n")  # a file whose bytes no longer match
    lines = (work / MANIFEST).read_text().splitlines(keepends=True)
    kept = [line for line in lines if '"fake-gan-7.tmx"' not in line]  # an item whose line never made it
    (work / MANIFEST).write_text("".join(kept) + '{"path": "fake-gan-9.tmx", "sha2')  # and a line torn by a kill
    gen = CountingGenerator()
    generate_to_folder(gen, range(10), formats, work, options={"width": 40}, progress=False)
    assert sorted(gen.made) == [2, 5, 7]
    assert snapshot(work) == snapshot(fresh)
    gen = CountingGenerator()
    assert generate_to_folder(gen, range(10), formats, work, options={"width": 40}, progress=False) == [] and gen.made == []


def test_resume_never_keeps_files_made_with_other_arguments(tmp_path):
    generate_to_folder(FakeGenerator(), range(4), parse_formats("tmx,png"), tmp_path, options={"width": 40}, progress=False)
    for formats, width in (("tmx,png", 48), ("tmx:zlib,png", 48), ("tmx:zlib,png:scale=2", 48)):
        gen = CountingGenerator()
        generate_to_folder(gen, range(4), parse_formats(formats), tmp_path, options={"width": width}, progress=False)
        assert gen.made == [0, 1, 2, 3], formats
    assert {e["format"] for e in read_manifest(tmp_path) if "provenance" in e} == {"tmx:zlib", "png:scale=2"}
    (tmp_path / "platformer.tsx").write_text("damaged")  # a damaged companion alone makes the first item again
    gen = CountingGenerator()
    generate_to_folder(gen, range(4), parse_formats("tmx:zlib,png:scale=2"), tmp_path, options={"width": 48}, progress=False)
    assert gen.made == [0] and assert_consistent(tmp_path) == 4 * 2 + 2


def test_two_processes_writing_one_folder_keep_each_others_manifest_lines(tmp_path):
    folder = tmp_path / "shared"
    procs = [subprocess.Popen([sys.executable, "-c", FAKE_BATCH, str(TESTS), str(folder), str(first), "80"]) for first in (0, 1000)]
    assert [proc.wait(timeout=120) for proc in procs] == [0, 0]
    listed = assert_consistent(folder)
    assert listed == 2 * 80 * 4 + 3  # both batches' maps in four formats, the tilesets and their image once
    text = (folder / MANIFEST).read_text()
    assert text.splitlines() == sorted(text.splitlines(), key=lambda line: json.loads(line)["path"])


def test_a_manifest_with_a_broken_middle_line_is_refused_clearly(tmp_path):
    generate_to_folder(FakeGenerator(), range(2), parse_formats("txt"), tmp_path, options={"width": 30}, progress=False)
    lines = (tmp_path / MANIFEST).read_text().splitlines(keepends=True)
    (tmp_path / MANIFEST).write_text(lines[0] + "not json\n" + "".join(lines[1:]))
    with pytest.raises(DataError, match="line 2 is not a manifest entry"):
        generate_to_folder(FakeGenerator(), range(2), parse_formats("txt"), tmp_path, options={"width": 30}, progress=False)
