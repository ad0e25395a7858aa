"""The seeded generator: same model, seed and parameters → the same grid, everywhere."""

import hashlib
import subprocess
import sys

import numpy as np
import pytest

import gamegen
from gamegen import InvalidRequest

MODELS = ["platformer-gan", "platformer-segment-gan"]


@pytest.fixture(scope="module", params=MODELS)
def gen(request):
    return gamegen.load(request.param)


def test_generate_gives_a_tile_map(gen):
    level = gen.generate(seed=7, width=200)
    assert isinstance(level, gamegen.TileMap)
    assert level.grid.shape == (14, 200)
    repair = level.provenance.pop("repair")
    assert level.provenance == {
        "model": gen.name, "model_sha256": gen.card.sha256, "seed": 7, "params": {"width": 200, "playable": True},
        "gamegen_version": gamegen.__version__,
    }
    assert set(repair) == {"resamples", "edits", "last_resort"}
    assert [o["name"] for o in level.objects] == ["start", "exit"]


@pytest.mark.parametrize("playable", [False, True])
def test_same_grid_whatever_the_batch(gen, playable):
    seeds = [3, 99, 2**63 - 1, 0, 12345]
    alone = {s: gen.generate(s, width=150, playable=playable).grid for s in seeds}
    for batch_size in (1, 2, 5):
        for level in gen.generate_batch(list(reversed(seeds)), width=150, batch_size=batch_size, playable=playable):
            assert np.array_equal(level.grid, alone[level.provenance["seed"]])


def test_same_grid_whatever_the_thread_count(gen):
    one = gamegen.load(gen.name, threads=1).generate_batch(range(10), width=300)
    two = gamegen.load(gen.name, threads=2).generate_batch(range(10), width=300)
    assert all(np.array_equal(a.grid, b.grid) for a, b in zip(one, two))


def test_playable_levels_are_finishable_and_sane(gen):
    from gamegen.platformer.sanity import sanity_violations

    for level in gen.generate_batch(range(40), width=200):
        assert gen.play(level).finishable, level.provenance
        assert sanity_violations(level.grid, level.vocabulary) == []


def test_raw_levels_skip_repair(gen):
    raw = gen.generate(3, width=200, playable=False)
    assert raw.provenance["params"] == {"width": 200, "playable": False} and "repair" not in raw.provenance
    shipped = gen.generate(3, width=200)
    assert shipped.provenance["repair"]["edits"] == 0 or not np.array_equal(raw.grid, shipped.grid)


def test_different_seeds_differ(gen):
    grids = [gen.generate(s, width=200).grid for s in range(5)]
    assert len({g.tobytes() for g in grids}) == 5


def _digest(levels) -> str:
    return hashlib.sha256(b"".join(level.grid.tobytes() for level in levels)).hexdigest()


def test_same_grid_in_another_process(gen):
    code = (
        "import gamegen, hashlib\n"
        f"levels = gamegen.load({gen.name!r}).generate_batch([1, 2, 3], width=250)\n"
        "print(hashlib.sha256(b''.join(l.grid.tobytes() for l in levels)).hexdigest())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == _digest(gen.generate_batch([1, 2, 3], width=250))


@pytest.mark.parametrize("width", [28, 29, 1000])
def test_any_width_in_range(gen, width):
    assert gen.generate(1, width=width).width == width


def test_sequence_model_is_one_level_not_joined_pieces():
    """A wider level from the same seed continues the narrower one: the columns come from one latent sequence."""
    gen = gamegen.load("platformer-gan")
    short, long = gen.generate(11, width=200, playable=False).grid, gen.generate(11, width=1000, playable=False).grid
    assert np.array_equal(short[:, :180], long[:, :180])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"seed": -1}, r"seed -1 is outside \[0, 2\*\*63\)"),
        ({"seed": 2**63}, "is outside"),
        ({"seed": 1.5}, "seed must be an integer"),
        ({"seed": True}, "seed must be an integer"),
        ({"seed": 1, "width": 27}, r"width 27 is outside \[28, 8192\]"),
        ({"seed": 1, "width": 8193}, "width 8193 is outside"),
        ({"seed": 1, "width": "wide"}, "width must be an integer"),
    ],
)
def test_bad_arguments(gen, kwargs, message):
    with pytest.raises(InvalidRequest, match=message):
        gen.generate(**kwargs)


def test_empty_batch(gen):
    assert gen.generate_batch([], width=100) == []
