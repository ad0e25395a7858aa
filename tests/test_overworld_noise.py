"""The vectorised fractal Perlin noise is the ``noise`` package's function, and chunks of it are exact."""

from __future__ import annotations

import numpy as np
import pytest

from gamegen.overworld.perlin import fractal_grid, fractal_points  # imports noise lazily

noise = pytest.importorskip("noise")


@pytest.mark.parametrize("octaves, persistence, lacunarity", [(1, 0.5, 2.0), (4, 0.5, 2.0), (6, 0.6, 2.0), (3, 0.45, 2.5)])
def test_grid_matches_noise_pnoise2(octaves, persistence, lacunarity):
    rng = np.random.Generator(np.random.PCG64(7))
    # Coordinates exact in float32 (noise takes float32), on both sides of 0 and of the 256-unit wrap.
    xs = rng.integers(-40_000, 40_000, 23) / 128.0
    ys = rng.integers(-40_000, 40_000, 19) / 128.0
    ours = fractal_grid(xs, ys, octaves, persistence, lacunarity)
    theirs = np.array([[noise.pnoise2(x, y, octaves=octaves, persistence=persistence, lacunarity=lacunarity) for x in xs] for y in ys])
    assert ours.shape == (19, 23)
    np.testing.assert_allclose(ours, theirs, atol=2e-5)
    assert np.abs(theirs).max() > 0.1  # not a field of zeros on both sides


def test_banded_and_direct_octaves_agree_and_points_match():
    xs, ys = np.arange(300) / 64.0 + 11.3, np.arange(200) / 64.0 - 3.7
    direct = fractal_grid(xs, ys, 6)
    banded = fractal_grid(xs, ys, 6, spacing=1 / 64)
    np.testing.assert_allclose(banded, direct, atol=1e-6)
    gx, gy = np.meshgrid(xs, ys)
    assert np.array_equal(fractal_points(gx, gy, 6).reshape(direct.shape), direct)


def test_any_window_of_the_grid_is_bit_identical():
    xs, ys = (np.arange(512) + 0.0) / 100.0, (np.arange(256) - 128.0) / 100.0
    whole = fractal_grid(xs, ys, 5, spacing=0.01)
    for x0, y0, w, h in [(0, 0, 64, 64), (33, 17, 100, 7), (400, 200, 112, 56), (511, 255, 1, 1)]:
        part = fractal_grid(xs[x0 : x0 + w], ys[y0 : y0 + h], 5, spacing=0.01)
        assert np.array_equal(part, whole[y0 : y0 + h, x0 : x0 + w]), (x0, y0)
