"""Golden outputs: fixed command lines of every content kind and the sha256 of every file they write.

The table ``golden/sha256.json`` was taken before the architecture change of
issue 17 (one Generator protocol, one request path, the new layout); the test
``test_golden.py`` runs the same command lines and compares byte for byte.

A deliberate change of output (a retrained model, a new format version) refreshes
the table with ``python -m tests.golden_outputs`` and says why in its commit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "sha256.json"

# name → the arguments of one ``gamegen`` call; ``{out}`` is the case's own folder.
CASES: dict[str, list[str]] = {
    "platformer-gan": ["generate", "platformer-gan", "--seed", "3", "--count", "2", "--width", "60",
                       "--format", "tmx,tmj,json,png,txt", "--contact-sheet", "--out", "{out}"],
    "platformer-gan-raw": ["generate", "platformer-gan", "--seed", "5", "--count", "2", "--width", "200", "--raw",
                           "--format", "txt", "--out", "{out}"],
    "platformer-gan-target": ["generate", "platformer-gan", "--seed", "9", "--width", "60",
                              "--target", "density=0.2,linearity=0.8", "--format", "txt", "--out", "{out}"],
    "platformer-segment-gan": ["generate", "platformer-segment-gan", "--seed", "3", "--count", "2", "--width", "90",
                               "--format", "txt,json", "--out", "{out}"],
    "dungeon-vae": ["generate", "dungeon-vae", "--seed", "1", "--count", "2", "--format", "txt,tmx,png", "--out", "{out}"],
    "dungeon-vae-rooms": ["generate", "dungeon-vae", "--seed", "4", "--rooms", "5", "--format", "txt,json", "--out", "{out}"],
    "sprite-gan": ["generate", "sprite-gan", "--seed", "1", "--count", "8", "--format", "sheet,png", "--out", "{out}"],
    "sprite-gan-palette": ["generate", "sprite-gan", "--seed", "2", "--count", "4", "--palette", "pico8",
                           "--category", "item", "--out", "{out}"],
    "sprite-vae": ["generate", "sprite-vae", "--seed", "1", "--count", "6", "--out", "{out}"],
    "names-lstm": ["generate", "names-lstm", "--seed", "1", "--count", "10", "--out", "{out}"],
    "names-lstm-place": ["generate", "names-lstm", "--seed", "2", "--count", "8", "--kind", "place",
                         "--temperature", "0.8", "--top-k", "6", "--out", "{out}"],
    "overworld": ["generate", "overworld", "--seed", "42", "--count", "2", "--width", "64", "--height", "48",
                  "--format", "tmx,txt,png,minimap", "--out", "{out}"],
    "world": ["world", "--seed", "3", "--size", "64", "--out", "{out}", "--quiet"],
}


def run_case(name: str, out: Path) -> dict[str, str]:
    """Run one case into ``out`` (new) → {relative path: sha256} of every file it wrote."""
    from gamegen.cli.commands import main

    args = [a.replace("{out}", str(out)) for a in CASES[name]]
    code = main(args)
    if code != 0:
        raise AssertionError(f"gamegen {' '.join(args)} exited {code}")
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.rglob("*")) if p.is_file()}


def write_table(scratch: Path) -> None:
    table = {name: run_case(name, scratch / name) for name in CASES}
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        write_table(Path(tmp))
    print(f"wrote {GOLDEN}")
