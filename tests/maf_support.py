"""Shared by the tests/test_maf_*.py files: the real engine must be there (and in CI it must)."""

from __future__ import annotations

import os

import pytest

from gamegen.errors import JudgeUnavailable


def require_maf():
    """The MAF runtime; in CI (CI=true) a missing jar or JDK fails the test loudly instead of skipping it."""
    from gamegen.maf.jar import runtime

    try:
        return runtime()
    except JudgeUnavailable as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI needs the Mario AI Framework judge: {exc}")
        pytest.skip(str(exc))


def flat_level(width: int = 60, ground_row: int = 10, rows: int = 14, start: int = 2) -> str:
    """MAF text: ground from ``ground_row`` down, Mario on column ``start``, the flag at the right edge."""
    lines = []
    for r in range(rows):
        row = ["X" if r >= ground_row else "-"] * width
        if r == ground_row - 1:
            row[start], row[-1] = "M", "F"
        lines.append("".join(row))
    return "\n".join(lines) + "\n"
