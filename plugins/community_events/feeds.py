"""iCalendar (RFC 5545) feeds: one VEVENT per session, combined into calendars.

Each session is serialised once (``ics.Lines``; values are checked against icalendar in the tests);
the site-wide calendar, the event's own feed and its series' feed reuse the
same bytes, as they reuse each zone's VTIMEZONE (see ``vtimezone``). Sessions whose
date or time is still to be announced are left out: a calendar entry needs a
real start.

What calendar apps need, and why it is written this way:

* UID: ``<event id>-<session number>@<uid_domain>``; the event id is the file
  name (or ``id`` in front matter), never the title, SITEURL or build time, so
  an entry is updated, not duplicated, when anything else changes.
* SEQUENCE, LAST-MODIFIED and DTSTAMP come from the content's history
  (``history``); DTSTAMP equals LAST-MODIFIED, as RFC 5545 asks of a
  published calendar without METHOD, and keeps the bytes reproducible.
* Cancelled and postponed events stay in the feeds with STATUS:CANCELLED and a
  "Cancelled: " or "Postponed: " prefix, so subscribers see what happened.
* Times in UTC are written with Z; others with TZID and a VTIMEZONE.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache, partial
from html.parser import HTMLParser

from .history import Revision
from .ics import Lines, date_time, recur
from .model import Event, Session, registration_label
from .recurrence import Occurrence, rrule_parts
from .vtimezone import last_listed_year, vtimezone_bytes
from .zones import is_repeated_wall_time, is_utc

CALENDAR_STATUS = {
    "scheduled": "CONFIRMED",
    "tentative": "TENTATIVE",
    "cancelled": "CANCELLED",
    "postponed": "CANCELLED",
    "held": "CONFIRMED",
}
SUMMARY_PREFIX = {"cancelled": "Cancelled: ", "postponed": "Postponed: "}
END_OF_CALENDAR = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class CalendarInfo:
    """What describes a whole feed, in the VCALENDAR header."""

    prodid: str
    name: str
    description: str
    refresh: timedelta
    url: str | None = None  # the page that lists these events
    source: str | None = None  # where the feed itself is published


@dataclass(frozen=True, slots=True)
class Entry:
    """One session, serialised as a VEVENT, with what is needed to choose and combine entries."""

    data: bytes
    zone: str | None  # the TZID its times use, if any
    last_day: date
    years: tuple[int, int]  # of its start and end, which that zone's VTIMEZONE must cover


def session_uid(event: Event, session: Session, uid_domain: str) -> str:
    """The UID of a session's VEVENT (or of a repeating session's series of them)."""
    return f"{event.calendar_id}-{session.number}@{uid_domain}"


def event_uid(event: Event, uid_domain: str) -> str:
    """The event as a whole, in the UIDs' own terms: its calendar id at the UID domain, with no session number.

    The JSON feed's item ids and the Atom feed's entry ids are made from it, so they last as long as the UIDs.
    """
    return f"{event.calendar_id}@{uid_domain}"


def about(event) -> str:
    """What an event (or its page) is, in plain text: its summary, else its body's first paragraph.

    The calendar feeds' DESCRIPTION, the news feeds and Google's "add this event" link all say it.
    """
    model: Event = getattr(event, "model", event)
    return model.summary or first_paragraph(getattr(event, "content", "") or "")


def calendar_sessions(event: Event) -> list[Session]:
    """The sessions that can go in a calendar: date, and time unless all-day, known."""
    return [s for s in event.sessions if s.is_scheduled_exactly]


@dataclass(frozen=True, slots=True)
class _Shared:
    """What every VEVENT of one session shares: its UID, SEQUENCE, times of change, page and text."""

    uid: str
    sequence: str
    modified: str
    page_url: str
    about: str


def event_entries(event: Event, *, page_url: str, about: str, revision: Revision, uid_domain: str) -> list[Entry]:
    """The event's calendar entries, one per session that has a real start.

    ``about`` says what the event is, in plain text: its summary, or its body's first paragraph.
    A repeating session is one entry: a VEVENT with RRULE and EXDATE, then one VEVENT with
    RECURRENCE-ID for each changed meeting, all with the session's UID.
    """
    entries = []
    modified = date_time(revision.modified)
    for session in calendar_sessions(event):
        shared = _Shared(
            session_uid(event, session, uid_domain),
            str(revision.sequence.get(session.number, 0)),
            modified,
            page_url,
            about,
        )
        if session.is_repeating:
            entries.append(_repeating_entry(event, session, shared))
            continue
        in_utc = session.kind != "days" and needs_utc(session)
        data = _vevent(event, session, session, shared, partial(_single_times, session, in_utc))
        zone = None if session.kind == "days" or in_utc else session.timezone
        years = (session.start.year, (session.end or session.start).year)
        entries.append(Entry(data, zone, session.last_day(), years))
    return entries


def _single_times(session: Session, in_utc: bool, lines: Lines) -> None:
    if session.kind == "days":
        lines.add_time("DTSTART", session.start)
        lines.add_time("DTEND", session.day_after_end())  # DTEND of a VALUE=DATE entry is exclusive
        lines.raw("TRANSP", "TRANSPARENT")  # a campaign of several days should not block a diary
    else:
        lines.add_time("DTSTART", _calendar_time(session.start, in_utc))
        if session.end is not None:
            lines.add_time("DTEND", _calendar_time(session.end, in_utc))


def _repeating_entry(event: Event, session: Session, shared: _Shared) -> Entry:
    """The series VEVENT and its changed meetings. Times keep the session's zone (UTC ones a Z), so
    that the rule repeats on local wall time; the model refused rules with a skipped or repeated time."""
    repeat = session.repeat
    in_utc = is_utc(session.timezone)
    parts = [_vevent(event, session, session, shared, partial(_series_times, session, in_utc))]
    last_change = max((change.original for change in repeat.changes), default=session.start.date())
    meetings = session.occurrences(through=last_change)
    changed = {o.original.date(): o for o in meetings if repeat.change_on(o.original.date())}
    for day in sorted(changed):
        meeting = changed[day]
        times = partial(_changed_times, meeting, in_utc)
        parts.append(_vevent(event, session, meeting, shared, times, cancelled=meeting.cancelled))
    # An open-ended rule needs its zone's rules for every year: through the last change the zone's
    # file lists, after which the VTIMEZONE leaves the yearly rule open (or the offset holds).
    last_year = session.last_day().year if not repeat.is_open_ended or in_utc else last_listed_year(session.timezone)
    moved = [change.start.year for change in repeat.changes if change.start]
    years = (min([session.start.year, *moved]), max([session.start.year, last_year, *moved]))
    zone = None if in_utc else session.timezone
    return Entry(b"".join(parts), zone, session.last_day(), years)


def _series_times(session: Session, in_utc: bool, lines: Lines) -> None:
    _single_times(session, in_utc, lines)
    lines.raw("RRULE", recur(rrule_parts(session.repeat, session.start)))
    for day in session.repeat.exceptions:
        # In the zone of DTSTART, as RFC 5545 asks, at the time the rule gives that day.
        excepted = datetime.combine(day, session.start.time(), session.start.tzinfo)
        lines.add_time("EXDATE", _calendar_time(excepted, in_utc))


def _changed_times(meeting: Occurrence, in_utc: bool, lines: Lines) -> None:
    lines.add_time("RECURRENCE-ID", _calendar_time(meeting.original, in_utc))
    # A moved meeting's own start may fall in a repeated hour: then it is written in UTC.
    own_utc = needs_utc(meeting)
    lines.add_time("DTSTART", _calendar_time(meeting.start, own_utc))
    if meeting.end is not None:
        lines.add_time("DTEND", _calendar_time(meeting.end, own_utc))


def _vevent(
    event: Event,
    session: Session,
    meeting: Session | Occurrence,
    shared: _Shared,
    add_times: Callable[[Lines], None],
    cancelled: bool = False,
) -> bytes:
    """One VEVENT; ``meeting`` is the session, or one changed meeting of it, with its own join and place."""
    lines = Lines()
    lines.raw("BEGIN", "VEVENT")
    lines.add("UID", shared.uid)
    lines.raw("DTSTAMP", shared.modified)
    lines.raw("LAST-MODIFIED", shared.modified)
    lines.raw("SEQUENCE", shared.sequence)
    add_times(lines)
    lines.add("SUMMARY", session_summary(event, session, cancelled))
    lines.add("DESCRIPTION", session_description(event, meeting, shared.page_url, shared.about))
    location = meeting.place or meeting.join or meeting.platform
    if location:
        lines.add("LOCATION", location)
    if meeting.join:
        label = {"LABEL": meeting.platform} if meeting.platform else {}
        lines.raw("CONFERENCE", meeting.join, VALUE="URI", FEATURE="AUDIO,VIDEO", **label)
    lines.raw("URL", shared.page_url)
    lines.raw("STATUS", "CANCELLED" if cancelled else CALENDAR_STATUS[event.status])
    if event.tags:
        lines.add("CATEGORIES", list(event.tags))
    lines.raw("END", "VEVENT")
    return lines.to_bytes()


def needs_utc(session: Session | Occurrence) -> bool:
    """UTC sessions (or meetings), and those starting or ending in a repeated hour, are written in UTC.

    A local time in the repeated hour names two instants, and RFC 5545's rule
    (take the first) is not what every app does; a UTC time names one.
    """
    if is_utc(session.timezone):
        return True
    return any(is_repeated_wall_time(moment) for moment in (session.start, session.end) if moment is not None)


def _calendar_time(moment: datetime, in_utc: bool) -> datetime:
    """A UTC time is written with Z and no TZID."""
    return moment.astimezone(UTC) if in_utc else moment


def event_title(event: Event, cancelled: bool = False) -> str:
    """The title feeds give the event: "Cancelled: " or "Postponed: " first where that is its status."""
    prefix = SUMMARY_PREFIX["cancelled"] if cancelled else SUMMARY_PREFIX.get(event.status, "")
    return prefix + event.title


def session_summary(event: Event, session: Session, cancelled: bool = False) -> str:
    """The entry's title; ``cancelled`` marks one cancelled meeting of a repeating session."""
    title = event_title(event, cancelled)
    if session.label:
        return f"{title}: {session.label}"
    if len(event.sessions) > 1:
        return f"{title} (session {session.number} of {len(event.sessions)})"
    return title


def session_description(event: Event, meeting: Session | Occurrence, page_url: str, about: str) -> str:
    """Plain text: what the event is, who leads it, how to take part, and the page with every detail."""
    lines = [about]
    for label, names in (("Hosts", event.hosts), ("Speakers", event.speakers), ("Organisers", event.organisers)):
        if names:
            lines.append(f"{label}: {', '.join(names)}")
    if meeting.platform:
        lines.append(f"Online: {meeting.platform}")
    if meeting.place:
        lines.append(f"Place: {meeting.place}")
    if meeting.join:
        lines.append(f"Join: {meeting.join}")
    if event.registration:
        lines.append(f"{registration_label(event.registration)}: {event.registration}")
    if event.notes:
        lines.append(f"Notes: {event.notes}")
    if event.recording:
        lines.append(f"Recording: {event.recording}")
    lines.append(f"Details, and the time in other zones: {page_url}")
    return "\n".join(line for line in lines if line)


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.done = False

    def handle_starttag(self, tag, attrs):
        if tag == "p" and not self.done:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "p" and self.depth:
            self.depth -= 1
            self.done = self.done or self.depth == 0

    def handle_data(self, data):
        if self.depth and not self.done:
            self.parts.append(data)


def first_paragraph(body_html: str) -> str:
    """The body's first paragraph as plain text: no tags, no Markdown escapes."""
    collector = _TextCollector()
    collector.feed(body_html or "")
    # The parser has already decoded character references; decoding again would turn the text
    # "&amp;#x81;" (shown on the page as "&#x81;") into a raw control character.
    return re.sub(r"\s+", " ", "".join(collector.parts)).strip()


def zone_years(entries: list[Entry]) -> dict[str, tuple[int, int]]:
    """For each zone the entries use, the first and last year of their sessions."""
    years: dict[str, tuple[int, int]] = {}
    for entry in entries:
        if entry.zone is None:
            continue
        first, last = entry.years
        known = years.get(entry.zone, entry.years)
        years[entry.zone] = (min(known[0], first), max(known[1], last))
    return years


@lru_cache(maxsize=8)
def _fixed_header(prodid: str, refresh: timedelta) -> bytes:
    """The lines every feed of a site shares, worked out once."""
    lines = Lines()
    lines.raw("BEGIN", "VCALENDAR")
    lines.raw("VERSION", "2.0")
    lines.add("PRODID", prodid)
    lines.raw("CALSCALE", "GREGORIAN")
    lines.add("REFRESH-INTERVAL", refresh, VALUE="DURATION")
    lines.add("X-PUBLISHED-TTL", refresh)
    return lines.to_bytes()


def _header(info: CalendarInfo) -> bytes:
    lines = Lines()
    # icalendar 7.3 writes NAME and X- properties unescaped; here they are TEXT like any other.
    for name in ("NAME", "X-WR-CALNAME"):
        lines.add(name, info.name)
    for name in ("DESCRIPTION", "X-WR-CALDESC"):
        lines.add(name, info.description)
    if info.url:
        lines.raw("URL", info.url)
    if info.source:
        lines.raw("SOURCE", info.source, VALUE="URI")
    return _fixed_header(info.prodid, info.refresh) + lines.to_bytes()


def calendar_bytes(info: CalendarInfo, entries: list[Entry], years: dict[str, tuple[int, int]]) -> bytes:
    """A whole feed: header, each zone it uses once (sorted by name), then the entries in order."""
    zones = sorted({entry.zone for entry in entries if entry.zone})
    parts = [_header(info)]
    parts += [vtimezone_bytes(zone, *years[zone]) for zone in zones]
    parts += [entry.data for entry in entries]
    parts.append(END_OF_CALENDAR)
    return b"".join(parts)
