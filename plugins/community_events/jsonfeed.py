"""The events as data: ``events.json``, a JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with an
``_event`` object in every item.

JSON Feed gives each event an id, its page, title, text, dates and tags, which any feed reader
shows; ``_event`` adds what a program needs to put the event in a calendar or a list: its status,
every session as UTC instants (or dates) with its IANA zone, a repeating session's RRULE and next
meetings, the calendar UIDs, and the feeds of its series and topics. The format is described in
``docs/events-feed.md`` and checked by the JSON Schema ``docs/events-feed.schema.json``.

Ids come from ``feeds``: an item's id is ``feeds.event_uid`` and each session's ``uid`` is the UID
of its VEVENT in the calendar feeds, so a program can match the two. Keys are sorted and items
come in the Atom feed's order, so the same content gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from . import display, feeds
from .announcements import Announcement, as_text
from .ics import recur
from .options import Options
from .recurrence import rrule_parts
from .zones import utc_iso

VERSION = "https://jsonfeed.org/version/1.1"
EXTENSION = "_event"


def _drop_empty(record: dict) -> dict:
    """Optional keys are left out rather than null, so a value is always of its one type."""
    return {key: value for key, value in record.items() if value not in (None, "", [], {})}


def _meeting(meeting, session) -> dict:
    """A repeating session's meeting as the page lists it; the rule's start names it (RECURRENCE-ID)."""
    return _drop_empty(
        {
            "original": utc_iso(meeting.original),
            "start": utc_iso(meeting.start),
            "end": utc_iso(meeting.end) if meeting.end is not None else None,
            "cancelled": meeting.cancelled or None,
            "moved": meeting.moved or None,
            # Only where a meeting differs from its session.
            "join": meeting.join if meeting.join != session.join else None,
            "platform": meeting.platform if meeting.platform != session.platform else None,
            "place": meeting.place if meeting.place != session.place else None,
        }
    )


def _end(session) -> str | None:
    if session.end is None:
        return None
    return utc_iso(session.end) if session.kind == "timed" else session.end.isoformat()


def session_record(event, session, options: Options, uid_domain: str) -> dict:
    """One session: start and end as UTC instants ("…Z") when timed, dates (the end inclusive) when all-day;
    a date, month or year when that is all that is known."""
    record = {
        "number": session.number,
        "kind": session.kind,
        "label": session.label,
        "start": display.session_iso(session),
        "end": _end(session),
        "timezone": session.timezone,
        "platform": session.platform,
        "place": session.place,
        "join": session.join,
        "uid": feeds.session_uid(event, session, uid_domain) if session.is_scheduled_exactly else None,
    }
    if session.is_repeating:
        repeat = session.repeat
        record["repeat"] = _drop_empty(
            {
                # Expanded on the wall time of the start in "timezone", as RFC 5545 expands a DTSTART with TZID.
                "rrule": recur(rrule_parts(repeat, session.start)),
                "except": [day.isoformat() for day in repeat.exceptions],
                "next": [_meeting(meeting, session) for meeting in display.next_meetings(session, options)],
            }
        )
    return _drop_empty(record)


def _feeds_of(page, absolute: Callable[[str], str]) -> dict:
    return {
        "url": absolute(page.url),
        "calendar_url": absolute(page.calendar_url) if page.calendar_url else None,
        "atom_url": absolute(page.atom_url) if getattr(page, "atom_url", None) else None,
    }


def item(
    page,
    announcement: Announcement,
    *,
    absolute: Callable[[str], str],
    options: Options,
    uid_domain: str,
    about_url: str | None,
) -> dict:
    """One event as a JSON Feed item with its ``_event`` object."""
    event = page.model
    series = page.series_page
    languages = list(getattr(event, "languages", ()))  # the model may give one language, or none
    extension = {
        "about": about_url,
        "status": event.status,
        "sessions": [session_record(event, session, options, uid_domain) for session in event.sessions],
        "calendar_url": absolute(page.calendar_url) if page.calendar_url else None,
        "series": _drop_empty({"id": series.slug, "title": series.title, **_feeds_of(series, absolute)})
        if series is not None
        else None,
        "episode": event.episode,
        "tags": [
            _drop_empty({"name": topic.name, "slug": topic.slug, **_feeds_of(topic, absolute)})
            for topic in getattr(page, "topics", [])
        ],
        "language": getattr(event, "language", None),
        "languages": languages if len(languages) > 1 else None,
        "country": getattr(event, "country", None),
        "hosts": list(event.hosts),
        "speakers": list(event.speakers),
        "organisers": list(event.organisers),
        "registration": event.registration,
        "notes": event.notes,
        "recording": event.recording,
    }
    return _drop_empty(
        {
            "id": announcement.uid,
            "url": announcement.page_url,
            "title": event.title,
            "summary": announcement.about,
            "content_text": as_text(announcement),
            "date_published": utc_iso(announcement.published),
            "date_modified": utc_iso(announcement.updated),
            "tags": list(event.tags),
            EXTENSION: _drop_empty(extension),
        }
    )


def feed_bytes(header: dict, items: list[dict]) -> bytes:
    """The whole feed: ``header`` (version, title, URLs) and the items in the order given; keys sorted."""
    feed = {"version": VERSION, **header, "items": items}
    # Compact: json's C encoder serialises only without indent; for a thousand events it is three times as fast.
    return (json.dumps(feed, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")
