"""Dungeons: rooms cut from the Zelda corpus, graph statistics, plans, assembly and quality (numpy only).

* ``rooms``: the on-screen room shape (11 x 16, door slots), the corpus cut and its checks;
* ``graphs``: the corpus dungeon graphs and the statistics assembly draws from;
* ``layout``: the seeded plan of a dungeon (grid, doors, boss, locks and keys);
* ``assembly``: rooms joined inside, laid out as one tile map with the room graph (``Dungeon``);
* ``quality``: the measures in the model card.

Reachability lives in ``gamegen.dungeon.play``; the generator in ``gamegen.dungeon.generator``.
"""

from gamegen.dungeon.assembly import Dungeon

__all__ = ["Dungeon"]
