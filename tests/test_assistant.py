"""The replies, as both the Telegram bot and the terminal chat send them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import commands, texts
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
    restarted = Assistant(assistant.agreement, assistant.index, assistant.desk)
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
    for text in ("hei", "Hallo!", "god morgen"):
        answer = assistant.answer(text)
        assert not answer.answered and answer.reply.html.startswith("Hei! Skriv hva du vil vite"), text
    for text in ("ok", "?", "hva med"):
        answer = assistant.answer(text)
        assert not answer.answered and answer.reply.html.startswith("Skriv hva du vil vite"), text
    assert "avtalen om <i>sykkel</i>:" in assistant.answer("hva sier avtalen om sykkel?").reply.html


def test_asking_what_the_agreement_says_at_all_gets_the_overview(assistant: Assistant) -> None:
    for text in ("hva sier avtalen?", "kva seier avtala", "hva handler avtalen om?", "partnerskapsavtalen"):
        answer = assistant.answer(text)
        assert answer.reply.html == assistant.about().html, text


# -- the conversation around the search ---------------------------------------------------------------------
def dated_assistant(assistant: Assistant, tmp_path: Path) -> tuple[Assistant, datetime]:
    """An assistant over a database of its own, with the yrkesmesse set to 14 October 2027."""
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    desk = MilestoneDesk(assistant.agreement, load_milestones(assistant.agreement), database)
    now = datetime(2026, 11, 29, 12, 0, tzinfo=OSLO)
    desk.set_date("yrkesmesse 14.10.2027 kl. 10.00", now)
    return Assistant(assistant.agreement, assistant.index, desk, clock=lambda: now), now


def test_when_questions_in_every_spelling_name_the_date(assistant: Assistant, tmp_path: Path) -> None:
    dated, _ = dated_assistant(assistant, tmp_path)
    fair = "Regional yrkesmesse</b> (tiltak 1.7) · torsdag 14. oktober 2027 kl. 10.00, om 319 dager"
    for text in (
        "når er yrkesmessa?", "naar er yrkesmessa?", "nar er yrkesmessen", "kva tid er yrkesmessa?",
        "kor tid er messa", "hvor lenge til yrkesmessa?", "kva tid blir det yrkesmesse?",
    ):  # fmt: skip
        answer = dated.answer(text)
        assert answer.answered and fair in answer.reply.html, text
        assert answer.top_id == "1.7" and "Tiltak 1.7</b>" in answer.reply.html, text
    ceremony = "Felles seremoni for fag- og svennebrev</b> (tiltak 1.8) · dato ikke fastsatt"
    for text in ("kor tid er fagbrevseremonien?", "når er seremonien", "naar er utdelingen av fagbrev", "når er "
                 "svennebrevseremonien"):  # fmt: skip
        answer = dated.answer(text)
        assert ceremony in answer.reply.html and "Tiltak 1.8</b>" in answer.reply.html, text
        assert fair not in answer.reply.html, text


def test_a_question_for_a_date_gets_the_milestone_not_the_agreements_words(
    assistant: Assistant, tmp_path: Path
) -> None:
    """The agreement holds no dates: "hvilken dato er yrkesmessa i år?" is answered by the milestone alone, and
    the measure is a button away (`ask --json` shows no part of the agreement, as nothing in it answers)."""
    dated, _ = dated_assistant(assistant, tmp_path)
    fair = "Regional yrkesmesse</b> (tiltak 1.7) · torsdag 14. oktober 2027 kl. 10.00, om 319 dager"
    for text in (
        "Dato for yrkesmessa", "hvilken dato er karrieremessen?", "når blir messa i år?", "tidspunkt for yrkesmessene",
        "når er årets yrkesmesse, og hvor holdes den?", "kva dag er yrkesmessa 2027?",
    ):  # fmt: skip
        answer = dated.answer(text)
        assert answer.answered and fair in answer.reply.html, text
        assert not answer.hits and "Tiltak 1.7</b>" not in answer.reply.html, text
        assert "Avtalen selv gir ingen dato" in answer.reply.html, text
        labels = [button.text for row in answer.reply.buttons for button in row]
        assert "Les hele 1.7" in labels and any("Legg i kalender" in label for label in labels), text
    said = dated.answer("hvilken dato er yrkesmessa, og hva sier avtalen om den?")  # asks for its words too
    assert [hit.id for hit in said.hits][:1] == ["1.7"] and fair in said.reply.html


def test_questions_for_the_dates_get_the_milestone_list(assistant: Assistant, tmp_path: Path) -> None:
    dated, now = dated_assistant(assistant, tmp_path)
    listing = dated.desk.list_reply(now).html
    for text in ("datoer", "neste milepæl", "når er neste milepæl?", "Milepæler", "milepaeler", "hvilke datoer er "
                 "satt?", "kalender", "kva er dei neste milepælane?", "/milepæler", "/Milepæler", "/milepaeler"):  # fmt: skip
        assert respond_to_text(dated, text, "bot").html == listing, text


def test_when_words_without_a_milestone_still_search_the_rest(assistant: Assistant) -> None:
    answer = assistant.answer("når skal ring 4 utvikles?")
    assert answer.top_id == "3.7" and texts.NO_DATE in answer.reply.html  # said, not left to guess
    assert answer.reply.html.index(texts.NO_DATE) < answer.reply.html.index("3.7")
    answer = assistant.answer("naar aapner sykehuset?")
    assert not answer.answered and "Du spør: <i>naar aapner sykehuset?</i>" in answer.reply.html  # a time asked


def test_milestone_commands_accept_aliases_and_inflections(assistant: Assistant, tmp_path: Path) -> None:
    dated, _ = dated_assistant(assistant, tmp_path)
    for name, title in (("messa", "Regional yrkesmesse"), ("seremonien", "Felles seremoni"), ("YRKESMESSE",
                        "Regional yrkesmesse"), ("fagbrevseremonien", "Felles seremoni")):  # fmt: skip
        found = dated.desk.find(name)
        assert found is not None and found.title.startswith(title), name
    assert dated.desk.find("messinstrument") is None


def test_questions_about_the_agreement_itself(assistant: Assistant) -> None:
    period = "Avtalen gjelder for perioden <b>2022-2023</b>"
    for text in ("hvor lenge varer avtalen?", "hvilken periode?", "når gjelder avtalen?", "Hvor lenge gjelder "
                 "partnerskapsavtalen", "når utløper avtala", "hvilket år gjelder avtalen for?", "varighet",
                 "hvor lenge varer avtalne?", "hvilken periode gjelder partnerskapsavtlaen"):  # fmt: skip
        answer = assistant.answer(text)
        assert answer.reply.html.startswith(period), text
        assert [hit.id for hit in answer.hits] == ["innledning"], text
    parties = "Partene i avtalen er <b>Indre Østfold regionråd (IØR) og Viken fylkeskommune (Viken)</b>"
    for text in ("hvem er partene i avtalen?", "Hvem er partene?", "kven er partane i avtala", "hvilke parter er "
                 "med?", "hvem står bak avtalen", "hvem har inngått avtalen?", "kæm er partane", "hvem er med i "
                 "avtalen?", "hvem er pratene i avtalen", "hvem er parterne?", "hvem er fylkeskommunen i denne "
                 "avtalen?"):  # fmt: skip
        answer = assistant.answer(text)
        assert answer.reply.html.startswith(parties), text
        assert "partene er likeverdige" in answer.reply.html, text
        assert [hit.id for hit in answer.hits] == ["innledning", "likeverdige-parter"], text
    # Who signed it asks for persons the text does not name: it says so (nothing shown as the answer).
    for text in (
        "hvem har signert avtalen?",
        "hvem signerte partnerskapsavtalen for fylket?",
        "hvem skrev under avtalen",
    ):
        answer = assistant.answer(text)
        assert answer.reply.html.startswith("Avtaleteksten jeg kjenner, sier ikke hvem som signerte den"), text
        assert "Indre Østfold regionråd (IØR)" in answer.reply.html, text
        assert not answer.answered and not answer.hits, text
    for text in ("hva er formålet med avtalen?", "formål", "kva er føremålet med avtala", "hvorfor har vi denne "
                 "avtalen?", "hva er hensikten med partnerskapsavtalen"):  # fmt: skip
        answer = assistant.answer(text)
        assert "Formålet med avtalens spesielle del" in answer.reply.html, text
        assert [hit.id for hit in answer.hits] == ["innledning", "ambisjon"], text
    # Naming the ambition (or what the parties want to achieve) puts "Ambisjon for avtalen" first, in dialect too.
    for text in ("hva er ambisjonen med avtalen?", "ka e ambisjonen me avtalen", "kva vil dei oppnå med avtala?",
                 "hva vil vi oppnå med samarbeidet?"):  # fmt: skip
        answer = assistant.answer(text)
        assert "Formålet med avtalens spesielle del" in answer.reply.html, text
        assert answer.reply.html.index("Ambisjon for avtalen") < answer.reply.html.index("Formålet med"), text
        assert [hit.id for hit in answer.hits] == ["ambisjon", "innledning"], text
    for text in ("generell del", "hva er den generelle delen?", "spesiell del", "hva står i den spesielle delen"):
        html = assistant.answer(text).reply.html
        assert "en generell og en spesiell del" in html and "Samferdsel og mobilitet" in html, text
    for text in ("hvem er avtalen mellom?", "hvem er partene i avtalen, kommunenes samarbeidsorgan og fylket?",
                 "hva er fylkets rolle i avtalen?", "hvem har inngått avtalen, er det fylket og kommunene i regionen?",
                 "hvem er motparten til kommunene i avtalen?", "hvem samarbeider vi med her egentlig?",
                 "hvem samarbeider kommunene i Indre Østfold med?"):  # fmt: skip
        assert assistant.answer(text).reply.html.startswith(parties), text
    contents = assistant.contents().html
    for text in ("hva er innsatsområdene?", "hvor mange tiltak har avtalen?", "hvilke områder?", "kva er tiltaka",
                 "hvilke hovedområder dekker avtalen?", "hva er hovedtemaene?",
                 "Jeg er ny i regionrådet, hvilke hovedområder dekker avtalen?",
                 "kan du si hvilke tre hovedområder avtalen dekker?", "hvilke hovedområder samarbeider vi med "
                 "fylket om?", "Jeg sitter i formannskapet og lurer på hvilke hovedområder avtalen har"):  # fmt: skip
        answer = assistant.answer(text)
        assert answer.reply.html == contents, text
        assert [hit.id for hit in answer.hits] == ["1", "2", "3"], text  # what `ask --json` says it showed
    for text in ("hva handler avtalen om?", "hva har kommunene og fylket avtalt?", "hva er IØR og Viken enige om?"):
        answer = assistant.answer(text)
        assert answer.reply.html == assistant.about().html, text
        assert [hit.id for hit in answer.hits] == ["innledning", "1", "2", "3"], text
    # A question with a subject of its own is the search's, even when it uses the same words.
    for text, top in (("hva skal partene gjøre med trafikksikkerhet?", {"3.2", "3.8"}), ("hvor lenge varer "
                      "yrkesmessa", {"1.7"}), ("samarbeid mellom likeverdige parter", {"likeverdige-parter"}),
                      ("hvilke tiltak finnes for sykkel?", {"3.2", "3.3", "3.8"}),
                      ("hva er rollen til trafikksikkerhetsutvalget i avtalen?", {"3.2"}),
                      ("hvem samarbeider om yrkesmessa?", {"1.7"}), ("hva er avtalt om sykkel?", {"3.2", "3.3", "3.8"}),
                      ("hva har fylket lovet om lærlinger?", {"1.8"})):  # fmt: skip
        assert assistant.answer(text).top_id in top, text


def test_bare_measure_numbers_that_do_not_exist_say_so(assistant: Assistant) -> None:
    for text in ("4.1", "3.9", "tiltak 6.1", "Tiltak 6.1?", "punkt 1.9", "4,1"):
        for reply in (respond_to_text(assistant, text, "bot"), assistant.answer(text).reply):
            assert "Avtalen har ikke noe tiltak" in reply.html and "1.1–3.8" in reply.html, text
        assert not assistant.answer(text).answered
    assert "ikke noe tiltak 4.1." in respond_to_text(assistant, "4.1", "bot").html
    assert respond_to_text(assistant, "/tiltak 4.1", "bot").html == respond_to_text(assistant, "4.1", "bot").html


def test_bare_area_numbers_open_the_area_or_say_there_is_none(assistant: Assistant) -> None:
    for text in ("område 2", "Innsatsområde 2", "omrade 2?"):
        answer = assistant.answer(text)
        assert answer.reply.html.startswith("<b>Innsatsområde 2: Understøtte næringslivet</b>"), text
        assert answer.top_id == "2"
    for text in ("innsatsområde 4", "område 7", "omrade 4"):
        answer = assistant.answer(text)
        assert "Avtalen har ikke noe innsatsområde" in answer.reply.html and "1–3" in answer.reply.html, text
        assert not answer.answered and not answer.hits, text


def test_a_decimal_comma_reads_as_a_measure_number(assistant: Assistant) -> None:
    for text in ("3,2", "tiltak 3,2", " 3,2 ", "2,1 b", "tiltak 2,1b"):
        html = respond_to_text(assistant, text, "bot").html
        expected = "3.2" if text.strip().endswith("3,2") else "2.1.B"
        assert html.startswith(f"<b>Tiltak {expected}</b>"), text
    assert assistant.answer("3,2").top_id == "3.2"


def test_thanks_are_answered_as_thanks(assistant: Assistant) -> None:
    for text in ("takk", "Takk!", "tusen takk", "takk skal du ha", "mange takk for hjelpen", "takk for svaret :)"):
        html = respond_to_text(assistant, text, "bot").html
        assert html.startswith("Bare hyggelig") and "Hei" not in html, text
    assert "Tiltak 3.2" in respond_to_text(assistant, "takk, men hva med sykkel?", "bot").html


def test_a_bare_hjelp_gives_the_help(assistant: Assistant) -> None:
    help_text = assistant.help(
        "bot", admin=True, without=commands.STAFF_COMMANDS, inline=False
    ).html  # the terminal's user is an admin
    for text in ("hjelp", "Hjelp!", "hjelp meg", "kan du hjelpe meg?", "hei, kan du hjelpe meg?", "hva kan du?",
                 "hvordan bruker jeg deg?", "/help", "/hjelp"):  # fmt: skip
        assert respond_to_text(assistant, text, "bot").html == help_text, text
    for text in ("sosialhjelp", "hjelp til lærlinger"):
        assert respond_to_text(assistant, text, "bot").html != help_text, text


def test_did_you_mean_only_where_the_suggestion_finds_something(assistant: Assistant) -> None:
    for text, word in (("askm", "askim"), ("hva med mysn?", "mysen")):
        reply = assistant.answer(text).reply
        assert f"Mente du: <i>{word}</i>?" in reply.html, text
        data = next(d for d in buttons(reply) if d.startswith("q:0:"))
        assert assistant.on_button(data).html.startswith("Dette sier avtalen om"), text
    for text in ("basar", "basket", "bassenget", "hva med bastant"):  # real words the agreement lacks: no typos
        reply = assistant.answer(text).reply
        assert "Mente du" not in reply.html and buttons(reply) == ["c"], text


def test_echoes_quote_the_words_as_typed(assistant: Assistant) -> None:
    cases = {
        "VTU": "Dette sier avtalen om <i>VTU</i>:",
        "NMBU": "Dette sier avtalen om <i>NMBU</i>:",
        "hva sier avtalen om seremonien for fagbrev?": "Dette sier avtalen om <i>seremonien for fagbrev</i>:",
        "Hva med Lærlinger?": "Dette sier avtalen om <i>Lærlinger</i>:",
        "Barnehageplass": "Jeg finner ikke noe om <i>Barnehageplass</i> i partnerskapsavtalen.",
        "hva sier avtalen om legevakt & sykehus?": "Jeg finner ikke noe om <i>legevakt &amp; sykehus</i>",
    }
    for text, expected in cases.items():
        assert expected in assistant.answer(text).reply.html, text
    sentence = "har vi lovet noe om at folk skal kunne gå trygt langs veien til skolen?"
    html = assistant.answer(sentence).reply.html
    assert f"Du spør: <i>{sentence}</i>" in html
    long_question = "hva sier avtalen om " + "sykkelveier, bussruter og togtilbud i regionen, " * 4 + "og båt?"
    html = assistant.answer(long_question).reply.html
    assert "Du spør: <i>hva sier avtalen om sykkelveier" in html and "…</i>" in html


def test_a_too_long_question_is_told_so(assistant: Assistant) -> None:
    for text in ("sykkel " * 1500, "hva sier avtalen om trafikksikkerhet? " * 300):
        answer = assistant.answer(text)
        assert answer.reply.html.startswith("Spørsmålet er langt, så jeg har søkt på begynnelsen av det."), text[:20]
        assert answer.answered
        assert_sendable(answer.reply)
    assert "Spørsmålet er langt" not in assistant.answer("sykkel").reply.html
    assert "Spørsmålet er langt" in assistant.answer("legevakt " * 100).reply.html  # said when nothing is found too


def test_buttons_name_areas_like_the_headings(assistant: Assistant) -> None:
    for reply in (assistant.answer("sykkel").reply, assistant.measure("3.2"), assistant.answer("lærlinger").reply):
        area_buttons = [b.text for row in reply.buttons for b in row if b.data.startswith("a:")]
        assert area_buttons and all(text.startswith("Innsatsområde ") for text in area_buttons)
        assert "Hele område" not in str(reply.buttons)


def test_a_measure_names_its_area_once(assistant: Assistant) -> None:
    for measure_id in ("3.2", "3.8", "1.1"):
        html = assistant.measure(measure_id).html
        title = assistant.agreement.area(measure_id[0]).title
        assert html.lower().count(title.lower()) == 1, measure_id
    assert "<i>Kunnskapsgrunnlag</i>" in assistant.measure("3.1").html  # a group that differs from the area stays


def test_a_question_for_a_figure_says_what_the_agreement_holds_and_offers_its_subject(assistant: Assistant) -> None:
    answer = assistant.answer("hvor mange lærlinger har kommunen i dag?")
    assert not answer.hits and not answer.answered
    html = answer.reply.html
    assert "Du spør: <i>hvor mange lærlinger har kommunen i dag?</i>" in html
    assert "ingen tall, priser, tider eller søknadsrutiner" in html
    button = answer.reply.buttons[0][0]
    assert button.text == "Hva sier avtalen om temaet?"
    assert "1.8" in assistant.on_button(button.data).html  # the apprentices' measure, one tap away
    plain = assistant.answer("brøyting i Askim").reply  # a subject the agreement lacks: no such note or button
    assert "søknadsrutiner" not in plain.html and all(b.text != button.text for row in plain.buttons for b in row)
