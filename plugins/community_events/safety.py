"""HTML from content passes an allowlist; what the allowlist would drop is a content error at its line.

Markdown lets raw HTML through, and templates print bodies and story summaries
as they are. So the HTML that Markdown makes is cleaned by nh3 (the Python
binding of Ammonia, which parses like a browser does) with an allowlist of
exactly what Markdown writes: headings, paragraphs, lists, links, images,
tables, code, emphasis, footnotes, abbreviations and ``<details>``. The cleaned
HTML is what the site prints: that is the guarantee. When cleaning changed
anything, the file is refused, with a sentence naming the first thing the
allowlist does not keep and the source line that shows it (found by the
line-numbered finder below); a change the finder cannot name (HTML a browser
would read differently from how it is written, the trick behind mutation XSS)
is refused too, in general words.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from .errors import ContentError
from .frontmatter import CONTROL_CHARACTERS, Fields, Items

# What Python-Markdown with "extra" and "sane_lists" writes, and nothing else.
ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel", "class"},
    "abbr": {"title"},
    "code": {"class"},
    "details": {"open"},
    "div": {"class"},
    "img": {"src", "alt", "title", "width", "height"},
    "li": {"id"},
    "ol": {"start"},
    "sup": {"id"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
}
# Classes and ids that Markdown's code blocks and footnotes write; any other could
# restyle the page or clash with the theme's own ids (the skip link's #main).
ALLOWED_VALUES = {
    ("code", "class"): re.compile(r"^language-[\w+#.-]{1,40}$"),
    ("div", "class"): re.compile(r"^footnote$"),
    ("a", "class"): re.compile(r"^footnote-(?:ref|backref)$"),
    ("a", "rel"): re.compile(r"^noopener$"),
    ("li", "id"): re.compile(r"^fn:[\w-]{1,40}$"),
    ("sup", "id"): re.compile(r"^fnref\d*:[\w-]{1,40}$"),
    ("th", "align"): re.compile(r"^(?:left|right|center)$"),
    ("td", "align"): re.compile(r"^(?:left|right|center)$"),
}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset({"href", "src"})
TAG_FIX = "remove it; to show a video, map or form, link to it with [its title](https://…)"
ATTRIBUTE_FIX = "remove it; write plain Markdown and the site adds the formatting"
LINK_FIX = "remove it; links must start with https://, http:// or mailto:, or be a path on this site"
IMAGE_FIX = "put the image in content/images/ and show it with ![description]({static}/images/name.png)"


def _scheme(url: str) -> str:
    # Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    return urlsplit(cleaned).scheme.lower() if ":" in cleaned.split("/", 1)[0] else ""


def _attribute_problem(tag: str, name: str, value: str) -> str | None:
    """Why the allowlist drops this attribute, or None when it keeps it."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        if name.startswith("on"):
            return f'an "{name}" attribute on <{tag}>, which runs script'
        return f'a "{name}" attribute on <{tag}>, which the site does not allow'
    pattern = ALLOWED_VALUES.get((tag, name))
    if pattern is not None and not all(pattern.match(part) for part in (value.split() or [""])):
        return f'{name}="{value}" on <{tag}>, which the site does not allow'
    if name in URL_ATTRIBUTES:
        scheme = _scheme(value)
        if scheme and scheme not in LINK_SCHEMES:
            return f'a "{scheme}:" link, which a browser would run or open as a page'
        if tag == "img" and (scheme or value.startswith("//")):
            return "an image from another site, which the site's security policy would block"
    return None


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    return None if _attribute_problem(tag, name, value) else value


CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_keep_attribute,
    url_schemes=set(LINK_SCHEMES),
    link_rel=None,  # the reader adds rel="noopener" to links to other sites
    strip_comments=True,
)


class _Tokens(HTMLParser):
    """HTML as a list of (kind, tag or text, attributes): two fragments that read the same compare equal."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(sorted((name, value or "") for name, value in attrs))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag, ()))

    def handle_data(self, data):
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + data, ())
        else:
            self.tokens.append(("text", data, ()))

    def handle_comment(self, data):
        self.tokens.append(("comment", data, ()))

    def handle_decl(self, decl):
        self.tokens.append(("declaration", decl, ()))

    handle_pi = unknown_decl = handle_decl


def _tokens(html: str) -> list[tuple]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens


def _first_problem(tokens: list[tuple]) -> tuple[str, str, str] | None:
    """(what, a word to look for in the source, the fix) for the first thing the allowlist drops."""
    for kind, name, attributes in tokens:
        if kind == "comment":
            return "an HTML comment (<!-- -->)", "<!--", "remove it; the site keeps no hidden text"
        if kind == "declaration":
            return f"markup the site does not allow (<!{' '.join(name.split())[:20]}>)", "<!", ATTRIBUTE_FIX
        if kind != "start":
            continue
        if name not in ALLOWED_TAGS:
            return f"a raw <{name}> tag", f"<{name}", TAG_FIX
        for attribute, value in attributes:
            problem = _attribute_problem(name, attribute, value)
            if problem is None:
                continue
            if "link" in problem:
                return problem, f"{_scheme(value)}:", LINK_FIX
            if "image from another site" in problem:
                return problem, value, IMAGE_FIX
            return problem, attribute, ATTRIBUTE_FIX
    return None


def _line_of(source: str, needle: str, first_line: int) -> int:
    needle = needle.lower()
    for offset, text in enumerate(source.split("\n")):
        if needle in text.lower():
            return first_line + offset
    return first_line


def clean(path: str, source: str, html: str, first_line: int) -> str:
    """The HTML the site may print, or a ContentError at the source line of the first thing the allowlist drops."""
    cleaned = CLEANER.clean(html)
    if CONTROL_CHARACTERS.search(cleaned):
        # A character reference (&#xc;, &#x85;) that a browser decodes to a control character.
        raise ContentError(
            path,
            "the text has a character reference to an invisible control character",
            "remove the &#…; reference",
            line=_line_of(source, "&#", first_line),
        )
    if cleaned == html or _tokens(cleaned) == _tokens(html):
        return cleaned
    found = _first_problem(_tokens(html))
    if found is None:
        # Nothing on the list, yet a browser would read it differently: say so in general words.
        what, needle, fix = (
            "HTML that a browser would read differently from how it is written",
            "<",
            "write it in Markdown, without raw HTML",
        )
    else:
        what, needle, fix = found
    raise ContentError(path, f"the text has {what}", fix, line=_line_of(source, needle, first_line))


# Front matter values are printed escaped, but one with a script-like tag in it is a paste gone wrong or an attack.
FIELD_TAGS = (
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "meta",
    "link",
    "form",
    "svg",
    "math",
    "noscript",
    "plaintext",
    "xmp",
    "template",
    "textarea",
    "title",
)
# [^<>]* rather than [^>]*: each "<" then scans only to the next one, so many "<" stay linear.
FIELD_PATTERN = re.compile(
    r"<\s*/?\s*(?:" + "|".join(FIELD_TAGS) + r")\b|<[a-z][^<>]*\son[a-z]+\s*=|<!--", re.IGNORECASE
)


def check_fields(path: str, fields: Fields) -> None:
    """Raise for a front matter value with an HTML tag or comment in it."""
    texts: list[tuple[str, str, int | None]] = []
    _collect_texts(fields, "", None, texts)
    for name, value, line in texts:
        match = FIELD_PATTERN.search(value)
        if match:
            shown = match.group(0).strip()[:40]
            raise ContentError(
                path,
                f'contains HTML ("{shown}")',
                "write plain text; the site adds the formatting",
                field=name,
                line=line,
            )


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
