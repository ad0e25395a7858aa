"""The one shape of every content kind: a ``Generator`` with typed options.

    >>> gen = gamegen.load("platformer-gan")              # any kind: platformer, dungeon, sprites, names, overworld
    >>> level = gen.generate(7, width=200)                 # options as keywords ...
    >>> opts = gen.options(width=200, playable=False)      # ... or as the kind's own dataclass
    >>> levels = gen.generate_batch(range(8), opts)        # == [gen.generate(s, opts) for s in range(8)]
    >>> gen.descriptor.kind, gen.descriptor.options        # ('platformer', PlatformerOptions)

Each kind declares its options once, as a frozen dataclass whose fields are made
by ``option(...)``: default, help, range or choices, and the CLI flag. The CLI
builds its request from that declaration (``gamegen.cli.request``), the viewer,
eval and Ray pass the options object along; none of them branch on the kind.

Provenance, the record that regenerates an item, is made by ``provenance`` for
every kind: model, model sha256 (for a model), seed, parameters, gamegen version.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from gamegen import __version__
from gamegen.errors import InvalidRequest
from gamegen.seeds import check_int, check_seed, check_seeds

if TYPE_CHECKING:
    from gamegen.runtime.cards import ModelCard

__all__ = ["Option", "option", "Options", "Descriptor", "Generator", "GeneratorBase", "provenance"]

ContentT = TypeVar("ContentT")
OptionsT = TypeVar("OptionsT", bound="Options")
DEFAULT_BATCH = 32  # items per inference call
MAX_BATCH_SIZE = 4096


@dataclass(frozen=True)
class Option:
    """One declared parameter: what it is called, its default, what values it takes, and how the CLI spells it."""

    name: str
    default: Any
    help: str
    type: type
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    flag: str = ""  # the CLI flag; "" when the option has none (a Python-only parameter)
    nullable: bool = False  # None is a value (``default=None`` means "let the generator draw it")
    checker: Callable[[Any], Any] | None = None  # a kind's own check for a structured value (targets, a palette)
    parse: Callable[[str], Any] | None = None  # CLI text → value, where the value is not a plain int, float or str

    def check(self, value: Any) -> Any:
        """``value`` checked against the declaration (one-line InvalidRequest) → the value to use."""
        if value is None and self.nullable:
            return None
        if self.checker is not None:
            return self.checker(value)
        if self.type is bool:
            if not isinstance(value, bool):
                raise InvalidRequest(f"{self.name} must be True or False, got {value!r}")
            return value
        if self.type is int:
            low = -(2**63) if self.low is None else int(self.low)
            high = 2**63 if self.high is None else int(self.high)
            return check_int(self.name, value, low, high)
        if self.type is float:
            return self._check_float(value)
        if self.choices is not None and value not in self.choices:
            raise InvalidRequest(f"{self.name} must be one of {', '.join(self.choices)}, got {value!r}")
        return value

    def _check_float(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
            raise InvalidRequest(f"{self.name} must be a finite number, got {value!r}")
        number = float(value)
        if (self.low is not None and number < self.low) or (self.high is not None and number > self.high):
            raise InvalidRequest(f"{self.name} {value} is outside [{self.low}, {self.high}]")
        return number


def option(default: Any, help: str, *, type: type | None = None, low: float | None = None, high: float | None = None,
           choices: tuple[str, ...] | None = None, flag: str | None = None, checker: Callable[[Any], Any] | None = None,
           parse: Callable[[str], Any] | None = None) -> Any:
    """A dataclass field that declares an ``Option`` (the field's name is the option's name; ``flag=""``: no CLI flag)."""
    spec = {"help": help, "type": type or _type_of(default), "low": low, "high": high, "choices": choices, "flag": flag,
            "nullable": default is None, "checker": checker, "parse": parse}
    return dataclasses.field(default=default, metadata={"gamegen.option": spec})


def _type_of(default: Any) -> type:
    if default is None:
        raise TypeError("an option whose default is None must name its type")
    return bool if isinstance(default, bool) else type(default)


@dataclass(frozen=True)
class Options:
    """Base of each kind's options: a frozen dataclass of ``option`` fields, checked when built."""

    def __post_init__(self) -> None:
        for spec in self.declared():
            object.__setattr__(self, spec.name, spec.check(getattr(self, spec.name)))
        self.validate()

    def validate(self) -> None:
        """Checks across fields (a kind overrides it); each field was checked on its own already."""

    @classmethod
    def declared(cls) -> tuple[Option, ...]:
        """The options of this kind, in declaration order."""
        specs = []
        for f in dataclasses.fields(cls):
            meta = dict(f.metadata["gamegen.option"])
            flag = meta.pop("flag")
            specs.append(Option(f.name, f.default, flag="--" + f.name.replace("_", "-") if flag is None else flag, **meta))
        return tuple(specs)

    @classmethod
    def build(cls: type[OptionsT], values: Mapping[str, Any] | None = None, owner: str = "this generator") -> OptionsT:
        """Options from a mapping of names to values; a name this kind does not have is a one-line error."""
        values = dict(values or {})
        known = {spec.name for spec in cls.declared()}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InvalidRequest(f"{', '.join(unknown)} {'does' if len(unknown) == 1 else 'do'} not apply to {owner}; "
                                 f"its options are {', '.join(sorted(known))}")
        return cls(**values)

    def matches(self, params: Mapping[str, Any]) -> bool:
        """Would these options make an item whose provenance records ``params``? (A resumed batch skips it if so.)"""
        return all((name not in params) if value is None else params.get(name) == value for name, value in self.to_dict().items())

    def replace(self: OptionsT, **changes: Any) -> OptionsT:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {spec.name: getattr(self, spec.name) for spec in self.declared()}


@dataclass(frozen=True)
class Descriptor:
    """What a generator is, for listings, the CLI, eval and the viewer: the same fields for every kind, with a model or without."""

    name: str
    kind: str  # platformer, dungeon, sprites, names, overworld
    summary: str
    options: type[Options]
    card: ModelCard | None = None  # None for a model-free generator (noise)
    items_per_seed: str | None = None  # the option a count fills, for kinds whose one call makes many items (sprites, names)
    content: str = "tilemap"  # what generate returns: tilemap (a TileMap), sprites (a SpriteSet) or names (a NameList)
    formats: str = "txt,png"  # default output formats

    @property
    def model_sha256(self) -> str | None:
        return None if self.card is None else self.card.sha256


def provenance(descriptor: Descriptor, seed: int, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The record that regenerates an item: model (and its sha256), seed, parameters, any ``extra``, gamegen version."""
    record: dict[str, Any] = {"model": descriptor.name}
    if descriptor.card is not None:
        record["model_sha256"] = descriptor.card.sha256
    record.update(seed=seed, params=params, **extra)
    record["gamegen_version"] = __version__
    return record


@runtime_checkable
class Generator(Protocol[ContentT]):
    """Every content kind: made by ``gamegen.load``, driven by its options."""

    descriptor: Descriptor

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...

    def options(self, values: Mapping[str, Any] | None = None, /, **overrides: Any) -> Options: ...

    def generate(self, seed: int, options: Options | None = None, **overrides: Any) -> ContentT: ...

    def generate_batch(self, seeds: Iterable[int], options: Options | None = None, *, batch_size: int = ..., **overrides: Any) -> list[ContentT]: ...


class GeneratorBase(Generic[ContentT, OptionsT]):
    """The shared half of every generator: options in, checked once; a kind writes ``_generate`` (and may batch)."""

    descriptor: Descriptor
    options_type: ClassVar[type[Options]]

    @classmethod
    def describe(cls, card: ModelCard) -> Descriptor:
        """The descriptor of the generator ``card`` configures, without loading its model (a kind with a model overrides it)."""
        raise NotImplementedError

    @property
    def name(self) -> str:
        return self.descriptor.name

    @property
    def kind(self) -> str:
        return self.descriptor.kind

    def options(self, values: Mapping[str, Any] | Options | None = None, /, **overrides: Any) -> OptionsT:
        """The kind's options from an options object or a mapping, with keyword ``overrides``."""
        if isinstance(values, Options):
            if not isinstance(values, self.options_type):
                raise InvalidRequest(f"{self.name} takes {self.options_type.__name__}, got {type(values).__name__}")
            return values.replace(**overrides) if overrides else values  # type: ignore[return-value]
        return self.options_type.build({**(values or {}), **overrides}, owner=self.name)  # type: ignore[return-value]

    def generate(self, seed: int, options: Mapping[str, Any] | Options | None = None, **overrides: Any) -> ContentT:
        """One item from ``seed``."""
        return self._generate(check_seed(seed), self.options(options, **overrides))

    def generate_batch(self, seeds: Iterable[int], options: Mapping[str, Any] | Options | None = None, *,
                       batch_size: int = DEFAULT_BATCH, **overrides: Any) -> list[ContentT]:
        """One item per seed, identical to generating each alone (``batch_size``: items per inference call)."""
        seeds = check_seeds(seeds)
        batch_size = check_int("batch_size", batch_size, 1, MAX_BATCH_SIZE)
        return self._generate_batch(seeds, self.options(options, **overrides), batch_size)

    def _generate(self, seed: int, options: OptionsT) -> ContentT:
        raise NotImplementedError

    def _generate_batch(self, seeds: list[int], options: OptionsT, batch_size: int) -> list[ContentT]:
        return [self._generate(seed, options) for seed in seeds]
