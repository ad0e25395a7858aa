"""Vocabulary as data, and the TileMap's lossless corpus text form."""

import json

import numpy as np
import pytest

from gamegen import InvalidRequest, TileMap, load_vocabulary
from gamegen.corpus import PLATFORMER_GAMES


def test_platformer_vocabulary_is_the_corpus_legend(data_dir):
    legend = json.loads((data_dir / "vglc" / "Super Mario Bros" / "smb.json").read_text())["tiles"]
    vocab = load_vocabulary("platformer")
    assert len(vocab) == 13
    assert {t.symbol for t in vocab.tiles} == set(legend)
    for tile in vocab.tiles:
        corpus_tags = set(legend[tile.symbol])
        # Our tags are a normalised reading of the legend's: each solid/passable/enemy claim agrees.
        assert ("solid" in tile.tags) == ("solid" in corpus_tags), tile
        assert ("enemy" in tile.tags) == ("enemy" in corpus_tags), tile
        assert ("collectible" in tile.tags) == ("collectable" in corpus_tags), tile
        assert ("pipe" in tile.tags) == ("pipe" in corpus_tags), tile
        assert ("cannon" in tile.tags) == ("cannon" in corpus_tags), tile


def test_tags_give_masks():
    vocab = load_vocabulary("platformer")
    grid = vocab.encode(["-E<>", "X-[]"])
    solid = vocab.mask("solid")[grid]
    assert solid.tolist() == [[False, False, True, True], [True, False, True, True]]
    assert vocab.ids_with("enemy") == [vocab.by_symbol("E").id]


def test_every_corpus_file_round_trips_losslessly(data_dir):
    files = [p for game in PLATFORMER_GAMES.values() for p in sorted((data_dir / "vglc" / game / "Processed").glob("*.txt"))]
    assert len(files) == 37
    for path in files:
        text = path.read_text(encoding="ascii")
        assert TileMap.from_text(text).to_text() == text, path.name


@pytest.mark.parametrize(
    "text, message",
    [
        ("--x\n---\n", "symbol 'x' at row 0, column 2"),
        ("---\n--\n", "row 1 has 2 tiles"),
        ("", "at least one row"),
        ("-é-\n", "ASCII"),
    ],
)
def test_bad_text_is_refused_in_one_line(text, message):
    with pytest.raises(InvalidRequest) as info:
        TileMap.from_text(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_ids_outside_the_vocabulary_are_refused():
    with pytest.raises(InvalidRequest, match="tile id 13 is outside"):
        TileMap(np.full((2, 2), 13), load_vocabulary("platformer"))
    with pytest.raises(InvalidRequest, match="integer tile ids"):
        TileMap(np.zeros((2, 2), dtype=float), load_vocabulary("platformer"))


def test_unknown_vocabulary():
    with pytest.raises(InvalidRequest, match="unknown vocabulary 'klingon'"):
        load_vocabulary("klingon")
