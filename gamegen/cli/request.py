"""One request from the command line: the kinds' declared options become flags, and the flags given become options.

Every content kind declares its options once (``gamegen.protocol.option``); the
``generate`` command carries the union of their flags. After the model is known,
``kind_options`` keeps the flags that were given and refuses, in one message,
those the kind does not declare: "--rooms does not apply to platformer-gan".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import click
from click.core import ParameterSource

from gamegen.errors import InvalidRequest
from gamegen.protocol import Descriptor, Option, Options

__all__ = ["KindFlag", "kind_flags", "add_kind_flags", "given", "kind_options", "refuse"]

# The kinds whose flags ``generate`` carries (each one's options class, in the order help lists them).
KINDS = ("platformer", "dungeon", "sprites", "names", "overworld")


@dataclass(frozen=True)
class KindFlag:
    """One CLI flag and the options of the kinds that declare it (``--width``: platformer and overworld)."""

    flag: str
    name: str  # the options' field name, and the click parameter's
    specs: tuple[tuple[str, Option], ...]  # (kind, declaration)

    def click_option(self) -> Callable:
        first = self.specs[0][1]
        helps = " ".join(f"{kind.capitalize()}: {spec.help}" for kind, spec in self.specs)
        if first.type is bool:
            return click.option(self.flag, self.name, default=None, help=helps)
        value_type: Any = str if first.parse is not None or first.type not in (int, float) else first.type
        return click.option(self.flag, self.name, type=value_type, default=None, help=helps)

    def value(self, raw: Any, kind: str) -> Any:
        """The CLI value as the kind's option takes it (``--target`` text → a dict of targets)."""
        spec = dict(self.specs)[kind]
        return spec.parse(raw) if spec.parse is not None and isinstance(raw, str) else raw


def _options_classes() -> dict[str, type[Options]]:
    from gamegen.dungeon.generator import DungeonOptions
    from gamegen.names.generator import NamesOptions
    from gamegen.overworld.generator import OverworldOptions
    from gamegen.platformer.generator import PlatformerOptions
    from gamegen.sprites.generator import SpriteOptions

    classes = {"platformer": PlatformerOptions, "dungeon": DungeonOptions, "sprites": SpriteOptions, "names": NamesOptions,
               "overworld": OverworldOptions}
    return {kind: classes[kind] for kind in KINDS}


def kind_flags() -> list[KindFlag]:
    """The union of every kind's flagged options, one entry per flag, in first-declared order."""
    by_flag: dict[str, list[tuple[str, Option]]] = {}
    for kind, options in _options_classes().items():
        for spec in options.declared():
            if spec.flag:
                by_flag.setdefault(spec.flag, []).append((kind, spec))
    return [KindFlag(flag, specs[0][1].name, tuple(specs)) for flag, specs in by_flag.items()]


def add_kind_flags(command: Callable) -> Callable:
    """Decorate a click command with every kind's flags."""
    for flag in reversed(kind_flags()):
        command = flag.click_option()(command)
    return command


def given(ctx: click.Context, names: Iterable[str]) -> list[str]:
    """The parameters among ``names`` that the user set (on the command line or from the environment)."""
    return [name for name in names if ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None)]


def _spelling(ctx: click.Context, name: str) -> str:
    """How the user spells parameter ``name``: its first flag (``--top-k``), or for a flag pair the side given."""
    param = next(p for p in ctx.command.params if p.name == name)
    if isinstance(param, click.Option) and param.secondary_opts and ctx.params.get(name) is False:
        return param.secondary_opts[0]
    return param.opts[0]


def refuse(ctx: click.Context, names: list[str], descriptor: Descriptor, what: str = "") -> None:
    """The one "does not apply" message, for every flag and kind."""
    if not names:
        return
    flags = ", ".join(_spelling(ctx, n) for n in names)
    verb = "does" if len(names) == 1 else "do"
    takes = ", ".join(spec.flag for spec in descriptor.options.declared() if spec.flag) or "no options of its own"
    raise InvalidRequest(f"{flags} {verb} not apply to {descriptor.name}{what} (its options: {takes})")


def kind_options(ctx: click.Context, descriptor: Descriptor) -> dict[str, Any]:
    """The options of ``descriptor``'s kind that were given as flags; any other kind's flag given is refused."""
    flags = kind_flags()
    declared = {spec.name for spec in descriptor.options.declared() if spec.flag}
    set_by_user = given(ctx, [f.name for f in flags])
    refuse(ctx, [name for name in set_by_user if name not in declared], descriptor)
    by_name = {f.name: f for f in flags}
    return {name: by_name[name].value(ctx.params[name], descriptor.kind) for name in set_by_user}
