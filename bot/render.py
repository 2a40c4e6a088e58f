"""Turning the agreement and search hits into Telegram HTML: escaped, marked, and never over Telegram's limits."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot import callbacks, texts
from bot.knowledge import Agreement, Area, Measure, Section

MAX_MESSAGE = 4096  # Telegram's limit on a message's text, after entity parsing
ANSWER_TEXT_LIMIT = 400  # a measure's text in an answer is cut here, with a button to read it all
LIST_TEXT_LIMIT = 160  # in an area's list of measures


@dataclass(frozen=True)
class Button:
    text: str
    data: str  # made by `bot.callbacks`: self-contained, so it works after a restart

    def __post_init__(self) -> None:
        callbacks.check(self.data)


@dataclass(frozen=True)
class Reply:
    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def mark(text: str, words: Iterable[str]) -> str:
    """The text escaped, with every whole occurrence of the words in bold."""
    alternatives = sorted({word for word in words if word}, key=len, reverse=True)
    if not alternatives:
        return escape(text)
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, alternatives)) + r")(?!\w)", re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<b>{escape(match.group())}</b>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def cut(text: str, limit: int) -> tuple[str, bool]:
    """The text cut at a word boundary before `limit` characters, and whether it was cut."""
    if len(text) <= limit:
        return text, False
    position = text.rfind(" ", 0, limit - 1)
    return text[: position if position > limit // 2 else limit - 1].rstrip(" ,;:–-") + texts.SNIPPET_CUT, True


def fit(lines: Sequence[str], limit: int = MAX_MESSAGE) -> str:
    """Join whole lines (each valid HTML on its own) up to the limit, so a tag is never cut in half."""
    kept: list[str] = []
    size = 0
    for line in lines:
        extra = len(line) + (1 if kept else 0)
        if size + extra > limit - 2:
            kept.append(texts.SNIPPET_CUT)
            break
        kept.append(line)
        size += extra
    return "\n".join(kept)


def measure_heading(agreement: Agreement, measure: Measure) -> str:
    area = agreement.area(measure.area_id)
    return texts.MEASURE_TITLE.format(
        id=escape(measure.id), area_title=escape(area.title), hashtag=escape(area.hashtag)
    )


def measure_block(
    agreement: Agreement, measure: Measure, words: Iterable[str] = (), limit: int | None = None
) -> tuple[list[str], bool]:
    """A measure's heading and text (marked, cut to `limit`); whether it was cut."""
    text, was_cut = cut(measure.text, limit) if limit else (measure.text, False)
    lines = [measure_heading(agreement, measure)]
    if measure.parent_id:
        parent = agreement.measure(measure.parent_id)
        if parent:
            lines.append(texts.MEASURE_PARENT.format(id=escape(parent.id), text=escape(cut(parent.text, 120)[0])))
    lines.append(mark(text, words))
    return lines, was_cut


def measure_full(agreement: Agreement, measure: Measure) -> list[str]:
    lines, _ = measure_block(agreement, measure)
    area_title = agreement.area(measure.area_id).title
    if measure.group and measure.group.casefold() != area_title.casefold():  # the heading already names it
        lines.insert(1, texts.MEASURE_GROUP.format(group=escape(measure.group.capitalize())))
    children = agreement.children(measure.id)
    if children:
        lines.append(texts.MEASURE_CHILDREN.format(ids=", ".join(escape(child.id) for child in children)))
    return lines


def area_heading(area: Area) -> list[str]:
    lines = [texts.AREA_TITLE.format(id=escape(area.id), title=escape(area.title), hashtag=escape(area.hashtag))]
    if area.sdg_number is not None and area.sdg_title:
        lines.append(texts.AREA_SDG.format(number=area.sdg_number, title=escape(area.sdg_title)))
    return lines


def area_full(area: Area) -> list[str]:
    lines = area_heading(area)
    if area.intro:
        lines.append(f"<i>{escape(area.intro)}</i>")
    group = None
    for measure in area.measures:
        if measure.group and measure.group != group:
            group = measure.group
            lines.append("")
            lines.append(texts.MEASURE_GROUP.format(group=escape(group.capitalize())))
        lines.append(f"<b>{escape(measure.id)}</b> {escape(cut(measure.text, LIST_TEXT_LIMIT)[0])}")
    return lines


def section_block(section: Section, words: Iterable[str] = ()) -> list[str]:
    return [texts.SECTION_TITLE.format(title=escape(section.title))] + [mark(p, words) for p in section.paragraphs]


def plain(html_text: str) -> str:
    """Telegram HTML as terminal text: bold and italics as *stars*, other tags dropped, entities decoded."""
    text = re.sub(r"</?(b|strong)>", "*", html_text)
    text = re.sub(r"</?(i|em)>", "_", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)
