"""The links that add a feed, or one session, to a calendar: pure functions."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

from community_events.frontmatter import decode, split
from community_events.model import parse_event
from community_events.subscribe import feed_links, google_event_url, percent_encode, webcal_url
from hypothesis import given
from hypothesis import strategies as st


@given(st.text())
def test_percent_encoding_matches_urllib(value):
    assert percent_encode(value) == quote(value, safe="")


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_percent_encoding_matches_urllib(value):
    assert percent_encode(value) == quote(value, safe="")


def test_webcal_replaces_only_a_web_scheme():
    assert webcal_url("https://example.org/calendar.ics") == "webcal://example.org/calendar.ics"
    assert webcal_url("HTTP://127.0.0.1:8000/events/x.ics?v=1") == "webcal://127.0.0.1:8000/events/x.ics?v=1"
    assert webcal_url("/calendar.ics") == "/calendar.ics"
    assert webcal_url("webcal://example.org/calendar.ics") == "webcal://example.org/calendar.ics"


def test_feed_links_carry_the_feed_and_its_name():
    links = feed_links("https://example.org/events/series/ai-salon.ics", "AI Salon: Wikidata & libraries")
    assert links.webcal == "webcal://example.org/events/series/ai-salon.ics"
    assert parse_qs(urlsplit(links.google).query) == {"cid": [links.webcal]}
    for outlook in (links.outlook, links.outlook_work):
        assert parse_qs(urlsplit(outlook).query) == {
            "url": ["https://example.org/events/series/ai-salon.ics"],
            "name": ["AI Salon: Wikidata & libraries"],
        }
    assert links.outlook.startswith("https://outlook.live.com/") and links.outlook_work.startswith(
        "https://outlook.office.com/"
    )


def test_one_timed_session_goes_to_google_in_its_own_zone():
    path = "content/events/x.md"
    text = (
        "---\ntitle: Salon\nsessions:\n  - start: 2023-10-26 12:00\n    duration: 1 hour\n"
        "    timezone: America/New_York\n---\n"
    )
    event = parse_event(path, "x", split(path, decode(path, text.encode())).fields)
    query = parse_qs(urlsplit(google_event_url(event.sessions[0], event, "https://example.org/x/")).query)
    assert query["action"] == ["TEMPLATE"] and query["text"] == ["Salon"]
    assert query["dates"] == ["20231026T160000Z/20231026T170000Z"] and query["ctz"] == ["America/New_York"]
