"""The real engine in the product: ``gamegen eval --judge maf``, the judged picture, and issue 18's target.

These play levels in the Mario AI Framework (seconds a level); in CI a missing
jar or JDK fails them (``maf_support.require_maf``) instead of skipping them.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from maf_support import require_maf

from gamegen.maf import JudgeResult
from gamegen.quality.judge import TARGET_WIN_RATE
from gamegen.quality.judge_picture import ENGINE_COLOUR, OWN_COLOUR, judged_picture
from gamegen.tiles import TileMap, load_vocabulary

TARGET_LEVELS = 12  # seeds 0..11, 200 columns: ~1 min of engine time on 2 cores
TARGET_WIDTH = 200


@pytest.fixture(scope="module")
def maf():
    return require_maf()


def _flat(width: int = 30) -> TileMap:
    vocab = load_vocabulary("platformer")
    grid = np.full((14, width), vocab.empty_id, dtype=np.int16)
    grid[12:, :] = vocab.by_symbol("X").id
    return TileMap(grid, vocab)


def _colour_rows(pixels: np.ndarray, x: int, colour) -> np.ndarray:
    return np.flatnonzero((pixels[:, x] == np.array(colour, dtype=np.uint8)).all(axis=-1))


def test_eval_judge_maf_reports_win_rate_agreement_and_settings(maf, run_cli):
    code, out, err = run_cli("eval", "platformer-gan", "--n", "4", "--judge", "maf", "--judge-n", "4", "--no-judge-corpus")
    assert code == 0, err
    judged = json.loads(out)["maf_judge"]
    assert judged["judged"] == 4 and 0 <= judged["won"] <= 4
    assert judged["win_rate"] == pytest.approx(judged["won"] / 4)
    assert 0 <= judged["agreement"] <= 1 and judged["own_finishable_rate"] == 1.0  # shipped levels are finishable to gamegen
    assert judged["agreement"] == pytest.approx(judged["win_rate"])  # so they agree exactly where the engine wins
    assert sum(judged["loss_causes"].values()) == 4 - judged["won"]
    settings = judged["settings"]
    assert settings["mario"] == "small" and settings["cpu_ms_per_tick"] == 40 and settings["game_seconds_per_column"] == 0.6
    assert "A*" in settings["agent"] and "MAF A* won" in err


def test_a_missing_jar_is_one_line_before_any_level_is_made(run_cli, monkeypatch, tmp_path):
    import gamegen.quality.evaluate as evaluate

    def never(*args, **kwargs):
        raise AssertionError("levels were generated before the judge was checked")

    monkeypatch.setattr(evaluate, "evaluate_platformer", never)
    monkeypatch.setenv("GAMEGEN_MAF_JAR", str(tmp_path / "missing.jar"))
    code, out, err = run_cli("eval", "platformer-gan", "--n", "4", "--judge", "maf", "--json", tmp_path / "eval.json")
    assert code == 6 and out == ""
    assert len(err.strip().splitlines()) == 1 and "missing.jar" in err and "pip install --no-deps mario-gpt==0.1.3" in err
    assert not (tmp_path / "eval.json").exists()


def test_judge_flags_need_judge(run_cli):
    code, _, err = run_cli("eval", "platformer-gan", "--n", "4", "--judge-n", "2")
    assert code == 2 and "--judge-n needs --judge maf" in err


def test_the_picture_draws_the_engines_track_along_the_route():
    level = _flat()
    route = [(0.5 + 0.25 * t, 12.0) for t in range(113)]  # feet on the ground, x from 0.5 to 28.5 tiles
    result = JudgeResult("win", "", 1.0, len(route) - 1, route[-1][0], (0, 11), route)
    pixels = judged_picture(level, result, scale=2, own_path=False)
    body = int((12.0 - 0.5) * 16 * 2)  # the track runs through Mario's middle, half a tile above his feet
    for tile_x in range(1, 28):
        rows = _colour_rows(pixels, tile_x * 32 + 16, ENGINE_COLOUR)
        assert len(rows) and abs(rows.mean() - body) <= 4, tile_x
    assert not len(_colour_rows(pixels, 29 * 32 + 16, ENGINE_COLOUR))  # nothing past where Mario went


def test_the_picture_of_a_judged_level_shows_both_paths(maf):
    pixels = judged_picture(_flat(), scale=1)  # judged now, in the engine
    engine_columns = [x for x in range(16, 28 * 16, 16) if len(_colour_rows(pixels, x, ENGINE_COLOUR))]
    assert len(engine_columns) >= 25  # the track crosses the level
    assert any(len(_colour_rows(pixels, x, OWN_COLOUR)) for x in range(16, 28 * 16, 16))


@pytest.mark.target
@pytest.mark.xfail(reason="issue 18 is open: on 2026-12-02 the A* won 11 of these 12 levels (92%) and 18 of 20 "
                          "other seeds (90%), below TARGET_WIN_RATE; the verdict varies run to run, so an all-won run is not an error",
                   strict=False)
def test_shipped_levels_win_in_the_real_engine_at_the_target_rate(maf):
    """ISSUE 18's TARGET: the share of shipped levels the engine's A* wins, at TARGET_WIN_RATE.

    It runs in every CI run (never skipped: the jar and JDK are required there) and
    reports XFAIL with the losses while the target is missed. The threshold stays at
    TARGET_WIN_RATE: when the agent and repair reach it, drop the xfail mark.
    """
    from gamegen.api import load
    from gamegen.maf import judge_levels

    generator = load("platformer-gan")
    levels = generator.generate_batch(list(range(TARGET_LEVELS)), width=TARGET_WIDTH)
    results = judge_levels(levels)
    won = sum(r.won for r in results)
    lost = [(seed, r.cause, round(r.completion, 2)) for seed, r in enumerate(results) if not r.won]
    assert won / len(results) >= TARGET_WIN_RATE, f"A* won {won}/{len(results)}; lost (seed, cause, completion): {lost}"


def test_the_summary_counts_agreement_and_causes():
    from gamegen.quality.judge import judge_summary

    def result(status, cause):
        return JudgeResult(status, cause, 1.0 if status == "win" else 0.5, 10, 5.0)

    results = [result("win", ""), result("lose", "fell"), result("lose", "fell"), result("timeout", "time")]
    summary = judge_summary(results, [True, True, False, True])
    assert (summary["won"], summary["win_rate"], summary["own_finishable_rate"]) == (1, 0.25, 0.75)
    assert summary["agreement"] == 0.5  # the win agrees, and the loss gamegen also calls unfinishable
    assert summary["loss_causes"] == {"fell": 2, "time": 1} and summary["mean_completion"] == 0.625
