"""What Telegram's HTML parse mode accepts, checked the way Telegram checks it (used by several tests)."""

from __future__ import annotations

from html.parser import HTMLParser

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a", "tg-spoiler",
                "span", "blockquote", "tg-emoji"}  # fmt: skip
MAX_MESSAGE = 4096


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.length = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"unsupported start tag {tag!r}")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"can't find end tag corresponding to start tag / unexpected end tag {tag!r}")

    def handle_data(self, data: str) -> None:
        self.length += utf16_len(data)  # Telegram counts UTF-16 code units: an emoji is two

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            self.errors.append(f"unsupported entity &{name};")
        self.length += 1

    def handle_charref(self, name: str) -> None:
        code = int(name[1:], 16) if name[:1] in "xX" else int(name)
        self.length += 2 if code > 0xFFFF else 1


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def telegram_html_errors(text: str) -> list[str]:
    """Empty when Telegram would accept `text` as an HTML message; else why it would answer 400."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    errors = list(checker.errors)
    if checker.stack:
        errors.append(f"unclosed tags {checker.stack}")
    stripped = text.replace("&lt;", "").replace("&gt;", "").replace("&amp;", "")
    if "&" in stripped and not errors:
        for piece in stripped.split("&")[1:]:
            if ";" not in piece[:10]:
                errors.append("unescaped &")
                break
    if checker.length == 0 or not text.strip():
        errors.append("message text is empty")
    if checker.length > MAX_MESSAGE:
        errors.append("message is too long")
    return errors
