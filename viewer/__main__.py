"""``python -m gamegen.viewer ARGS``: the same as ``gamegen view ARGS``.

``main`` lives here, not in ``launch.py``: it goes through the CLI, which imports
the viewer, and only this entry module can import the CLI without a cycle.
"""

from __future__ import annotations

import sys

from gamegen.cli.commands import main as cli_main


def main(argv: list[str] | None = None) -> int:
    """``gamegen view ARGS``: the same options, errors and exit codes."""
    return cli_main(["view", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
