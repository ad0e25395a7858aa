"""Quality measures, checked on cases small enough to count by hand."""

import math

import numpy as np
import pytest

from gamegen.metrics import (
    duplicate_rate,
    kl_from_counts,
    mean_pairwise_hamming,
    pattern_counts,
    tile_pattern_kl,
    window_novelty,
)


def test_pattern_counts_by_hand():
    grid = np.array([[0, 1, 0], [1, 0, 1]])
    counts = pattern_counts([grid], 2)
    assert sorted(counts.values()) == [1, 1]
    assert sum(pattern_counts([grid], 1).values()) == 6


def test_kl_by_hand():
    p = {b"a": 3, b"b": 1}
    q = {b"a": 1, b"b": 1}
    expected = 0.75 * math.log(0.75 / 0.5) + 0.25 * math.log(0.25 / 0.5)
    assert kl_from_counts(p, q) == pytest.approx(expected, rel=1e-5)
    # A pattern the generated set lacks costs a lot: ε keeps it finite.
    assert kl_from_counts({b"a": 1}, {b"b": 1}) > 10


def test_tpkl_is_zero_on_itself_and_grows_with_difference(data_dir):
    from gamegen.corpus import load_platformer_corpus

    corpus = [c.level.grid for c in load_platformer_corpus(data_dir)]
    assert tile_pattern_kl(corpus, corpus)["mean"] == pytest.approx(0.0, abs=1e-9)
    flat = [np.zeros((14, 200), dtype=np.int16) for _ in range(3)]
    shuffled = [np.random.default_rng(0).permutation(g.ravel()).reshape(g.shape) for g in corpus]
    assert tile_pattern_kl(corpus, shuffled)["mean"] < tile_pattern_kl(corpus, flat)["mean"]
    assert set(tile_pattern_kl(corpus, shuffled)) == {"mean", "k2", "k3", "k4"}


def test_duplicates_and_diversity():
    a, b = np.zeros((2, 4), dtype=np.int16), np.ones((2, 4), dtype=np.int16)
    assert duplicate_rate([a, b, a.copy(), a.copy()]) == 0.5
    assert mean_pairwise_hamming([a, b]) == 1.0
    assert mean_pairwise_hamming([a, b, a]) == pytest.approx(2 / 3)


def test_novelty_and_copies(data_dir):
    from gamegen.corpus import load_platformer_corpus

    corpus = [c.level.grid for c in load_platformer_corpus(data_dir)]
    copied = window_novelty(corpus, [corpus[0][:, :100]], n_tiles=13)
    assert copied["corpus_copy_rate"] == 1.0 and copied["novelty_mean"] == 0.0
    odd = np.full((14, 60), 12, dtype=np.int16)  # cannon bases everywhere: far from every corpus window
    far = window_novelty(corpus, [odd], n_tiles=13)
    assert far["corpus_copy_rate"] == 0.0 and far["novelty_mean"] > 0.9


def test_eval_command_writes_json(run_cli, tmp_path):
    import json

    code, _out, err = run_cli("eval", "platformer-gan", "--n", 12, "--width", 100, "--json", tmp_path / "e.json")
    assert code == 0, err
    result = json.loads((tmp_path / "e.json").read_text())
    assert result["levels"] == 12 and result["width"] == 100
    for key in ("tpkl_div", "duplicate_rate", "mean_pairwise_hamming", "novelty_mean", "corpus_window_copy_rate"):
        assert key in result


def test_eval_out_writes_json_and_plots(run_cli, tmp_path):
    import json

    from PIL import Image

    code, _, err = run_cli("eval", "platformer-gan", "--n", 6, "--width", 80, "--out", tmp_path / "ev")
    assert code == 0, err
    result = json.loads((tmp_path / "ev" / "eval.json").read_text())
    assert result["playable_rate"] == 1.0  # what generate ships is always finishable and sane
    assert 0.0 <= result["raw_playable_rate"] <= 1.0
    for key in ("edits_mean", "unedited_rate", "expressive_range_mean"):
        assert key in result
    assert not any(key.startswith("_") for key in result)
    for name in ("expressive-range.png", "edits.png"):
        with Image.open(tmp_path / "ev" / name) as image:
            assert image.size[0] > 400


def test_eval_rejects_bad_arguments(run_cli, tmp_path):
    code, _, err = run_cli("eval", "platformer-gan", "--width", 5)
    assert code == 2 and "width 5 is outside" in err
    code, _, err = run_cli("eval", "platformer-gan", "--seed", -3)
    assert code == 2 and "seed -3" in err
