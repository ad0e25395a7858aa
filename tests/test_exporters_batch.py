"""Batches: companions written once per folder, the manifest lists every file, the contact sheet."""

from __future__ import annotations

import numpy as np
import pytest
from exporters_samples import FakeGenerator, all_tiles_level
from PIL import Image

import gamegen.output.batch as batch
from gamegen.errors import ExportError
from gamegen.exporters import parse_formats, read_map
from gamegen.files import sha256_file
from gamegen.output.batch import CONTACT_SHEET, FolderWriter, generate_to_folder, read_manifest


def test_a_batch_lists_every_file_and_writes_the_tileset_once(tmp_path, monkeypatch):
    writes: list[str] = []
    real = batch.atomic_write_bytes
    monkeypatch.setattr(batch, "atomic_write_bytes", lambda path, data: (writes.append(path.name), real(path, data))[1])
    entries = generate_to_folder(FakeGenerator(), [3, 4, 5], parse_formats("tmx,tmj,json,png"), tmp_path, options={"width": 40}, progress=False,
        contact_sheet=True)
    assert writes.count("platformer.tsx") == writes.count("platformer.tsj") == writes.count("platformer-tileset.png") == 1
    on_disk = sorted(p.name for p in tmp_path.iterdir() if p.name != batch.MANIFEST)
    assert sorted(e["path"] for e in entries) == on_disk == sorted(e["path"] for e in read_manifest(tmp_path))
    assert len(on_disk) == 3 * 4 + 3 + 1  # items × formats, three shared tileset files, the contact sheet
    for entry in read_manifest(tmp_path):
        assert entry["sha256"] == sha256_file(tmp_path / entry["path"])
        assert ("provenance" in entry) != ("role" in entry)
    for seed in (3, 4, 5):
        level = read_map(tmp_path / f"fake-gan-{seed}.tmj")
        assert level.provenance["seed"] == seed and level.width == 40


def test_a_second_run_leaves_unchanged_companions_alone(tmp_path):
    generate_to_folder(FakeGenerator(), [1], parse_formats("tmx"), tmp_path, options={"width": 30}, progress=False)
    before = (tmp_path / "platformer.tsx").stat()
    generate_to_folder(FakeGenerator(), [2], parse_formats("tmx"), tmp_path, options={"width": 30}, progress=False)
    after = (tmp_path / "platformer.tsx").stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert {e["path"] for e in read_manifest(tmp_path)} == {"fake-gan-1.tmx", "fake-gan-2.tmx", "platformer.tsx", "platformer-tileset.png"}


def test_contact_sheet_shows_the_first_items(tmp_path):
    seeds = list(range(20))
    generate_to_folder(FakeGenerator(), seeds, parse_formats("png"), tmp_path, options={"width": 500}, progress=False, contact_sheet=True)
    sheet = Image.open(tmp_path / CONTACT_SHEET)
    assert sheet.size[0] == batch.SHEET_COLUMNS * 16 + 2 * 4  # each item cut to SHEET_COLUMNS, one column, 4 px gaps
    assert sheet.size[1] == batch.SHEET_ITEMS * (7 * 16 + 12 + 4) + 4
    entry = next(e for e in read_manifest(tmp_path) if e["path"] == CONTACT_SHEET)
    assert entry["role"] == "contact-sheet" and entry["seeds"] == seeds[: batch.SHEET_ITEMS]


def test_contact_sheet_only_when_asked(tmp_path):
    generate_to_folder(FakeGenerator(), [9, 10], parse_formats("png"), tmp_path, options={"width": 30}, progress=False)
    assert not (tmp_path / CONTACT_SHEET).exists()


def test_an_item_named_like_a_companion_is_refused_before_writing(tmp_path):
    writer = FolderWriter(tmp_path, parse_formats("tmx,png"))
    with pytest.raises(ExportError, match=r"platformer-tileset\.png would be written twice"):
        writer.write(all_tiles_level(), "platformer-tileset")
    assert list(tmp_path.iterdir()) == []


def test_a_failing_exporter_writes_nothing_for_that_item(tmp_path):
    class Broken:
        name, extension, description = "broken", "bin", "always fails"

        def export(self, level):
            raise ExportError("broken on purpose")

    writer = FolderWriter(tmp_path, [*parse_formats("tmx,png"), Broken()])
    with pytest.raises(ExportError):
        writer.write(all_tiles_level(), "m")
    assert list(tmp_path.iterdir()) == []


def test_same_seed_same_bytes_whatever_the_batch(tmp_path):
    generate_to_folder(FakeGenerator(), [1, 2, 3], parse_formats("tmj,json"), tmp_path / "a", options={"width": 50}, progress=False, batch_size=2)
    generate_to_folder(FakeGenerator(), [2], parse_formats("tmj,json"), tmp_path / "b", options={"width": 50}, progress=False)
    for name in ("fake-gan-2.tmj", "fake-gan-2.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert np.array_equal(read_map(tmp_path / "a" / "fake-gan-2.json").grid, read_map(tmp_path / "b" / "fake-gan-2.tmj").grid)
