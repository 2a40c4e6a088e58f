"""What the bot answers, independent of Telegram: questions, measures, areas, buttons and inline results.

The Telegram handlers and the terminal chat both call this and only send what it returns, so the two
always say the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot import callbacks, commands, texts
from bot.intents import SmallTalk, Topic, agreement_topic, asks_ambition, is_greeting, small_talk
from bot.knowledge import Agreement, Area, Measure, Section, canonical_measure_id
from bot.milestones.dates import OSLO
from bot.milestones.desk import MilestoneDesk, MilestoneQuestion
from bot.milestones.model import Milestone
from bot.render import (
    ANSWER_TEXT_LIMIT,
    Button,
    Reply,
    area_full,
    area_heading,
    cut,
    echo,
    escape,
    fit,
    measure_block,
    measure_full,
    printable,
    section_block,
)
from bot.search import Hit, SearchIndex
from bot.search.analysis import normalise, tokenize
from bot.search.compounds import wordfreq_zipf
from bot.search.engine import Kind
from bot.storage import Database

PAGE_SIZE = 3
MAX_QUERY = 256  # Telegram's inline query limit; longer questions are searched by their beginning (and told so)
ECHO_WORDS = 5  # a subject this short is named ("Dette sier avtalen om sykkel:"); a longer question is quoted
ECHO_CHARS = 60
QUOTE_CHARS = 120  # a quoted question is shortened to this
REAL_WORD_ZIPF = 2.5  # a word this common in bokmål is a word the agreement lacks, not a typo to correct
_DEEP_LINK = re.compile(r"^(?P<kind>[ma])(?P<id>[0-9][0-9A-Za-z-]*)$")
# Measure numbers as people type them, one or several: "3.2", "3,2", "03.2", "3.2.", "tiltak 6.1", "punkt 2.1 a",
# "nr. 3.4?", "3.2 og 3.3", "3.2, 3.3"; the number's parts and its letter (a comma followed by a digit is a
# decimal comma, any other a list's).
_NUMBERS_PREFIX = re.compile(r"^(?:tiltakene|tiltaket|tiltak|punktene|punktet|punkt|nr\.?|nummer)(?=[\s\d])\s*", re.I)
_NUMBERS_SEPARATOR = re.compile(r"\s*(?:[;&/+]|,(?!\d)|\s(?:og|and)\s|\s)\s*", re.I)
_NUMBER = re.compile(r"(?P<parts>\d{1,2}(?:[.,]\d{1,2}){0,2})(?:\.?(?P<letter>[a-bA-B]))?\.?")
# A message that is only an area: "område 2", "innsatsområde 4", "omrade 3?"
_AREA_NUMBER = re.compile(r"^\s*(?:innsats)?(?:området|område|omrade|omraade|områda)\s*(\d{1,2})\s*[.?!]?\s*$", re.I)
_SENTENCE_MARKS = ".,!?…\"'«»“”‘’"  # around a subject, not part of it ("om «sykkel»?" names sykkel)


def _label(text: str) -> str:
    """A button's label as someone may type it: its words only, in lower case ("Flere treff ▸" → "flere treff")."""
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


# Buttons whose label, typed as a message, gets a pointer to the button (they act on the reply they belong to).
_TYPED_BUTTONS = {
    _label(label): label.strip(" ▸◂") for label in (texts.BUTTON_MORE, texts.BUTTON_PREVIOUS, texts.BUTTON_NEXT)
}
_CONTENTS_ROW = (Button(texts.BUTTON_CONTENTS, callbacks.contents()),)
# The opening sections that answer a question about the agreement itself, by topic.
TOPIC_SECTIONS: dict[Topic, tuple[str, ...]] = {
    Topic.PERIOD: ("innledning",),
    Topic.PARTIES: ("innledning", "likeverdige-parter"),
    Topic.SIGNATORIES: (),
    Topic.PURPOSE: ("innledning", "ambisjon"),
    Topic.PARTS: ("innledning",),
    Topic.WHAT: (),
    Topic.AREAS: (),
}
AMBITION_SECTION = "ambisjon"  # shown first when a question about the purpose names the ambition


@dataclass(frozen=True)
class Answer:
    """A reply to a question, with what the question log keeps of it and the parts of the agreement it shows
    (in order; `ask --json` reports them)."""

    reply: Reply
    answered: bool
    top_id: str | None
    hits: tuple[Hit, ...] = ()
    # False for a message that asked nothing the search could look for (a greeting, thanks, a button's label typed,
    # "hva sier avtalen?"): its reply is a pointer, and the question log, which counts what went unanswered,
    # never keeps it.
    question: bool = True


@dataclass(frozen=True)
class InlineArticle:
    id: str
    title: str
    description: str
    html: str


class Assistant:
    def __init__(
        self,
        agreement: Agreement,
        index: SearchIndex,
        desk: MilestoneDesk,
        clock: Callable[[], datetime] = lambda: datetime.now(OSLO),
    ) -> None:
        self.agreement = agreement
        self.index = index
        self.desk = desk
        self.clock = clock

    # -- questions -------------------------------------------------------------------------------------
    def answer(self, question: str, offset: int = 0) -> Answer:
        """The best measures for a question, or a plain "the agreement does not say" with suggestions.

        Before the search: a bare measure number opens the measure (or says there is none), a question about
        the agreement itself is answered from its opening and its metadata, and a question about milestones
        ("når er yrkesmessa?", "datoer", "neste milepæl") gets their dates."""
        text = " ".join(printable(question).split())
        if not text:
            return Answer(Reply(texts.EMPTY_QUESTION), False, None, question=False)
        talk = small_talk(text)
        if talk is not None:  # "takk", "ha det", "hvem er du?": a reply of its own, not a search
            return Answer(self._small_talk(talk), False, None, question=False)
        label = _label(text)
        if label == _label(texts.BUTTON_CONTENTS):  # the button's label typed: what the button shows
            return Answer(self.contents(), True, None, question=False)
        if label in _TYPED_BUTTONS:
            return Answer(Reply(texts.BUTTON_TYPED.format(label=escape(_TYPED_BUTTONS[label]))), False, None,
                          question=False)  # fmt: skip
        query = text[:MAX_QUERY]
        notes = [texts.QUERY_TOO_LONG] if len(text) > MAX_QUERY else []
        measure_id = self.bare_measure_id(query)
        if measure_id:
            found = self._hit_for(measure_id, 100.0)
            return Answer(self.measure(measure_id), found is not None, measure_id if found else None,
                          (found,) if found else ())  # fmt: skip
        area = _AREA_NUMBER.match(query)
        if area:
            found = self._hit_for(area.group(1), 100.0)
            if found is None:
                last = self.agreement.areas[-1].id
                reply = Reply(texts.UNKNOWN_AREA.format(id=escape(area.group(1)), last=last), (_CONTENTS_ROW,))
                return Answer(reply, False, None)
            return Answer(self.area(found.id), True, found.id, (found,))
        topic = agreement_topic(query, self.index.content_words(query))
        if topic is not None:
            return self._about(topic, ambition_first=asks_ambition(query))
        asked = self.desk.read_question(query)
        if asked.about_milestones:
            return self._milestone_answer(query, asked, offset, notes)
        return self._search_answer(query, self.index.search(query), offset, notes)

    def _search_answer(
        self,
        query: str,
        hits: list[Hit],
        offset: int,
        notes: list[str],
        when: list[str] | None = None,
        content: list[str] | None = None,
    ) -> Answer:
        subject, quoted = self._echo(query, self.index.content_words(query) if content is None else content)
        if not hits:
            if not subject and not quoted:  # "hei", "hva sier avtalen?": nothing to search for
                filler = texts.GREETING if is_greeting(query) else texts.ONLY_FILLER
                return Answer(Reply(filler, (_CONTENTS_ROW,)), False, None, question=False)
            return Answer(self._no_answer(query, subject, quoted, notes), False, None)
        if offset >= len(hits):
            return Answer(Reply(texts.NO_MORE_RESULTS, (_CONTENTS_ROW,)), True, hits[0].id)
        if offset:
            header = texts.ANSWER_MORE_HEADER.format(query=subject) if subject else texts.ANSWER_MORE_FOR_IDS
        elif subject:
            header = texts.ANSWER_HEADER.format(query=subject)
        elif quoted:
            header = texts.ANSWER_HEADER_QUESTION.format(question=quoted)
        else:
            header = texts.ANSWER_HEADER_PLAIN
        lines = [*notes, *(when or []), *([""] if when else []), header]
        reply = self._hits_reply("\n".join(lines), hits, offset, query)
        return Answer(reply, True, hits[0].id, tuple(hits))

    @staticmethod
    def _small_talk(talk: SmallTalk) -> Reply:
        text, browse = {
            SmallTalk.WRONG_ANSWER: (texts.WRONG_ANSWER, True),
            SmallTalk.WHO_ARE_YOU: (texts.WHO_AM_I.format(bot_name=texts.BOT_NAME), False),
            SmallTalk.GOODBYE: (texts.GOODBYE, False),
            SmallTalk.GREETING: (texts.GREETING, True),
            SmallTalk.THANKS: (texts.THANKS, False),
        }[talk]
        return Reply(text, (_CONTENTS_ROW,) if browse else ())

    def _milestone_answer(self, query: str, asked: MilestoneQuestion, offset: int, notes: list[str]) -> Answer:
        """ "når er yrkesmessa?" (its date and measure), "datoer"/"neste milepæl" (the list), or "når er
        møtet?" (whatever the search finds for the rest of the question, with any milestone of it)."""
        now = self.clock()
        if asked.named and asked.asks_date and offset == 0 and not self.index.asks_about_agreement(query):
            return self._dates_answer(asked.named, now)
        rest = " ".join(self.index.content_words(asked.rest))
        # With no milestone named, the search reads the whole question: "når åpner hallen?" asks for a time the
        # agreement does not hold, which the when-words alone would hide.
        hits = self.index.search(asked.rest if asked.named else query) if rest else []
        if asked.named:
            measure_ids = [milestone.measure_id for milestone in asked.named]
            named = [self._hit_for(measure_id) for measure_id in measure_ids if measure_id not in {h.id for h in hits}]
            hits = [*(hit for hit in named if hit), *hits]
        elif not rest:
            return Answer(self.desk.list_reply(now), True, None)
        when = self.desk.when_lines([hit.id for hit in hits[:PAGE_SIZE]], now, asked.named) if offset == 0 else []
        if hits and not when and offset == 0:
            when = [texts.NO_DATE]  # "når går bussen?": the agreement has no timetable; say so before its words
        return self._search_answer(query, hits, offset, notes, when, self.index.content_words(asked.rest))

    def _dates_answer(self, named: tuple[Milestone, ...], now: datetime) -> Answer:
        """ "hvilken dato er yrkesmessa i år?": the milestones' dates and places; the agreement holds no dates, so
        it shows none of its parts, and its measure is a button away."""
        measures = list(dict.fromkeys(milestone.measure_id for milestone in named))
        text = "\n".join(
            [
                *self.desk.when_lines(measures, now, named),
                "",
                texts.NO_DATE_IN_AGREEMENT.format(ids=", ".join(measures)),
            ]
        )
        rows = tuple((Button(texts.BUTTON_READ_ALL.format(id=id_), callbacks.measure(id_)),) for id_ in measures)
        rows += tuple(
            (Button(cut(texts.BUTTON_CALENDAR.format(title=m.title), 60)[0], callbacks.calendar(m.id)),)
            for m, _ in self.desk.dated(now)
            if m in named
        )
        return Answer(Reply(text, rows), True, None)

    @staticmethod
    def _echo(query: str, content_words: list[str]) -> tuple[str, str]:
        """The person's own words, escaped: the subject as typed if it is short ("sykkel", "VTU", "seremonien
        for fagbrev"), else the question quoted and shortened; ("", "") when there is no subject at all.
        `content_words` are the words that make the subject (the search's, or fewer)."""
        content = set(content_words)
        if not content:
            return "", ""
        normalised = normalise(query)
        source = query if len(normalised) == len(query) else normalised
        words = [token for token in tokenize(query) if token.surface in content]
        if words:
            span = _whole_words(source, words[0].start, words[-1].end)
            if len(span.split()) <= ECHO_WORDS and len(span) <= ECHO_CHARS:
                return escape(span), ""
        return "", escape(cut(query, QUOTE_CHARS)[0])

    def bare_measure_id(self, text: str) -> str | None:
        """The measure id of a message that is only a measure number ("3.2", "3,2", "tiltak 2.1 a" → "2.1.A"), or
        None. A number without a point ("3") is not one: typed alone it is a button's number or a count."""
        ids = measure_numbers(text)
        return ids[0] if ids and len(ids) == 1 and "." in ids[0] else None

    def _hits_reply(self, header: str, hits: list[Hit], offset: int = 0, query: str | None = None) -> Reply:
        """One page of hits from `offset`, with buttons to read on; `query` (if any) lets "more" search again."""
        shown, rest = hits[offset : offset + PAGE_SIZE], hits[offset + PAGE_SIZE :]
        lines = [header]
        read_all: list[Button] = []
        areas: list[str] = []
        for hit in shown:
            lines.append("")
            item = self.agreement.find(hit.id)
            if isinstance(item, Measure):
                block, was_cut = measure_block(self.agreement, item, hit.matched, ANSWER_TEXT_LIMIT)
                lines += block
                if was_cut:
                    read_all.append(Button(texts.BUTTON_READ_ALL.format(id=item.id), callbacks.measure(item.id)))
                if item.area_id not in areas:
                    areas.append(item.area_id)
            elif isinstance(item, Area):
                lines += area_heading(item)
                if item.id not in areas:
                    areas.append(item.id)
            elif isinstance(item, Section):
                lines += section_block(item, hit.matched)
        rows: list[tuple[Button, ...]] = []
        if read_all:
            rows.append(tuple(read_all))
        rows.append(tuple(Button(texts.BUTTON_AREA.format(id=area), callbacks.area(area)) for area in areas[:2]))
        if rest:
            more = callbacks.more(query, offset + PAGE_SIZE, (hit.id for hit in rest))
            rows.append((Button(texts.BUTTON_MORE, more),))
        return Reply(fit(lines), tuple(row for row in rows if row))

    def _no_answer(self, query: str, subject: str, quoted: str, notes: list[str]) -> Reply:
        facts = self.index.asks_fact(query)  # "hva koster bussen?": quoted whole, its subject is no noun phrase
        if subject and not facts:
            lines = [*notes, texts.NO_ANSWER.format(query=subject)]
        else:
            lines = [*notes, texts.NO_ANSWER_QUESTION.format(question=quoted or escape(cut(query, QUOTE_CHARS)[0]))]
        buttons: list[Button] = []
        if facts:  # what the agreement does say about the subject is a tap away
            lines.append(texts.NO_ANSWER_FACTS)
            about = " ".join(self.index.content_words(query))
            data = callbacks.page(about, 0) if about and self.index.search(about) else None
            if data is not None:
                buttons.append(Button(texts.BUTTON_WHAT_IT_SAYS, data))
        suggestions = self._useful_suggestions(query)
        if suggestions:
            lines.append(
                texts.NO_ANSWER_SUGGESTIONS.format(suggestions=", ".join(f"<i>{escape(s)}</i>" for s, _ in suggestions))
            )
            for word, corrected in suggestions:
                data = callbacks.page(corrected, 0)
                if data is not None:
                    buttons.append(Button(texts.BUTTON_SUGGESTION.format(word=word), data))
        lines.append(texts.NO_ANSWER_BROWSE)
        rows = (tuple(buttons[:2]), _CONTENTS_ROW) if buttons else (_CONTENTS_ROW,)
        return Reply("\n".join(lines), rows)

    def _useful_suggestions(self, query: str, limit: int = 3) -> list[tuple[str, str]]:
        """Spellings of the agreement for the question's unknown words, each with the question it makes, kept
        only where that question finds something: a real word the agreement lacks ("basket") is no typo."""
        normalised = normalise(query)
        content = set(self.index.content_words(query))
        zipf = wordfreq_zipf()
        found: list[tuple[str, str]] = []
        for token in tokenize(query):
            word = token.surface
            if word not in content or self.index.has_term(word) or zipf(word) >= REAL_WORD_ZIPF:
                continue
            for suggestion in self.index.suggestions(word):
                corrected = normalised[: token.start] + suggestion + normalised[token.end :]
                if suggestion not in (s for s, _ in found) and self.index.search(corrected):
                    found.append((suggestion, corrected))
        return found[:limit]

    def _about(self, topic: Topic, *, ambition_first: bool = False) -> Answer:
        """A question about the agreement itself: its metadata, then its own opening words (never invented); the
        ambition before the stated purpose when the question names it."""
        if topic in (Topic.WHAT, Topic.AREAS):  # what the reply shows: the opening (for WHAT), then the areas
            ids = (["innledning"] if topic is Topic.WHAT else []) + [area.id for area in self.agreement.areas]
            shown = tuple(hit for hit in map(self._hit_for, ids, [100.0] * len(ids)) if hit)
            return Answer(self.about() if topic is Topic.WHAT else self.contents(), True, shown[0].id, shown)
        agreement = self.agreement
        parties = " og ".join(f"{escape(p.name)} ({escape(p.short)})" for p in agreement.parties)
        areas = "\n".join(f"{escape(a.id)}. {escape(a.title)} {escape(a.hashtag)}" for a in agreement.areas)
        if topic is Topic.SIGNATORIES:  # the text names no one who signed: say so, and who the parties are
            return Answer(Reply(texts.ABOUT_SIGNATORIES.format(parties=parties), (_CONTENTS_ROW,)), False, None)
        header = {
            Topic.PERIOD: texts.ABOUT_PERIOD,
            Topic.PARTIES: texts.ABOUT_PARTIES,
            Topic.PURPOSE: texts.ABOUT_PURPOSE,
            Topic.PARTS: texts.ABOUT_PARTS,
        }[topic].format(title=escape(agreement.title), period=escape(agreement.period), parties=parties, areas=areas)
        lines = [header]
        hits: list[Hit] = []
        sections = TOPIC_SECTIONS[topic]
        for section_id in sorted(sections, key=lambda id_: id_ != AMBITION_SECTION) if ambition_first else sections:
            section = agreement.find(section_id)
            if isinstance(section, Section):
                lines += ["", *section_block(section)]
                hits.append(Hit(section.id, "section", 100.0, (), ""))
        reply = Reply(fit(lines), (_CONTENTS_ROW,))
        return Answer(reply, True, hits[0].id if hits else None, tuple(hits))

    # -- browsing --------------------------------------------------------------------------------------
    def measures(self, args: str) -> Reply:
        """/tiltak: a measure (or an area) by its number as people type it, or several at once; what the command
        expects when it is given no number."""
        ids = list(dict.fromkeys(measure_numbers(args) or ()))
        if not ids:
            return Reply(texts.MEASURE_NOT_A_NUMBER.format(text=echo(args, 40)))
        if len(ids) == 1:
            return self.measure(ids[0])
        found = [hit for hit in map(self._hit_for, ids) if hit]
        measures = self.agreement.measures
        missing = ", ".join(escape(item_id) for item_id in ids if self.agreement.find(item_id) is None)
        lines = (
            [texts.UNKNOWN_MEASURE.format(id=missing, first=measures[0].id, last=measures[-1].id)] if missing else []
        )
        if not found:
            return Reply("\n".join(lines), (_CONTENTS_ROW,))
        return self._hits_reply("\n".join([*lines, texts.ANSWER_HEADER_PLAIN]), found)

    def measure(self, raw_id: str) -> Reply:
        measure_id = canonical_measure_id(raw_id.strip())
        item = self.agreement.find(measure_id)
        if isinstance(item, Area):
            return self.area(item.id)
        if not isinstance(item, Measure):
            measures = self.agreement.measures
            return Reply(
                texts.UNKNOWN_MEASURE.format(id=echo(raw_id), first=measures[0].id, last=measures[-1].id),
                (_CONTENTS_ROW,),
            )
        buttons = [Button(texts.BUTTON_AREA.format(id=item.area_id), callbacks.area(item.area_id))]
        buttons += [Button(child.id, callbacks.measure(child.id)) for child in self.agreement.children(item.id)]
        return Reply(fit(measure_full(self.agreement, item)), (tuple(buttons),))

    def area(self, area_id: str) -> Reply:
        item = self.agreement.find(area_id)
        if not isinstance(item, Area):
            return self.contents()
        measure_buttons = [Button(m.id, callbacks.measure(m.id)) for m in item.measures]
        rows = [tuple(measure_buttons[i : i + 5]) for i in range(0, len(measure_buttons), 5)]
        rows.append(_CONTENTS_ROW)
        return Reply(fit(area_full(item)), tuple(rows))

    def contents(self) -> Reply:
        lines = [texts.CONTENTS_HEADER]
        for area in self.agreement.areas:
            lines.append(
                texts.CONTENTS_AREA_LINE.format(
                    id=escape(area.id),
                    title=escape(area.title),
                    hashtag=escape(area.hashtag),
                    count=len(area.measures),
                )
            )
        buttons = tuple(Button(f"{area.id}. {area.title}", callbacks.area(area.id)) for area in self.agreement.areas)
        return Reply("\n".join(lines), tuple((button,) for button in buttons))

    def about(self) -> Reply:
        parties = " og ".join(f"{escape(p.name)} ({escape(p.short)})" for p in self.agreement.parties)
        areas = "\n".join(f"{escape(a.id)}. {escape(a.title)} {escape(a.hashtag)}" for a in self.agreement.areas)
        return Reply(
            texts.ABOUT.format(
                title=escape(self.agreement.title),
                parties=parties,
                period=escape(self.agreement.period),
                areas=areas,
            ),
            (_CONTENTS_ROW,),
        )

    def help(
        self,
        username: str,
        *,
        private: bool = True,
        admin: bool = False,
        without: tuple[commands.Command, ...] = (),
        inline: bool = True,
    ) -> Reply:
        """The commands this person may use here (`commands.offered`, less `without`: those this place cannot
        run); the admin commands under their own heading, and only for the partnership's admins. `inline`:
        the line on `@bot sykkel`, which only Telegram can do."""
        scope = commands.Scope.PRIVATE if private else commands.Scope.GROUP
        offered = [c for c in commands.offered(scope, chat_admin=True, partnership_admin=admin) if c not in without]
        lines = [f"{escape(c.usage)} – {escape(c.description)}" for c in offered if not c.admin_only]
        admin_lines = [f"{escape(c.usage)} – {escape(c.description)}" for c in offered if c.admin_only]
        if admin_lines:
            lines += ["", texts.HELP_ADMIN_HEADER, *admin_lines]
        text = texts.HELP.format(commands="\n".join(lines))
        return Reply(text + texts.HELP_INLINE.format(username=escape(username)) if inline else text)

    def milestones(self, chat_id: int | None = None) -> Reply:
        """/milepaeler: the desk's list, with a "Legg i kalender" button for each milestone with a date; in a chat
        (`chat_id`) its footer fits the chat's subscriptions."""
        assert self.desk is not None
        now = self.clock()
        listed = self.desk.list_reply(now, chat_id)
        rows = tuple(
            (Button(cut(texts.BUTTON_CALENDAR.format(title=m.title), 60)[0], callbacks.calendar(m.id)),)
            for m, _ in self.desk.dated(now)
        )
        return Reply(listed.html, listed.buttons + rows)

    def welcome(self, payload: str = "") -> Reply:
        """/start, or a deep link such as t.me/bot?start=m3-2 (measure 3.2) or start=a3 (area 3)."""
        match = _DEEP_LINK.match(payload.strip())
        if match:
            item_id = match.group("id").replace("-", ".")
            return self.measure(item_id) if match.group("kind") == "m" else self.area(item_id)
        return Reply(texts.WELCOME.format(bot_name=texts.BOT_NAME), (_CONTENTS_ROW,))

    # -- buttons ---------------------------------------------------------------------------------------
    def on_button(self, data: str) -> Reply:
        """The reply a button press shows; the data is all there is (the bot may have restarted since)."""
        action = callbacks.parse(data)
        if isinstance(action, callbacks.ShowMeasure):
            return self.measure(action.measure_id)
        if isinstance(action, callbacks.ShowArea):
            return self.area(action.area_id)
        if isinstance(action, callbacks.Contents):
            return self.contents()
        if isinstance(action, callbacks.MoreForQuery):
            return self.answer(action.query, action.offset).reply
        if isinstance(action, callbacks.MoreByIds):
            found = [hit for hit in map(self._hit_for, action.ids) if hit]
            if found:
                return self._hits_reply(texts.ANSWER_MORE_FOR_IDS, found)
        if isinstance(action, callbacks.AddToCalendar):  # in Telegram the adapter sends a file instead
            return Reply(texts.CALENDAR_TELEGRAM_ONLY)
        if isinstance(action, callbacks.StatisticsPage):
            return Reply(texts.STAFF_TELEGRAM_ONLY)
        return Reply(texts.EXPIRED_BUTTON)

    def _hit_for(self, item_id: str, score: float = 0.0) -> Hit | None:
        item = self.agreement.find(item_id)
        if item is None:
            return None
        kind: Kind = "measure" if isinstance(item, Measure) else "area" if isinstance(item, Area) else "section"
        return Hit(item_id, kind, score, (), "")

    # -- inline mode -----------------------------------------------------------------------------------
    def inline(self, query: str, limit: int = 50) -> list[InlineArticle]:
        """Articles for `@bot sykkel`: matching measures; the areas when the query is empty."""
        query = " ".join(query.split())[:MAX_QUERY]
        if not query:
            return [self._area_article(area) for area in self.agreement.areas]
        articles = []
        for hit in self.index.search(query, limit=limit):  # Telegram shows up to 50 results at once
            item = self.agreement.find(hit.id)
            if isinstance(item, Measure):
                area = self.agreement.area(item.area_id)
                articles.append(
                    InlineArticle(
                        f"m:{item.id}",
                        f"Tiltak {item.id} · {area.title}",
                        hit.snippet,
                        fit(measure_full(self.agreement, item)),
                    )
                )
            elif isinstance(item, Area):
                articles.append(self._area_article(item))
            elif isinstance(item, Section):
                articles.append(InlineArticle(f"s:{item.id}", item.title, hit.snippet, fit(section_block(item))))
        return articles

    @staticmethod
    def _area_article(area: Area) -> InlineArticle:
        return InlineArticle(
            f"a:{area.id}",
            f"{area.id}. {area.title}",
            texts.INLINE_AREA_DESCRIPTION.format(hashtag=area.hashtag, count=len(area.measures)),
            fit(area_full(area)),
        )


def measure_numbers(text: str) -> list[str] | None:
    """The measure (or area) numbers a message holds and nothing else, as the agreement numbers them ("3,2" and
    "03.2" → "3.2", "2.1 a" → "2.1.A", "3." → "3"); None if it holds anything else."""
    text = _NUMBERS_PREFIX.sub("", text.strip()).rstrip("?!").strip()
    parts = [part for part in _NUMBERS_SEPARATOR.split(text) if part]
    ids: list[str] = []
    for part in parts:
        if re.fullmatch(r"[a-bA-B]\.?", part) and ids and ids[-1][-1].isdigit():  # "2.1 a": the letter of 2.1
            ids[-1] += "." + part[0].upper()
            continue
        match = _NUMBER.fullmatch(part)
        if not match:
            return None
        number = ".".join(str(int(digits)) for digits in re.split(r"[.,]", match.group("parts")))
        ids.append(number + ("." + match.group("letter").upper() if match.group("letter") else ""))
    return ids or None


def _whole_words(text: str, start: int, end: int) -> str:
    """The words from `start` to `end` as typed, each whole up to the spaces around it, so markup around or inside
    a word is said back as typed ("<b>sykkel</b>", "&amp;"), never cut in half; only sentence marks at its ends
    are left out."""
    first, last = start, end
    while first > 0 and not text[first - 1].isspace():
        first -= 1
    while last < len(text) and not text[last].isspace():
        last += 1
    while first < start and text[first] in _SENTENCE_MARKS:
        first += 1
    while last > end and text[last - 1] in _SENTENCE_MARKS:
        last -= 1
    return text[first:last]


def load_assistant(database: Database) -> Assistant:
    """The assistant over the shipped knowledge and the database's milestone edits; raises `DataFileError`
    if a data file is broken."""
    from bot.knowledge import load_agreement
    from bot.milestones.model import load_milestones
    from bot.search import build_index

    agreement = load_agreement()
    desk = MilestoneDesk(agreement, load_milestones(agreement), database)
    return Assistant(agreement, build_index(agreement), desk)
