"""What the bot answers, independent of Telegram: questions, measures, areas, buttons and inline results.

The Telegram handlers and the terminal chat both call this and only send what it returns, so the two
always say the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot import commands, texts
from bot.knowledge import Agreement, Area, Measure, Section, canonical_measure_id
from bot.milestones.dates import OSLO
from bot.milestones.desk import MilestoneDesk, is_when_question
from bot.render import (
    ANSWER_TEXT_LIMIT,
    MAX_CALLBACK_DATA,
    Button,
    Reply,
    area_full,
    area_heading,
    echo,
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
                return Answer(Reply(texts.ONLY_FILLER, ((Button(texts.BUTTON_CONTENTS, "c"),),)), False, None)
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
            return Answer(Reply(texts.NO_MORE_RESULTS, ((Button(texts.BUTTON_CONTENTS, "c"),),)), True, hits[0].id)
        reply = self._hits_reply("\n".join(lines), hits, offset, query)
        return Answer(reply, True, hits[0].id)

    def is_measure_number(self, text: str) -> str | None:
        """A message that is only a measure number ("3.2", "tiltak 2.1 a") opens that measure."""
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
                    read_all.append(Button(texts.BUTTON_READ_ALL.format(id=item.id), f"m:{item.id}"))
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
        rows.append(tuple(Button(texts.BUTTON_AREA.format(id=area), f"a:{area}") for area in areas[:2]))
        if rest:
            rows.append((Button(texts.BUTTON_MORE, self._more_data(query, rest, offset + PAGE_SIZE)),))
        return Reply(fit(lines), tuple(rows))

    @staticmethod
    def _more_data(query: str | None, rest: list[Hit], next_offset: int) -> str:
        """Callback data for the next page: the query and offset if they fit in 64 bytes, else the ids left."""
        by_query = f"q:{next_offset}:{query}" if query else ""
        if by_query and len(by_query.encode()) <= MAX_CALLBACK_DATA:
            return by_query
        data = "h:"
        for hit in rest:
            candidate = data + ("," if data != "h:" else "") + hit.id
            if len(candidate.encode()) > MAX_CALLBACK_DATA:
                break
            data = candidate
        return data

    def _no_answer(self, query: str, subject: str) -> Reply:
        lines = [texts.NO_ANSWER.format(query=escape(subject))]
        suggestions = self.index.suggestions(query)
        if suggestions:
            lines.append(
                texts.NO_ANSWER_SUGGESTIONS.format(suggestions=", ".join(f"<i>{escape(s)}</i>" for s in suggestions))
            )
        lines.append(texts.NO_ANSWER_BROWSE)
        return Reply("\n".join(lines), ((Button(texts.BUTTON_CONTENTS, "c"),),))

    # -- browsing --------------------------------------------------------------------------------------
    def measure(self, raw_id: str) -> Reply:
        measure_id = canonical_measure_id(raw_id.strip())
        item = self.agreement.find(measure_id)
        if isinstance(item, Area):
            return self.area(item.id)
        if not isinstance(item, Measure):
            measures = self.agreement.measures
            return Reply(
                texts.UNKNOWN_MEASURE.format(id=echo(raw_id), first=measures[0].id, last=measures[-1].id),
                ((Button(texts.BUTTON_CONTENTS, "c"),),),
            )
        buttons = [Button(texts.BUTTON_AREA.format(id=item.area_id), f"a:{item.area_id}")]
        buttons += [Button(child.id, f"m:{child.id}") for child in self.agreement.children(item.id)]
        return Reply(fit(measure_full(self.agreement, item)), (tuple(buttons),))

    def area(self, area_id: str) -> Reply:
        item = self.agreement.find(area_id)
        if not isinstance(item, Area):
            return self.contents()
        measure_buttons = [Button(m.id, f"m:{m.id}") for m in item.measures]
        rows = [tuple(measure_buttons[i : i + 5]) for i in range(0, len(measure_buttons), 5)]
        rows.append((Button(texts.BUTTON_CONTENTS, "c"),))
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
        buttons = tuple(Button(f"{area.id}. {area.title}", f"a:{area.id}") for area in self.agreement.areas)
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
            ((Button(texts.BUTTON_CONTENTS, "c"),),),
        )

    def help(self, username: str) -> Reply:
        lines = [f"{escape(c.usage)} – {escape(c.description)}" for c in commands.COMMANDS]
        return Reply(texts.HELP.format(commands="\n".join(lines), username=escape(username)))

    def welcome(self, payload: str = "") -> Reply:
        """/start, or a deep link such as t.me/bot?start=m3-2 (measure 3.2) or start=a3 (area 3)."""
        match = _DEEP_LINK.match(payload.strip())
        if match:
            item_id = match.group("id").replace("-", ".")
            return self.measure(item_id) if match.group("kind") == "m" else self.area(item_id)
        return Reply(texts.WELCOME.format(bot_name=texts.BOT_NAME), ((Button(texts.BUTTON_CONTENTS, "c"),),))

    # -- buttons ---------------------------------------------------------------------------------------
    def on_button(self, data: str) -> Reply:
        """The reply a button press shows; the data is all there is (the bot may have restarted since)."""
        kind, _, rest = data.partition(":")
        if kind == "m" and rest:
            return self.measure(rest)
        if kind == "a" and rest:
            return self.area(rest)
        if kind == "c":
            return self.contents()
        if kind == "q":
            offset, _, query = rest.partition(":")
            if offset.isdigit() and query:
                return self.answer(query, int(offset)).reply
        if kind == "h" and rest:
            hits = [self._hit_for(item_id) for item_id in rest.split(",")]
            found = [hit for hit in hits if hit]
            if found:
                return self._hits_reply(texts.ANSWER_MORE_FOR_IDS, found)
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
