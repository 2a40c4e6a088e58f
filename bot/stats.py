"""`python -m bot stats`: what staff ask, and what the agreement could not answer (words for the lexicon)."""

from __future__ import annotations

from bot.knowledge import Area, Measure, load_agreement
from bot.settings import load_settings
from bot.staff.report import group_unanswered
from bot.storage import open_database


def print_stats(limit: int) -> int:
    """The report; bad settings, a broken data file or no database raise `OperatorError` for the CLI."""
    database = open_database(load_settings().database_url)
    agreement = load_agreement()
    try:
        total, answered = database.question_count()
        print(f"Questions logged: {total} ({answered} answered, {total - answered} unanswered)")
        print(f"\nMost asked subjects (top result), at most {limit}:")
        for row in database.top_subjects(limit):
            item = agreement.find(row.label)
            title = (
                f"tiltak {item.id}: {item.text[:60]}"
                if isinstance(item, Measure)
                else f"område {item.id}: {item.title}"
                if isinstance(item, Area)
                else (item.title if item else row.label)
            )
            print(f"  {row.count:5d}  {title}")
        print(f"\nUnanswered questions, at most {limit} (candidates for knowledge/synonyms.yaml):")
        for row in group_unanswered(database.unanswered_between())[:limit]:  # grouped and shown as /statistikk does
            print(f"  {row.count:5d}  {row.label}")
    finally:
        database.close()
    return 0
