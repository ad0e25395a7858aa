"""The world pack: an overworld with towns and entrances, a level or dungeon per entrance, sprites and names.

    >>> from gamegen.world import build_world_pack
    >>> index = build_world_pack(42, "out/world")       # the pack's world.json, as a dict
"""

from gamegen.world.pack import DEFAULT_SIZE, build_world_pack

__all__ = ["DEFAULT_SIZE", "build_world_pack"]
