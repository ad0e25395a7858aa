"""Controllable generation and the expressive-range measures."""

import numpy as np
import pytest

import gamegen
from gamegen import InvalidRequest, TileMap
from gamegen.platformer.cmaes import CMAES
from gamegen.platformer.expressive import expressive_range
from gamegen.platformer.targets import TOLERANCE, parse_targets


def test_cmaes_minimises_a_quadratic():
    es = CMAES(np.zeros(8), 1.0, np.random.Generator(np.random.PCG64(1)))
    for _ in range(80):
        x = es.ask()
        es.tell(((x - 2.0) ** 2).sum(axis=1))
    assert np.allclose(es.mean, 2.0, atol=1e-2)


def test_expressive_range_by_hand():
    flat = TileMap.from_text("\n".join(["-" * 20] * 13 + ["X" * 20]) + "\n")
    measures = expressive_range(flat.grid, flat.vocabulary)
    assert measures == {"density": pytest.approx(1 / 14), "leniency": 1.0, "linearity": 1.0}
    rows = ["-" * 20] * 12 + ["----E-----E---------", "XXXXXXX---XXXXXXXXXX"]
    risky = TileMap.from_text("\n".join(rows) + "\n")
    # 2 enemies + 3 pit columns × 0.5 = 3.5 over 20 columns
    assert expressive_range(risky.grid, risky.vocabulary)["leniency"] == pytest.approx(1 - 3.5 / 20)


@pytest.mark.parametrize(
    "spec, message",
    [("density=2", "must be a number in [0, 1]"), ("fun=0.5", "unknown target 'fun'"), ("density=x", "must be a number"), ("", "non-empty")],
)
def test_bad_targets(spec, message):
    with pytest.raises(InvalidRequest, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_targets(spec)


def test_targets_are_met_and_reproducible():
    """The search meets the target on the network's output; repair may move it, and the report says by how much."""
    from gamegen.platformer.targets import target_score

    gen = gamegen.load("platformer-gan")
    plain = expressive_range(gen.generate(5, width=200, playable=False).grid, gen.vocabulary)
    target = {"density": round(plain["density"] + 0.03, 3)}
    raw = gen.generate(5, width=200, playable=False, targets=target)
    assert raw.provenance["control"]["hit"], raw.provenance["control"]
    assert abs(expressive_range(raw.grid, gen.vocabulary)["density"] - target["density"]) <= TOLERANCE["density"]
    assert target_score(plain, target) > 1  # the plain level misses: the search did the work
    shipped = gen.generate(5, width=200, targets=target)
    measured = expressive_range(shipped.grid, gen.vocabulary)
    assert shipped.provenance["control"]["measured"] == {k: round(v, 4) for k, v in measured.items()}
    assert shipped.provenance["control"]["hit"] == (target_score(measured, target) <= 1)
    assert gen.play(shipped).finishable
    again = gen.generate(5, width=200, targets=target)
    assert np.array_equal(again.grid, shipped.grid)


@pytest.mark.parametrize("name", ["platformer-gan", "platformer-segment-gan"])
def test_composing_blocks_moves_a_level_towards_its_targets(name):
    """The composition stage alone (no CMA-ES step) beats the seed's own level on targets far from it."""
    from gamegen.platformer.targets import search_latent, target_score

    gen = gamegen.load(name)
    latent = gen.latent(5, 200)
    decode = lambda ls: gen._grids(ls, 200)  # noqa: E731
    own = expressive_range(decode([latent])[0], gen.vocabulary)
    targets = {"density": min(own["density"] + 0.08, 1.0), "linearity": max(own["linearity"] - 0.15, 0.0)}
    composed, measured, score, used = search_latent(decode, gen.vocabulary, latent, 5, targets, gen._blocks(200), evaluations=0)
    assert used == 25  # the seed's latent, 23 fresh candidates, and the composed level
    assert measured == expressive_range(decode([composed])[0], gen.vocabulary) and score == target_score(measured, targets)
    assert score < target_score(own, targets) / 2
