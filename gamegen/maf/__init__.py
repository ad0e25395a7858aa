"""The real engine as judge: the Mario AI Framework (MAF) and its A* agent, and a model of its physics.

- ``gamegen.maf.jar``: finds the MAF jar (mario-gpt 0.1.3's ``PlayAstar.jar``) and the JDK,
  and compiles our runners (``MafJudge.java``, ``MafProbe.java``) against it, once.
- ``gamegen.maf.level``: a platformer TileMap as MAF level text (``M`` start, ``F`` flag).
- ``gamegen.maf.judge``: ``judge_levels(levels) -> [JudgeResult]``, the A* agent's verdicts.
- ``gamegen.maf.movement``: Mario's per-tick physics, read from the engine's bytecode into
  ``profiles/*.json``, simulated in Python: jump arcs with momentum, reachable landings.
"""

from gamegen.maf.judge import JudgeResult, judge_levels, judge_texts
from gamegen.maf.level import to_maf_text

__all__ = ["JudgeResult", "judge_levels", "judge_texts", "to_maf_text"]
