"""Button data is a stored protocol: what the bot sent months ago must still mean the same when pressed."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import callbacks
from bot.assistant import Assistant
from bot.callbacks import (
    AddToCalendar,
    CallbackDataError,
    Contents,
    MoreByIds,
    MoreForQuery,
    ShowArea,
    ShowMeasure,
    StatisticsPage,
)

# Data exactly as earlier versions of the bot wrote it into messages, and what a press on it asks for.
SENT_BY_EARLIER_VERSIONS = [
    ("c", Contents()),
    ("m:3.2", ShowMeasure("3.2")),
    ("m:2.1.A", ShowMeasure("2.1.A")),
    ("a:3", ShowArea("3")),
    ("q:3:samarbeid", MoreForQuery(3, "samarbeid")),
    ("q:6:hva med sykkel: og buss?", MoreForQuery(6, "hva med sykkel: og buss?")),
    ("h:3.4,3.6,1.8", MoreByIds(("3.4", "3.6", "1.8"))),
    ("k:yrkesmesse", AddToCalendar("yrkesmesse")),
    ("st:d:20261031:20261130:1", StatisticsPage("d", date(2026, 10, 31), date(2026, 11, 30), 1)),
    ("st:y:20260101:20270101:0", StatisticsPage("y", date(2026, 1, 1), date(2027, 1, 1), 0)),
]


@pytest.mark.parametrize(("data", "action"), SENT_BY_EARLIER_VERSIONS)
def test_old_buttons_keep_their_meaning(data: str, action: callbacks.Action) -> None:
    assert callbacks.parse(data) == action


def test_the_constructors_write_the_same_bytes_as_ever() -> None:
    assert callbacks.contents() == "c"
    assert callbacks.measure("2.1.A") == "m:2.1.A"
    assert callbacks.area("3") == "a:3"
    assert callbacks.more("samarbeid", 3, ["3.4", "3.6"]) == "q:3:samarbeid"
    assert callbacks.more(None, 3, ["3.4", "3.6", "1.8"]) == "h:3.4,3.6,1.8"
    assert callbacks.calendar("yrkesmesse") == "k:yrkesmesse"
    assert callbacks.statistics("w", date(2026, 11, 23), date(2026, 11, 30), 2) == "st:w:20261123:20261130:2"


def test_a_question_too_long_for_64_bytes_pages_by_as_many_ids_as_fit() -> None:
    query = "samarbeid om sykkel og trafikksikkerhet og kollektivtilbudet i regionen"
    ids = [f"{area}.{number}" for area in (1, 2, 3) for number in range(1, 12)]
    data = callbacks.more(query, 3, ids)
    assert data.startswith("h:") and len(data.encode()) <= 64
    parsed = callbacks.parse(data)
    assert isinstance(parsed, MoreByIds) and list(parsed.ids) == ids[: len(parsed.ids)]
    assert len(f"{data},{ids[len(parsed.ids)]}".encode()) > 64  # no room for the next id


def test_the_64_byte_limit_is_checked_where_data_is_made() -> None:
    with pytest.raises(CallbackDataError, match="1–64 bytes"):
        callbacks.measure("ø" * 40)
    with pytest.raises(CallbackDataError):
        callbacks.check("")
    assert callbacks.check("x" * 64) == "x" * 64


@pytest.mark.parametrize("data", ["", "x", "m:", "a:", "q:1", "q:abc:sykkel", "q:1:", "h:", "z:3.2"])
def test_data_the_bot_never_made_means_nothing(data: str) -> None:
    assert callbacks.parse(data) is None


@given(st.text(max_size=80))
def test_any_data_parses_without_error(data: str) -> None:
    callbacks.parse(data)


def test_old_buttons_still_show_the_same_replies(assistant: Assistant) -> None:
    """After a restart (a new assistant), each old button shows what it showed."""
    restarted = Assistant(assistant.agreement, assistant.index, assistant.desk)
    assert restarted.on_button("c").html == restarted.contents().html
    assert restarted.on_button("m:3.2").html.startswith("<b>Tiltak 3.2</b>")
    assert restarted.on_button("a:3").html == restarted.area("3").html
    assert restarted.on_button("q:3:samarbeid").html == restarted.answer("samarbeid", 3).reply.html
    assert "Tiltak 3.4" in restarted.on_button("h:3.4,3.6").html
