"""Reachable jumps with momentum, in tiles, from the engine's own physics (``gamegen.maf.body``).

A move starts with Mario at rest on the first of ``runway + 1`` standing tiles
(feet in row 0, floor in row 1; the take-off tile is column 0), runs right with
the run button held, jumps on any tick his centre is over the take-off tile,
holds JUMP 1-8 ticks and steers in the air (run right, coast or brake: AIR_KEYS).
Mario's box is followed sub-step by sub-step as the engine moves it. A landing
is the engine's: the first descending sub-step whose foot sensor (one pixel
under the feet) enters a solid tile; it counts for the tile under his centre.

Conservative, on purpose:
- a landing counts for a runway only if it is made from every sampled start
  position in the first tile (the agent cannot choose its sub-tile x for free);
- its ``free`` tiles are the union of every tile the box and the foot sensor
  touch before landing, over all those starts (the landing tile itself must not
  be among them: Mario would have bumped or landed earlier);
- ``solid`` names the runway floor and the landing tile.
A level where ``free`` is free and ``solid`` solid lets the engine make the move
(tests replay the witness keys in the jar). Moves left are mirror images.

    python -c "from gamegen.maf.movement import summary; print(summary('smb-small'))"
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass

from gamegen.maf.body import Body, Profile, f32, load_profile, simulate

__all__ = ["Move", "reachable_moves", "landing_offsets", "jump_arc", "jump_distance", "summary", "AIR_KEYS", "HOLDS", "load_profile"]

AIR_KEYS = ("RS", "", "LS")  # in the air: run right, coast, brake (run left)
HOLDS = tuple(range(1, 9))  # ticks JUMP is held: 1 = a tap; 8 = the take-off tick plus jumpTime 7
X_SAMPLES = (1.0, 4.5, 8.0, 11.5, 15.0)  # start x within the first tile; 8 is MAF's spawn (the witness)
FEET = 8  # rows and columns are offset inside the simulation: the engine's f2i truncates toward zero
DEPTH = 8  # landings are followed down to 8 rows below the take-off row


@dataclass(frozen=True)
class Move:
    runway: int  # standing tiles behind the take-off tile that Mario runs along first
    dx: int  # landing tile, from the take-off tile (dy < 0 is up)
    dy: int
    free: frozenset  # (dx, dy) tiles that must not be solid (runway row included)
    solid: frozenset  # (dx, dy) tiles that must be solid: the runway floor and the landing tile
    keys: tuple  # witness: keys a tick from rest at x = 8 px into the first runway tile (MAF's spawn)


def _box(profile: Profile, x: float, y: float) -> set:
    w, h = profile.half_width, profile.height
    cols = range(int((x - w) // 16), int((x + w) // 16) + 1)
    return {(c, r) for c in cols for r in range(int((y - h) // 16), int(y // 16) + 1)}


def _flight_landings(profile: Profile, body: Body, hold: int, air: str, floor) -> dict:
    """Landings of one flight from a body about to jump: {(col, row): (touched tiles, flight keys)}."""
    body = copy.deepcopy(body)
    run_up = [_box(profile, x, y) for x, y, _ in body.trace]  # tiles passed on the runway: never a landing
    body.trace = [(float(body.x), float(body.y), False)]
    keys: list[str] = []
    tick_of = [0]  # the tick each trace entry belongs to, so a witness stops on its landing tick
    for tick in range(200):
        keys.append(("J" if tick < hold else "") + air)
        body.step(keys[-1], floor)
        tick_of += [tick + 1] * (len(body.trace) - len(tick_of))
        if body.on_ground or body.y > 16 * (FEET + DEPTH + 1):
            break
    landings, touched = {}, set().union(*run_up) | _box(profile, float(body.trace[0][0]), float(body.trace[0][1]))
    w = profile.half_width
    for k, ((x, y, down), (_, py, _)) in enumerate(zip(body.trace[1:], body.trace), start=1):
        if x < 16:  # MAF clamps x at 0 (the level's left edge): no move of ours may lean on that
            break
        if down:
            row = int((y + 1) // 16)
            col = int(x // 16)
            if int((py + 1) // 16) < row and (col, row) not in touched and (col, row - 1) not in landings:
                box = _box(profile, x, min(y, 16 * row - 1))
                if (col, row) not in box:
                    landings[(col, row - 1)] = (frozenset(touched | box), tuple(keys[: tick_of[k]]))
            touched |= {(int((x - w) // 16), row), (int((x + w) // 16), row)}
        touched |= _box(profile, x, y)
    return landings


def _takeoffs(profile: Profile, runway: int, x0: float, floor) -> list[tuple[Body, tuple]]:
    """Bodies on the take-off tile, ready to jump, with the run keys that brought them there."""
    start = 1  # the first runway tile; column 0 is left free so a foot may hang over it
    body = Body(profile, f32(16 * start + x0), f32(16 * FEET + 15), on_ground=True, may_jump=True)
    out, keys = [], []
    if runway == 0:
        return [(body, ())]
    for _ in range(200):
        body.step("RS", floor)
        keys.append("RS")
        col = int(body.x // 16)
        if col == start + runway and body.on_ground:
            out.append((copy.deepcopy(body), tuple(keys)))
        if col > start + runway:
            break
    return out


def _landings_from(profile: Profile, runway: int, x0: float) -> dict:
    """{(dx, dy): (free tiles, keys)} for one start position, the smallest free set per landing."""
    take_col = 1 + runway
    floor = lambda tx, ty: ty == FEET + 1 and 1 <= tx <= take_col  # noqa: E731
    best: dict = {}
    for body, run_keys in _takeoffs(profile, runway, x0, floor):
        for hold in HOLDS:
            for air in AIR_KEYS:
                for (col, row), (touched, keys) in _flight_landings(profile, body, hold, air, floor).items():
                    target = (col - take_col, row - FEET)
                    free = frozenset((c - take_col, r - FEET) for c, r in touched)
                    if target not in best or len(free) < len(best[target][0]):
                        best[target] = (free, run_keys + keys)
    return best


@functools.cache
def reachable_moves(profile: str | Profile = "smb-small", runway: int = 0) -> dict:
    """{(dx, dy): Move} the engine makes from every start x on a runway of ``runway`` tiles."""
    profile = load_profile(profile) if isinstance(profile, str) else profile
    per_start = [_landings_from(profile, runway, x0) for x0 in X_SAMPLES]
    common = set.intersection(*(set(d) for d in per_start))
    floor = frozenset((c, 1) for c in range(-runway, 1))
    witness = per_start[X_SAMPLES.index(8.0)]
    moves = {}
    for dx, dy in sorted(common):
        free = frozenset().union(*(d[(dx, dy)][0] for d in per_start))
        if (dx, dy + 1) in free:
            continue
        moves[(dx, dy)] = Move(runway, dx, dy, free, floor | {(dx, dy + 1)}, witness[(dx, dy)][1])
    return moves


def landing_offsets(profile: str | Profile = "smb-small", runways=range(0, 11)) -> dict[int, set]:
    """Per runway length: the set of (dx, dy) landing offsets reachable (see reachable_moves)."""
    return {r: set(reachable_moves(profile, r)) for r in runways}


def jump_arc(profile: str | Profile = "smb-small", runway: int = 0, hold: int = 8, air: str = "RS") -> list[tuple[int, int]]:
    """Tiles Mario's box passes (from the take-off tile, in order, no repeats) in an open world, x0 = 8."""
    profile = load_profile(profile) if isinstance(profile, str) else profile
    take_col = 1 + runway
    floor = lambda tx, ty: ty == FEET + 1 and 1 <= tx <= take_col  # noqa: E731
    body, _ = _takeoffs(profile, runway, 8.0, floor)[-1]
    body.trace = []
    for tick in range(60):
        body.step(("J" if tick < hold else "") + air, floor)
    seen: dict = {}
    for x, y, _ in body.trace:
        for c, r in sorted(_box(profile, x, y)):
            seen.setdefault((c - take_col, r - FEET), None)
    return list(seen)


def jump_distance(profile: str | Profile = "smb-small", run_ticks: int = 0, hold: int = 8) -> tuple[float, list[str]]:
    """Tiles flown on flat ground (take-off x to landing x), running ``run_ticks`` first; and the keys."""
    profile = load_profile(profile) if isinstance(profile, str) else profile
    keys = ["", ""] + ["RS"] * run_ticks + ["RSJ"] * hold + ["RS"] * 40  # two empty ticks: Mario settles
    trace = simulate(profile, keys, lambda tx, ty: ty >= FEET + 1, (2, FEET))
    lift = 2 + run_ticks
    x0 = trace[lift - 1][0]
    land = next(i for i in range(lift, len(trace)) if trace[i][4])
    return (trace[land][0] - x0) / 16.0, keys[: land + 1]


def summary(profile: str | Profile = "smb-small") -> dict:
    """Max rise, standstill and running jump length (tiles), from the simulation of the engine."""
    profile = load_profile(profile) if isinstance(profile, str) else profile
    keys = ["", ""] + ["J"] * 8 + [""] * 30
    trace = simulate(profile, keys, lambda tx, ty: ty >= FEET + 1, (2, FEET))
    rise = (trace[1][1] - min(t[1] for t in trace)) / 16.0
    return {
        "max_rise_tiles": round(rise, 3),
        "standstill_jump_tiles": round(jump_distance(profile, 0)[0], 3),
        "running_jump_tiles": round(jump_distance(profile, 40)[0], 3),
    }
