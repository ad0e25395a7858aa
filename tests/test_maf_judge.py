"""The real-engine judge: MAF's A* agent wins SMB 1-1 and loses a level with a 12-tile pit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from maf_support import require_maf

from gamegen.errors import InvalidRequest, JudgeUnavailable
from gamegen.exporters import get_exporter, read_map
from gamegen.tiles import TileMap, load_vocabulary

VGLC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "vglc" / "Super Mario Bros" / "Processed"
if not VGLC.is_dir():
    VGLC = Path("/work/shared/data/vglc/Super Mario Bros/Processed")


@pytest.fixture(scope="module")
def maf():
    return require_maf()


def _pit_level(pit: int, width: int = 60) -> TileMap:
    vocab = load_vocabulary("platformer")
    grid = np.full((14, width), vocab.empty_id, dtype=np.int16)
    grid[12:, :] = vocab.by_symbol("X").id
    grid[12:, 20 : 20 + pit] = vocab.empty_id
    return TileMap(grid, vocab)


def test_smb_1_1_is_won(maf):
    from gamegen.maf import judge_levels

    (result,) = judge_levels([read_map(VGLC / "mario-1-1.txt")])
    assert result.won and result.status == "win" and result.cause == ""
    assert result.completion == pytest.approx(1.0)
    assert result.end_x >= 201 - 1 and result.start == (0, 12)
    assert result.path[0] == (0, 12) and len(result.positions) == result.ticks + 1


def test_a_pit_wider_than_any_jump_is_lost_and_a_narrow_one_won(maf):
    from gamegen.maf import judge_levels

    wide, narrow = judge_levels([_pit_level(12), _pit_level(3)], workers=2)
    assert (wide.status, wide.cause) == ("lose", "fell")
    assert wide.end_x < 20 + 12 + 1  # it never reaches the far side (column 32)
    assert narrow.won


def test_a_level_with_nowhere_to_stand_is_a_one_line_error(maf):
    from gamegen.maf import judge_levels

    vocab = load_vocabulary("platformer")
    empty = TileMap(np.zeros((14, 30), dtype=np.int16), vocab)
    with pytest.raises(InvalidRequest, match="no tile to stand on") as info:
        judge_levels([empty])
    assert "\n" not in str(info.value)


def test_maf_export_marks_start_and_flag():
    level = read_map(VGLC / "mario-1-1.txt")
    text = get_exporter("maf").export(level).decode("ascii")
    rows = text.splitlines()
    assert rows[12][0] == "M" and rows[12][-1] == "F" and text.count("M") == 1 and text.count("F") == 1
    assert "Q" not in level.to_text().splitlines()[5][:30] or "D" in rows[5]  # VGLC's used block is MAF's D


def test_missing_jar_is_one_line_naming_the_install(monkeypatch, tmp_path):
    from gamegen.maf import jar

    monkeypatch.setenv(jar.JAR_ENV, str(tmp_path / "nope.jar"))
    with pytest.raises(JudgeUnavailable) as info:
        jar.runtime()
    assert "\n" not in str(info.value) and "pip install --no-deps mario-gpt==0.1.3" in str(info.value)
    assert info.value.exit_code == 6


def test_missing_java_is_one_line_naming_the_install(monkeypatch, tmp_path):
    from gamegen.maf import jar

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(JudgeUnavailable) as info:
        jar.find_java()
    assert "\n" not in str(info.value) and "apt-get install openjdk-17-jdk-headless" in str(info.value)
