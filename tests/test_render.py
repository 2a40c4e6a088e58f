from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import Button, cut, fit, mark, plain

from .html_check import telegram_html_errors


def test_mark_escapes_and_bolds_whole_words() -> None:
    assert mark("Sykkel <og> sykkelanlegg & sykkel", ["sykkel"]) == (
        "<b>Sykkel</b> &lt;og&gt; sykkelanlegg &amp; <b>sykkel</b>"
    )
    assert mark("a < b", []) == "a &lt; b"


def test_cut_at_a_word_boundary() -> None:
    text, was_cut = cut("en to tre fire fem seks", 12)
    assert was_cut and text == "en to tre…" and len(text) <= 12
    assert cut("kort", 12) == ("kort", False)


def test_fit_never_exceeds_the_limit_nor_splits_a_line() -> None:
    lines = [f"<b>{n}</b> " + "x" * 500 for n in range(20)]
    joined = fit(lines)
    assert len(joined) <= 4096 and joined.endswith("…")
    assert telegram_html_errors(joined) == []


def test_button_data_is_bounded() -> None:
    with pytest.raises(ValueError, match="1–64 bytes"):
        Button("x", "q:0:" + "ø" * 40)
    with pytest.raises(ValueError, match="1–64 bytes"):
        Button("x", "")


def test_plain_text_for_the_terminal() -> None:
    assert plain("<b>3.2</b> &lt;tekst&gt; <i>x</i>") == "*3.2* <tekst> _x_"


@settings(max_examples=300, deadline=None)
@given(st.text(), st.lists(st.text(min_size=1, max_size=12), max_size=4))
def test_marking_any_text_gives_valid_telegram_html(text: str, words: list[str]) -> None:
    html_text = mark(text, words)
    if text.strip():
        assert [e for e in telegram_html_errors(html_text) if "too long" not in e] == []
    assert plain(html_text).replace("*", "") == text.replace("*", "")
