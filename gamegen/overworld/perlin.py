"""Fractal Perlin noise over a grid, vectorised in numpy: the algorithm of ``noise.pnoise2``.

The ``noise`` package (Casey Duncan's C extension) evaluates one point per
Python call; a 1024x1024 map with two fractal fields of 6 and 4 octaves is
ten million calls, about 10 s. This module evaluates the same function over a
whole grid at once: the same permutation table (Ken Perlin's reference one,
which ``noise`` ships), the same 16 gradients, the same quintic fade, the
same lattice wrap (``repeat``, default 1024 as in ``noise``) and the same
octave sum normalised by the sum of amplitudes. ``tests/test_overworld_noise.py``
checks it against ``noise.pnoise2`` point by point (to 1e-5: ``noise`` works
in float32 throughout, this module computes lattice positions in float64).

A grid is separable: x depends on the column only and y on the row only, so
lattice indices, fractions and fades are 1-D per octave and only the hashes,
gradient dots and lerps are (H, W). Every value is a function of its own
coordinates alone (no value depends on the size or origin of the grid), which
is what lets a chunk equal the same region of a whole map.

    >>> fractal_grid(np.arange(512) / 128.0, np.arange(256) / 128.0, octaves=6)  # (256, 512) float32
"""

from __future__ import annotations

import numpy as np

__all__ = ["PERM", "fractal_grid", "fractal_points", "reference_fractal"]

# Ken Perlin's reference permutation, as in noise/_noise.h (PERM is these 256 values twice).
PERM = np.array([
    151, 160, 137, 91, 90, 15, 131, 13, 201, 95, 96, 53, 194, 233, 7, 225, 140, 36, 103, 30, 69, 142, 8, 99, 37,
    240, 21, 10, 23, 190, 6, 148, 247, 120, 234, 75, 0, 26, 197, 62, 94, 252, 219, 203, 117, 35, 11, 32, 57, 177,
    33, 88, 237, 149, 56, 87, 174, 20, 125, 136, 171, 168, 68, 175, 74, 165, 71, 134, 139, 48, 27, 166, 77, 146,
    158, 231, 83, 111, 229, 122, 60, 211, 133, 230, 220, 105, 92, 41, 55, 46, 245, 40, 244, 102, 143, 54, 65, 25,
    63, 161, 1, 216, 80, 73, 209, 76, 132, 187, 208, 89, 18, 169, 200, 196, 135, 130, 116, 188, 159, 86, 164, 100,
    109, 198, 173, 186, 3, 64, 52, 217, 226, 250, 124, 123, 5, 202, 38, 147, 118, 126, 255, 82, 85, 212, 207, 206,
    59, 227, 47, 16, 58, 17, 182, 189, 28, 42, 223, 183, 170, 213, 119, 248, 152, 2, 44, 154, 163, 70, 221, 153,
    101, 155, 167, 43, 172, 9, 129, 22, 39, 253, 19, 98, 108, 110, 79, 113, 224, 232, 178, 185, 112, 104, 218,
    246, 97, 228, 251, 34, 242, 193, 238, 210, 144, 12, 191, 179, 162, 241, 81, 51, 145, 235, 249, 14, 239, 107,
    49, 192, 214, 31, 181, 199, 106, 157, 184, 84, 204, 176, 115, 121, 50, 45, 127, 4, 150, 254, 138, 236, 205,
    93, 222, 114, 67, 29, 24, 72, 243, 141, 128, 195, 78, 66, 215, 61, 156, 180,
], dtype=np.int32)  # fmt: skip
_PERM2 = np.concatenate([PERM, PERM])  # (512,): index i + j with i, j < 256
# GRAD3[h][0], GRAD3[h][1] of noise/_noise.h: the 2-D gradient picked by the low 4 bits of a hash.
_GX = np.array([1, -1, 1, -1, 1, -1, 1, -1, 0, 0, 0, 0, 1, -1, 0, 0], dtype=np.float32)
_GY = np.array([1, 1, -1, -1, 0, 0, 0, 0, 1, -1, 1, -1, 0, 0, -1, 1], dtype=np.float32)
# Corner hash h = PERM[PERM[A + j]] & 15 folded into the gradient tables: index A + j → gradient component.
_CORNER_GX = _GX[_PERM2[_PERM2] & 15]  # (512,)
_CORNER_GY = _GY[_PERM2[_PERM2] & 15]


def _axis(coords: np.ndarray, repeat: float):
    """Per-axis lattice data of one octave: cell index, next index (both wrapped as noise does), fraction, fade."""
    cell = np.floor(np.fmod(coords, repeat)).astype(np.int64)  # C: (int)floorf(fmodf(x, repeat))
    following = np.fmod(cell + 1, repeat).astype(np.int64)  # C: (int)fmodf(i + 1, repeat)
    frac = (coords - np.floor(coords)).astype(np.float32)
    fade = frac * frac * frac * (frac * (frac * np.float32(6) - np.float32(15)) + np.float32(10))
    return cell & 255, following & 255, frac, fade


def _octave(xs: np.ndarray, ys: np.ndarray, repeat: float) -> np.ndarray:
    """One octave of Perlin noise on the grid xs (W,) × ys (H,) → (H, W) float32."""
    i, ii, x, u = _axis(xs, repeat)  # (W,)
    j, jj, y, v = _axis(ys, repeat)  # (H,)
    a, b = _PERM2[i][None, :], _PERM2[ii][None, :]  # (1, W)
    j, jj = j[:, None], jj[:, None]  # (H, 1)
    x1, y1 = x - np.float32(1), y - np.float32(1)
    y, y1, v = y[:, None], y1[:, None], v[:, None]

    def dot(index: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:  # grad(PERM[PERM[index]]) · (dx, dy)
        return _CORNER_GX[index] * dx + _CORNER_GY[index] * dy

    g00, g10 = dot(a + j, x, y), dot(b + j, x1, y)
    g01, g11 = dot(a + jj, x, y1), dot(b + jj, x1, y1)
    low = g00 + u * (g10 - g00)  # lerp(fx, ...) with fx the column's fade
    high = g01 + u * (g11 - g01)
    return low + v * (high - low)


def _octave_banded(total: np.ndarray, xs: np.ndarray, ys: np.ndarray, repeat: float, amp: float) -> None:
    """Add ``amp`` × one octave to ``total`` (H, W), band by band of rows that share a lattice row.

    Inside a band the octave is a rank-4 sum of outer products, row features × column features:

        n = (1-v)·L1(c) + (1-v)·y·L2(c) + v·H1(c) + v·(y-1)·H2(c)
        L1 = (1-u)·gx00·x + u·gx10·(x-1)    L2 = (1-u)·gy00 + u·gy10    (H1, H2: the same with the y+1 corners)

    which is the lerp of the four gradient dots rearranged: 8 full-size operations instead of ~30.
    Each pixel is still a function of its own coordinates alone, in the same order of operations.
    """
    one = np.float32(1)
    i, ii, x, u = _axis(xs, repeat)  # (W,)
    j, jj, y, v = _axis(ys, repeat)  # (H,)
    a, b = _PERM2[i], _PERM2[ii]
    starts = np.concatenate([[0], np.flatnonzero(np.diff(np.floor(ys)) != 0) + 1])  # first row of each band
    bj, bjj = j[starts][:, None], jj[starts][:, None]  # (B, 1)
    k00, k10, k01, k11 = a + bj, b + bj, a + bjj, b + bjj  # (B, W) table indices of the four corners
    w0, x1 = one - u, x - one
    col_low = w0 * (_CORNER_GX[k00] * x) + u * (_CORNER_GX[k10] * x1)  # (B, W)
    col_low_y = w0 * _CORNER_GY[k00] + u * _CORNER_GY[k10]
    col_high = w0 * (_CORNER_GX[k01] * x) + u * (_CORNER_GX[k11] * x1)
    col_high_y = w0 * _CORNER_GY[k01] + u * _CORNER_GY[k11]
    amp32 = np.float32(amp)
    row_low = (one - v) * amp32  # (H,)
    row_low_y = row_low * y
    row_high = v * amp32
    row_high_y = row_high * (y - one)
    ends = np.append(starts[1:], ys.size)
    for band, (r0, r1) in enumerate(zip(starts.tolist(), ends.tolist())):
        rows = total[r0:r1]
        rows += row_low[r0:r1, None] * col_low[band]
        rows += row_low_y[r0:r1, None] * col_low_y[band]
        rows += row_high[r0:r1, None] * col_high[band]
        rows += row_high_y[r0:r1, None] * col_high_y[band]


BANDED_MIN_ROWS = 4  # lattice cells at least this many grid rows tall go band by band (fewer rows: one full-size pass)


def fractal_grid(xs, ys, octaves: int = 1, persistence: float = 0.5, lacunarity: float = 2.0, repeat: float = 1024.0,
                 spacing: float | None = None) -> np.ndarray:
    """``noise.pnoise2(x, y, octaves, persistence, lacunarity, repeat, repeat)`` for every x of ``xs``
    and y of ``ys`` → (len(ys), len(xs)) float32, in about [-1, 1].

    ``spacing`` is the step between neighbouring grid coordinates; an octave whose lattice cells
    span at least BANDED_MIN_ROWS steps is computed band by band (``_octave_banded``), a faster
    rearrangement of the same sum. The choice depends on ``spacing`` and the octave alone, never
    on the grid's size or origin, so a chunk's values equal the whole map's bit for bit.
    """
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    total = np.zeros((ys.size, xs.size), dtype=np.float32)
    freq, amp, norm = 1.0, 1.0, 0.0
    for _ in range(octaves):
        if spacing is not None and 1.0 / (spacing * freq) >= BANDED_MIN_ROWS:
            _octave_banded(total, xs * freq, ys * freq, repeat * freq, amp)
        else:
            total += np.float32(amp) * _octave(xs * freq, ys * freq, repeat * freq)
        norm += amp
        freq *= lacunarity
        amp *= persistence
    total /= np.float32(norm)
    return total


def fractal_points(xs, ys, octaves: int = 1, persistence: float = 0.5, lacunarity: float = 2.0, repeat: float = 1024.0) -> np.ndarray:
    """The same function at scattered points (xs[k], ys[k]) → (N,) float32; equal to ``fractal_grid`` at grid points."""
    xs, ys = np.asarray(xs, dtype=np.float64).ravel(), np.asarray(ys, dtype=np.float64).ravel()
    total = np.zeros(xs.size, dtype=np.float32)
    freq, amp, norm = 1.0, 1.0, 0.0
    for _ in range(octaves):
        i, ii, x, u = _axis(xs * freq, repeat * freq)
        j, jj, y, v = _axis(ys * freq, repeat * freq)
        a, b = _PERM2[i], _PERM2[ii]
        x1, y1 = x - np.float32(1), y - np.float32(1)
        g00 = _CORNER_GX[a + j] * x + _CORNER_GY[a + j] * y
        g10 = _CORNER_GX[b + j] * x1 + _CORNER_GY[b + j] * y
        g01 = _CORNER_GX[a + jj] * x + _CORNER_GY[a + jj] * y1
        g11 = _CORNER_GX[b + jj] * x1 + _CORNER_GY[b + jj] * y1
        low = g00 + u * (g10 - g00)
        high = g01 + u * (g11 - g01)
        total += np.float32(amp) * (low + v * (high - low))
        norm += amp
        freq *= lacunarity
        amp *= persistence
    total /= np.float32(norm)
    return total


def reference_fractal(x: float, y: float, octaves: int = 1, persistence: float = 0.5, lacunarity: float = 2.0, repeat: float = 1024.0) -> float:
    """One point from the ``noise`` package itself (C, float32): the reference the vectorised code is checked against."""
    import noise

    return noise.pnoise2(x, y, octaves=octaves, persistence=persistence, lacunarity=lacunarity, repeatx=repeat, repeaty=repeat)
