"""What a news entry says about an event: the Atom feeds' entries and the JSON feed's text.

One ``Announcement`` per event, worked out once per build and shown by every feed that lists
the event (``events.atom``, its topics' and its series' feeds, ``events.json``). It holds plain
text only; ``as_html`` escapes every piece of it into a fixed set of tags, and ``as_text`` joins
it into lines. Times are the event page's own words (``display``): each session in its own zone
with its full date, then in the display zones, so a feed reader shows what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import escape

from . import display, feeds
from .history import Revision
from .options import Options
from .zones import format_day

# Said once per entry, so a reader knows whether to wait for details ("say which").
EXACT = "Every date and time below is exact."
NOT_EXACT = "Not every date or time below is known exactly."
# What an entry says about the event's status. None of these depends on the build's day, so an
# entry's text changes only with its file, as its "updated" date does.
STATUS_SENTENCES = {
    "tentative": "Tentative: details may still change.",
    "cancelled": "This event is cancelled.",
    "postponed": "This event is postponed. The dates below are the ones first announced; no new date has been given.",
    "held": "This event took place.",
}
NO_MORE_MEETINGS = "No more meetings are planned."
PAGE_LINK_TEXT = "Details, and the time in your own zone"


@dataclass(frozen=True, slots=True)
class SessionText:
    label: str | None
    when: str  # in the page's zones, or the date in words; a repeating session's rule
    where: tuple[str, ...]  # "Online: Zoom", "Place: Library"
    meetings: tuple[str, ...] = ()  # a repeating session's next meetings, as its page lists them


@dataclass(frozen=True, slots=True)
class Announcement:
    """One event as news: plain text, its page, and when it was first announced and last changed."""

    uid: str  # feeds.event_uid: the Atom id and the JSON item id are made from it
    title: str
    about: str
    status: str | None
    precision: str
    sessions: tuple[SessionText, ...]
    page_url: str
    published: datetime
    updated: datetime
    tags: tuple[str, ...]


def _meeting_text(meeting, event, options: Options) -> str:
    day = format_day(meeting.original.date(), options.locale, with_weekday=True)
    if meeting.cancelled:
        return f"Cancelled: {day}"
    when = display.when_everywhere(meeting, event, options)
    return f"{when} (moved from {day})" if meeting.moved else when


def _session_text(session, event, options: Options, several: bool) -> SessionText:
    label = session.label or (f"Session {session.number}" if several else None)
    where = tuple(
        f"{name}: {value}" for name, value in (("Online", session.platform), ("Place", session.place)) if value
    )
    if not session.is_repeating:
        return SessionText(label, display.when_everywhere(session, event, options), where)
    meetings = tuple(_meeting_text(meeting, event, options) for meeting in display.next_meetings(session, options))
    return SessionText(label, display.repeat_sentence(session, options), where, meetings or (NO_MORE_MEETINGS,))


def announce(page, *, page_url: str, revision: Revision, options: Options, uid_domain: str) -> Announcement:
    """The event of ``page`` as news. ``revision`` dates it: first announced (its first committed version)
    and last changed (its last), the same history as the calendar feeds' LAST-MODIFIED."""
    event = page.model
    several = len(event.sessions) > 1
    exact = all(session.is_scheduled_exactly for session in event.sessions)
    return Announcement(
        uid=feeds.event_uid(event, uid_domain),
        title=feeds.event_title(event),
        about=feeds.about(page),
        status=STATUS_SENTENCES.get(event.status),
        precision=EXACT if exact else NOT_EXACT,
        sessions=tuple(_session_text(session, event, options, several) for session in event.sessions),
        page_url=page_url,
        published=revision.published or revision.modified,
        updated=revision.modified,
        tags=event.tags,
    )


def _session_line(session: SessionText) -> str:
    return f"{session.label}: {session.when}" if session.label else session.when


def as_html(announcement: Announcement) -> str:
    """The entry as HTML: every piece of text escaped, inside p, ul, li, br, strong and one link."""
    parts = []
    if announcement.about:
        parts.append(f"<p>{escape(announcement.about)}</p>")
    if announcement.status:
        parts.append(f"<p><strong>{escape(announcement.status)}</strong></p>")
    parts.append(f"<p>{escape(announcement.precision)}</p>")
    parts.append("<ul>")
    for session in announcement.sessions:
        parts.append(f"<li>{escape(_session_line(session))}")
        for where in session.where:
            parts.append(f"<br>{escape(where)}")
        if session.meetings:
            parts.append("<ul>" + "".join(f"<li>{escape(meeting)}</li>" for meeting in session.meetings) + "</ul>")
        parts.append("</li>")
    parts.append("</ul>")
    parts.append(f'<p><a href="{escape(announcement.page_url)}">{escape(PAGE_LINK_TEXT)}</a></p>')
    return "".join(parts)


def as_text(announcement: Announcement) -> str:
    """The entry as plain text, one line per piece, sessions and meetings as lists."""
    lines = [line for line in (announcement.about, announcement.status, announcement.precision) if line]
    for session in announcement.sessions:
        lines.append(f"- {_session_line(session)}")
        lines += [f"  {where}" for where in session.where]
        lines += [f"  - {meeting}" for meeting in session.meetings]
    lines.append(f"{PAGE_LINK_TEXT}: {announcement.page_url}")
    return "\n".join(lines)
