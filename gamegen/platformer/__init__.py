"""Playability: agents that play levels, structural sanity rules, and repair."""

from gamegen.platformer.agent import PlatformerAgent, PlayResult

__all__ = ["PlatformerAgent", "PlayResult"]
