"""The ``gamegen`` command: one module per command (``gamegen.cli.generate``, ``.eval``, ...), one request path.

``gamegen.cli.app`` holds the group and ``main``; ``gamegen.cli.request`` turns
the content kinds' declared options into flags and the flags given back into
options, for every kind alike.
"""

from gamegen.cli import commands  # noqa: F401 - registers the commands
from gamegen.cli.app import cli, main

__all__ = ["cli", "main"]
