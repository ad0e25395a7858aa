"""The platformer agent on the corpus and on hand-built cases; sanity rules; repair."""

import numpy as np
import pytest

from gamegen import TileMap, load_vocabulary
from gamegen.corpus import load_platformer_corpus
from gamegen.platformer import PlatformerAgent
from gamegen.platformer.repair import repair_level
from gamegen.platformer.sanity import sanity_violations

VOCAB = load_vocabulary("platformer")

# Corpus levels the agent judges unfinishable, each looked at in the level text. The agent plays small Mario
# from rest with the engine's physics (gamegen.maf.movement), conservatively: no wall slides, a run-up only
# along standing spots, every sub-tile start position must make the jump.
UNFINISHABLE = {
    "mario-2-1": "a wall of bricks 10 rows high at column 183 (transcribed solid; the game climbs it by a vine)",
    "mario-3-1": "a 7-column pit at 74 after a staircase whose top is one tile wide: a running jump up the stairs",
    "mario-4-2": "a pocket under bricks at column 27: its way out jumps along the brick wall (a wall slide)",
    "mario-6-2": "a pipe top at column 110, five rows above the ground, reached from the brick beside it (a wall slide)",
    "mario-6-3": "floating platforms from column 49 on, 5+ columns apart and a row up: longer than a standing jump",
    "SuperMarioBros2(J)-World1-2": "a full-height wall of bricks at column 174; the level leaves through a pipe (warp)",
    "SuperMarioBros2(J)-World2-2": "an 8-column pit at 231 whose only stepping stones are 5 rows up: a springboard jump",
    "SuperMarioBros2(J)-World3-1": "a pipe 5 rows above the ground at column 122: higher than any jump",
    "SuperMarioBros2(J)-World3-3": "floating platforms at column 92 spaced for running jumps, one tile wide",
    "SuperMarioBros2(J)-World4-2": "a pipe 5 rows above the ground at column 122: higher than any jump",
    "SuperMarioBros2(J)-World4-3": "floating platforms from column 22 on, 6+ rows up: reached by springboard",
    "SuperMarioBros2(J)-World5-1": "a climb at column 154 higher than any jump",
    "SuperMarioBros2(J)-World5-2": "a climb at column 17 along a wall (a wall slide)",
    "SuperMarioBros2(J)-World6-1": "a pipe top 7 rows up at column 73, reached from the brick beside it (a wall slide)",
    "SuperMarioBros2(J)-World6-3": "narrow platforms at column 128 spaced for running jumps",
    "SuperMarioBros2(J)-World8-1": "a pit at column 75 crossed by a running jump from a one-tile ledge",
    "SuperMarioBros2(J)-WorldA-1": "a climb at column 37 along a wall (a wall slide)",
    "SuperMarioBros2(J)-WorldB-1": "narrow platforms at column 83 spaced for running jumps",
    "SuperMarioBros2(J)-WorldB-3": "a wall at column 3 climbed by a wall slide",
    "SuperMarioBros2(J)-WorldD-1": "narrow platforms at column 19 spaced for running jumps",
}
# The castle before the spawn point of A-1 and 5-1 is transcribed as bricks, and 5-2 opens with an
# empty column; the corpus' own annotated paths start here, so the agent does too.
STARTS = {
    "SuperMarioBros2(J)-WorldA-1": (7, 11),
    "SuperMarioBros2(J)-World5-1": (7, 11),
    "SuperMarioBros2(J)-World5-2": (4, 11),
}


@pytest.fixture(scope="module")
def agent():
    return PlatformerAgent(VOCAB)


def test_corpus_judgements(agent, data_dir):
    judged = {}
    for level in load_platformer_corpus(data_dir):
        result = agent.play(level.level, start=STARTS.get(level.name))
        judged[level.name] = result.finishable
        if result.finishable:
            assert result.path[0] == result.start and result.path[-1][0] == level.level.width - 1
    assert {name for name, ok in judged.items() if not ok} == set(UNFINISHABLE)
    assert sum(name.startswith("mario-") and ok for name, ok in judged.items()) == 10  # the A* wins 12 of the 15


def level(*rows: str) -> TileMap:
    """A 14-row level from its bottom rows (sky above)."""
    width = len(rows[0])
    return TileMap.from_text("".join(r + "\n" for r in ["-" * width] * (14 - len(rows)) + list(rows)))


GROUND = "X" * 40
CASES = {
    # name: (level, finishable)
    "flat ground": (level(GROUND), True),
    "gap of 4": (level("X" * 18 + "-" * 4 + "X" * 18), True),
    "gap of 12, wider than the longest jump": (level("X" * 14 + "-" * 12 + "X" * 14), False),
    "wall of 3": (level(*["-" * 20 + "X" + "-" * 19] * 3, GROUND), True),
    "wall of 6, higher than the highest jump": (level(*["-" * 20 + "X" + "-" * 19] * 6, GROUND), False),
    "start walled in": (level(*(["--X" + "-" * 37] * 7 + ["XXX" + "-" * 37] + ["--X" + "-" * 37] * 4 + [GROUND])), False),
    "sealed ceiling over a gap of 6": (level("X" * 40, "-" * 40, GROUND[:17] + "-" * 6 + GROUND[:17]), False),
    "open sky over a gap of 6": (level("-" * 40, "-" * 40, GROUND[:17] + "-" * 6 + GROUND[:17]), True),
    "stairs of 4": (level(*["-" * (20 - i) + "X" * (i + 1) + "-" * (19) for i in range(3, -1, -1)], GROUND), True),
    # Momentum: a gap of 7 is cleared with a run-up, not from a one-tile pillar (a standing jump clears 5).
    "gap of 7 with a run-up": (level("X" * 14 + "-" * 7 + "X" * 19), True),
    "gap of 7 from a pillar": (level("-" * 14 + "X" + "-" * 25, "X" * 10 + "-" * 4 + "X" + "-" * 7 + "X" * 18), False),
    "gap of 5 from a pillar": (level("-" * 14 + "X" + "-" * 25, "X" * 10 + "-" * 4 + "X" + "-" * 5 + "X" * 20), True),
    "nowhere to stand": (level("-" * 40), False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hand_built_cases(agent, name):
    tiles, expected = CASES[name]
    assert agent.play(tiles).finishable is expected, name


def test_sealed_ceiling_really_blocks(agent):
    """The ceiling alone makes the difference between the two gap-of-6 cases."""
    sealed, _ = CASES["sealed ceiling over a gap of 6"]
    open_sky, _ = CASES["open sky over a gap of 6"]
    assert (sealed.grid != open_sky.grid).sum() == 40


SANITY_CASES = {
    "pipe without its right half": (level("-" * 10 + "<" + "-" * 9, "X" * 20), {"pipe-pair"}),
    "pipe top in the air": (level("-" * 10 + "<>" + "-" * 8, "-" * 20, "X" * 20), {"pipe-support"}),
    "pipe body without a top": (level("-" * 10 + "[]" + "-" * 8, "X" * 20), {"pipe-cap"}),
    "cannon base without a top": (level("-" * 10 + "b" + "-" * 9, "X" * 20), {"cannon-cap"}),
    "floating enemy": (level("-" * 10 + "E" + "-" * 9, "-" * 20, "X" * 20), {"enemy-floating"}),
    "no ground at the start": (level("--" + "X" * 18), {"start-ground"}),
    "no ground at the exit": (level("X" * 18 + "--"), {"exit-ground"}),
    "the exit on a floating brick": (level("-" * 19 + "X", "-" * 20, "X" * 17 + "---"), {"exit-ground"}),
    "whole pipe": (level("-" * 10 + "<>" + "-" * 8, "-" * 10 + "[]" + "-" * 8, "X" * 20), set()),
    "whole cannon": (level("-" * 10 + "B" + "-" * 9, "-" * 10 + "b" + "-" * 9, "X" * 20), set()),
}


@pytest.mark.parametrize("name", list(SANITY_CASES))
def test_sanity_rules(name):
    tiles, rules = SANITY_CASES[name]
    assert {v.rule for v in sanity_violations(tiles.grid, VOCAB)} == rules


@pytest.mark.parametrize("name", [n for n, (_, ok) in CASES.items() if not ok] + [n for n, (_, r) in SANITY_CASES.items() if r])
def test_repair_makes_every_case_playable_and_sane(agent, name):
    tiles = (CASES.get(name) or SANITY_CASES[name])[0]
    result = repair_level(tiles.grid, VOCAB, agent)
    assert result.play.finishable
    assert sanity_violations(result.grid, VOCAB) == []
    assert result.edits == int((result.grid != tiles.grid).sum()) > 0
    again = repair_level(tiles.grid, VOCAB, agent)
    assert np.array_equal(again.grid, result.grid)  # deterministic


def test_repair_leaves_good_levels_alone(agent):
    tiles, _ = CASES["stairs of 4"]
    assert repair_level(tiles.grid, VOCAB, agent).edits == 0


def test_small_repairs_stay_small(agent):
    tiles, _ = CASES["gap of 12, wider than the longest jump"]
    assert repair_level(tiles.grid, VOCAB, agent).edits <= 12
    tiles, _ = SANITY_CASES["floating enemy"]
    assert repair_level(tiles.grid, VOCAB, agent).edits == 2  # moved down one row


# Broken pipes are mended with the missing piece, not torn down: (level, the repaired rows, tiles changed).
MENDS = {
    "body without a top gets one": (
        level("-" * 20, "-" * 10 + "[]" + "-" * 8, "-" * 10 + "[]" + "-" * 8, "X" * 20),
        ("-" * 20, "-" * 10 + "<>" + "-" * 8, "-" * 10 + "[]" + "-" * 8, "X" * 20), 2),
    "a missing right half is drawn": (
        level("-" * 10 + "<" + "-" * 9, "-" * 10 + "[" + "-" * 9, "X" * 20),
        ("-" * 10 + "<>" + "-" * 8, "-" * 10 + "[]" + "-" * 8, "X" * 20), 2),
    "a top drawn twice becomes top over body": (
        level("-" * 10 + "<>" + "-" * 8, "-" * 10 + "<>" + "-" * 8, "X" * 20),
        ("-" * 10 + "<>" + "-" * 8, "-" * 10 + "[]" + "-" * 8, "X" * 20), 2),
}


@pytest.mark.parametrize("name", list(MENDS))
def test_broken_pipes_are_mended_not_removed(agent, name):
    tiles, rows, edits = MENDS[name]
    result = repair_level(tiles.grid, VOCAB, agent)
    assert np.array_equal(result.grid, level(*rows).grid)
    assert result.edits == edits and sanity_violations(result.grid, VOCAB) == []


def test_move_table_is_derived_from_the_engine_physics():
    """The shipped table holds, per landing, the shortest run-up the engine simulation needs (checked up to 2)."""
    from gamegen.platformer.moves import derive_moves, load_moves

    table = load_moves("smb-small")
    shipped = {(m.dx, m.dy): m for m in table[: len(table) // 2]}  # rightward moves first, then their mirror images
    derived = derive_moves("smb-small", cap=2)
    assert derived and all(shipped[(m.dx, m.dy)] == m for m in derived)
    assert {k for k, m in shipped.items() if m.runway <= 2} == {(m.dx, m.dy) for m in derived}


def test_momentum_in_the_move_table():
    """From rest small Mario rises 4 and lands at most 6 columns on; a run-up reaches further, never higher."""
    from gamegen.platformer.moves import load_moves

    table = load_moves("smb-small")
    moves = table[: len(table) // 2]
    standing = [m for m in moves if m.runway == 0]
    assert min(m.dy for m in moves) == -4 == min(m.dy for m in standing)
    assert max(m.dx for m in standing if m.dy == 0) == 6
    assert max(m.dx for m in moves if m.dy == 0) == 10
    assert max(m.dx for m in standing if m.dy == -3) == 4


def test_big_mario_profile():
    big = PlatformerAgent(VOCAB, profile="smb-big")
    assert big.play(CASES["gap of 4"][0]).finishable and not big.play(CASES["wall of 6, higher than the highest jump"][0]).finishable
    with pytest.raises(ValueError, match="smb-small or smb-big"):
        PlatformerAgent(VOCAB, profile="luigi")


def test_wide_pits_are_narrowed_to_corpus_gaps(agent):
    from gamegen.platformer.repair import MAX_PIT
    from gamegen.platformer.shape import bottom_pits

    tiles = level("-" * 10 + "XXX" + "-" * 27, "X" * 8 + "-" * 19 + "X" * 13)  # a 19-column pit under a floating ledge
    result = repair_level(tiles.grid, VOCAB, agent)
    pits = bottom_pits(VOCAB.mask("solid")[result.grid])
    assert result.play.finishable and pits and max(pits) <= MAX_PIT


def _staircase_to_wall(top: int) -> TileMap:
    """Steps of one tile up to a two-column wall whose top is row ``top``, then ground: the only route goes over it."""
    grid = [["-"] * 30 for _ in range(14)]
    for x in range(30):
        grid[13][x] = "X"
    for step, x in enumerate(range(2, 2 + 12 - top)):
        for y in range(12 - step, 13):
            grid[y][x] = "X"
    for x in (14 - top, 15 - top):
        for y in range(top, 13):
            grid[y][x] = "X"
    return TileMap.from_text("".join("".join(row) + "\n" for row in grid))


def test_no_route_over_the_top_of_the_screen(agent):
    """The engine's A* never takes a route along the top rows (issue 18, seed 10010): the agent does not stand there."""
    assert agent.play(_staircase_to_wall(3)).finishable  # standing on row 2, below the top rows
    assert not agent.play(_staircase_to_wall(1)).finishable  # the same climb to a wall whose top is row 1
