"""Property-based tests: whatever front matter a contributor writes, the validator answers with
a result or with clear errors (file, line, a fix), never with an exception of its own."""

from __future__ import annotations

import re
import string

import yaml
from community_events import model, safety
from community_events.errors import ContentError
from community_events.frontmatter import decode, split  # noqa: F401
from community_events.model import EVENT_FIELDS, GOAL_FIELDS, SESSION_FIELDS, STORY_FIELDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PATH = "content/events/x.md"
FIELD_NAMES = sorted(set(EVENT_FIELDS + SESSION_FIELDS + GOAL_FIELDS + STORY_FIELDS)) + ["timezon", "titel", "start"]
PLAUSIBLE_TEXT = st.sampled_from(
    [
        "2024-05-31",
        "2024-05-31 14:00",
        "2024-13-01",
        "31/05/2024",
        "25:00",
        "14:00",
        "2024-03",
        "2024",
        "unknown",
        "America/New_York",
        "EST",
        "Sydney",
        "GMT+10",
        "1 hour",
        "0 minutes",
        "-1 hour",
        "90 minutes",
        "3 days",
        "scheduled",
        "cancelled",
        "javascript:alert(1)",
        "https://example.org/",
        "<script>x</script>",
        "#1lib1ref",
        "",
    ]
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), PLAUSIBLE_TEXT, st.text(max_size=30))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=4),
    max_leaves=12,
)
FRONT_MATTER = st.dictionaries(st.sampled_from(FIELD_NAMES), VALUES, max_size=8)


def _answers_clearly(text: str) -> None:
    """Every content type reads the file with one clear sentence or a result, never another exception."""
    for kind in model.PARSERS:
        path = f"content/{kind}/x.md"
        try:
            model.parse_file(path, text.encode("utf-8", "surrogatepass"), kind)
        except ContentError as error:
            sentence = str(error)
            assert sentence.startswith(path)
            assert "\n" not in sentence and sentence.strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FRONT_MATTER)
def test_random_front_matter_gives_a_result_or_clear_errors(fields):
    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\nBody.\n"
    _answers_clearly(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable + "\t\u00e9\u2013\ufeff", max_size=200))
def test_random_text_between_the_dashes_gives_a_result_or_clear_errors(inside):
    _answers_clearly("---\n" + inside + "\n---\nBody.\n")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120))
def test_random_bytes_give_a_result_or_clear_errors(raw):
    try:
        split(PATH, decode(PATH, raw))
    except ContentError as error:
        assert str(error).startswith("content/events/x.md")


HTML_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<a ",
        "=",
        " = ",
        '"',
        "'",
        "https://x.org",
        "HTTP://",
        "mailto:a@b",
        "/page",
        "#top",
        "javascript:",
        "data:",
        "&#106;",
        "&colon;",
        "&amp;",
        " on",
        "onclick",
        "ONLOAD",
        "<script",
        "< / STYLE",
        "<iframe",
        "x",
        "_",
        " ",
        "\t",
        "\n",
        ">",
        "é",
        "<!--",
        "-->",
        "<noscript>",
        "</noscript>",
        "<svg>",
        "<math>",
        "<img src=",
        "<style>",
        "</",
        "<table>",
        "<select>",
        "<textarea>",
        "<title>",
        "<plaintext>",
        "<![CDATA[",
        "<?",
        "href",
        "src",
        "style=",
        "{static}",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(HTML_PIECES, max_size=10).map("".join) | st.text(max_size=60))
def test_html_is_refused_or_printed_exactly_as_the_allowlist_keeps_it(html):
    try:
        printed = safety.clean("content/events/x.md", html, html, 5)
    except ContentError as error:
        assert re.match(r"content/events/x\.md:\d+: the text has ", str(error)) and "\n" not in str(error)
        return
    assert printed == safety.CLEANER.clean(html)
    for kind, tag, attributes in safety._tokens(printed):
        assert kind in ("start", "end", "text"), (kind, tag)
        if kind == "start":
            assert tag in safety.ALLOWED_TAGS
            for name, value in attributes:
                assert not name.startswith("on") and name != "style"
                if name in ("href", "src"):
                    assert safety._scheme(value) in ("", "http", "https", "mailto"), value
