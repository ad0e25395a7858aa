"""The ``gamegen`` group, its entry point and what every command shares (one-line errors, the progress bar).

Errors of the GamegenError tree print one line on stderr, no traceback, and exit
with the class's code (see ``gamegen.errors``; 2 also for usage errors).
"""

from __future__ import annotations

import sys

import click

from gamegen import __version__
from gamegen.errors import GamegenError, InvalidRequest

__all__ = ["cli", "main", "ProgressBar", "require"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gamegen")
def cli() -> None:
    """Procedural game content from trained models, reproducible from a seed."""


def main(argv: list[str] | None = None) -> int:
    try:
        code = cli.main(args=argv, prog_name="gamegen", standalone_mode=False)
    except GamegenError as exc:
        click.echo(f"gamegen: error: {exc}", err=True)
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("gamegen: interrupted", err=True)
        return 130
    return code if isinstance(code, int) else 0


def require(module: str, extra: str, what: str) -> None:
    """Fail at once, in one line naming the extra, when ``module`` is not installed (before any long work)."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise InvalidRequest(f"{what} needs the {extra} extra ({module} is missing): pip install 'gamegen[{extra}]'")


class ProgressBar:
    """A progress bar whose position is set, not added to (evaluate reports items done)."""

    def __init__(self, total: int, desc: str, unit: str = "item"):
        from tqdm import tqdm

        self.bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=None)

    def __enter__(self) -> ProgressBar:
        return self

    def set(self, done: int) -> None:
        self.bar.update(done - self.bar.n)

    def __exit__(self, *exc: object) -> None:
        self.bar.close()
