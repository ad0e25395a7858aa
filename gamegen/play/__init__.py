"""Playability: agents that play levels, structural sanity rules, and repair."""

from .platformer import PlatformerAgent, PlayResult

__all__ = ["PlatformerAgent", "PlayResult"]
