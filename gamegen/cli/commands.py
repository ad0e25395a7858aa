"""Every ``gamegen`` command, one module each; importing this module registers them all on ``gamegen.cli.app.cli``.

    gamegen models [--json]
    gamegen generate MODEL --seed S --count N --format F --out DIR [kind flags]   (gamegen.cli.generate)
    gamegen world --seed 42 --out DIR [--force]
    gamegen export level.tmx --format tmj,json,png:scale=2 --out DIR
    gamegen eval MODEL --n 1000 --json eval.json [--write-card [--card PATH]]
    gamegen train platformer-gan --data ../shared/data/vglc
    gamegen bench [--quick] [--json FILE]
    gamegen view [FILE | MODEL] [--seed S] [--screenshot out.png]
"""

from __future__ import annotations

from gamegen.cli import bench, eval, export, generate, models, train, view, world
from gamegen.cli.app import cli, main

__all__ = ["cli", "main", "bench", "eval", "export", "generate", "models", "train", "view", "world"]
