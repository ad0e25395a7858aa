"""The ``gamegen`` command: one module per command, one request path (see ``commands``)."""

from gamegen.cli.commands import cli, main

__all__ = ["cli", "main"]
