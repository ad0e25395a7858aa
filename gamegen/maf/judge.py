"""Judge platformer levels in the real engine: the Mario AI Framework's A* agent plays them.

    >>> from gamegen.maf import judge_levels
    >>> [r.status for r in judge_levels([level_a, level_b])]
    ['win', 'lose']

Each level becomes MAF text (``gamegen.maf.level``) in a temporary folder; the
levels are split over ``workers`` Java processes (one JVM start serves many
levels: start-up is ~0.5 s, a level a few seconds). In each, ``MafJudge``
plays small (or big) Mario with Baumgarten's A* at 40 ms of *CPU* time a tick
and a game clock of 0.6 s a column, and prints one JSON line a level.

The agent's search depth depends on how much it gets done in 40 ms, so a
level at the edge of possible can be won on one run and lost on another; a
verdict is the engine's, not a proof.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gamegen.errors import DataError, InvalidRequest, JudgeUnavailable
from gamegen.maf.jar import runtime
from gamegen.maf.level import start_spot, to_maf_text
from gamegen.tiles import TileMap

__all__ = ["JudgeResult", "judge_levels", "judge_texts", "MODES", "MS_PER_COLUMN", "BUDGET_MS"]

MODES = ("small", "big")
MS_PER_COLUMN = 600  # issue 18: a game clock of 0.6 s a column (game ticks of 30 ms, not wall time)
BUDGET_MS = 40  # the agent's standard search budget a tick (MarioGame's MarioTimer(40))
TILE = 16.0  # pixels a tile in MAF


@dataclass
class JudgeResult:
    status: str  # "win", "lose" or "timeout"
    cause: str  # "" on a win; "fell", "enemy" or "time"
    completion: float  # 0..1: how far along the level Mario got (MAF's completion percentage)
    ticks: int  # game ticks played (30 ms of game time each)
    end_x: float  # Mario's x at the end, in tiles
    start: tuple[int, int] | None = None  # (x, y) tile of the start spot
    positions: list[tuple[float, float]] = field(default_factory=list)  # Mario's feet (x, y) in tiles, every tick
    seconds: float = 0.0  # wall time the engine spent on this level

    @property
    def won(self) -> bool:
        return self.status == "win"

    @property
    def path(self) -> list[tuple[int, int]]:
        """(x, y) tiles Mario's feet pass, in order, repeats removed (as PlayResult.path)."""
        tiles: list[tuple[int, int]] = []
        for x, y in self.positions:
            tile = (int(x), int(y))
            if not tiles or tiles[-1] != tile:
                tiles.append(tile)
        return tiles


def _parse(line: str, name: str) -> JudgeResult:
    record = json.loads(line)
    if "error" in record:
        raise DataError(f"the MAF engine could not play {name}: {record['error']}")
    return JudgeResult(
        status=record["status"],
        cause=record["cause"],
        completion=float(record["completion"]),
        ticks=int(record["ticks"]),
        end_x=float(record["x"]) / TILE,
        positions=[(x / TILE, y / TILE) for x, y in record["path"]],
        seconds=float(record["seconds"]),
    )


def _run_group(command: list[str], paths: list[Path], timeout: float | None) -> list[JudgeResult]:
    try:
        done = subprocess.run(command, input="".join(f"{p}\n" for p in paths), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise JudgeUnavailable(f"the MAF judge took more than {timeout:.0f} s for {len(paths)} level(s); give a larger timeout") from None
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or len(lines) != len(paths):
        first = (done.stderr.strip().splitlines() or ["no output"])[0]
        raise JudgeUnavailable(f"the MAF judge (java) failed with exit code {done.returncode}: {first}")
    return [_parse(line, path.name) for line, path in zip(lines, paths)]


def judge_texts(texts: list[str], mode: str = "small", workers: int | None = None, timeout: float | None = None) -> list[JudgeResult]:
    """Judge MAF level texts (with their ``M`` and ``F``) as they are; results in input order."""
    if mode not in MODES:
        raise InvalidRequest(f"Mario's mode is one of {', '.join(MODES)}, got {mode!r}")
    if not texts:
        return []
    workers = max(1, min(workers or min(2, os.cpu_count() or 1), len(texts)))
    maf = runtime()
    command = maf.command("MafJudge", "--mode", mode, "--budget-ms", str(BUDGET_MS), "--ms-per-column", str(MS_PER_COLUMN))
    with tempfile.TemporaryDirectory(prefix="gamegen-maf-") as folder:
        paths = [Path(folder) / f"level-{i}.txt" for i in range(len(texts))]
        for path, text in zip(paths, texts):
            path.write_text(text, encoding="ascii")
        groups = [list(range(w, len(texts), workers)) for w in range(workers)]  # round-robin: long and short levels mix
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(lambda g: _run_group(command, [paths[i] for i in g], timeout), groups))
    results: list[JudgeResult | None] = [None] * len(texts)
    for group, part in zip(groups, parts):
        for i, result in zip(group, part):
            results[i] = result
    return results  # type: ignore[return-value]


def judge_levels(levels: list[TileMap], mode: str = "small", workers: int | None = None, timeout: float | None = None) -> list[JudgeResult]:
    """Play each platformer level in MAF with the A* agent; one JudgeResult a level, in order.

    ``workers`` Java processes share the levels (default: 2, or the CPU count if
    smaller); ``timeout`` bounds each process in wall seconds (default: none: the
    game clock bounds every level). A level with nowhere to start raises
    InvalidRequest; a missing jar or JDK raises JudgeUnavailable.
    """
    if isinstance(levels, TileMap):
        levels = [levels]
    texts, starts = [], []
    for i, level in enumerate(levels):
        try:
            texts.append(to_maf_text(level))
            starts.append(start_spot(level))
        except InvalidRequest as exc:
            raise InvalidRequest(f"level {i} ({level!r}): {exc}") from None
    results = judge_texts(texts, mode, workers, timeout)
    for result, start in zip(results, starts):
        result.start = start
    return results
