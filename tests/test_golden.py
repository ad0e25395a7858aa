"""Byte-for-byte golden outputs of every content kind (see ``golden_outputs.py``)."""

from __future__ import annotations

import json

import pytest
from golden_outputs import CASES, GOLDEN, run_case

EXPECTED = json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_every_case_has_a_golden_table():
    assert sorted(EXPECTED) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_bytes_as_before(name, tmp_path):
    produced = run_case(name, tmp_path / name)
    expected = EXPECTED[name]
    assert sorted(produced) == sorted(expected), f"{name}: other files than before"
    changed = [path for path in expected if produced[path] != expected[path]]
    assert not changed, f"{name}: bytes changed in {changed}"
