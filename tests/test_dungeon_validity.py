"""Validity, 100%: 1,000 seeds of 12-room dungeons, every one proved by the reachability search.

The count can be raised with GAMEGEN_DUNGEON_SEEDS (the card's figure is the
same check, run by the trainer on the shipped model).
"""

from __future__ import annotations

import json
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


def test_eval_command_runs_the_same_check(run_cli, tmp_path):
    code, _out, err = run_cli("eval", "dungeon-vae", "--n", "3", "--seed", "10", "--json", tmp_path / "eval.json")
    assert code == 0, err
    result = json.loads((tmp_path / "eval.json").read_text())
    assert result["validity"]["valid"] == 3 and result["validity"]["seeds"] == "10-12" and result["rooms"]["rooms"] == 3
    code, _, err = run_cli("eval", "dungeon-vae", "--n", "3", "--out", tmp_path / "plots")
    assert code == 2 and "not apply" in err
