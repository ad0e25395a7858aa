"""``gamegen eval MODEL --judge maf``: shipped levels played by the real engine, beside gamegen's own verdict.

    gamegen eval platformer-gan --n 200 --judge maf [--judge-n 40] [--mario small|big] [--out DIR]

The real engine is the Mario AI Framework with Robin Baumgarten's A* agent
(``gamegen.maf``). It judges the first ``judge_n`` shipped (repaired) levels of
an evaluation, and once the 15 Super Mario Bros levels of the corpus, so its
figures read against the levels the engine was made for. gamegen's own agent
plays the same levels; ``agreement`` is the share where its ``finishable``
equals the engine's win. Judging costs seconds a level (the agent searches
40 ms of CPU a tick), hence ``judge_n`` defaults to ``min(n, DEFAULT_JUDGE_N)``.
"""

from __future__ import annotations

import time
from collections import Counter

from gamegen.corpus import load_platformer_corpus
from gamegen.errors import InvalidRequest
from gamegen.maf import judge_levels
from gamegen.maf.jar import runtime
from gamegen.maf.judge import BUDGET_MS, MODES, MS_PER_COLUMN

__all__ = ["DEFAULT_JUDGE_N", "TARGET_WIN_RATE", "JUDGES", "check_judge", "judge_settings", "judge_summary", "judge_corpus", "judge_generator"]

JUDGES = ("maf",)
DEFAULT_JUDGE_N = 200
TARGET_WIN_RATE = 0.95  # issue 18: shipped levels the real engine's A* wins; tests/test_maf_eval.py holds the product to it
AGENT = "Robin Baumgarten's A* (Mario AI Framework, mario-gpt 0.1.3 PlayAstar.jar)"


def check_judge(judge: str, mode: str) -> None:
    """Raise before a long run: InvalidRequest for an unknown judge or mode, JudgeUnavailable without jar or JDK."""
    if judge not in JUDGES:
        raise InvalidRequest(f"the judge is one of {', '.join(JUDGES)}, got {judge!r}")
    if mode not in MODES:
        raise InvalidRequest(f"Mario's mode is one of {', '.join(MODES)}, got {mode!r}")
    runtime()  # finds the jar and java, and compiles the runner once: its errors name what to install


def judge_settings(mode: str) -> dict:
    """What the verdicts depend on, stated beside them (a win at 40 ms a tick may be a loss at 20)."""
    return {"judge": "maf", "agent": AGENT, "mario": mode, "cpu_ms_per_tick": BUDGET_MS,
            "game_seconds_per_column": MS_PER_COLUMN / 1000}


def judge_summary(results, own_finishable: list[bool] | None = None) -> dict:
    """Win rate and causes of losses of JudgeResults; with gamegen's verdicts, its rate and the agreement."""
    n = len(results)
    won = sum(r.won for r in results)
    summary = {"judged": n, "won": won, "win_rate": round(won / n, 4) if n else None,
               "loss_causes": dict(sorted(Counter(r.cause or r.status for r in results if not r.won).items())),
               "mean_completion": round(sum(r.completion for r in results) / n, 4) if n else None}
    if own_finishable is not None:
        agree = sum(own == r.won for own, r in zip(own_finishable, results))
        summary["own_finishable_rate"] = round(sum(own_finishable) / n, 4) if n else None
        summary["agreement"] = round(agree / n, 4) if n else None
    return summary


def judge_corpus(data_dir=None, mode: str = "small", workers: int | None = None) -> dict:
    """The 15 Super Mario Bros levels of the corpus judged once: the engine's own yardstick."""
    corpus = load_platformer_corpus(data_dir, games=("smb",))
    results = judge_levels([c.level for c in corpus], mode=mode, workers=workers)
    summary = judge_summary(results)
    summary["lost"] = [c.name for c, r in zip(corpus, results) if not r.won]
    return summary


def judge_generator(generator, n: int, width: int = 200, first_seed: int = 0, mode: str = "small",
                    workers: int | None = None, data_dir=None, corpus: bool = True) -> dict:
    """The first ``n`` shipped levels (seeds first_seed, …) judged, with gamegen's own verdict beside.

    Keys starting with ``_`` (the levels and results, for pictures) stay out of JSON and cards.
    """
    started = time.perf_counter()
    levels = generator.generate_batch(list(range(first_seed, first_seed + n)), width=width)
    own = [generator.play(level).finishable for level in levels]
    results = judge_levels(levels, mode=mode, workers=workers)
    out = {"settings": judge_settings(mode), "seeds": [first_seed, first_seed + n - 1], "width": width,
           **judge_summary(results, own), "lost_seeds": [first_seed + i for i, r in enumerate(results) if not r.won],
           "seconds": round(time.perf_counter() - started, 1)}
    if corpus:
        out["corpus_smb"] = judge_corpus(data_dir, mode, workers)
    out["_levels"], out["_results"] = levels, results
    return out
