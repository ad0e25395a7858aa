"""Validity, 100%: 1,000 seeds of 12-room dungeons, every one proved by the reachability search.

The count can be raised with GAMEGEN_DUNGEON_SEEDS (the card's figure is the
same check, run by the trainer on the shipped model).
"""

from __future__ import annotations

import os

import gamegen
from gamegen.dungeon.quality import validity

SEEDS = int(os.environ.get("GAMEGEN_DUNGEON_SEEDS", "1000"))


def test_every_dungeon_of_1000_seeds_is_valid():
    gen = gamegen.load("dungeon-vae", providers=["CPUExecutionProvider"], threads=1)
    result = validity(gen, n=SEEDS, rooms=12)
    assert result["valid"] == SEEDS, f"invalid seeds: {result['invalid_seeds']}"


def test_card_records_the_same_check():
    card = gamegen.load("dungeon-vae").card.data
    checked = card["metrics"]["validity"]
    assert checked["dungeons"] >= 1000 and checked["valid_share"] == 1.0
