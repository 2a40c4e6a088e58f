"""The replies, as both the Telegram bot and the terminal chat send them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.assistant import Assistant
from bot.conversation import respond_to_text
from bot.milestones.dates import OSLO
from bot.milestones.desk import MilestoneDesk
from bot.milestones.model import load_milestones
from bot.render import Reply
from bot.storage import open_database

from .html_check import telegram_html_errors


def buttons(reply: Reply) -> list[str]:
    return [button.data for row in reply.buttons for button in row]


def assert_sendable(reply: Reply) -> None:
    assert telegram_html_errors(reply.html) == [], reply.html
    assert all(1 <= len(data.encode()) <= 64 for data in buttons(reply))


def test_answer_shows_numbers_area_and_marked_text(assistant: Assistant) -> None:
    answer = assistant.answer("hva sier avtalen om sykkel?")
    assert answer.answered and answer.top_id in {"3.2", "3.3", "3.8"}
    for measure_id in ("3.2", "3.3", "3.8"):
        assert f"Tiltak {measure_id}</b>" in answer.reply.html
    assert "#lavereklimautslipp" in answer.reply.html and "<b>sykkel</b>" in answer.reply.html
    assert "a:3" in buttons(answer.reply)
    assert_sendable(answer.reply)


def test_no_answer_says_so_and_offers_browsing(assistant: Assistant) -> None:
    answer = assistant.answer("barnehageplass")
    assert not answer.answered and answer.top_id is None
    assert "finner ikke noe om <i>barnehageplass</i>" in answer.reply.html
    assert buttons(answer.reply) == ["c"]


def test_no_answer_suggests_close_spellings(assistant: Assistant) -> None:
    reply = assistant.answer("askm").reply  # too short for typo tolerance, close enough for a suggestion
    assert not assistant.index.search("askm")
    assert "Mente du" in reply.html and "<i>askim</i>" in reply.html


def test_more_results_page_through_and_survive_a_restart(assistant: Assistant, index: object) -> None:
    first = assistant.answer("samarbeid")
    more = [data for data in buttons(first.reply) if data.startswith("q:")]
    assert more == ["q:3:samarbeid"]
    # A new assistant (a restarted bot) answers the same button the same way.
    restarted = Assistant(assistant.agreement, assistant.index)
    second = restarted.on_button(more[0])
    assert "Flere treff" in second.html and second.html != first.reply.html
    assert_sendable(second)
    # Paging on goes forward, never back to a page already shown.
    seen, data = [first.reply.html], more[0]
    while data:
        page = assistant.on_button(data)
        assert page.html not in seen
        seen.append(page.html)
        data = next((d for d in buttons(page) if d.startswith("q:")), "")
    assert len(seen) == 1 + -(-len(assistant.index.search("samarbeid")[3:]) // 3)
    assert "ingen flere treff" in assistant.on_button("q:99:samarbeid").html


def test_long_query_pages_by_ids(assistant: Assistant) -> None:
    query = "samarbeid om sykkel og trafikksikkerhet og kollektivtilbudet og togtilbudet i regionen"
    data = [d for d in buttons(assistant.answer(query).reply) if d[:2] in {"q:", "h:"}]
    assert data and data[0].startswith("h:") and len(data[0].encode()) <= 64
    page = assistant.on_button(data[0])
    assert "Tiltak" in page.html


def test_long_measure_text_is_cut_with_a_read_all_button(assistant: Assistant) -> None:
    reply = assistant.answer("næringshage").reply  # 2.2 is the longest measure
    assert "m:2.2" in buttons(reply) and "…" in reply.html
    full = assistant.on_button("m:2.2")
    assert "som verktøy for regional utvikling." in full.html


def test_measure_by_number_and_unknown_number(assistant: Assistant) -> None:
    assert respond_to_text(assistant, "3.2", "bot").html.startswith("<b>Tiltak 3.2</b>")
    assert respond_to_text(assistant, "/tiltak 2.1 b", "bot").html.startswith("<b>Tiltak 2.1.B</b>")
    assert "ikke noe tiltak 9.9" in respond_to_text(assistant, "/tiltak 9.9", "bot").html
    assert "/tiltak 3.2" in respond_to_text(assistant, "/tiltak", "bot").html


def test_browsing(assistant: Assistant) -> None:
    contents = assistant.contents()
    assert buttons(contents) == ["a:1", "a:2", "a:3"]
    area = assistant.on_button("a:3")
    assert "m:3.8" in buttons(area) and "Kunnskapsgrunnlag" in area.html
    assert "Bærekraftsmål 11" in area.html
    for reply in (contents, area, assistant.about(), assistant.help("partnerbot"), assistant.welcome()):
        assert_sendable(reply)


def test_about_names_parties_period_and_parts(assistant: Assistant) -> None:
    html = assistant.about().html
    for fact in ("Indre Østfold regionråd", "Viken fylkeskommune", "2022-2023", "generell", "spesiell"):
        assert fact in html


def test_deep_links(assistant: Assistant) -> None:
    assert assistant.welcome("m3-2").html.startswith("<b>Tiltak 3.2</b>")
    assert assistant.welcome("a2").html.startswith("<b>Innsatsområde 2")
    assert "Hei!" in assistant.welcome("tull").html


def test_stale_or_forged_buttons(assistant: Assistant) -> None:
    for data in ("x", "q:abc:", "h:9.9", "m:", "q:1"):
        assert_sendable(assistant.on_button(data))


def test_inline(assistant: Assistant) -> None:
    assert [a.id for a in assistant.inline("")] == ["a:1", "a:2", "a:3"]
    articles = assistant.inline("sykkel")
    assert {"m:3.2", "m:3.3", "m:3.8"} <= {a.id for a in articles}
    assert all(a.title and a.description and not telegram_html_errors(a.html) for a in articles)
    assert assistant.inline("barnehageplass") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_sendable_reply(assistant: Assistant, text: str) -> None:
    reply = respond_to_text(assistant, text, "bot")
    assert_sendable(reply)


def test_when_questions_answer_with_the_milestone(assistant: Assistant, tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    desk = MilestoneDesk(assistant.agreement, load_milestones(assistant.agreement), database)
    now = datetime(2026, 11, 29, 12, 0, tzinfo=OSLO)
    with_desk = Assistant(assistant.agreement, assistant.index, desk, clock=lambda: now)
    html = with_desk.answer("når er yrkesmessa?").reply.html
    assert "Regional yrkesmesse</b> (tiltak 1.7) · dato ikke fastsatt" in html and "Tiltak 1.7</b>" in html
    desk.set_date("yrkesmesse 14.10.2027 kl. 10.00", now)
    html = with_desk.answer("når er yrkesmessa?").reply.html
    assert "torsdag 14. oktober 2027 kl. 10.00, om 319 dager" in html
    assert "Når?" not in with_desk.answer("yrkesmessa").reply.html  # not asked when: no date block
    database.close()


def test_greetings_and_filler_get_a_pointer_not_a_failure(assistant: Assistant) -> None:
    for text in ("hei", "Takk!", "hva sier avtalen?", "kva seier avtala"):
        answer = assistant.answer(text)
        assert not answer.answered and "Skriv hva du vil vite" in answer.reply.html, text
    assert "avtalen om <i>sykkel</i>:" in assistant.answer("hva sier avtalen om sykkel?").reply.html
