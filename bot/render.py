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
ECHO_LIMIT = 80  # what someone typed, when a reply says it back
# A terminal's escape sequences (CSI such as ESC[31m, OSC up to its end, or ESC and one character) and the
# control characters (C0 but the line break, DEL, C1): what a person typed may hold them, a reply never does.
_TERMINAL_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x9b[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?"
)
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Button:
    text: str
    data: str  # made by `bot.callbacks`: self-contained, so it works after a restart

    def __post_init__(self) -> None:
        callbacks.check(self.data)


@dataclass(frozen=True)
class Reply:
    """A message to send; its text never holds a control character, whatever was typed into it (a terminal
    would beep or change colour, a chat would show odd boxes)."""

    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "html", printable(self.html, keep_lines=True))


def printable(text: str, keep_lines: bool = False) -> str:
    """The text without terminal escape sequences and control characters, each a space (`keep_lines`: line
    breaks stay)."""
    if not _ANY_CONTROL.search(text):
        return text
    text = _TERMINAL_SEQUENCE.sub(" ", text)
    return (_CONTROL if keep_lines else _ANY_CONTROL).sub(" ", text)


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


def fit(lines: Sequence[str]) -> str:
    """Whole lines (each valid HTML on its own) joined; `pages` splits what is longer than a message."""
    return "\n".join(lines)


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """What someone typed, said back: on one line, without control characters, cut to `limit` characters,
    escaped."""
    return escape(cut(" ".join(printable(text).split()), limit)[0])


# -- Telegram's length limit ---------------------------------------------------------------------------
# Telegram counts a message after parsing its entities, in UTF-16 code units: "&lt;" is one, "😀" is two,
# tags are none. `pages` is the one place that makes every message fit; the adapter sends each page.
_TAG_OR_ENTITY = re.compile(r"<(/?)([A-Za-z][\w-]*)[^>]*>|&(?:#x[0-9A-Fa-f]+|#\d+|[A-Za-z]+);")
_PIECE = 64  # a run of text without a space is cut into pieces this long, so it can break anywhere


@dataclass(frozen=True)
class _Atom:
    raw: str
    size: int  # UTF-16 code units once parsed
    tag: str = ""  # the tag's name, for a tag
    closing: bool = False
    separator: str = ""  # "\n" or " " where a page may break


def units(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _atoms(html_text: str) -> list[_Atom]:
    atoms: list[_Atom] = []

    def add_text(text: str) -> None:
        for part in re.split(r"(\n| )", text):
            if part in ("\n", " "):
                atoms.append(_Atom(part, 1, separator=part))
            else:
                atoms.extend(
                    _Atom(part[i : i + _PIECE], units(part[i : i + _PIECE])) for i in range(0, len(part), _PIECE)
                )

    last = 0
    for match in _TAG_OR_ENTITY.finditer(html_text):
        add_text(html_text[last : match.start()])
        if match.group(2):
            atoms.append(_Atom(match.group(), 0, match.group(2).lower(), bool(match.group(1))))
        else:
            atoms.append(_Atom(match.group(), units(html.unescape(match.group()))))
        last = match.end()
    add_text(html_text[last:])
    return atoms


def telegram_length(html_text: str) -> int:
    """The message's length as Telegram counts it: after entity parsing, in UTF-16 code units."""
    return sum(atom.size for atom in _atoms(html_text))


def pages(html_text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """The message cut into messages Telegram accepts: at a line break if one is in the second half of a
    page, else at a space, else anywhere; tags open at a cut are closed and opened again on the next page."""
    if units(html_text) <= limit or telegram_length(html_text) <= limit:  # tags and entities only shrink it
        return [html_text]
    result: list[str] = []
    open_tags: list[_Atom] = []  # open where the current page starts
    current: list[_Atom] = []
    size = 0

    def flush(upto: int, skip: int) -> None:
        nonlocal current, open_tags, size
        page, current = current[:upto], current[upto + skip :]
        ending = list(open_tags)
        for atom in page:
            if atom.tag and not atom.closing:
                ending.append(atom)
            elif atom.tag and ending and ending[-1].tag == atom.tag:
                ending.pop()
        text = "".join(a.raw for a in open_tags) + "".join(a.raw for a in page)
        text += "".join(f"</{a.tag}>" for a in reversed(ending))
        if html.unescape(re.sub(r"<[^>]*>", "", text)).strip():
            result.append(text)
        open_tags = ending
        while current and current[0].separator:  # a page never starts with blank space
            current.pop(0)
        size = sum(a.size for a in current)

    for atom in _atoms(html_text):
        if atom.size and size + atom.size > limit:
            sizes, total = [], 0
            for a in current:
                total += a.size
                sizes.append(total)
            cut_at = None
            for wanted in ("\n", " "):
                cut_at = next(
                    (
                        i
                        for i in range(len(current) - 1, 0, -1)
                        if current[i].separator == wanted and sizes[i] > limit // 2
                    ),
                    None,
                )
                if cut_at is not None:
                    break
            if cut_at is None:
                flush(len(current), 0)
            else:
                flush(cut_at, 1)
        if atom.separator and not current:
            continue
        current.append(atom)
        size += atom.size
    flush(len(current), 0)
    return result or [html_text]


def first_page(html_text: str, limit: int = MAX_MESSAGE) -> str:
    """Where only one message fits (an inline result): the first page, with "…" if there was more."""
    split = pages(html_text, limit - units(texts.SNIPPET_CUT))
    return split[0] + (texts.SNIPPET_CUT if len(split) > 1 else "")


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


ANSI = {"b": "\x1b[1m", "/b": "\x1b[22m", "i": "\x1b[3m", "/i": "\x1b[23m"}  # bold, italic and their ends


def plain(html_text: str, ansi: bool = False) -> str:
    """Telegram HTML as terminal text: entities decoded, tags dropped; with `ansi` (a terminal, not a pipe or a
    file) bold and italics as the terminal's own, never as marks such as *stars* that look like typos."""
    if ansi:
        html_text = re.sub(r"<(/?)(b|strong)>", lambda m: ANSI[m.group(1) + "b"], html_text)
        html_text = re.sub(r"<(/?)(i|em)>", lambda m: ANSI[m.group(1) + "i"], html_text)
    text = re.sub(r"<[^>]+>", "", html_text)
    return html.unescape(text)
