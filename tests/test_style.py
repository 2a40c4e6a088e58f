"""ruff (lint and format) and mypy are part of the test suite, so CI fails on them like on any test."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO_DIR


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "bot", "tests"],
        ["ruff", "format", "--check", "bot", "tests"],
        ["mypy", "bot"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_is_clean(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", *command], cwd=REPO_DIR, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
