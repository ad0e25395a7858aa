"""Property tests: random maps round-trip through every writer and reader unchanged.

Random sizes (within the map limits), random tile ids, random objects and
random provenance values (any JSON: nested dicts and lists, big integers,
floats, unicode and control characters) go out through TMX, TMJ (each plain,
zlib and embedded), engine JSON and corpus text, and come back equal, value
for value and type for type; writing what was read gives the same bytes.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gamegen.errors import InvalidRequest
from gamegen.exporters import companions, get_exporter, read_map
from gamegen.exporters._tiled import XML_UNSAFE
from gamegen.exporters.objects import objects_for
from gamegen.tiles import TileMap, load_vocabulary

VOCAB = load_vocabulary("platformer")
FORMATS = [("tmx", {}), ("tmx", {"zlib": True}), ("tmx", {"embed": True}), ("tmj", {}), ("tmj", {"zlib": True}), ("tmj", {"embed": True}), ("json", {}),
    ("txt", {})]
EXAMPLES = 30

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6)
FIXED = ("model", "model_sha256", "seed", "params", "gamegen_version")
provenances = st.builds(
    lambda fixed, extra: {**extra, **fixed},
    st.fixed_dictionaries({
        "model": st.text(max_size=20),
        "model_sha256": st.text("0123456789abcdef", min_size=64, max_size=64),
        "seed": st.integers(min_value=0, max_value=2**63 - 1),
        "params": st.dictionaries(st.text(max_size=8), json_values, max_size=3),
        "gamegen_version": st.text(max_size=8),
    }),
    st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda k: k not in FIXED), json_values, max_size=4),
)  # fmt: skip


@st.composite
def maps(draw) -> TileMap:
    height = draw(st.integers(1, 20))
    width = draw(st.integers(1, 80))
    tiles = draw(st.lists(st.integers(0, len(VOCAB) - 1), min_size=1, max_size=len(VOCAB), unique=True))
    rng = np.random.default_rng(draw(st.integers(0, 2**32)))  # drawing every id through hypothesis is slow to shrink
    grid = rng.choice(np.array(tiles, dtype=np.int16), size=(height, width))  # (H, W)
    objects = draw(st.lists(
        st.builds(
            lambda name, x, y, extra: {**extra, "name": name, "x": x, "y": y},
            st.text(max_size=10), st.integers(0, width - 1), st.integers(0, height - 1),
            st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda k: k not in ("name", "x", "y")), json_values, max_size=2),
        ),
        max_size=3,
    ))  # fmt: skip
    return TileMap(grid, VOCAB, draw(provenances), objects)


def same(a, b) -> bool:
    """Equal value for value and type for type (1 is not 1.0, True is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


def _xml_unsafe_names(level: TileMap) -> bool:
    """A provenance key, object name or object key no XML attribute can hold (TMX refuses it; the JSON formats keep it)."""
    names = list(level.provenance) + [str(k) for obj in level.objects for k in obj] + [str(obj["name"]) for obj in level.objects]
    return any(XML_UNSAFE.search(n) for n in names)


def _write(level: TileMap, name: str, options: dict, folder: Path) -> tuple[Path, bytes]:
    exporter = get_exporter(name, **options)
    for file_name, data in companions(exporter, level).items():
        (folder / file_name).write_bytes(data)
    data = exporter.export(level)
    path = folder / f"m.{exporter.extension}"
    path.write_bytes(data)
    return path, data


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_every_format_round_trips_a_random_map(level):
    with tempfile.TemporaryDirectory() as tmp:
        for name, options in FORMATS:
            folder = Path(tmp) / f"{name}-{'-'.join(options)}"
            folder.mkdir()
            if name == "tmx" and _xml_unsafe_names(level):
                with pytest.raises(InvalidRequest, match="control character that a TMX"):
                    _write(level, name, options, folder)
                continue
            path, data = _write(level, name, options, folder)
            back = read_map(path)
            assert back == level, (name, options)
            if name == "txt":
                continue  # corpus text holds tiles only
            assert same(back.provenance, level.provenance), (name, options, back.provenance)
            assert same(back.objects, objects_for(level)), (name, options, back.objects)
            again = folder / "again"
            again.mkdir()
            assert _write(back, name, options, again)[1] == data, (name, options)


@pytest.mark.parametrize("height, width", [(1, 1), (14, 8192), (1, 65536)])
def test_sizes_up_to_the_widest_level_round_trip(height, width):
    grid = np.random.default_rng(height * width).integers(0, len(VOCAB), size=(height, width)).astype(np.int16)
    level = TileMap(grid, VOCAB, {"seed": width})
    with tempfile.TemporaryDirectory() as tmp:
        for name, options in (("tmx", {"zlib": True}), ("tmj", {}), ("json", {}), ("txt", {})):
            path, _ = _write(level, name, options, Path(tmp))
            assert read_map(path) == level
