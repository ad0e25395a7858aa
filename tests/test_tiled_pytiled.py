"""An independent parser, pytiled-parser, reads our TMX and TMJ maps: every tile id, tile class and property."""

from __future__ import annotations

import pytest
from exporters_samples import all_tiles_level, corpus_level

from gamegen.exporters import _tiled as T
from gamegen.exporters import parse_formats
from gamegen.exporters.objects import objects_for
from gamegen.exporters.tileart import BACKGROUND, TILE
from gamegen.output.batch import export_to_folder

pytiled_parser = pytest.importorskip("pytiled_parser", reason="pytiled-parser is in the dev extra: pip install -e '.[dev]'")


def _expected_tile_properties(vocabulary, tile_id):
    return {name: value for name, _, value in T.tile_properties(vocabulary, tile_id)}


@pytest.mark.parametrize("spec", ["tmx", "tmx:zlib", "tmx:embed", "tmj", "tmj:zlib", "tmj:zlib:embed"])
def test_pytiled_parser_recovers_every_tile_and_property(tmp_path, spec):
    exporter = parse_formats(spec)[0]
    for stem, level in {"all": all_tiles_level(seed=2**40), "smb": corpus_level(4, columns=90)}.items():
        export_to_folder([(stem, level)], [exporter], tmp_path)
        parsed = pytiled_parser.parse_map(tmp_path / f"{stem}.{exporter.extension}")

        assert (parsed.map_size.width, parsed.map_size.height) == (level.width, level.height)
        assert tuple(parsed.background_color) == BACKGROUND
        assert parsed.properties == {name: value for name, _, value in T.provenance_properties(level.provenance)}

        tiles, objects = parsed.layers
        assert tiles.data == T.level_gids(level).tolist()  # every gid, empty = 0

        (firstgid, tileset), = parsed.tilesets.items()
        assert firstgid == T.FIRSTGID and tileset.tile_count == len(level.vocabulary)
        assert tileset.properties == {"description": level.vocabulary.description, "empty": level.vocabulary.empty_id, "vocabulary": "platformer"}
        assert tileset.image.name == "platformer-tileset.png" and (tileset.tile_width, tileset.tile_height) == (TILE, TILE)
        for tile in level.vocabulary.tiles:
            parsed_tile = tileset.tiles[tile.id]
            assert parsed_tile.class_ == tile.name
            assert parsed_tile.properties == _expected_tile_properties(level.vocabulary, tile.id)
            assert parsed_tile.properties["solid"] if "solid" in tile.tags else "solid" not in parsed_tile.properties

        markers = [(o.name, o.coordinates.x // TILE, o.coordinates.y // TILE) for o in objects.tiled_objects]
        assert markers == [(o["name"], o["x"], o["y"]) for o in objects_for(level)]
