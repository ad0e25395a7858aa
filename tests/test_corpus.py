"""The platformer corpus: 37 levels, every one brought to 14 rows by the documented rule."""

import numpy as np
import pytest

from gamegen import DataError
from gamegen.corpus import fit_rows, load_platformer_corpus


def test_all_levels_loaded_at_14_rows(data_dir):
    levels = load_platformer_corpus(data_dir)
    assert [c.game for c in levels].count("smb") == 15
    assert [c.game for c in levels].count("smb2j") == 22
    assert all(c.level.height == 14 for c in levels)


def test_the_rule_bottom_aligns(data_dir):
    raw_dir = data_dir / "vglc" / "Super Mario Bros 2 (Japan)" / "Processed"
    by_name = {c.name: c for c in load_platformer_corpus(data_dir)}
    # 12 rows: two sky rows on top; 16 rows: two empty rows off the top.
    assert (by_name["SuperMarioBros2(J)-World1-1"].rows_padded, by_name["SuperMarioBros2(J)-World1-1"].rows_dropped) == (2, 0)
    assert (by_name["SuperMarioBros2(J)-World3-1"].rows_padded, by_name["SuperMarioBros2(J)-World3-1"].rows_dropped) == (0, 2)
    for name in ("SuperMarioBros2(J)-World1-1", "SuperMarioBros2(J)-World3-1", "SuperMarioBros2(J)-World6-3"):
        raw = (raw_dir / f"{name}.txt").read_text().splitlines()
        fitted = by_name[name].level.to_text().splitlines()
        # The bottom rows are untouched; whatever was added or removed is empty sky.
        keep = min(len(raw), 14)
        assert fitted[-keep:] == raw[-keep:]
        assert all(set(row) == {"-"} for row in (fitted[: 14 - keep] + raw[: len(raw) - keep]))


def test_no_tile_is_dropped_silently():
    grid = np.zeros((16, 5), dtype=np.int16)
    grid[0, 3] = 1  # a block in the top row, which a 14-row fit would lose
    with pytest.raises(DataError, match="not empty sky"):
        fit_rows(grid, 14, 0, "test level")


def test_missing_corpus_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="no VGLC corpus"):
        load_platformer_corpus(tmp_path)
