"""End to end: the real application against the fake Bot API server."""

from __future__ import annotations

from .conftest import RunningBot

PRIVATE = 111
GROUP = -100500


def buttons(call_params: dict) -> list[str]:  # type: ignore[type-arg]
    markup = call_params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def test_commands_are_registered_in_norwegian_per_scope(running: RunningBot) -> None:
    registered = {c.params["scope"]["type"]: [x["command"] for x in c.params["commands"]]
                  for c in running.telegram.sent(method="setMyCommands")}  # fmt: skip
    assert registered["all_private_chats"][:2] == ["start", "hjelp"]
    assert "start" not in registered["all_group_chats"] and "sok" in registered["all_group_chats"]


async def test_private_question_gets_the_measures(running: RunningBot) -> None:
    reply = await running.telegram.ask(PRIVATE, "hva sier avtalen om sykkel?")
    for number in ("3.2", "3.3", "3.8"):
        assert f"Tiltak {number}</b>" in reply["text"]
    assert reply["parse_mode"] == "HTML" and "a:3" in buttons(reply)
    await running.telegram.wait_for(lambda: running.database.question_count()[0] == 1)
    assert running.database.top_subjects(5)[0].label in {"3.2", "3.3", "3.8"}


async def test_measure_command_and_bare_number(running: RunningBot) -> None:
    assert (await running.telegram.ask(PRIVATE, "/tiltak 1.8"))["text"].startswith("<b>Tiltak 1.8</b>")
    assert (await running.telegram.ask(PRIVATE, "2.1.b"))["text"].startswith("<b>Tiltak 2.1.B</b>")


async def test_no_result_says_so(running: RunningBot) -> None:
    for pointer in ("hei", "Flere treff", "/", "//"):  # pointers, not questions: never in the question log
        assert "finner ikke noe" not in (await running.telegram.ask(PRIVATE, pointer))["text"], pointer
    reply = await running.telegram.ask(PRIVATE, "barnehageplass")
    assert "finner ikke noe om" in reply["text"] and buttons(reply) == ["c"]
    await running.telegram.wait_for(lambda: running.database.unanswered(5))
    assert running.database.unanswered(5)[0].label == "barnehageplass"
    assert running.database.question_count() == (1, 0)  # logged in order: the pointers before it were not


async def test_start_help_contents_about_and_deep_link(running: RunningBot) -> None:
    assert "Hei!" in (await running.telegram.ask(PRIVATE, "/start"))["text"]
    assert (await running.telegram.ask(PRIVATE, "/start m3-7"))["text"].startswith("<b>Tiltak 3.7</b>")
    assert "@partnerbot sykkel" in (await running.telegram.ask(PRIVATE, "/hjelp"))["text"]
    assert buttons(await running.telegram.ask(PRIVATE, "/innhold")) == ["a:1", "a:2", "a:3"]
    assert "Viken fylkeskommune" in (await running.telegram.ask(PRIVATE, "/om"))["text"]
    assert "kjenner jeg ikke" in (await running.telegram.ask(PRIVATE, "/tull"))["text"]


async def test_group_chatter_is_ignored_and_addressed_messages_answered(running: RunningBot) -> None:
    telegram = running.telegram
    telegram.send_text(GROUP, "sykkel er gøy", chat_type="supergroup")
    telegram.send_text(GROUP, "/tiltak@annenbot 3.2", chat_type="supergroup")
    reply = await telegram.ask(GROUP, "/sok@partnerbot buss", chat_type="supergroup")
    assert "Tiltak 3.4" in reply["text"]
    assert reply["reply_parameters"]["message_id"]  # answers quote the asker
    mention = "@partnerbot hva med lærlinger?"
    entities = [{"type": "mention", "offset": 0, "length": len("@partnerbot")}]
    reply = await telegram.ask(GROUP, mention, chat_type="supergroup", entities=entities)
    assert "Tiltak 1.8" in reply["text"]
    bot_message = {"message_id": 1, "date": 0, "chat": telegram.chat(GROUP, "supergroup"), "from": telegram.bot_user(),
                   "text": "…"}  # fmt: skip
    reply = await telegram.ask(GROUP, "og tog?", chat_type="supergroup", reply_to_message=bot_message)
    assert "Tiltak 3.6" in reply["text"]
    await running.idle()
    answered = telegram.sent(GROUP)
    assert len(answered) == 3, [c.params["text"][:40] for c in answered]  # the chatter got nothing


async def test_group_migrated_to_supergroup_keeps_working(running: RunningBot) -> None:
    telegram = running.telegram
    old, new = -4001, -1004001
    telegram.push({"message": telegram.message(old, None, chat_type="group", migrate_to_chat_id=new)})
    reply = await telegram.ask(new, "/sok sykkel", chat_type="supergroup")
    assert "Tiltak 3.2" in reply["text"]


async def test_button_press_answers_and_edits(running: RunningBot) -> None:
    telegram = running.telegram
    first = await telegram.ask(PRIVATE, "samarbeid")
    more = next(b for b in buttons(first) if b.startswith("q:"))
    message = telegram.message(PRIVATE, "…", user_id=telegram.bot_id)
    message["from"] = telegram.bot_user()
    telegram.push({"callback_query": {"id": "cb1", "from": telegram.user(PRIVATE), "chat_instance": "x",
                                      "message": message, "data": more}})  # fmt: skip
    edited = await telegram.reply_to(PRIVATE, method="editMessageText")
    assert "Flere treff" in edited.params["text"]
    assert telegram.sent(method="answerCallbackQuery")[0].params["callback_query_id"] == "cb1"


async def test_inline_query(running: RunningBot) -> None:
    telegram = running.telegram
    start = len(telegram.calls)
    telegram.push({"inline_query": {"id": "iq1", "from": telegram.user(PRIVATE), "query": "sykkel", "offset": ""}})
    telegram.push({"inline_query": {"id": "iq2", "from": telegram.user(PRIVATE), "query": "", "offset": ""}})
    answers = await telegram.wait_for(
        lambda: (
            (found := [c for c in telegram.calls[start:] if c.method == "answerInlineQuery"])
            and len(found) == 2
            and found
        )
    )
    by_id = {c.params["inline_query_id"]: c.params["results"] for c in answers}
    assert {"m:3.2", "m:3.3", "m:3.8"} <= {r["id"] for r in by_id["iq1"]}
    assert [r["id"] for r in by_id["iq2"]] == ["a:1", "a:2", "a:3"]
    assert all(r["input_message_content"]["parse_mode"] == "HTML" for r in by_id["iq1"])


async def test_the_conversation_around_the_search(running: RunningBot) -> None:
    telegram = running.telegram
    for text in ("takk", "Tusen takk!", "takk skal du ha"):
        assert (await telegram.ask(PRIVATE, text))["text"].startswith("Bare hyggelig"), text
    for text in ("hjelp", "Hjelp meg", "hva kan du?"):
        assert "@partnerbot sykkel" in (await telegram.ask(PRIVATE, text))["text"], text
    for text in ("4.1", "tiltak 6.1", "3.9"):
        assert "Avtalen har ikke noe tiltak" in (await telegram.ask(PRIVATE, text))["text"], text
    assert (await telegram.ask(PRIVATE, "3,2"))["text"].startswith("<b>Tiltak 3.2</b>")
    for text in ("naar er yrkesmessa?", "kva tid er messa", "dato for yrkesmessa"):
        reply = await telegram.ask(PRIVATE, text)
        assert "<b>Regional yrkesmesse</b> (tiltak 1.7) · dato ikke fastsatt" in reply["text"], text
    for text in ("datoer", "neste milepæl", "/milepæler", "/Milepæler"):
        assert "Navn i kommandoer: <code>yrkesmesse</code>" in (await telegram.ask(PRIVATE, text))["text"], text
    reply = await telegram.ask(PRIVATE, "hvem er partene i avtalen?")
    assert "Indre Østfold regionråd (IØR) og Viken fylkeskommune (Viken)" in reply["text"]
    reply = await telegram.ask(PRIVATE, "hvor lenge varer avtalen?")
    assert "perioden <b>2022-2023</b>" in reply["text"]
    reply = await telegram.ask(PRIVATE, "Hva med VTU?")
    assert reply["text"].startswith("Dette sier avtalen om <i>VTU</i>:")
    area_buttons = [b["text"] for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert area_buttons == ["Innsatsområde 3"]
    assert (await telegram.ask(PRIVATE, "/tiltak 3.2"))["text"].count("Samferdsel og mobilitet") == 1
    assert "kjenner jeg ikke" in (await telegram.ask(PRIVATE, "/tullæ"))["text"]
    await running.telegram.wait_for(lambda: running.database.question_count()[0] >= 1)
    logged = [row.label for row in running.database.unanswered(50)]
    assert not {"takk", "hjelp", "4.1", "3,2"} & set(logged)  # thanks, help and numbers are not questions


async def test_group_aliases_thanks_and_other_bots(running: RunningBot) -> None:
    telegram = running.telegram
    mention = [{"type": "mention", "offset": 0, "length": len("@partnerbot")}]
    reply = await telegram.ask(GROUP, "@partnerbot takk!", chat_type="supergroup", entities=mention)
    assert reply["text"].startswith("Bare hyggelig")
    reply = await telegram.ask(GROUP, "/milepæler", chat_type="supergroup")
    assert "Navn i kommandoer" in reply["text"] and reply["reply_parameters"]["message_id"]
    telegram.send_text(GROUP, "/milepæler@annenbot", chat_type="supergroup")
    telegram.send_text(GROUP, "/tull", chat_type="supergroup")
    reply = await telegram.ask(GROUP, "/søk@partnerbot buss", chat_type="supergroup")
    assert "Tiltak 3.4" in reply["text"]
    await running.idle()
    assert len(telegram.sent(GROUP)) == 3, [c.params["text"][:40] for c in telegram.sent(GROUP)]


async def test_milestones_footer_fits_the_chats_subscription(running: RunningBot) -> None:
    """/milepaeler offers /abonner to a chat without reminders, and to one that has them says how to see or stop
    them."""
    before = (await running.telegram.ask(PRIVATE, "/milepaeler"))["text"]
    assert "Få påminnelser i denne chatten med /abonner." in before and "/varsler" not in before
    assert "påminnelser" in (await running.telegram.ask(PRIVATE, "/abonner"))["text"]
    after = (await running.telegram.ask(PRIVATE, "/milepaeler"))["text"]
    assert "se dem med /varsler, slå dem av med /avslutt" in after and "med /abonner" not in after
    assert "slå dem av" not in (await running.telegram.ask(PRIVATE + 1, "/milepaeler"))["text"]  # another chat
