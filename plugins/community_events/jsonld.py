"""schema.org JSON-LD: an ``Event`` for each event page, an ``Organization`` for the home page.

Search engines read these; Google's Event rich results require ``name``, ``startDate`` and
``location``, and recommend ``description``, ``endDate``, ``eventAttendanceMode``,
``eventStatus``, ``image``, ``offers``, ``organizer``, ``performer`` and ``previousStartDate``.
Each value here is a fact the event's file gives and its page shows; what the files never say
is left out rather than guessed:

* ``offers``: no file records a price or tickets (the group's events are free to join, but no
  file says so, and Google's ``offers`` wants a price and a currency);
* ``previousStartDate``: a postponed event records no new date, and no file keeps an old one;
* ``location``, and the attendance mode, of an event whose sessions give neither a platform (or
  join link) nor a place: nobody wrote where it happens;
* the whole ``Event`` of an event with no known day (Google requires ``startDate``).

Dates are the instants the page marks up in ``<time datetime>``, written with the session's own
UTC offset (``2019-05-30T09:00:00+10:00``), or plain dates for all-day sessions. ``script_json``
writes a value for a ``<script type="application/ld+json">`` block: ``<``, ``>`` and ``&`` become
``\\u003c`` and so on, so no text (a title holding ``</script>``) can end the block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from markupsafe import Markup

from . import display
from .feeds import first_paragraph
from .options import Options
from .recurrence import last_rule_day

SCHEMA = "https://schema.org"
EVENT_STATUS = {"cancelled": "EventCancelled", "postponed": "EventPostponed"}  # anything else: EventScheduled
ONLINE, OFFLINE, MIXED = "OnlineEventAttendanceMode", "OfflineEventAttendanceMode", "MixedEventAttendanceMode"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# schema.org's byMonthWeek is "an Integer between 1-5": "the last Thursday" has no value there.
MONTH_WEEKS = range(1, 6)
SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
# Just to compare dates with instants when finding the first start and the last end.
_MIDNIGHT = time(0)


@dataclass(frozen=True, slots=True)
class Site:
    """What the structured data says about the site: its name, subtitle and absolute address."""

    name: str
    description: str
    base: str  # absolute, without a trailing slash (calendars.absolute_base)

    def url(self, relative: str) -> str:
        return f"{self.base}/{relative}"

    @property
    def organization(self) -> dict:
        return {"@type": "Organization", "name": self.name, "url": self.url("")}


@dataclass(frozen=True, slots=True)
class _Span:
    """One session's dates as the structured data writes them, and instants to order them by."""

    start: str
    end: str | None
    first: datetime
    last: datetime | None


def script_json(data: dict) -> Markup:
    """``data`` as JSON that can stand inside ``<script type="application/ld+json">``.

    Nothing in it can end the element or open a comment (``</script>``, ``<!--``): every ``<``,
    ``>`` and ``&`` is written as a JSON escape, which JSON parsers read back as the character.
    """
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_ESCAPES))


def organization(site: Site) -> dict:
    """The group, for the home page."""
    data = {"@context": SCHEMA, **site.organization}
    if site.description:
        data["description"] = site.description
    return data


def _instant(value: datetime | date, end: bool = False) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value + timedelta(days=1) if end else value, _MIDNIGHT, tzinfo=UTC)


def _timed_span(start: datetime, end: datetime | None) -> _Span:
    return _Span(
        start=start.isoformat(timespec="seconds"),
        end=end.isoformat(timespec="seconds") if end is not None else None,
        first=_instant(start),
        last=_instant(end) if end is not None else None,
    )


def shown_meeting(session, options: Options):
    """The meeting of a repeating session that the page lists first: the next one, else the latest.

    Cancelled meetings are skipped; None when the rule gives no meeting at all.
    """
    upcoming = [m for m in display.next_meetings(session, options) if not m.cancelled]
    if upcoming:
        return upcoming[0]
    earlier, _ = display.earlier_meetings(session, options)
    return next((m for m in earlier if not m.cancelled), None)


def session_span(session, options: Options) -> _Span | None:
    """A session's start and end; None when its day is not known (a month, a year, or not at all)."""
    if session.is_repeating:
        meeting = shown_meeting(session, options)
        return _timed_span(meeting.start, meeting.end) if meeting else _timed_span(session.start, session.end)
    if session.kind == "timed":
        return _timed_span(session.start, session.end)
    if session.kind == "days":
        return _Span(
            session.start.isoformat(), session.end.isoformat(), _instant(session.start), _instant(session.end, True)
        )
    if session.kind == "time_tba":  # the day is known, the time is not: the day alone
        return _Span(session.start.isoformat(), None, _instant(session.start), None)
    return None


def schedule(session) -> dict | None:
    """A repeating session's rule as a schema.org ``Schedule``; None for a rule it cannot say.

    Times are wall-clock times in ``scheduleTimezone``, as the rule is written; ``exceptDate``
    lists the dates the rule gives on which there is no meeting (left out, or cancelled).
    """
    repeat, start = session.repeat, session.start
    data: dict = {"@type": "Schedule", "repeatFrequency": f"P{repeat.interval}{'W' if repeat.unit == 'week' else 'M'}"}
    if repeat.unit == "week":
        data["byDay"] = f"{SCHEMA}/{DAY_NAMES[start.weekday()]}"
    elif repeat.weekday is not None:
        ordinal, weekday = repeat.weekday
        if ordinal not in MONTH_WEEKS:
            return None
        data["byDay"] = f"{SCHEMA}/{DAY_NAMES[weekday]}"
        data["byMonthWeek"] = ordinal
    else:
        data["byMonthDay"] = start.day
    data["startDate"] = start.date().isoformat()
    last = last_rule_day(repeat, start.replace(tzinfo=None))
    if last is not None:
        data["endDate"] = last.isoformat()
    if repeat.times is not None:
        data["repeatCount"] = repeat.times
    data["startTime"] = start.time().isoformat(timespec="seconds")
    if session.end is not None:
        data["endTime"] = session.end.time().isoformat(timespec="seconds")
    data["scheduleTimezone"] = session.timezone
    skipped = sorted({*repeat.exceptions, *(change.original for change in repeat.changes if change.cancelled)})
    if skipped:
        data["exceptDate"] = [day.isoformat() for day in skipped]
    return data


def _is_online(session) -> bool:
    return bool(session.platform or session.join)


def locations(session, page_url: str, show_join: bool, country: str | None) -> list[dict]:
    """Where a session happens: online (``VirtualLocation``), at a place (``Place``), or both.

    The online address is the join link only when the page shows it (while the event can be
    attended), else the event's page. A ``Place`` is named by the file's place; its address is
    that text, or, when the file gives the country, a ``PostalAddress`` with that country.
    """
    found = []
    if _is_online(session):
        virtual = {"@type": "VirtualLocation", "url": session.join if session.join and show_join else page_url}
        if session.platform:
            virtual["name"] = session.platform
        found.append(virtual)
    if session.place:
        address = {"@type": "PostalAddress", "addressCountry": country} if country else session.place
        found.append({"@type": "Place", "name": session.place, "address": address})
    return found


def attendance_mode(sessions) -> str | None:
    online = any(_is_online(s) for s in sessions)
    offline = any(s.place for s in sessions)
    if online and offline:
        return f"{SCHEMA}/{MIXED}"
    if online or offline:
        return f"{SCHEMA}/{ONLINE if online else OFFLINE}"
    return None


def _people(kind: str, names) -> list[dict]:
    return [{"@type": kind, "name": name} for name in names]


def _languages(model) -> list[str]:
    # Another part of the model may or may not give the languages yet: ask without assuming.
    languages = getattr(model, "languages", None) or [getattr(model, "language", None)]
    return [tag for tag in languages if tag]


def _one_or_list(values: list):
    return values[0] if len(values) == 1 else values


def _dates(data: dict, spans: list[_Span]) -> None:
    """The first start and, when every session's end is known, the last end."""
    first = min(spans, key=lambda span: span.first)
    data["startDate"] = first.start
    if all(span.last is not None for span in spans):
        data["endDate"] = max(spans, key=lambda span: span.last).end


def _where(data: dict, sessions, page_url: str, show_join: bool, country: str | None) -> None:
    found = []
    for session in sessions:
        for location in locations(session, page_url, show_join, country):
            if location not in found:
                found.append(location)
    if found:
        data["location"] = _one_or_list(found)
    mode = attendance_mode(sessions)
    if mode:
        data["eventAttendanceMode"] = mode


def event_data(event, site: Site, options: Options, image_url: str | None = None) -> dict | None:
    """The event page's ``Event``, or None when no session has a known day.

    One session: its dates, place and schedule on the ``Event``. Several: the first start and the
    last end, every place, and each session with a day as a ``subEvent`` with its own.
    """
    model = event.model
    page_url = site.url(event.url)
    dated = [(session, span) for session in model.sessions if (span := session_span(session, options)) is not None]
    if not dated:
        return None
    show_join = display.is_live(event, options)
    country = getattr(model, "country", None)
    status = f"{SCHEMA}/{EVENT_STATUS.get(model.status, 'EventScheduled')}"
    data: dict = {"@context": SCHEMA, "@type": "Event", "name": event.title, "url": page_url}
    about = model.summary or first_paragraph(event.content)
    if about:
        data["description"] = about
    _dates(data, [span for _, span in dated])
    data["eventStatus"] = status
    _where(data, [session for session, _ in dated], page_url, show_join, country)
    if image_url:
        data["image"] = [image_url]
    data["organizer"] = _one_or_list([site.organization, *_people("Person", model.organisers)])
    if model.speakers:
        data["performer"] = _one_or_list(_people("Person", model.speakers))
    languages = _languages(model)
    if languages:
        data["inLanguage"] = _one_or_list(languages)
    if event.series_page is not None:
        data["superEvent"] = {
            "@type": "EventSeries",
            "name": event.series_page.title,
            "url": site.url(event.series_page.url),
        }
    if len(model.sessions) == 1:
        if model.sessions[0].is_repeating and (rule := schedule(model.sessions[0])):
            data["eventSchedule"] = rule
        return data
    data["subEvent"] = [
        _session_event(event, session, span, page_url, show_join, country, status) for session, span in dated
    ]
    return data


def _session_event(event, session, span: _Span, page_url: str, show_join: bool, country, status: str) -> dict:
    """One session of several, as an ``Event`` of its own, linked to its place on the page."""
    name = f"{event.title}: {session.label}" if session.label else f"{event.title}, session {session.number}"
    data: dict = {
        "@type": "Event",
        "name": name,
        "url": f"{page_url}#session-{session.number}",
        "startDate": span.start,
    }
    if span.end is not None:
        data["endDate"] = span.end
    data["eventStatus"] = status
    _where(data, [session], page_url, show_join, country)
    if session.is_repeating and (rule := schedule(session)):
        data["eventSchedule"] = rule
    return data
