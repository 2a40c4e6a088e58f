from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import MAX_MESSAGE, Button, cut, echo, first_page, mark, pages, plain, telegram_length

from .html_check import telegram_html_errors, utf16_len


def test_mark_escapes_and_bolds_whole_words() -> None:
    assert mark("Sykkel <og> sykkelanlegg & sykkel", ["sykkel"]) == (
        "<b>Sykkel</b> &lt;og&gt; sykkelanlegg &amp; <b>sykkel</b>"
    )
    assert mark("a < b", []) == "a &lt; b"


def test_cut_at_a_word_boundary() -> None:
    text, was_cut = cut("en to tre fire fem seks", 12)
    assert was_cut and text == "en to tre…" and len(text) <= 12
    assert cut("kort", 12) == ("kort", False)


def test_length_is_counted_as_telegram_counts() -> None:
    assert telegram_length("<b>a</b> &lt;&amp;&gt; 😀") == 1 + 1 + 3 + 1 + 2  # tags nothing, entities one, emoji two
    assert telegram_length("ø" * 10) == 10


def test_pages_break_at_lines_and_keep_tags_whole() -> None:
    lines = [f"<b>{n}</b> " + "x" * 500 for n in range(20)]
    split = pages("\n".join(lines))
    assert len(split) == 3 and all(telegram_html_errors(page) == [] for page in split)
    assert all(page.startswith("<b>") for page in split)  # each page starts at a line: no line cut in two
    assert "\n".join(split) == "\n".join(lines)


def test_a_tag_open_at_a_cut_is_closed_and_opened_again() -> None:
    split = pages("<i>" + "ord " * 3000 + "</i>")
    assert len(split) == 3 and all(page.startswith("<i>") and page.endswith("</i>") for page in split)
    assert all(telegram_html_errors(page) == [] for page in split)


def test_emoji_count_twice() -> None:
    text = "😀" * 3000  # 3,000 characters, 6,000 UTF-16 code units: too long for one message
    split = pages(text)
    assert len(split) == 2 and all(utf16_len(page) <= MAX_MESSAGE for page in split) and "".join(split) == text


def test_first_page_for_where_only_one_message_fits() -> None:
    text = first_page("\n".join(["<b>x</b> " + "y" * 1000] * 10))
    assert text.endswith("…") and telegram_html_errors(text) == []
    assert first_page("kort") == "kort"


def test_echo_is_short_and_escaped() -> None:
    assert echo("<b>" + "x" * 5000) == "&lt;b&gt;" + "x" * 76 + "…"
    assert echo("  to\nlinjer ") == "to linjer"


_HTML_PIECES = st.one_of(  # each piece valid Telegram HTML on its own
    st.builds(lambda text: mark(text, []), st.text(max_size=200)),
    st.sampled_from(["\n", " ", "&amp;", "&lt;", "😀", "ø" * 300, "x" * 5000, "ord " * 400]),
    st.builds(
        lambda tag, inner: f"<{tag}>{mark(inner, [])}</{tag}>",
        st.sampled_from(["b", "i", "code"]),
        st.text(max_size=3000),
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_HTML_PIECES, max_size=30))
def test_any_message_is_paged_into_messages_telegram_accepts(pieces: list[str]) -> None:
    html_text = "".join(pieces)
    if not text_of(html_text).strip():
        return
    split = pages(html_text)
    for page in split:
        assert telegram_html_errors(page) == [], page[:200]
    # nothing lost: the text is the same, but for blank space where a page was cut
    assert "".join(text_of("".join(split)).split()) == "".join(text_of(html_text).split())


def text_of(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", html_text))


def test_button_data_is_bounded() -> None:
    with pytest.raises(ValueError, match="1–64 bytes"):
        Button("x", "q:0:" + "ø" * 40)
    with pytest.raises(ValueError, match="1–64 bytes"):
        Button("x", "")


def test_plain_text_for_the_terminal() -> None:
    assert plain("<b>3.2</b> &lt;tekst&gt; <i>x</i>") == "3.2 <tekst> x"
    assert plain("<b>3.2</b> &lt;tekst&gt; <i>x</i>", ansi=True) == "\x1b[1m3.2\x1b[22m <tekst> \x1b[3mx\x1b[23m"


@settings(max_examples=300, deadline=None)
@given(st.text(), st.lists(st.text(min_size=1, max_size=12), max_size=4))
def test_marking_any_text_gives_valid_telegram_html(text: str, words: list[str]) -> None:
    html_text = mark(text, words)
    if text.strip():
        assert [e for e in telegram_html_errors(html_text) if "too long" not in e] == []
    assert plain(html_text) == text


def test_a_reply_never_holds_a_control_character() -> None:
    from bot.render import Reply, printable

    assert Reply("a\x07b\x1b[31mc\x00d\x9b1me\nf").html == "a b c d e\nf"
    assert printable("to\nlinjer\x1b]0;tittel\x07") == "to linjer "
    assert echo("sykkel\x07\x1b[31m rød") == "sykkel rød"
