"""gamegen's model of Mario's movement against the real engine (MAF's MarioForwardModel, via MafProbe)."""

from __future__ import annotations

import pytest
from maf_support import flat_level, require_maf

from gamegen.maf.body import load_profile, simulate
from gamegen.maf.movement import jump_distance, reachable_moves, summary

GROUND = 10  # flat_level's ground row; Mario's feet are on row 9


@pytest.fixture(scope="module")
def probe():
    require_maf()
    from gamegen.maf.probe import probe

    return probe


def _flat_solid(tx, ty):
    return ty >= GROUND


SEQUENCES = {
    "standstill full jump": ["", ""] + ["J"] * 8 + [""] * 25,
    "standstill tap": ["", "", "J"] + [""] * 20,
    "walk then jump": ["", ""] + ["R"] * 10 + ["RJ"] * 4 + ["R"] * 25,
    "run then full jump": ["", ""] + ["RS"] * 25 + ["RSJ"] * 8 + ["RS"] * 25,
    "run, jump, brake": ["", ""] + ["RS"] * 12 + ["RSJ"] * 6 + ["LS"] * 20,
} | {f"run, hold {h}": ["", ""] + ["RS"] * 8 + ["RSJ"] * h + ["RS"] * 30 for h in (1, 2, 3, 5, 7)}


@pytest.mark.parametrize("mode", ["small", "big"])
def test_simulation_matches_the_engine_tick_by_tick(probe, mode):
    text = flat_level()
    names = list(SEQUENCES)
    engine = probe([(text, mode, SEQUENCES[n]) for n in names])
    for name, real in zip(names, engine):
        model = simulate(load_profile(f"smb-{mode}"), SEQUENCES[name], _flat_solid, (2, GROUND - 1))
        assert len(model) == len(real)
        worst = max(max(abs(a[0] - b[0]), abs(a[1] - b[1])) for a, b in zip(model, real))
        assert worst < 0.01, f"{mode} {name}: {worst:.3f} px off the engine"
        assert [a[4] for a in model] == [b[4] for b in real], f"{mode} {name}: on-ground ticks differ"
        assert min(b[1] for b in real) < real[0][1] - 10 or name == "standstill tap", "the sequence never jumped"


def test_summary_figures_match_the_engine(probe):
    figures = summary("smb-small")
    assert figures["max_rise_tiles"] == pytest.approx(4.16, abs=0.01)
    assert figures["standstill_jump_tiles"] == pytest.approx(6.25, abs=0.01)
    assert figures["running_jump_tiles"] == pytest.approx(10.9, abs=0.05)
    rise_keys = ["", ""] + ["J"] * 8 + [""] * 30
    (_, keys_still), (_, keys_run) = jump_distance("smb-small", 0), jump_distance("smb-small", 40)
    rise, still, run = probe([(flat_level(80), "small", k) for k in (rise_keys, keys_still, keys_run)])
    assert (rise[1][1] - min(t[1] for t in rise)) / 16 == pytest.approx(figures["max_rise_tiles"], abs=0.01)
    assert (still[-1][0] - still[1][0]) / 16 == pytest.approx(figures["standstill_jump_tiles"], abs=0.01)
    assert (run[-1][0] - run[41][0]) / 16 == pytest.approx(figures["running_jump_tiles"], abs=0.01)
    assert still[-1][4] and run[-1][4]  # the keys end on the landing tick


def _move_level(move, feet: int = 8, start: int = 2) -> tuple[str, int, int]:
    """Everything solid except the move's free tiles; the floor and landing tile solid: the hardest level it allows."""
    take = start + move.runway
    width = max(take + move.dx, take) + 8
    free = {(take + dx, feet + dy) for dx, dy in move.free}
    rows = []
    for r in range(14):
        rows.append(["-" if (c, r) in free else "X" for c in range(width)])
    rows[feet][start] = "M"
    rows[0][width - 1] = "F"
    return "\n".join("".join(r) for r in rows) + "\n", take + move.dx, feet + move.dy


def _sample(moves):
    keys = sorted((k for k in moves if k[1] <= 4), key=lambda k: (k[0], k[1]))  # the test level has 5 rows under the feet
    picks = {max(keys), min(keys), max(keys, key=lambda k: (-k[1], k[0])), max(keys, key=lambda k: (k[1], k[0]))}
    picks |= set(keys[:: max(1, len(keys) // 6)])
    return [moves[k] for k in sorted(picks)]


@pytest.mark.parametrize("mode,runway", [("small", 0), ("small", 3), ("small", 8), ("big", 2)])
def test_moves_the_model_allows_the_engine_makes(probe, mode, runway):
    moves = _sample(reachable_moves(f"smb-{mode}", runway))
    assert len(moves) >= 5
    levels = [_move_level(m) for m in moves]
    engine = probe([(text, mode, ["", "", *m.keys]) for (text, _, _), m in zip(levels, moves)])
    for move, (_, col, row), ticks in zip(moves, levels, engine):
        x, y, _, _, grounded = ticks[-1]
        assert grounded and (int(x // 16), int(y // 16)) == (col, row), f"{mode} runway {runway}: ({move.dx}, {move.dy}) not made"


def test_the_model_is_not_trivially_small():
    small = {r: reachable_moves("smb-small", r) for r in (0, 8)}
    assert max(dx for dx, dy in small[0] if dy == 0) >= 5  # a standstill jump clears 6.25 tiles
    assert max(dx for dx, dy in small[8] if dy == 0) >= 9  # a running one 10.9
    assert min(dy for dx, dy in small[0]) == -4  # 4.16 tiles of rise
    assert all(dx <= 11 for dx, dy in small[0] if dy <= 0)
