"""Hostile map files end in a one-line DataError, quickly and in bounded memory (extends test_exporters_readers).

Covered here: dimensions declared far past the limits, zlib and gzip bombs, JSON
nested past the stack, numbers of thousands of digits or past 64 bits, NaN
positions, oversized files and markup, FIFOs and devices, tilesets outside the
map's folder, and random damage to every format (hypothesis).
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import tracemalloc
import zlib
from pathlib import Path

import pytest
from exporters_samples import all_tiles_level
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gamegen.errors import DataError
from gamegen.exporters import parse_formats, read_map
from gamegen.exporters._input import MAX_MAP_FILE_BYTES, MAX_MARKUP_ITEMS
from gamegen.output.batch import export_to_folder
from gamegen.tiles import TileMap

SMALL = 16 << 20  # bytes a refusal may allocate at most (the file itself included)


def refused(path: Path, match: str, limit: int = SMALL) -> None:
    """read_map(path) raises a one-line DataError matching ``match`` without allocating more than ``limit``."""
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match=match) as info:
            read_map(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "\n" not in str(info.value)
    assert peak < limit, f"{path.name}: {peak >> 20} MiB allocated to refuse it"


@pytest.fixture
def maps(tmp_path) -> Path:
    export_to_folder([("m", all_tiles_level())], parse_formats("tmx,tmj,json,txt"), tmp_path)
    export_to_folder([("z", all_tiles_level())], parse_formats("tmx:zlib"), tmp_path)
    export_to_folder([("zj", all_tiles_level())], parse_formats("tmj:zlib"), tmp_path)
    return tmp_path


def _json(path: Path, change) -> None:
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


def test_huge_declared_dimensions_are_refused_before_decoding(maps):
    tmx = maps / "m.tmx"
    tmx.write_text(tmx.read_text().replace('width="16" height="7"', 'width="1000000000" height="1000000000"', 1))
    refused(tmx, "declares 1000000000x1000000000 tiles")
    _json(maps / "m.tmj", lambda d: d.update(width=10**9))
    refused(maps / "m.tmj", "declares 1000000000x7 tiles")
    _json(maps / "m.json", lambda d: d.update(width=10**9, height=10**9))
    refused(maps / "m.json", "declares 1000000000x1000000000 tiles")


def _bomb(size: int, wbits: int) -> str:
    """base64 of ``size`` zero bytes compressed (a few hundred KB that inflate to ``size``)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    chunk = bytes(1 << 20)
    return base64.b64encode(b"".join(packer.compress(chunk) for _ in range(size >> 20)) + packer.flush()).decode("ascii")


def test_compression_bombs_stop_at_the_declared_size(maps):
    z = maps / "z.tmx"
    text = z.read_text()
    start = text.index('compression="zlib">') + len('compression="zlib">')
    end = text.index("</data>")
    z.write_text(text[:start] + _bomb(64 << 20, zlib.MAX_WBITS) + text[end:])
    refused(z, "inflates to more than the 112 gids the map declares")
    _json(maps / "zj.tmj", lambda d: d["layers"][0].update(compression="gzip", data=_bomb(64 << 20, 16 + zlib.MAX_WBITS)))
    refused(maps / "zj.tmj", "inflates to more than the 112 gids")
    _json(maps / "zj.tmj", lambda d: d["layers"][0].update(data=base64.b64encode(gzip.compress(b"\0" * 100)[:-12]).decode()))
    refused(maps / "zj.tmj", "corrupt|truncated")


NUMBERS = {
    "deep-json": ("m.tmj", lambda p: p.write_text("[" * 200_000), "not JSON gamegen can read|not valid JSON"),
    "deep-engine": ("m.json", lambda p: p.write_text('{"grid": ' + "[" * 100_000), "not JSON gamegen can read|not valid JSON"),
    "long-int": ("m.tmj", lambda p: p.write_text(p.read_text().replace('"width": 16', '"width": ' + "9" * 5000, 1)), "not JSON gamegen can read"),
    "gid-past-64-bits": ("m.tmj", lambda p: _json(p, lambda d: d["layers"][0]["data"].__setitem__(0, 10**30)), r"gid outside 0..2\*\*32-1"),
    "id-past-64-bits": ("m.json", lambda p: _json(p, lambda d: d["grid"][0].__setitem__(0, 10**30)), "non-negative integers"),
    "firstgid-past-64-bits": ("m.tmj", lambda p: _json(p, lambda d: d["tilesets"][0].update(firstgid=10**30)), "firstgid"),
    "nan-position": ("m.tmj", lambda p: p.write_text(p.read_text().replace('"x": 8', '"x": NaN', 1)), "not a finite number"),
    "inf-position-tmx": ("m.tmx", lambda p: p.write_text(p.read_text().replace('x="8"', 'x="inf"', 1)), "not a finite number"),
    "tmx-int-digits": ("m.tmx", lambda p: p.write_text(p.read_text().replace('width="16"', 'width="' + "9" * 5000 + '"', 1)), "needs an integer width"),
    "deep-json-property": ("m.tmj", lambda p: _json(p, lambda d: d["properties"].append({"name": "x:json", "type": "string", "value": "[" * 100_000})),
        "not valid JSON text"),
    "csv-past-the-map": ("m.tmx", lambda p: p.write_text(p.read_text().replace("\n0,", "\n" + "0," * 500_000, 1)), "holds more than the 112 tiles"),
    "too-many-tiles": ("m.json", lambda p: _json(p, lambda d: d["vocabulary"].update(tiles=d["vocabulary"]["tiles"] * 400)), "more than the 4096"),
    "too-many-objects": ("m.json", lambda p: _json(p, lambda d: d.update(objects=[{"name": "a", "x": 0, "y": 0}] * 100_001)), "more than the 100000"),
    "non-ascii-symbol": ("m.json", lambda p: _json(p, lambda d: d["vocabulary"]["tiles"][0].update(symbol="€")), "printable ASCII"),
    "tsj-symbol": ("m.tmj", lambda p: (p.parent / "platformer.tsj").write_text((p.parent / "platformer.tsj").read_text().replace('"value": "-"',
        '"value": "\\u0000"')), "printable ASCII"),
}


@pytest.mark.parametrize("name, damage, match", NUMBERS.values(), ids=NUMBERS.keys())
def test_hostile_values_are_refused(maps, name, damage, match):
    damage(maps / name)
    refused(maps / name, match, limit=64 << 20)


def test_oversized_files_and_markup_are_refused_unparsed(maps):
    big = maps / "big.tmj"
    with open(big, "wb") as fh:
        fh.truncate(MAX_MAP_FILE_BYTES + 1)  # sparse
    refused(big, "larger than 32 MiB", limit=MAX_MAP_FILE_BYTES + SMALL)
    (maps / "many.tmx").write_bytes(b"<map>" + b"<a/>" * (MAX_MARKUP_ITEMS + 1) + b"</map>")
    refused(maps / "many.tmx", "more than 500,000 XML elements")
    (maps / "many.tmj").write_bytes(b"[" + b"[]," * MAX_MARKUP_ITEMS + b"[]]")
    refused(maps / "many.tmj", "JSON objects and arrays")
    (maps / "strings.json").write_bytes(b"[" + b'"",' * 1_000_001 + b'""]')
    refused(maps / "strings.json", "JSON strings")


def test_fifos_devices_and_folders_are_refused_without_blocking(maps):
    os.mkfifo(maps / "pipe.tmx")  # opening it would block until a writer came
    refused(maps / "pipe.tmx", "not a regular file")
    (maps / "zero.tmj").symlink_to("/dev/zero")
    refused(maps / "zero.tmj", "not a regular file")
    (maps / "folder.txt").mkdir()
    refused(maps / "folder.txt", "is a folder")


@pytest.mark.parametrize("source", ["/etc/passwd", "../platformer.tsx", "sub/../../platformer.tsx", "link.tsx", "a\x00b.tsx"])
def test_tilesets_outside_the_maps_folder_are_not_read(maps, source):
    inner = maps / "inner"
    inner.mkdir()
    (inner / "link.tsx").symlink_to(maps / "platformer.tsx")
    tmx = inner / "m.tmx"
    tmx.write_text((maps / "m.tmx").read_text().replace('source="platformer.tsx"', f'source="{source.replace(chr(0), "&#0;")}"'))
    if "\x00" in source:
        refused(tmx, "not well-formed")  # XML cannot even spell it
    else:
        refused(tmx, "lies outside the map's folder")
    tmj = inner / "m.tmj"
    _json(maps / "m.tmj", lambda d: d["tilesets"][0].update(source=source))
    tmj.write_text((maps / "m.tmj").read_text())
    refused(tmj, "lies outside the map's folder")


# -- random damage ------------------------------------------------------------------

FILES = ["m.tmx", "z.tmx", "m.tmj", "zj.tmj", "m.json", "m.txt"]
EXAMPLES = 60  # per format


@settings(max_examples=EXAMPLES * len(FILES), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_damage_to_any_format_reads_back_or_is_a_data_error(maps, data):
    name = data.draw(st.sampled_from(FILES))
    original = (maps / name).read_bytes() if not (maps / f"orig-{name}").exists() else (maps / f"orig-{name}").read_bytes()
    (maps / f"orig-{name}").write_bytes(original)
    raw = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw)))
        edit = data.draw(st.sampled_from(["set", "insert", "delete", "cut"]))
        if edit == "set" and at < len(raw):
            raw[at] = data.draw(st.integers(0, 255))
        elif edit == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=8) | st.sampled_from([b"<!ENTITY", b"]]>", b"NaN", b"1e999", b"-", b"\x00",
                b"99999999999999999999"]))
        elif edit == "delete":
            del raw[at : at + data.draw(st.integers(1, 16))]
        else:
            del raw[at:]
    path = maps / f"damaged{Path(name).suffix}"
    path.write_bytes(bytes(raw))
    try:
        assert isinstance(read_map(path), TileMap)
    except DataError as exc:
        assert "\n" not in str(exc)
