"""Replay key sequences in the real engine (``MafProbe.java``): Mario's state after every tick.

Used to hold gamegen's movement model to the engine: the same keys go through
``gamegen.maf.body.simulate`` and through the jar's MarioForwardModel.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from gamegen.errors import JudgeUnavailable
from gamegen.maf.jar import runtime

__all__ = ["probe"]


def probe(runs: list[tuple[str, str, list[str]]]) -> list[list[tuple[float, float, float, float, bool]]]:
    """For each (MAF level text, mode, keys a tick): [(x, y, xa, ya, on_ground)] after each tick, in pixels."""
    maf = runtime()
    with tempfile.TemporaryDirectory(prefix="gamegen-probe-") as folder:
        lines = []
        for i, (text, mode, keys) in enumerate(runs):
            path = Path(folder) / f"probe-{i}.txt"
            path.write_text(text, encoding="ascii")
            lines.append(f"{path}\t{mode}\t{','.join(k or '-' for k in keys)}\n")
        done = subprocess.run(maf.command("MafProbe"), input="".join(lines), capture_output=True, text=True)
    records = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or len(records) != len(runs) or any("error" in r for r in records):
        detail = next((r["error"] for r in records if "error" in r), (done.stderr.strip().splitlines() or ["no output"])[0])
        raise JudgeUnavailable(f"the MAF probe (java) failed: {detail}")
    return [[(x, y, xa, ya, bool(g)) for x, y, xa, ya, g in r["ticks"]] for r in records]
