"""The shipped milestones file, its validation, and the desk that answers about milestones in the chat."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bot import commands
from bot.datafile import DataFileError
from bot.knowledge import Agreement
from bot.milestones.dates import OSLO
from bot.milestones.desk import MilestoneDesk
from bot.milestones.model import MILESTONES_FILE, load_milestones
from bot.milestones.planner import ALL
from bot.storage import Database, open_database

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=OSLO)


def test_shipped_milestones_name_the_agreements_measures_and_invent_no_date(agreement: Agreement) -> None:
    milestones = {m.id: m for m in load_milestones(agreement)}
    assert milestones["yrkesmesse"].measure_id == "1.7" and milestones["fagbrevseremoni"].measure_id == "1.8"
    assert all(m.starts_at is None and m.recurrence == "yearly" for m in milestones.values())


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [('measure: "1.7"', 'measure: "9.9"', "milestones[0].measure", "not in the agreement"),
     ("id: fagbrevseremoni", "id: yrkesmesse", "milestones[1].id", "duplicate id"),
     ("recurrence: yearly\n    date: null\n  - id: fag", "recurrence: weekly\n    date: null\n  - id: fag",
      "milestones[0].recurrence", "must be one of"),
     ("date: null\n  - id: fag", 'date: "14.10.2027"\n  - id: fag', "milestones[0].date", "expected a date")],
)  # fmt: skip
def test_loader_names_file_line_and_field(agreement: Agreement, tmp_path: Path, old: str, new: str, field: str,
                                          problem: str) -> None:  # fmt: skip
    path = tmp_path / "milestones.yaml"
    text = MILESTONES_FILE.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_milestones(agreement, path)
    assert caught.value.field == field and problem in str(caught.value) and caught.value.line


@pytest.fixture
def desk(agreement: Agreement, tmp_path: Path) -> Iterator[MilestoneDesk]:
    database: Database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    yield MilestoneDesk(agreement, load_milestones(agreement), database)
    database.close()


def test_listing_says_not_set_rather_than_inventing(desk: MilestoneDesk) -> None:
    html = desk.list_reply(NOW).html
    assert html.count("dato ikke fastsatt") == 2 and "tiltak 1.7" in html


def test_setting_a_date_and_listing_it(desk: MilestoneDesk) -> None:
    assert "torsdag 14. oktober 2027 kl. 09.00" in desk.set_date("yrkesmessa 14.10.2027", NOW).html
    html = desk.list_reply(NOW).html
    assert "torsdag 14. oktober 2027 kl. 09.00, om 319 dager" in html
    assert html.index("Regional yrkesmesse") < html.index("fag- og svennebrev")  # dated ones first


def test_bad_or_past_date_changes_nothing(desk: MilestoneDesk) -> None:
    desk.set_date("yrkesmesse 14.10.2027", NOW)
    for args in ("yrkesmesse 1.1.2020", "yrkesmesse 30.02.2027", "yrkesmesse neste uke", "yrkesmesse"):
        reply = desk.set_date(args, NOW).html
        assert "satt til" not in reply
    assert "14. oktober 2027" in desk.list_reply(NOW).html
    assert "ingen milepæl som heter «tull»" in desk.set_date("tull 14.10.2027", NOW).html


def test_add_and_remove(desk: MilestoneDesk) -> None:
    assert "er lagt til" in desk.add("karrieredag 1.7 Karrieredag for ungdomsskolene").html
    assert "finnes allerede" in desk.add("karrieredag 1.7 Igjen").html
    assert "ikke noe tiltak 9.9" in desk.add("ny 9.9 Noe").html
    assert "kan bare ha små bokstaver" in desk.add("Ny_Ting 1.7 Noe").html
    assert "Karrieredag for ungdomsskolene" in desk.list_reply(NOW).html
    assert "er fjernet" in desk.remove("karrieredag").html
    assert "Karrieredag" not in desk.list_reply(NOW).html


def test_subscribe_show_and_unsubscribe(desk: MilestoneDesk) -> None:
    assert "alle milepæler, 14 dager før, 1 dag før" in desk.subscribe(-7, "", NOW).html
    assert "har ingen dato ennå" in desk.subscribe(-7, "", NOW).html
    assert "2 timer før, 30 minutter før" in desk.subscribe(-7, "yrkesmesse 2t 30m", NOW).html
    assert "kjenner ikke enheten «x» i «2x»" in desk.subscribe(-7, "yrkesmesse 2x", NOW).html
    assert "ingen milepæl som heter" in desk.subscribe(-7, "julebord", NOW).html
    html = desk.chat_reminders(-7, NOW).html
    assert "alle milepæler: 14 dager før, 1 dag før" in html and "Regional yrkesmesse: 2 timer før" in html
    assert {s.milestone_id for s in desk.database.subscriptions(-7)} == {ALL, "yrkesmesse"}
    assert "slått av" in desk.unsubscribe(-7, "").html
    assert "abonnerer ikke" in desk.chat_reminders(-7, NOW).html


def test_when_questions(desk: MilestoneDesk) -> None:
    asked = desk.read_question("Naar er yrkesmessa?")
    assert asked.asks_when and [m.id for m in asked.named] == ["yrkesmesse"] and asked.rest == "er yrkesmessa"
    asked = desk.read_question("kva tid er seremonien")
    assert asked.asks_when and [m.id for m in asked.named] == ["fagbrevseremoni"]
    asked = desk.read_question("når åpner svømmehallen?")
    assert asked.asks_when and not asked.named and asked.rest == "åpner svømmehallen"
    asked = desk.read_question("hvilke datoer er satt for neste milepæl?")
    assert asked.asks_list and not asked.named
    for text in ("hva sier avtalen om sykkel", "yrkesmessa", "hvor er sykkelveiene?"):
        assert not desk.read_question(text).about_milestones, text
    assert desk.read_question("hvor er yrkesmessa?").about_milestones  # where a named milestone is
    for text in ("hvor mye koster yrkesmessa?", "kor mange kjem på seremonien"):  # how much, how many: not where
        assert not desk.read_question(text).about_milestones, text
    assert "Regional yrkesmesse" in "\n".join(desk.when_lines(["1.7"], NOW))
    assert desk.when_lines(["3.2"], NOW) == []


@pytest.mark.parametrize(
    ("command", "private", "chat_admin", "partnership_admin", "expected"),
    [(commands.SEARCH, False, False, False, True),
     (commands.SUBSCRIBE, True, False, False, True),  # a private chat is the user's own
     (commands.SUBSCRIBE, False, False, False, False),  # a group member who is not an admin
     (commands.SUBSCRIBE, False, True, False, True),  # a group's admins manage its subscriptions
     (commands.SUBSCRIBE, False, False, True, True),
     (commands.SET_DATE, True, False, False, False),  # private, not a partnership admin
     (commands.SET_DATE, True, False, True, True),
     (commands.SET_DATE, False, True, False, False),  # the admin of just any group does not edit shared milestones
     (commands.ADD_MILESTONE, False, True, False, False),
     (commands.REMOVE_MILESTONE, False, True, False, False),
     (commands.SET_DATE, False, True, True, True),
     (commands.SET_DATE, False, False, False, False),
     (commands.REMINDERS, False, False, False, True)],
)  # fmt: skip
def test_permissions(command: commands.Command, private: bool, chat_admin: bool, partnership_admin: bool,
                     expected: bool) -> None:  # fmt: skip
    allowed = commands.allowed(
        command, private=private, is_chat_admin=chat_admin, is_partnership_admin=partnership_admin
    )
    assert allowed is expected
