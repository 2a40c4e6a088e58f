"""The staff tools as the chat sees them: /statistikk, /laer, /glem, /ordliste, /endringer.

Pure Python over the database and the assistant; the Telegram adapter decides who is a partnership admin and
sends what this returns. A taught or forgotten word swaps the assistant's search index for one rebuilt with the
taught words, so every chat searches with it from the next question on, without a restart.
"""

from __future__ import annotations

from datetime import date, datetime

from bot import commands, texts
from bot.assistant import Assistant
from bot.knowledge import Area, Measure
from bot.milestones.dates import OSLO
from bot.render import Reply, escape, fit
from bot.search import SearchIndex, build_index
from bot.search.analysis import fold, tokenize
from bot.search.lexicon import Lexicon, load_lexicon
from bot.staff import report
from bot.staff.words import (
    TeachingError,
    check_side,
    content_keys,
    parse_lesson,
    shipped_meaning,
    with_taught,
)
from bot.storage import Actor, Change, Database, TaughtWord

WEEKLY_ON = ("ukentlig", "ukentleg", "ukesoppsummering")
WEEKLY_OFF = ("stopp", "stop", "av")
CHANGES_SHOWN = 30
FINDS_SHOWN = 3


def when_text(moment: datetime) -> str:
    local = moment.astimezone(OSLO)
    return f"{local:%d.%m.%Y} kl. {local:%H.%M}"


class StaffDesk:
    def __init__(self, assistant: Assistant, database: Database, base_lexicon: Lexicon | None = None) -> None:
        self.assistant = assistant
        self.database = database
        self.base_lexicon = base_lexicon or load_lexicon()
        if database.taught_words():  # taught before a restart: the index the assistant started with lacks them
            self.assistant.index = self._index(database.taught_words())

    def run(self, command: str, args: str, actor: Actor, now: datetime) -> Reply:
        """A staff command (see `bot.commands.STAFF_COMMANDS`), after the adapter checked who may and where."""
        handlers = {
            commands.STATISTICS.name: lambda: self.statistics(args, actor, now),
            commands.TEACH.name: lambda: self.teach(args, actor, now),
            commands.FORGET.name: lambda: self.forget(args, actor, now),
            commands.WORD_LIST.name: self.word_list,
            commands.CHANGES.name: self.changes,
        }
        return handlers[command]()

    # -- statistics ------------------------------------------------------------------------------------
    def statistics(self, args: str, actor: Actor, now: datetime) -> Reply:
        word = args.strip().lower()
        if word in WEEKLY_ON:
            added = self.database.subscribe_summary(actor.chat_id, actor.user_id, now)
            return Reply(texts.STATS_WEEKLY_ON if added else texts.STATS_WEEKLY_ALREADY)
        if word in WEEKLY_OFF:
            removed = self.database.unsubscribe_summary(actor.chat_id)
            return Reply(texts.STATS_WEEKLY_OFF if removed else texts.STATS_WEEKLY_NOT_ON)
        try:
            period = report.parse_period(args, now)
        except report.PeriodError as error:
            return Reply(f"{error}\n{texts.STATS_USAGE}")
        return report.report(self.assistant.agreement, self.database, period)

    def statistics_page(self, data: str) -> Reply:
        """A page button of a report; the data holds the period, so it works after a restart."""
        parsed = report.period_from_data(data)
        if parsed is None:
            return Reply(texts.EXPIRED_BUTTON)
        period, page = parsed
        return report.report(self.assistant.agreement, self.database, period, page)

    def weekly_summary(self, monday: date) -> Reply:
        """The summary sent on a Monday: the seven days before it."""
        period = report.week_before(monday)
        return report.report(self.assistant.agreement, self.database, period, footer=texts.STATS_WEEKLY_FOOTER)

    # -- taught words ----------------------------------------------------------------------------------
    def _index(self, taught: list[TaughtWord]) -> SearchIndex:
        return build_index(self.assistant.agreement, with_taught(self.base_lexicon, taught))

    def _finds(self, index: SearchIndex, word: str) -> str:
        described: list[str] = []
        for hit in index.search(word)[:FINDS_SHOWN]:
            item = self.assistant.agreement.find(hit.id)
            if isinstance(item, Measure):
                described.append(texts.FINDS_MEASURE.format(id=escape(item.id)))
            elif isinstance(item, Area):
                described.append(texts.FINDS_AREA.format(id=escape(item.id)))
            elif item is not None:
                described.append(f"«{escape(item.title)}»")
        if len(described) > 1:
            return ", ".join(described[:-1]) + texts.FINDS_AND + described[-1]
        return described[0] if described else ""

    def teach(self, args: str, actor: Actor, now: datetime) -> Reply:
        """/laer ord = ord i avtalen: checked, stored with its change-log line, and searched with at once."""
        current = self.assistant.index
        try:
            lesson = parse_lesson(args, self.base_lexicon)
        except TeachingError as error:
            return Reply(str(error) if str(error) == texts.TEACH_USAGE else f"{error}\n{texts.TEACH_USAGE}")
        word = escape(lesson.word)
        taught = self.database.taught_words()
        keys = content_keys(lesson.word, self.base_lexicon)
        for existing in taught:
            if content_keys(existing.word, self.base_lexicon) == keys:
                return Reply(self._already_taught(existing))
        content = [t.surface for t in tokenize(lesson.word) if t.surface not in self.base_lexicon.stopwords]
        if all(current.has_term(part) for part in content) and current.search(lesson.word):
            return Reply(texts.TEACH_IN_AGREEMENT.format(word=word, finds=self._finds(current, lesson.word)))
        shipped = shipped_meaning(self.base_lexicon, lesson.word)
        if shipped is not None:
            return Reply(texts.TEACH_SHIPPED.format(word=word, means=escape(", ".join(shipped))))
        missing = [meant for meant in lesson.means if not current.has_term(meant)]
        if missing:
            listed = ", ".join(f"«{escape(meant)}»" for meant in missing)
            return Reply(texts.TEACH_NOT_IN_AGREEMENT.format(words=listed))
        means = escape(", ".join(lesson.means))
        new = TaughtWord(lesson.word, lesson.means, actor.user_id, actor.chat_id, now)
        candidate = self._index([*taught, new])
        finds = self._finds(candidate, lesson.word)
        if not finds:
            return Reply(texts.TEACH_FINDS_NOTHING.format(word=word, means=means))
        if not self.database.teach_word(new):  # taught by someone else a moment ago
            found = next((t for t in self.database.taught_words() if t.word == lesson.word), new)
            return Reply(self._already_taught(found))
        self.assistant.index = candidate  # every chat's next question searches with it
        return Reply(
            "\n".join(
                [
                    texts.TAUGHT.format(word=word, means=means, finds=finds),
                    self._answers(current, candidate, lesson.word),
                ]
            )
        )

    def _already_taught(self, existing: TaughtWord) -> str:
        return texts.TEACH_ALREADY_TAUGHT.format(
            word=escape(existing.word),
            means=escape(", ".join(existing.means)),
            user=existing.taught_by,
            when=when_text(existing.taught_at),
        )

    def _answers(self, before: SearchIndex, after: SearchIndex, word: str) -> str:
        """How many logged unanswered questions the taught word now answers (only those that hold it are
        searched again)."""
        keys = set(content_keys(word, self.base_lexicon))
        prefixes = [key[: max(3, len(key) - 2)] for key in keys]  # a cheap test before the analysis
        count = groups = 0
        for row in report.group_unanswered(self.database.unanswered_between()):
            folded = fold(row.label.lower())
            if not all(prefix in folded for prefix in prefixes):
                continue
            if not keys <= set(content_keys(row.label, self.base_lexicon)):
                continue
            if after.search(row.label) and not before.search(row.label):
                count += row.count
                groups += 1
        if not count:
            return texts.TAUGHT_ANSWERS_NONE
        return texts.TAUGHT_ANSWERS.format(count=count, groups=groups, different=texts.DIFFERENT[groups == 1])

    def forget(self, args: str, actor: Actor, now: datetime) -> Reply:
        if not args.strip():
            return Reply(texts.FORGET_USAGE)
        try:
            word = check_side(args, list_allowed=False)
        except TeachingError as error:
            return Reply(f"{error}\n{texts.FORGET_USAGE}")
        removed = self.database.forget_word(word, actor, now)
        if removed is None:
            if shipped_meaning(self.base_lexicon, word) is not None:
                return Reply(texts.FORGET_SHIPPED.format(word=escape(word)))
            return Reply(texts.FORGET_NOT_TAUGHT.format(word=escape(word)))
        self.assistant.index = self._index(self.database.taught_words())
        return Reply(texts.FORGOTTEN.format(word=escape(word), means=escape(", ".join(removed.means))))

    def word_list(self) -> Reply:
        taught = self.database.taught_words()
        if not taught:
            return Reply(texts.WORDS_NONE)
        lines = [texts.WORDS_HEADER.format(count=len(taught))]
        for word in taught:
            lines.append(
                texts.WORDS_LINE.format(
                    word=escape(word.word),
                    means=escape(", ".join(word.means)),
                    user=word.taught_by,
                    when=when_text(word.taught_at),
                )
            )
        return Reply(fit(lines))

    # -- the change log --------------------------------------------------------------------------------
    def changes(self) -> Reply:
        changes: list[Change] = self.database.changes(CHANGES_SHOWN)
        if not changes:
            return Reply(texts.CHANGES_NONE)
        lines = [texts.CHANGES_HEADER]
        for change in changes:
            lines.append(
                texts.CHANGES_LINE.format(
                    when=when_text(change.at),
                    action=escape(change.action),
                    subject=escape(change.subject),
                    user=change.actor.user_id,
                    chat=change.actor.chat_id,
                    old=escape(change.old) if change.old else texts.CHANGES_NOTHING,
                    new=escape(change.new) if change.new else texts.CHANGES_NOTHING,
                )
            )
        return Reply(fit(lines))
