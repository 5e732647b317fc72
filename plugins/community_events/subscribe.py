"""Links that put the feeds into people's calendars: pure functions, used as Jinja filters.

A feed URL must be absolute for any of these to work. Google and Outlook fetch
the feed from their own servers, so in a local build (FEED_DOMAIN is the dev
server) only the download and webcal:// links are useful.
"""

from __future__ import annotations

import string
from datetime import UTC
from typing import NamedTuple
from urllib.parse import quote

from . import feeds
from .feeds import session_summary
from .ics import date_time, date_value
from .model import Event, Session
from .zones import is_utc

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_PERSONAL = "https://outlook.live.com/calendar/0/addfromweb"
OUTLOOK_WORK = "https://outlook.office.com/calendar/0/addfromweb"
GOOGLE_DETAILS_LIMIT = 600  # characters; the whole link must stay well under browsers' URL limits
# Each ASCII character as quote(..., safe="") writes it: letters, digits and _.-~ as they are.
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "_.-~")
_ASCII_ENCODED = [chr(code) if chr(code) in _UNRESERVED else f"%{code:02X}" for code in range(128)]


class FeedLinks(NamedTuple):
    """The ways to add one feed to a calendar, worked out once per feed for its pages."""

    webcal: str
    google: str
    outlook: str
    outlook_work: str


def feed_links(feed_url: str, name: str) -> FeedLinks:
    webcal = webcal_url(feed_url)
    outlook_query = f"?url={percent_encode(feed_url)}&name={percent_encode(name)}"
    return FeedLinks(
        webcal=webcal,
        google=f"{GOOGLE_CALENDAR}?cid={percent_encode(webcal)}",
        outlook=OUTLOOK_PERSONAL + outlook_query,
        outlook_work=OUTLOOK_WORK + outlook_query,
    )


def percent_encode(value: str) -> str:
    """``quote(value, safe="")``, twice as fast for ASCII text: a site builds these links for every session."""
    return value.translate(_ASCII_ENCODED) if value.isascii() else quote(value, safe="")


def webcal_url(feed_url: str) -> str:
    """The same feed with the webcal scheme, which opens the system's calendar app to subscribe."""
    scheme, colon, rest = feed_url.partition(":")
    return f"webcal:{rest}" if colon and scheme.lower() in ("http", "https") else feed_url


def _google_dates(session: Session) -> str:
    if session.kind == "days":
        return f"{date_value(session.start)}/{date_value(session.day_after_end())}"
    return f"{date_time(session.start.astimezone(UTC))}/{date_time((session.end or session.start).astimezone(UTC))}"


def google_event_url(session: Session, event, page_url: str) -> str | None:
    """Google Calendar's "add this one event" link, for a session with a real start."""
    model: Event = getattr(event, "model", event)
    # Google's link makes one entry: a repeating session, with its exceptions and changed
    # meetings, reaches Google Calendar through the feed.
    if not session.is_scheduled_exactly or session.is_repeating:
        return None
    about = feeds.about(event)
    details = (about[:GOOGLE_DETAILS_LIMIT] + "\n\n" if about else "") + page_url
    query = {
        "action": "TEMPLATE",
        "text": session_summary(model, session),
        "dates": _google_dates(session),
        "details": details,
    }
    location = session.place or session.join or session.platform
    if location:
        query["location"] = location
    if session.kind == "timed" and not is_utc(session.timezone):
        query["ctz"] = session.timezone
    return f"{GOOGLE_CALENDAR}?" + "&".join(f"{key}={percent_encode(value)}" for key, value in query.items())


def make_filters() -> dict:
    return {"google_event_url": google_event_url}
