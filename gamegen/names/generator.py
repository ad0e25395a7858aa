"""Names for creatures, items and places from a character LSTM, sampled in numpy.

The ONNX graph is one step of the network: (token, kind, h, c) → (logits, h, c).
``generate`` runs it on rounds of ROUND candidate names at once, drawing each
character from the softmax of logits / temperature, cut to the ``top_k`` most
likely, with one uniform number per row and step from the call's own
``Generator(PCG64(seed))``. A candidate is kept when it ends within the card's
``max_chars``, is new in this call, and is not a name the model was trained or
evaluated on (the corpus names ship inside the ONNX file, as its
``gamegen.known_names`` metadata, so the sha256 covers them); otherwise the next
candidate is taken. The round size is fixed, so the names of ``n=20`` are the
first 20 of ``n=50`` with the same seed and parameters.

Token and kind tables are data from the card: ``tokens`` (id → character, id 0
the boundary that starts and ends a name) and ``kinds`` (name → id and the case
names of that kind are shown in).
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gamegen.errors import InvalidRequest, ModelError
from gamegen.protocol import Descriptor, GeneratorBase, Options, option, provenance
from gamegen.runtime.cards import ModelCard
from gamegen.runtime.onnx import OnnxModel
from gamegen.seeds import check_int, rng_for

__all__ = ["NamesGenerator", "NamesOptions", "NameList", "MAX_NAMES"]

MAX_NAMES = 1000  # names in one call
ROUND = 64  # candidates sampled side by side; fixed, so results do not depend on n
CANDIDATES_PER_NAME = 50  # before a call gives up: a temperature or top_k too low to find n new names
MAX_TEMPERATURE = 10.0
_WORD_START = re.compile(r"(^|[ -])([a-z])")
CASES = {"lower": str.lower, "title": lambda name: _WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), name)}  # "ma'an al-sur" → "Ma'an Al-Sur"


@dataclass
class NameList:
    """Names of one kind with the provenance that regenerates them."""

    names: list[str]
    kind: str
    provenance: dict[str, Any] = field(default_factory=dict)


def _checked_temperature(temperature) -> float:
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or not 0 < float(temperature) <= MAX_TEMPERATURE:
        raise InvalidRequest(f"temperature must be a number in (0, {MAX_TEMPERATURE:g}], got {temperature!r}")
    return float(temperature)


@dataclass(frozen=True)
class NamesOptions(Options):
    """``n`` distinct new names of one kind from one seed, sampled at a temperature, optionally top-k."""

    kind: str = option("creature", "creature, item or place.")
    n: int = option(20, "Names in the call (the CLI's --count).", low=1, high=MAX_NAMES, flag="")
    temperature: float = option(1.0, "Sampling temperature, in (0, 10].", checker=_checked_temperature)
    top_k: int | None = option(None, "Sample among the k likeliest characters.", type=int, low=1)


class NamesGenerator(GeneratorBase[NameList, NamesOptions]):
    """Runs one names model; made by ``gamegen.load``."""

    options_type = NamesOptions

    @classmethod
    def describe(cls, card: ModelCard) -> Descriptor:
        """What this generator is, from its card alone (no model loaded)."""
        return Descriptor(card.name, "names", card.data.get("summary", ""), NamesOptions, card, items_per_seed="n", content="names", formats="txt,json")

    def __init__(self, card: ModelCard, model: OnnxModel):
        self.card = card
        self.model = model
        self.descriptor = self.describe(card)
        self.tokens: list[str] = list(card.data["tokens"])
        self.kinds: dict[str, dict] = dict(card.data["kinds"])
        config = card.data["config"]
        self.layers, self.hidden, self.max_chars = int(config["layers"]), int(config["hidden"]), int(config["max_chars"])
        if not (self.tokens and self.tokens[0] == "" and all(isinstance(t, str) and len(t) == 1 for t in self.tokens[1:])):
            raise ValueError("tokens must be a list starting with '' (the boundary) followed by single characters")
        if any(spec.get("case", "lower") not in CASES or type(spec.get("id")) is not int for spec in self.kinds.values()):
            raise ValueError(f"each kind needs an integer id and a case in {sorted(CASES)}")
        self._known: frozenset[str] | None = None

    def __repr__(self) -> str:
        return f"NamesGenerator({self.name!r}, kinds {', '.join(self.kinds)})"

    # -- public API -------------------------------------------------------

    def options(self, values=None, /, **overrides) -> NamesOptions:
        options = super().options(values, **overrides)
        if options.kind not in self.kinds:
            raise InvalidRequest(f"unknown kind {options.kind!r}; {self.name} makes: {', '.join(self.kinds)}")
        if options.top_k is not None:
            check_int("top_k", options.top_k, 1, len(self.tokens))
        return options

    def _generate(self, seed: int, options: NamesOptions) -> NameList:
        """``n`` distinct new names of ``kind`` from ``seed`` (the same list for the same options, on any machine)."""
        kind, n, temperature, top_k = options.kind, options.n, options.temperature, options.top_k
        kind_id = self.kinds[kind]["id"]
        rng = rng_for(seed)
        known, names, seen = self.known_names(), [], set()
        for _ in range(math.ceil(CANDIDATES_PER_NAME * n / ROUND)):
            for name in self.candidates(rng, kind_id, temperature, top_k):
                if name is not None and name not in seen and name not in known:
                    seen.add(name)
                    names.append(CASES[self.kinds[kind].get("case", "lower")](name))
                    if len(names) == n:
                        return NameList(names, kind, provenance(self.descriptor, seed, options.to_dict()))
        raise InvalidRequest(
            f"found only {len(names)} new distinct {kind} names of {n} at temperature {temperature}, top_k {top_k}; raise them or ask for fewer"
        )

    def known_names(self) -> frozenset[str]:
        """The corpus names (lower case) that generated names must not repeat."""
        if self._known is None:
            meta = self.model.session.get_modelmeta().custom_metadata_map
            if "gamegen.known_names" not in meta:
                raise ModelError(f"model {self.name}: its ONNX file lacks the gamegen.known_names metadata; retrain with gamegen train {self.name}")
            self._known = frozenset(meta["gamegen.known_names"].split("\n"))
        return self._known

    # -- inside -----------------------------------------------------------

    def candidates(self, rng: np.random.Generator, kind_id: int, temperature: float, top_k: int | None) -> list[str | None]:
        """One round of ROUND sampled names (lower case); None where a name did not end within max_chars."""
        token = np.zeros(ROUND, dtype=np.int64)
        kind = np.full(ROUND, kind_id, dtype=np.int64)
        h = np.zeros((self.layers, ROUND, self.hidden), dtype=np.float32)
        c = np.zeros_like(h)
        chars = np.zeros((ROUND, self.max_chars + 1), dtype=np.int64)
        ended = np.zeros(ROUND, dtype=bool)
        for step in range(self.max_chars + 1):
            logits, h, c = self.model.run(token=token, kind=kind, h=h, c=c)
            token = sample_tokens(logits, rng.random(ROUND), temperature, top_k)
            token[ended] = 0
            chars[:, step] = token
            ended |= token == 0
            if ended.all():
                break
        return [self._decode(row) if done else None for row, done in zip(chars, ended)]

    def _decode(self, row: np.ndarray) -> str | None:
        end = int(np.argmax(row == 0))
        name = " ".join("".join(self.tokens[t] for t in row[:end]).split()).strip(" -'")
        return name if len(name) >= 2 else None


def sample_tokens(logits: np.ndarray, uniform: np.ndarray, temperature: float, top_k: int | None) -> np.ndarray:
    """(B, V) logits, (B,) uniforms in [0, 1) → (B,) token ids by inverse CDF of softmax(logits / temperature), top-k cut."""
    scaled = logits.astype(np.float64) / temperature
    if top_k is not None and top_k < scaled.shape[1]:
        kth = np.partition(scaled, -top_k, axis=1)[:, -top_k, None]
        scaled = np.where(scaled >= kth, scaled, -np.inf)
    p = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    cdf = np.cumsum(p, axis=1)
    picks = (cdf <= uniform[:, None] * cdf[:, -1:]).sum(axis=1)  # the first token whose cumulative mass passes u
    return np.minimum(picks, logits.shape[1] - 1).astype(np.int64)
