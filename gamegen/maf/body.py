"""Mario's body in the Mario AI Framework: ``engine.sprites.Mario.update`` and ``move``, in Python.

The figures are data (``profiles/smb-small.json``, ``smb-big.json``, each read
from the jar's bytecode, class and field noted). ``Body.step`` is
``Mario.update`` and ``Mario.move`` line for line, in float32 as in Java,
against a ``solid(tx, ty)`` test (enemies, coins and bumps left out: they do
not move Mario). ``tests/test_maf_movement.py`` replays the same keys through
the jar's MarioForwardModel and compares the positions tick by tick.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

__all__ = ["Profile", "Body", "load_profile", "simulate"]

f32 = np.float32


@dataclass(frozen=True)
class Profile:
    name: str
    tile: float
    half_width: int
    height: int
    walk: float
    run: float
    ground_inertia: float
    air_inertia: float
    stop_speed: float
    jump_speed: float
    jump_time: int
    jump_x_speed: float
    vertical_drag: float
    gravity: float
    substep: float


@functools.cache
def load_profile(name: str = "smb-small") -> Profile:
    """A shipped profile: ``smb-small`` or ``smb-big``."""
    from gamegen.errors import InvalidRequest

    path = resources.files("gamegen.maf") / "profiles" / f"{name}.json"
    if not path.is_file():
        raise InvalidRequest(f"unknown movement profile {name!r}; shipped: smb-small, smb-big")
    d = json.loads(path.read_text(encoding="utf-8"))
    v = lambda key: d[key]["value"]  # noqa: E731
    return Profile(
        d["name"], float(v("tile_px")), int(v("half_width_px")), int(v("height_px")), v("walk_acceleration"), v("run_acceleration"),
        v("ground_inertia"), v("air_inertia"), v("stop_speed"), v("jump_speed"), int(v("jump_time")), v("jump_x_speed"),
        v("vertical_drag"), v("gravity"), v("substep_px"),
    )


def _tile(v) -> int:
    return int(f32(v) / f32(16.0))  # Java's f2i of x / 16f: truncates toward zero


ZERO = np.float32(0)  # a float32 zero: numpy scalars are immutable, so one serves every default


@dataclass
class Body:
    """Mario's state, as the engine's fields (float32 like Java's floats)."""

    profile: Profile
    x: np.float32
    y: np.float32
    xa: np.float32 = ZERO
    ya: np.float32 = ZERO
    on_ground: bool = False
    may_jump: bool = False
    jump_time: int = 0
    x_jump_speed: np.float32 = ZERO
    trace: list = field(default_factory=list)  # (x, y, descending) after every sub-step: the box's path

    def _blocking(self, solid, px, py) -> bool:
        tx, ty = _tile(px), _tile(py)
        if tx == _tile(self.x) and ty == _tile(self.y):  # Mario.isBlocking: his own tile never blocks
            return False
        return bool(solid(tx, ty))

    def _move(self, solid, xa, ya) -> bool:
        """Mario.move: 8 px sub-steps; on a hit, snap to the tile edge and stop."""
        step = f32(self.profile.substep)
        while xa > step:
            if not self._move(solid, step, f32(0)):
                return False
            xa = f32(xa - step)
        while xa < -step:
            if not self._move(solid, -step, f32(0)):
                return False
            xa = f32(xa + step)
        while ya > step:
            if not self._move(solid, f32(0), step):
                return False
            ya = f32(ya - step)
        while ya < -step:
            if not self._move(solid, f32(0), -step):
                return False
            ya = f32(ya + step)
        return self._substep(solid, f32(xa), f32(ya))

    def _hits(self, solid, xa, ya) -> bool:
        w, h = f32(self.profile.half_width), f32(self.profile.height)
        nx, ny = f32(self.x + xa), f32(self.y + ya)
        points = []
        if ya > 0:
            points += [(nx - w, ny), (nx + w, ny), (nx - w, f32(ny + 1)), (nx + w, f32(ny + 1))]
        if ya < 0:
            points += [(nx, f32(ny - h)), (nx - w, f32(ny - h)), (nx + w, f32(ny - h))]
        half = f32(int(self.profile.height) // 2)
        if xa > 0:
            points += [(nx + w, f32(ny - h)), (nx + w, f32(ny - half)), (nx + w, ny)]
        if xa < 0:
            points += [(nx - w, f32(ny - h)), (nx - w, f32(ny - half)), (nx - w, ny)]
        return any(self._blocking(solid, f32(px), f32(py)) for px, py in points)

    def _substep(self, solid, xa, ya) -> bool:
        w, h = self.profile.half_width, self.profile.height
        if not self._hits(solid, xa, ya):
            self.x, self.y = f32(self.x + xa), f32(self.y + ya)
            self.trace.append((float(self.x), float(self.y), bool(ya > 0)))
            return True
        if xa < 0:
            self.x, self.xa = f32(int(f32(self.x - w) / f32(16)) * 16 + w), f32(0)
        if xa > 0:
            self.x, self.xa = f32((int(f32(self.x + w) / f32(16) + f32(1))) * 16 - w - 1), f32(0)
        if ya < 0:
            self.y, self.jump_time, self.ya = f32(int(f32(self.y - h) / f32(16)) * 16 + h), 0, f32(0)
        if ya > 0:
            self.y, self.on_ground = f32(int(f32(self.y - 1) / f32(16) + f32(1)) * 16 - 1), True
        self.trace.append((float(self.x), float(self.y), False))
        return False

    def step(self, keys: str, solid: Callable[[int, int], bool]) -> None:
        """One tick of Mario.update with the buttons in ``keys`` held (R, L, S, J)."""
        p = self.profile
        side = f32(p.run if "S" in keys else p.walk)
        if "J" in keys or (self.jump_time < 0 and not self.on_ground):
            if self.on_ground and self.may_jump:
                self.x_jump_speed, self.jump_time = f32(p.jump_x_speed), p.jump_time
                self.ya, self.on_ground = f32(f32(self.jump_time) * f32(p.jump_speed)), False
            elif self.jump_time > 0:
                self.xa = f32(self.xa + self.x_jump_speed)
                self.ya = f32(f32(self.jump_time) * f32(p.jump_speed))
                self.jump_time -= 1
        else:
            self.jump_time = 0
        if "L" in keys:
            self.xa = f32(self.xa - side)
        if "R" in keys:
            self.xa = f32(self.xa + side)
        self.may_jump = self.on_ground and "J" not in keys
        if abs(self.xa) < f32(p.stop_speed):
            self.xa = f32(0)
        self.on_ground = False
        self._move(solid, self.xa, f32(0))
        self._move(solid, f32(0), self.ya)
        if self.x < 0:
            self.x, self.xa = f32(0), f32(0)
        self.ya = f32(self.ya * f32(p.vertical_drag))
        self.xa = f32(self.xa * f32(p.ground_inertia if self.on_ground else p.air_inertia))
        if not self.on_ground:
            self.ya = f32(self.ya + f32(p.gravity))


def simulate(profile: Profile, keys: list[str], solid: Callable[[int, int], bool], start: tuple[int, int]) -> list[tuple[float, float, float, float, bool]]:
    """Replay ``keys`` (one string a tick) from MAF's spawn on tile ``start``; (x, y, xa, ya, on_ground) after each tick.

    As MarioGame, one empty update runs first (it lets Mario settle on the ground).
    """
    body = Body(profile, f32(start[0] * 16 + 8), f32(start[1] * 16 + 15))
    body.step("", solid)
    out = []
    for k in keys:
        body.step(k, solid)
        out.append((float(body.x), float(body.y), float(body.xa), float(body.ya), body.on_ground))
    return out
