"""Shared fixtures: the shipped knowledge, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.knowledge import Agreement, load_agreement
from bot.search import SearchIndex, build_index

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
DATA_DIR = TESTS_DIR / "data"


@pytest.fixture(scope="session")
def agreement() -> Agreement:
    return load_agreement()


@pytest.fixture(scope="session")
def index(agreement: Agreement) -> SearchIndex:
    return build_index(agreement)


@pytest.fixture(scope="session")
def assistant(agreement: Agreement, index: SearchIndex) -> Assistant:
    return Assistant(agreement, index)
