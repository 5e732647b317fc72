"""Property-based tests: whatever front matter a contributor writes, the validator answers with
a result or with clear errors (file, line, a fix), never with an exception of its own."""

from __future__ import annotations

import re
import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community_events import model, safety
from community_events.errors import ContentError
from community_events.frontmatter import decode, split
from community_events.model import EVENT_FIELDS, GOAL_FIELDS, SESSION_FIELDS, STORY_FIELDS

PATH = "content/events/x.md"
FIELD_NAMES = sorted(set(EVENT_FIELDS + SESSION_FIELDS + GOAL_FIELDS + STORY_FIELDS)) + ["timezon", "titel", "start"]
PLAUSIBLE_TEXT = st.sampled_from([
    "2024-05-31", "2024-05-31 14:00", "2024-13-01", "31/05/2024", "25:00", "14:00", "2024-03", "2024", "unknown",
    "America/New_York", "EST", "Sydney", "GMT+10", "1 hour", "0 minutes", "-1 hour", "90 minutes", "3 days",
    "scheduled", "cancelled", "javascript:alert(1)", "https://example.org/", "<script>x</script>", "#1lib1ref", "",
])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), PLAUSIBLE_TEXT, st.text(max_size=30))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=4), max_leaves=12)
FRONT_MATTER = st.dictionaries(st.sampled_from(FIELD_NAMES), VALUES, max_size=8)


def _validate(text: str) -> None:
    """Everything the reader and model do with one file, for every content type."""
    document = split(PATH, decode(PATH, text.encode("utf-8", "surrogatepass")))
    safety.check_fields(PATH, document.fields)
    model.parse_event(PATH, "x", document.fields)


def _answers_clearly(text: str) -> None:
    try:
        _validate(text)
    except ContentError as error:
        sentence = str(error)
        assert sentence.startswith("content/events/x.md")
        assert "\n" not in sentence and sentence.strip()
    for check in (model.check_story, model.check_page):
        try:
            check(PATH, split(PATH, decode(PATH, text.encode("utf-8", "surrogatepass"))).fields)
        except ContentError:
            pass
    try:
        model.parse_goal(PATH, "x", split(PATH, decode(PATH, text.encode("utf-8", "surrogatepass"))).fields)
    except ContentError:
        pass


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


# The screen in one alternation, as it was first written: the reference for the faster four searches.
_SCREEN_AS_ONE_PATTERN = re.compile(
    r"<\s*/?\s*(?:" + "|".join(safety.FORBIDDEN_TAGS) + r")\b"
    r"|\son[a-z]+\s*="
    r"|&#|&[a-z]+;?\s*:"
    r"|\b(?:" + "|".join(re.escape(a) for a in safety.URL_ATTRIBUTES) + r")\s*=\s*(?![\"']?(?:https?://|mailto:|/|#))",
    re.IGNORECASE,
)
HTML_PIECES = st.sampled_from([
    "<p>", "</p>", "<a ", "=", " = ", '"', "'", "https://x.org", "HTTP://", "mailto:a@b", "/page", "#top", "javascript:",
    "data:", "&#106;", "&colon;", "&amp;", " on", "onclick", "ONLOAD", "<script", "< / STYLE", "<iframe", "x", "_", " ",
    "\t", "\n", ">", "é",
])
ATTRIBUTE_NAMES = st.sampled_from([*safety.URL_ATTRIBUTES, "HREF", "Src", "XLINK:HREF", "ahref", "hrefs", "rel", "id"])
# An attribute with what may stand before and after it: the part of the screen most worth checking.
ATTRIBUTES = st.tuples(
    st.sampled_from(["", " ", "<a ", "x", "_", "-"]), ATTRIBUTE_NAMES, st.sampled_from(["", " ", "\t"]),
    st.sampled_from(["=", ""]), st.sampled_from(["", " ", "  "]), st.sampled_from(["", '"', "'"]),
    st.sampled_from(["https://x.org", "http://x", "HTTPS://X", "mailto:a", "/p", "#f", "javascript:x", "data:x", "x", " https://x", ""]),
).map("".join)
@settings(max_examples=500, deadline=None)
@given(st.lists(HTML_PIECES | ATTRIBUTES, max_size=8).map("".join) | st.text(max_size=60))
def test_body_screen_flags_exactly_what_the_single_pattern_flagged(html):
    flagged = any(pattern.search(html) for pattern in safety.NEEDS_A_CLOSER_LOOK)
    assert flagged == bool(_SCREEN_AS_ONE_PATTERN.search(html))

