"""The agent's moves, derived from the engine's physics with momentum (``gamegen.maf.movement``).

Simulating the engine is slow (seconds per runway), so the moves ship as data:
``moves-<profile>.json`` beside this module, made by

    python -c "from gamegen.platformer.moves import write_table; write_table('smb-small'); write_table('smb-big')"

and checked against ``gamegen.maf.movement`` by ``tests/test_play.py``.

A move is a landing (dx, dy) from a take-off spot, the runway it needs (standing
spots to the left that Mario runs along first) and its flight: the tiles that
must be free. The runway row and floor are left out of the flight (a runway of
r standing spots makes them free and solid, and the agent asks the tile where a
foot hangs over the runway's far end to be free as well). The agent plays from rest and may always
stand still on a longer run-up and use a shorter one.
Only the shortest runway of each landing is kept (dropping a move is conservative, and keeps the check fast).
Moves to the left are the mirror images.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["TableMove", "RUNWAY_CAP", "derive_moves", "load_moves", "write_table"]

RUNWAY_CAP = 8  # runways past 8 tiles add no landing (Mario is at full speed after ~6)


@dataclass(frozen=True)
class TableMove:
    runway: int
    dx: int
    dy: int
    flight: tuple  # ((dx, dy), ...) tiles that must not be solid, sorted


def _flight(move) -> tuple:
    # The runway row up to the tile a foot may hang over: the agent checks it as the run-up (agent._run_ups).
    # (1, 0) is only touched from the far right of the take-off tile, where Mario cannot stand against a wall:
    # with a wall there he jumps up along it (stairs), which the conservative union of start positions would forbid.
    run_row = {(c, 0) for c in range(-move.runway - 1, 2)}
    return tuple(sorted(t for t in move.free if t not in run_row))


def derive_moves(profile: str, cap: int = RUNWAY_CAP) -> list[TableMove]:
    """Rightward moves for runways 0..cap from the engine simulation, dominated ones dropped."""
    from gamegen.maf.movement import reachable_moves  # slow: only when the table is (re)built

    kept: dict[tuple, TableMove] = {}
    for runway in range(cap + 1):
        for (dx, dy), move in sorted(reachable_moves(profile, runway).items()):
            flight = _flight(move)
            if (dx, dy) not in kept:  # the shortest run-up only: fewer moves to check, and dropping one is conservative
                kept[(dx, dy)] = TableMove(runway, dx, dy, flight)
    return [kept[key] for key in sorted(kept)]


def write_table(profile: str, folder: Path | None = None) -> Path:
    folder = folder or Path(__file__).parent
    moves = derive_moves(profile)
    data = {
        "profile": profile,
        "runway_cap": RUNWAY_CAP,
        "note": "rightward moves from gamegen.maf.movement.reachable_moves; see gamegen/platformer/moves.py",
        "moves": [{"runway": m.runway, "dx": m.dx, "dy": m.dy, "flight": [list(t) for t in m.flight]} for m in moves],
    }
    path = folder / f"moves-{profile}.json"
    path.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    return path


@functools.cache
def load_moves(profile: str = "smb-small") -> tuple[TableMove, ...]:
    """Rightward and (mirrored) leftward moves of ``profile``, from the shipped table."""
    name = f"moves-{profile}.json"
    node = resources.files("gamegen.platformer") / name
    if not node.is_file():
        from gamegen.errors import InvalidRequest

        raise InvalidRequest(f"no movement table {name} for profile {profile!r}: use smb-small or smb-big")
    rows = json.loads(node.read_text(encoding="utf-8"))["moves"]
    right = [TableMove(r["runway"], r["dx"], r["dy"], tuple(tuple(t) for t in r["flight"])) for r in rows]
    left = [TableMove(m.runway, -m.dx, m.dy, tuple(sorted((-a, b) for a, b in m.flight))) for m in right]
    return tuple(right + left)
