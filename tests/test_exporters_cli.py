"""``gamegen export`` end to end, and every bad input: one line on stderr, a non-zero code, nothing partial."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from exporters_samples import all_tiles_level, corpus_level

from gamegen.cli.commands import main
from gamegen.exporters import read_map
from gamegen.files import sha256_file
from gamegen.output.batch import MANIFEST, read_manifest


def _export(capsys, *args: str) -> tuple[int, str]:
    code = main(["export", *map(str, args)])
    err = capsys.readouterr().err
    return code, err


def _one_line_error(err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("gamegen: error: ") and "Traceback" not in err
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.fixture
def level_txt(tmp_path) -> Path:
    path = tmp_path / "in" / "level.txt"
    path.parent.mkdir()
    path.write_text(corpus_level(0, columns=60).to_text())
    return path


def test_export_writes_every_format_and_a_manifest_of_every_file(level_txt, tmp_path, capsys):
    out = tmp_path / "out"
    code, err = _export(capsys, level_txt, "--format", "tmx,tmj,json,png:scale=2,txt", "--out", out)
    assert code == 0, err
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(["level.tmx", "level.tmj", "level.json", "level.png", "level.txt", "platformer.tsx", "platformer.tsj", "platformer-tileset.png",
        MANIFEST])
    entries = {e["path"]: e for e in read_manifest(out)}
    assert set(entries) == set(files) - {MANIFEST}
    for name, entry in entries.items():
        assert entry["sha256"] == sha256_file(out / name), name
    assert entries["platformer.tsx"]["role"] == "companion"
    level = read_map(level_txt)
    for ext in ("tmx", "tmj", "json", "txt"):
        assert read_map(out / f"level.{ext}") == level


def test_export_converts_between_formats(level_txt, tmp_path, capsys):
    assert _export(capsys, level_txt, "--format", "tmx:zlib", "--out", tmp_path / "a")[0] == 0
    assert _export(capsys, tmp_path / "a" / "level.tmx", "--format", "json", "--out", tmp_path / "b")[0] == 0
    assert _export(capsys, tmp_path / "b" / "level.json", "--format", "tmj:embed", "--out", tmp_path / "c")[0] == 0
    final = read_map(tmp_path / "c" / "level.tmj")
    assert final == read_map(level_txt)
    assert final.provenance == {"source": "level.txt"}  # carried through every conversion
    assert not (tmp_path / "c" / "platformer.tsj").exists()  # embedded: only the image is shared


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


def test_unknown_format(level_txt, tmp_path, capsys):
    code, err = _export(capsys, level_txt, "--format", "tmx,bmp", "--out", tmp_path / "out")
    assert code == 2
    _one_line_error(err, "unknown format 'bmp'")
    assert not (tmp_path / "out").exists()


def test_ids_outside_the_vocabulary(tmp_path, capsys):
    doc_path = tmp_path / "bad.json"
    (tmp_path / "ok").mkdir()
    main(["export", str(_write_txt(tmp_path)), "--format", "json", "--out", str(tmp_path / "ok")])
    doc = json.loads((tmp_path / "ok" / "m.json").read_text())
    doc["grid"][0][0] = 40
    doc_path.write_text(json.dumps(doc))
    capsys.readouterr()
    code, err = _export(capsys, doc_path, "--format", "tmx", "--out", tmp_path / "out")
    assert code == 4
    _one_line_error(err, "bad.json", "tile id 40")
    assert not (tmp_path / "out").exists()


def _write_txt(tmp_path: Path) -> Path:
    path = tmp_path / "m.txt"
    path.write_text(all_tiles_level().to_text())
    return path


@pytest.mark.parametrize("ext", ["tmx", "tmj", "json"])
def test_malformed_and_truncated_inputs(tmp_path, capsys, ext):
    main(["export", str(_write_txt(tmp_path)), "--format", ext, "--out", str(tmp_path / "src")])
    path = tmp_path / "src" / f"m.{ext}"
    path.write_bytes(path.read_bytes()[:-40])
    capsys.readouterr()
    code, err = _export(capsys, path, "--format", "png", "--out", tmp_path / "out")
    assert code == 4
    _one_line_error(err, f"m.{ext}")
    assert not (tmp_path / "out").exists()


def test_an_output_path_that_is_a_folder_leaves_nothing_written(level_txt, tmp_path, capsys):
    out = tmp_path / "out"
    (out / "level.tmj").mkdir(parents=True)
    code, err = _export(capsys, level_txt, "--format", "tmx,tmj,png", "--out", out)
    assert code == 5
    _one_line_error(err, "level.tmj is a folder")
    assert sorted(p.name for p in out.iterdir()) == ["level.tmj"]  # no map, no tileset, no manifest


def test_out_that_is_a_file(level_txt, tmp_path, capsys):
    out = tmp_path / "out"
    out.write_text("keep me")
    code, err = _export(capsys, level_txt, "--format", "tmx", "--out", out)
    assert code == 5
    _one_line_error(err, "is not a folder")
    assert out.read_text() == "keep me"


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody can write in: chmod for a normal user; root ignores that, so ``chattr +i`` for root."""
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "old.txt").write_text("old")
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root where chattr +i is unavailable: cannot make a folder read-only")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_folder(level_txt, read_only_folder, capsys):
    code, err = _export(capsys, level_txt, "--format", "tmx,json", "--out", read_only_folder)
    assert code == 5
    _one_line_error(err, "cannot write in", "locked")
    assert sorted(p.name for p in read_only_folder.iterdir()) == ["old.txt"]


def test_missing_input(tmp_path, capsys):
    code, err = _export(capsys, tmp_path / "nope.tmx", "--format", "json", "--out", tmp_path / "out")
    assert code == 4
    _one_line_error(err, "nope.tmx")


def test_two_inputs_with_one_name(level_txt, tmp_path, capsys):
    other = tmp_path / "level.tmx"
    main(["export", str(level_txt), "--format", "tmx", "--out", str(tmp_path)])
    capsys.readouterr()
    code, err = _export(capsys, level_txt, other, "--format", "json", "--out", tmp_path / "out")
    assert code == 2
    _one_line_error(err, "share a file name")


def test_generate_writes_tiled_engine_and_png_files(tiny_models, tmp_path, capsys):
    """``gamegen generate … --format tmx,tmj,json,png`` on a real (tiny, freshly trained) model."""
    out = tmp_path / "out"
    code = main(["generate", str(tiny_models / "platformer-gan.onnx"), "--seed", "3", "--count", "2", "--width", "64",
                 "--format", "tmx,tmj,json,png", "--out", str(out), "--quiet", "--contact-sheet"])
    assert code == 0, capsys.readouterr().err
    entries = {e["path"]: e for e in read_manifest(out)}
    assert set(entries) == {p.name for p in out.iterdir()} - {MANIFEST}
    assert {"platformer.tsx", "platformer.tsj", "platformer-tileset.png", "contact-sheet.png"} <= set(entries)
    for seed in (3, 4):
        level = read_map(out / f"platformer-gan-{seed}.tmx")
        assert level == read_map(out / f"platformer-gan-{seed}.json") == read_map(out / f"platformer-gan-{seed}.tmj")
        assert level.provenance["seed"] == seed and level.provenance["model"] == "platformer-gan"
        assert entries[f"platformer-gan-{seed}.tmx"]["provenance"] == level.provenance
