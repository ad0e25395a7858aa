"""The Pygame level-preview viewer (installed as ``gamegen.viewer``; ``pip install 'gamegen[viewer]'``).

    gamegen view level.tmx                       # a TMX, TMJ, engine-JSON or corpus-text map
    gamegen view platformer-gan --seed 7         # live from a model: N/P next/previous seed, R random
    gamegen view level.txt --screenshot out.png  # one frame, headless, then exit

Modules, one concern each:

    sources.py  what is shown: a map file or a model's level for a seed (no pygame)
    tasks.py    the jobs the worker thread runs: make content, export, write a screenshot (no pygame)
    worker.py   the worker thread and its queues (no pygame)
    camera.py   scroll and zoom arithmetic (no pygame)
    canvas.py   a map as cached, zoomed strips of surfaces; path, solid and grid overlays
    hud.py      status bar and help overlay
    app.py      the App: handle_event / update / draw / run
    launch.py   command-line arguments → display → App: ``view(...)``
    __main__.py python -m gamegen.viewer: ``main(argv=None)``, through the CLI
    bench.py    frame time while scrolling a wide level: python -m gamegen.viewer.bench

``import gamegen`` never imports this package (pygame is an extra); ``gamegen view``
imports it when it runs.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # pygame's import banner would pollute CLI output

from gamegen.viewer.app import App
from gamegen.viewer.launch import view

__all__ = ["App", "view"]  # main, for python -m gamegen.viewer, is in __main__.py
