"""Readers refuse bad files with one-line DataErrors that name the file, and never expand XML entities."""

from __future__ import annotations

import json

import pytest
from exporters_samples import all_tiles_level

from gamegen.errors import DataError
from gamegen.exporters import parse_formats, read_map
from gamegen.output.batch import export_to_folder


@pytest.fixture
def written(tmp_path):
    """A folder with the sample level as m.tmx, m.tmj, m.json, m.txt and the shared tilesets."""
    export_to_folder([("m", all_tiles_level())], parse_formats("tmx,tmj,json,txt"), tmp_path)
    return tmp_path


def _refused(path, match: str, names=None) -> str:
    """read_map(path) fails with one line that matches ``match`` and names the bad file."""
    with pytest.raises(DataError, match=match) as info:
        read_map(path)
    message = str(info.value)
    assert "\n" not in message and (names or path.name) in message
    return message


@pytest.mark.parametrize("ext", ["tmx", "tmj", "json"])
def test_truncated_files_are_refused(written, ext):
    path = written / f"m.{ext}"
    data = path.read_bytes()
    for cut in (len(data) // 3, len(data) - 20):
        path.write_bytes(data[:cut])
        _refused(path, "truncated")


def test_empty_and_garbage_files_are_refused(written):
    for ext, match in (("tmx", "XML"), ("tmj", "JSON"), ("json", "JSON")):
        path = written / f"m.{ext}"
        path.write_bytes(b"")
        _refused(path, match)
        path.write_bytes(b"\xff\xfe garbage")
        _refused(path, match)


def test_ids_outside_the_vocabulary_are_refused(written):
    tmx = written / "m.tmx"
    tmx.write_text(tmx.read_text().replace("\n0,", "\n99,", 1))
    _refused(tmx, r"gid 99 at row \d+, column 0 is outside the platformer tileset")
    tmj = written / "m.tmj"
    doc = json.loads(tmj.read_text())
    doc["layers"][0]["data"][5] = 14
    tmj.write_text(json.dumps(doc))
    _refused(tmj, "gid 14 at row 0, column 5 is outside")
    engine = written / "m.json"
    doc = json.loads(engine.read_text())
    doc["grid"][2][3] = 13
    engine.write_text(json.dumps(doc))
    _refused(engine, r"tile id 13 at row 2, column 3 is outside the vocabulary \(0..12\)")
    txt = written / "m.txt"
    txt.write_text(txt.read_text().replace("o", "@"))
    _refused(txt, "symbol '@'")


def test_wrong_shapes_are_refused(written):
    engine = written / "m.json"
    doc = json.loads(engine.read_text())
    doc["grid"][1].pop()
    engine.write_text(json.dumps(doc))
    _refused(engine, "grid is not 7 rows of 16 ids")
    doc["version"] = 2
    engine.write_text(json.dumps(doc))
    _refused(engine, "not a gamegen engine map: 1 was expected at version")
    doc["version"] = 1
    for bad in (True, "1", -1, 1.5):
        doc["grid"][0][0] = bad
        engine.write_text(json.dumps(doc))
        _refused(engine, "row 0 holds something other than non-negative integers at grid/0")
    tmj = written / "m.tmj"
    doc = json.loads(tmj.read_text())
    doc["layers"][0]["data"].pop()
    tmj.write_text(json.dumps(doc))
    _refused(tmj, "holds 111 tiles, a 16x7 map needs 112")


def test_corrupt_base64_and_flipped_tiles_are_refused(tmp_path):
    export_to_folder([("z", all_tiles_level())], parse_formats("tmx:zlib"), tmp_path)
    path = tmp_path / "z.tmx"
    text = path.read_text()
    start = text.index('compression="zlib">') + len('compression="zlib">')
    path.write_text(text[:start] + "eJz" + text[start + 12 :])
    _refused(path, "base64 layer data is corrupt")
    export_to_folder([("f", all_tiles_level())], parse_formats("tmx"), tmp_path)
    flipped = tmp_path / "f.tmx"
    flipped.write_text(flipped.read_text().replace("\n0,", f"\n{0x80000002},", 1))
    _refused(flipped, "flipped or rotated")


def test_missing_tileset_and_foreign_tileset_are_refused(written):
    (written / "platformer.tsx").unlink()
    _refused(written / "m.tmx", "its tileset platformer.tsx is not in")
    (written / "platformer.tsj").write_text(json.dumps({"tilecount": 1, "tiles": []}))
    with pytest.raises(DataError, match="no gamegen properties"):
        read_map(written / "m.tmj")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE map [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<map version="1.10" width="1" height="1" tilewidth="16" tileheight="16"><properties><property name="x" value="&d;"/></properties></map>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE map [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<map version="1.10" width="1" height="1" tilewidth="16" tileheight="16"><properties><property name="x" value="&secret;"/></properties></map>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["entity-expansion", "external-entity"])
def test_xml_entities_are_refused_not_expanded(tmp_path, text):
    path = tmp_path / "evil.tmx"
    path.write_text(text)
    _refused(path, "refused unsafe XML")
    tsx = tmp_path / "evil.tsx"
    tsx.write_text(text.replace("<map ", "<tileset ").replace("</map>", "</tileset>"))
    ok = tmp_path / "ok.tmx"
    ok.write_text('<map width="1" height="1"><tileset firstgid="1" source="evil.tsx"/></map>')
    _refused(ok, "refused unsafe XML", names="evil.tsx")


def test_unknown_extension_and_folder_are_refused(tmp_path):
    with pytest.raises(DataError, match=r"unknown extension '\.lvl'"):
        read_map(tmp_path / "x.lvl")
    (tmp_path / "d.tmx").mkdir()
    with pytest.raises(DataError, match="is a folder"):
        read_map(tmp_path / "d.tmx")
    with pytest.raises(DataError, match="no such file"):
        read_map(tmp_path / "none.tmj")


def test_a_tiled_map_saved_as_json_is_read_as_tmj(written):
    (written / "m.tmj").rename(written / "old-style.json")
    assert read_map(written / "old-style.json") == all_tiles_level()
