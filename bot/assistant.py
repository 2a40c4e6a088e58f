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
from bot.knowledge import Agreement, Area, Measure, Section, canonical_measure_id
from bot.milestones.dates import OSLO
from bot.milestones.desk import MilestoneDesk, is_when_question
from bot.render import (
    ANSWER_TEXT_LIMIT,
    Button,
    Reply,
    area_full,
    area_heading,
    cut,
    escape,
    fit,
    measure_block,
    measure_full,
    section_block,
)
from bot.search import Hit, SearchIndex
from bot.search.engine import Kind
from bot.storage import Database

PAGE_SIZE = 3
MAX_QUERY = 256  # Telegram's inline query limit; longer questions are searched by their beginning
_DEEP_LINK = re.compile(r"^(?P<kind>[ma])(?P<id>[0-9][0-9A-Za-z-]*)$")
_MEASURE_NUMBER = re.compile(r"^\s*(?:tiltak\s*)?(\d{1,2}(?:\.\d{1,2}){1,2}(?:\.?[a-bA-B])?)\s*\.?\s*$")
_CONTENTS_ROW = (Button(texts.BUTTON_CONTENTS, callbacks.contents()),)


@dataclass(frozen=True)
class Answer:
    """A reply to a question, with what the question log keeps of it."""

    reply: Reply
    answered: bool
    top_id: str | None


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
        desk: MilestoneDesk | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(OSLO),
    ) -> None:
        self.agreement = agreement
        self.index = index
        self.desk = desk
        self.clock = clock

    # -- questions -------------------------------------------------------------------------------------
    def answer(self, question: str, offset: int = 0) -> Answer:
        """The best measures for a question, or a plain "the agreement does not say" with suggestions."""
        query = " ".join(question.split())[:MAX_QUERY]
        if not query:
            return Answer(Reply(texts.EMPTY_QUESTION), False, None)
        hits = self.index.search(query)
        subject = " ".join(self.index.content_words(query))
        if not hits:
            if not subject:  # "hei", "takk", "hva sier avtalen?": nothing to search for
                return Answer(Reply(texts.ONLY_FILLER, (_CONTENTS_ROW,)), False, None)
            return Answer(self._no_answer(query, subject), False, None)
        if offset:
            header = texts.ANSWER_MORE_HEADER.format(query=escape(subject or query))
        else:
            header = texts.ANSWER_HEADER.format(query=escape(subject)) if subject else texts.ANSWER_HEADER_PLAIN
        lines = [header]
        if offset == 0 and self.desk is not None and is_when_question(query):
            when = self.desk.when_lines([hit.id for hit in hits[:PAGE_SIZE]], self.clock())
            lines = [*when, "", *lines] if when else lines
        if offset >= len(hits):
            return Answer(Reply(texts.NO_MORE_RESULTS, (_CONTENTS_ROW,)), True, hits[0].id)
        reply = self._hits_reply("\n".join(lines), hits, offset, query)
        return Answer(reply, True, hits[0].id)

    def bare_measure_id(self, text: str) -> str | None:
        """The measure id of a message that is only a measure number ("3.2", "tiltak 2.1 a" → "2.1.A"), or None."""
        match = _MEASURE_NUMBER.match(text)
        if not match:
            return None
        return canonical_measure_id(match.group(1))

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
        return Reply(fit(lines), tuple(rows))

    def _no_answer(self, query: str, subject: str) -> Reply:
        lines = [texts.NO_ANSWER.format(query=escape(subject))]
        suggestions = self.index.suggestions(query)
        if suggestions:
            lines.append(
                texts.NO_ANSWER_SUGGESTIONS.format(suggestions=", ".join(f"<i>{escape(s)}</i>" for s in suggestions))
            )
        lines.append(texts.NO_ANSWER_BROWSE)
        return Reply("\n".join(lines), (_CONTENTS_ROW,))

    # -- browsing --------------------------------------------------------------------------------------
    def measure(self, raw_id: str) -> Reply:
        measure_id = canonical_measure_id(raw_id.strip())
        item = self.agreement.find(measure_id)
        if isinstance(item, Area):
            return self.area(item.id)
        if not isinstance(item, Measure):
            measures = self.agreement.measures
            return Reply(
                texts.UNKNOWN_MEASURE.format(id=escape(raw_id.strip()), first=measures[0].id, last=measures[-1].id),
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

    def help(self, username: str, *, private: bool = True, admin: bool = False) -> Reply:
        """The commands this person may use here (`commands.offered`); the admin commands under their own
        heading, and only for the partnership's admins."""
        scope = commands.Scope.PRIVATE if private else commands.Scope.GROUP
        offered = commands.offered(scope, chat_admin=True, partnership_admin=admin)
        lines = [f"{escape(c.usage)} – {escape(c.description)}" for c in offered if not c.admin_only]
        admin_lines = [f"{escape(c.usage)} – {escape(c.description)}" for c in offered if c.admin_only]
        if admin_lines:
            lines += ["", texts.HELP_ADMIN_HEADER, *admin_lines]
        return Reply(texts.HELP.format(commands="\n".join(lines), username=escape(username)))

    def milestones(self) -> Reply:
        """/milepaeler: the desk's list, with a "Legg i kalender" button for each milestone with a date."""
        assert self.desk is not None
        now = self.clock()
        listed = self.desk.list_reply(now)
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

    def _hit_for(self, item_id: str) -> Hit | None:
        item = self.agreement.find(item_id)
        if item is None:
            return None
        kind: Kind = "measure" if isinstance(item, Measure) else "area" if isinstance(item, Area) else "section"
        return Hit(item_id, kind, 0.0, (), "")

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


def load_assistant(database: Database | None = None) -> Assistant:
    """The assistant over the shipped knowledge (and the database's milestone edits, if given); raises
    `DataFileError` if a data file is broken."""
    from bot.knowledge import load_agreement
    from bot.milestones.model import load_milestones
    from bot.search import build_index

    agreement = load_agreement()
    desk = MilestoneDesk(agreement, load_milestones(agreement), database)
    return Assistant(agreement, build_index(agreement), desk)
