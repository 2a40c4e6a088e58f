"""Shared fixtures: the shipped knowledge, loaded once per test session, and a fresh database of each kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.knowledge import Agreement, load_agreement
from bot.milestones.desk import MilestoneDesk
from bot.milestones.model import load_milestones
from bot.search import SearchIndex, build_index
from bot.storage import Database, open_database

from .storage_urls import database_url

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
    """Over an in-memory database that no test changes (tests that change milestones make their own)."""
    desk = MilestoneDesk(agreement, load_milestones(agreement), open_database("sqlite:///:memory:"))
    return Assistant(agreement, index, desk)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with database_url(request.param, tmp_path) as url:
        database = open_database(url)
        yield database
        database.close()
