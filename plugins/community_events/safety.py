"""Refuse content that could run script or restyle the site: raw tags, event handlers, script links.

Markdown lets raw HTML through, and templates print bodies as they are, so a
body is checked after Markdown has turned it into HTML: that is what a browser
would get, and code samples (which Markdown escapes) are not mistaken for tags.
Front matter values are printed escaped, but one with a tag in it is almost
always a paste gone wrong, so those are refused too. The line of an error is
the first source line that shows the offending tag, attribute or link.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .errors import ContentError
from .frontmatter import Fields, Items

# Tags that run script, load other pages into this one, or change the whole page.
FORBIDDEN_TAGS = ("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "form")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcset", "poster", "background", "xlink:href")
SAFE_SCHEMES = ("http", "https", "mailto", "")
# Most bodies have none of these; only those that do are parsed as HTML. Anything a
# parser could read as a tag, a handler, an encoded character or a link that is not
# plainly https, http, mailto, site-relative or a fragment gets the full check.
# Four searches, not one alternation: the engine then skips ahead quickly in each,
# and the attribute names are tried only where a word starts with one of their letters.
NEEDS_A_CLOSER_LOOK = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    r"<\s*/?\s*(?:" + "|".join(FORBIDDEN_TAGS) + r")\b",
    r"\son[a-z]+\s*=",
    r"&#|&[a-z]+;?\s*:",
    r"\b(?=[" + "".join(sorted({name[0] for name in URL_ATTRIBUTES})) + r"])"
    r"(?:" + "|".join(re.escape(a) for a in URL_ATTRIBUTES) + r")\s*=\s*(?![\"']?(?:https?://|mailto:|/|#))",
))
FIELD_PATTERN = re.compile(r"<\s*/?\s*(" + "|".join(FORBIDDEN_TAGS) + r")\b|<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
TAG_FIX = "remove it; to show a video, map or form, link to it with [its title](https://…)"


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (what, a word to look for in the source)

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.append((f"a raw <{tag}> tag", f"<{tag}"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((f'an "{name}" attribute on <{tag}>, which runs script', name))
            elif name in URL_ATTRIBUTES and value and _scheme(value) not in SAFE_SCHEMES:
                self.found.append((f'a "{_scheme(value)}:" link, which a browser would run or open as a page', f"{_scheme(value)}:"))

    handle_startendtag = handle_starttag


def _scheme(url: str) -> str:
    # Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    return urlsplit(cleaned).scheme.lower() if ":" in cleaned.split("/", 1)[0] else ""


def _line_of(source: str, needle: str, first_line: int) -> int:
    for offset, text in enumerate(source.split("\n")):
        if needle.lower() in text.lower():
            return first_line + offset
    return first_line


def check_body(path: str, source: str, html: str, first_line: int) -> None:
    """Raise for the first unsafe thing in a body's HTML, at the source line that shows it."""
    if not any(pattern.search(html) for pattern in NEEDS_A_CLOSER_LOOK):
        return
    finder = _Finder()
    finder.feed(html)
    if finder.found:
        what, needle = finder.found[0]
        if needle.startswith("<"):
            fix = TAG_FIX
        elif needle.endswith(":"):
            fix = "remove it; links must start with https://, http:// or mailto:"
        else:
            fix = f"remove the {needle} attribute; the site runs no scripts from content"
        raise ContentError(path, f"the text has {what}", fix, line=_line_of(source, needle, first_line))


def check_fields(path: str, fields: Fields) -> None:
    """Raise for a front matter value with a raw tag or an event handler in it."""
    texts: list[tuple[str, str, int | None]] = []
    _collect_texts(fields, "", None, texts)
    for name, value, line in texts:
        match = FIELD_PATTERN.search(value)
        if match:
            raise ContentError(path, f'contains HTML ("{match.group(0).strip()}")', "write plain text; the site adds the formatting", field=name, line=line)


def _collect_texts(value, name: str, line: int | None, texts: list) -> None:
    """Every text value, in file order, with its field name ("sessions join") and line."""
    if isinstance(value, str):
        texts.append((name, value, line))
    elif isinstance(value, Fields):
        for key, item in value.items():
            _collect_texts(item, f"{name} {key}" if name else key, value.line(key), texts)
    elif isinstance(value, Items):
        for index, item in enumerate(value):
            _collect_texts(item, name, value.line(index), texts)
