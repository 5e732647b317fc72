"""The content model: events and their sessions, series and goals.

``parse_event``, ``parse_series`` and ``parse_goal`` turn front matter (a
``frontmatter.Fields`` mapping that knows its lines) into frozen dataclasses,
or raise ``ContentError`` with the file, line, field and fix. No Pelican here:
the generator wraps these objects for templates.

A session's ``start`` says how precisely its date is known:

=====================  ==========================  =========================
``start`` written as   kind                        shown as
=====================  ==========================  =========================
``2024-04-05 10:00``   ``timed`` (needs timezone)  converted into zones
``2024-04-05``         ``days`` (all day)          "Fri 5 Apr 2024"
``2024-04-05`` +       ``time_tba``                "time to be announced"
``time_tba: true``
``2024-03``            ``month``                   "March 2024, details to come"
``2024``               ``year``                    "2024, dates to come"
``unknown``            ``unknown``                 "date not recorded"
=====================  ==========================  =========================
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import locales, recurrence, safety, states
from .errors import ContentError, close_matches
from .frontmatter import FieldLines, Fields, Items, decode, split
from .recurrence import Change, Occurrence, Repeat
from .topics import tag_problem, tag_slug
from .zones import offset_text, zone_problem

# "held": the source says the event took place; only an event that is over may say so.
EVENT_STATUSES = ("scheduled", "tentative", "cancelled", "postponed", "held")
GOAL_STATUSES = ("adopted", "achieved", "retired")
LINK_SCHEMES = ("https", "http", "mailto")
# Calendar ids and the names of pages: lower-case words joined by hyphens. Every URL and
# output path is made from one of these, never from a path or name the content gives.
NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAME_LENGTH = 100
DATED_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-")
PAGE_TEMPLATES = ("page", "campaign", "open-tasks", "call")
FIRST_YEAR, LAST_YEAR = 1900, 2200
MAX_DURATION = timedelta(days=400)
# A link is one token: any space or control character in it is a paste gone wrong or an attack.
NOT_IN_LINKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
MULTI_LINE_FIELDS = ("summary",)
# Longest text each kind of field may have: far above any real value, and checked before any
# pattern reads it, so no pattern ever sees a long line.
SHORT_FIELDS = ("start", "end", "duration", "timezone", "id", "status", "series", "template", "date")
MAX_LENGTH = {"short": 100, "summary": 5000, "other": 1000}
# Far above any real event; a list longer than these is a mistake or an attack on the build.
MAX_LIST_ITEMS = 100
MAX_SESSIONS = 500
# Each repeating session may give a thousand meetings, each expanded for the page, the feeds and
# the listings: 500 of them made one file take minutes to build. Real events have one or two.
MAX_REPEATING_SESSIONS = 20
# How much of a refused tag an error shows: enough to find it in the file.
SHOWN_TAG_LENGTH = 40

COMMON_FIELDS = ("title", "summary", "draft")
EVENT_FIELDS = COMMON_FIELDS + (
    "id",
    "series",
    "episode",
    "status",
    "sessions",
    "hosts",
    "speakers",
    "organisers",
    "registration",
    "notes",
    "recording",
    "display_zones",
    "tags",
    "notes_on_source",
    "language",
    "country",
)
# An event held in more languages than this is better described in its text.
MAX_LANGUAGES = 5
SESSION_FIELDS = ("label", "start", "end", "duration", "timezone", "time_tba", "platform", "place", "join", "repeat")
REPEAT_FIELDS = ("every", "day", "until", "times", "except", "changes")
CHANGE_FIELDS = ("date", "start", "end", "duration", "status", "join", "platform", "place")
SERIES_FIELDS = COMMON_FIELDS
GOAL_FIELDS = COMMON_FIELDS + ("order", "status", "actions", "events", "stories", "pages")

# Meta-Wiki's Event Registration: an "Event:" page, or Special:RegisterForEvent (in a path or a title).
META_REGISTRATION = re.compile(
    r"^https://meta\.wikimedia\.org/(?:wiki/(?:Event:|Special:RegisterForEvent)|w/index\.php\?(?:.*&)?title=(?:Event:|Special:RegisterForEvent))",
    re.IGNORECASE,
)


def N_(message: str) -> str:
    """Marks a message readers see: ``python3 tasks.py translations`` extracts it, and the page that shows it
    translates it (display.py); the calendar feeds use it as it is, in English."""
    return message


REGISTRATION_LABELS = {
    # Translators: the link to an event's registration on Meta-Wiki, which needs a Wikimedia account.
    "meta": N_("Register on Meta-Wiki (Wikimedia account)"),
    # Translators: the link to an event's registration form elsewhere.
    "other": N_("Sign up"),
}
DATE_FORMAT_HINT = "write dates as YYYY-MM-DD and times as HH:MM, for example 2024-05-31 14:30"
DURATION_PATTERN = re.compile(
    r"(\d+(?:\.\d+)?)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m)(?![a-z])", re.IGNORECASE | re.ASCII
)
MINUTES_IN = {"d": 1440, "h": 60, "m": 1}
# A wall time may carry its UTC offset, which names one instant where the clocks go back.
UTC_OFFSET = re.compile(r"^(.*?\d{1,2}:\d{2})\s*(?:UTC|GMT)?\s*([+-−])(\d{1,2}):?(\d{2})$", re.ASCII)
START_PATTERNS = (
    # ASCII digits only: Python's \d would take "２０２４" too.
    ("timed", re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$", re.ASCII)),
    ("days", re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)),
    ("month", re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)),
    ("year", re.compile(r"^(\d{4})$", re.ASCII)),
)


def registration_label(url: str) -> str:
    """How a registration link is offered: Meta-Wiki's Event Registration needs a Wikimedia account."""
    return REGISTRATION_LABELS["meta" if META_REGISTRATION.match(url) else "other"]


@dataclass(frozen=True, slots=True)
class Session:
    """One meeting of an event: a time range, or a date known only so far."""

    number: int
    kind: str  # timed, days, time_tba, month, year, unknown
    start: datetime | date | None  # aware datetime when timed, else a date
    end: datetime | date | None  # timed: aware datetime or None; days: the last day (inclusive)
    timezone: str | None
    label: str | None = None
    platform: str | None = None
    place: str | None = None
    join: str | None = None
    repeat: Repeat | None = None

    @property
    def is_timed(self) -> bool:
        return self.kind == "timed"

    @property
    def is_repeating(self) -> bool:
        return self.repeat is not None

    def occurrences(self, through: date | None = None) -> list[Occurrence]:
        """A repeating session's meetings, exceptions left out; an open-ended one up to ``through``."""
        defaults = {"join": self.join, "platform": self.platform, "place": self.place}
        last = date(LAST_YEAR, 12, 31)
        return recurrence.occurrences(self.repeat, self.start, self.end, defaults, min(through or last, last))

    @property
    def is_scheduled_exactly(self) -> bool:
        """Its date (and time, unless all-day) is known: it can go in a calendar."""
        return self.kind in ("timed", "days")

    def first_day(self) -> date | None:
        if self.kind == "timed":
            return self.start.date()
        return self.start

    def last_day(self) -> date | None:
        """The last local day the session touches, used to decide past or upcoming."""
        if self.repeat is not None:
            return _last_meeting_day(self)
        if self.kind == "timed":
            return (self.end or self.start).date()
        if self.kind == "days":
            return self.end
        if self.kind == "month":
            return self.start.replace(day=calendar.monthrange(self.start.year, self.start.month)[1])
        if self.kind == "year":
            return self.start.replace(month=12, day=31)
        return self.start  # time_tba, or None when unknown

    def day_after_end(self) -> date:
        """The day after an all-day session: calendars end a whole-day entry there, exclusively."""
        return self.end + timedelta(days=1)

    def sort_instant(self) -> datetime | None:
        """A UTC instant to order sessions by; date-only sessions count from midnight UTC."""
        if self.kind == "timed":
            return self.start.astimezone(UTC)
        if self.start is None:
            return None
        return datetime.combine(self.start, time(0), tzinfo=UTC)


@lru_cache(maxsize=256)
def _last_meeting_day(session: Session) -> date:
    """The last day a repeating session meets (moved meetings included); open-ended: the last year allowed."""
    if session.repeat.is_open_ended:
        return date(LAST_YEAR, 12, 31)
    meetings = session.occurrences()
    if not meetings:  # every date excepted
        return session.start.date()
    return max(o.end or o.start for o in meetings).date()


@dataclass(frozen=True, slots=True)
class Event:
    slug: str
    title: str
    source_path: str
    sessions: tuple[Session, ...]
    status: str = "scheduled"
    series: str | None = None
    episode: int | None = None
    hosts: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    organisers: tuple[str, ...] = ()
    registration: str | None = None
    notes: str | None = None
    recording: str | None = None
    display_zones: tuple[str, ...] | None = None
    tags: tuple[str, ...] = ()
    # How the file reads an unclear source (a weekday that does not match its date, "EST" in summer):
    # short sentences, shown on the event's page.
    notes_on_source: tuple[str, ...] = ()
    # What the event is held in: canonical BCP 47 tags ("es", "pt-BR"), the main one first.
    languages: tuple[str, ...] = ()
    country: str | None = None  # where it takes place in person: an upper-case ISO 3166-1 code ("NG")
    summary: str | None = None
    event_id: str | None = None  # "id" in front matter: keeps calendar entries if the file is renamed
    draft: bool = False

    @property
    def language(self) -> str | None:
        """The language the event is held in (the first, if several), as a BCP 47 tag; None if not given."""
        return self.languages[0] if self.languages else None

    @property
    def calendar_id(self) -> str:
        """The part of every calendar UID that names this event; never the title."""
        return self.event_id or self.slug

    def first_day(self) -> date | None:
        days = [s.first_day() for s in self.sessions if s.first_day() is not None]
        return min(days) if days else None

    def last_day(self) -> date | None:
        days = [s.last_day() for s in self.sessions if s.last_day() is not None]
        return max(days) if days else None

    def is_upcoming(self, today: date) -> bool:
        """Dated, and not over at the start of ``today`` (midnight UTC); ``states`` says when sessions end."""
        return self.first_day() is not None and not states.is_over(self, datetime.combine(today, time(0), tzinfo=UTC))

    def sort_instant(self) -> datetime | None:
        instants = [s.sort_instant() for s in self.sessions if s.sort_instant() is not None]
        return min(instants) if instants else None

    @property
    def year(self) -> int | None:
        first = self.first_day()
        return first.year if first else None


@dataclass(frozen=True, slots=True)
class Series:
    slug: str
    title: str
    source_path: str
    summary: str | None = None
    draft: bool = False


@dataclass(frozen=True, slots=True)
class Goal:
    slug: str
    title: str
    source_path: str
    order: int
    actions: tuple[str, ...]
    status: str | None = None  # only what the group's records say: no status is shown as none
    events: tuple[str, ...] = ()
    stories: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()  # pages such as calls for stories, by file name without .md
    summary: str | None = None
    draft: bool = False


@dataclass(frozen=True, slots=True)
class Story:
    slug: str
    title: str
    source_path: str
    day: date
    author: str
    summary: str | None = None
    featured: str | None = None
    library: str | None = None
    country: str | None = None
    tags: tuple[str, ...] = ()
    draft: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    slug: str
    title: str
    source_path: str
    template: str = "page"
    summary: str | None = None
    draft: bool = False


class _Checker:
    """Reads typed values out of one file's fields, raising errors that point at lines."""

    def __init__(self, path: str, fields: Fields, prefix: str = ""):
        self.path = path
        self.fields = fields
        self.prefix = prefix

    def error(self, name: str, problem: str, fix: str = "", line: int | None = None) -> ContentError:
        field = f"{self.prefix}{name}"
        return ContentError(self.path, problem, fix, field=field, line=line or self.fields.line(name))

    def check_known(self, allowed: tuple[str, ...], kind: str) -> None:
        for name in self.fields:
            if name in allowed:
                continue
            close = close_matches(name, allowed, n=1, cutoff=0.6)
            fix = f'did you mean "{close[0]}"?' if close else f"the fields of {kind} are: {', '.join(allowed)}"
            raise self.error(name, f'"{name}" is not a field of {kind}', fix)

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.error(
                    name,
                    f'the required field "{self.prefix}{name}" is missing',
                    f'add a line "{name}: ..."',
                    self.fields.start_line,
                )
            return None
        if isinstance(value, (dict, list)):
            raise self.error(name, "should be a single line of text", f'write it as "{name}: some text"')
        if isinstance(value, bool):
            raise self.error(
                name,
                "should be text, not true or false",
                f'put the value in quotes, like {name}: "{str(value).lower()}"',
            )
        text = str(value).strip()
        limit = MAX_LENGTH["short" if name in SHORT_FIELDS else "summary" if name in MULTI_LINE_FIELDS else "other"]
        if len(text) > limit:
            raise self.error(
                name,
                f"is {len(text):,} characters long, more than the {limit:,} it may have",
                "shorten it; put long text in the body",
            )
        if "\n" in text and name not in MULTI_LINE_FIELDS:
            raise self.error(name, "should be a single line of text", f'write it on one line after "{name}:"')
        return text

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(name)
        if value is None:
            return default
        if value.lower() not in allowed:
            close = close_matches(value.lower(), allowed, n=1)
            hint = f'did you mean "{close[0]}"? ' if close else ""
            raise self.error(name, f'"{value}" is not an allowed value', f"{hint}use one of: {', '.join(allowed)}")
        return value.lower()

    def whole_number(self, name: str, minimum: int = 1) -> int | None:
        value = self.fields.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(
                name,
                f'"{value}" is not a whole number of at least {minimum}',
                f"write a number, like {name}: {minimum}",
            )
        return value

    def text_list(self, name: str) -> tuple[str, ...]:
        value = self.fields.get(name)
        if value is None:
            return ()
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value = Items([value], lines=[self.fields.line(name)])
        if not isinstance(value, Items) or not all(
            isinstance(v, (str, int)) and not isinstance(v, bool) for v in value
        ):
            raise self.error(name, "should be a list of names or words", 'write one per line, each starting with "- "')
        if len(value) > MAX_LIST_ITEMS:
            raise self.error(
                name,
                f"has {len(value)} items, more than the {MAX_LIST_ITEMS} a list may have",
                "keep the list short; put the rest in the text",
            )
        items = tuple(str(v).strip() for v in value if str(v).strip())
        for index, item in enumerate(items):
            if len(item) > MAX_LENGTH["other"]:
                raise self.error(name, f"has an item {len(item):,} characters long", "shorten it", value.line(index))
        for index, item in enumerate(items):
            if "\n" in item:
                raise self.error(
                    name, "has an item that is more than one line", "write each item on one line", value.line(index)
                )
        return items

    def link(self, name: str) -> str | None:
        value = self.text(name)
        if value is None:
            return None
        if NOT_IN_LINKS.search(value):
            raise self.error(
                name,
                "is a link with a space, line break or invisible character in it",
                "write the address on one line, with spaces written as %20",
            )
        try:
            parts = urlsplit(value)
        except ValueError:  # e.g. "[" in the host, which urlsplit reads as a broken IPv6 address
            raise self.error(
                name, f'"{value}" is not a web link', "write the full address starting with https://"
            ) from None
        scheme = parts.scheme.lower()
        if scheme not in LINK_SCHEMES or (scheme != "mailto" and not parts.netloc):
            raise self.error(name, f'"{value}" is not a web link', "write the full address starting with https://")
        return value

    def boolean(self, name: str) -> bool:
        value = self.fields.get(name, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(name, f'"{value}" is not true or false', f"write {name}: true or {name}: false")
        return value


def parse_event(path: str, slug: str, fields: Fields) -> Event:
    check = _Checker(path, fields)
    check.check_known(EVENT_FIELDS, "an event")
    title = check.text("title", required=True)
    series = check.text("series")
    episode = check.whole_number("episode")
    if episode is not None and series is None:
        raise check.error(
            "episode", "is given but the event names no series", 'add a line "series: ..." or remove the episode'
        )
    display_zones = _display_zones(check)
    return Event(
        slug=slug,
        title=title,
        source_path=path,
        sessions=_sessions(check),
        status=check.choice("status", EVENT_STATUSES, "scheduled"),
        series=series,
        episode=episode,
        hosts=check.text_list("hosts"),
        speakers=check.text_list("speakers"),
        organisers=check.text_list("organisers"),
        registration=check.link("registration"),
        notes=check.link("notes"),
        recording=check.link("recording"),
        display_zones=display_zones,
        tags=_tags(check),
        notes_on_source=_notes_on_source(check),
        languages=_languages(check),
        country=_country(check),
        summary=check.text("summary"),
        event_id=_event_id(check),
        draft=check.boolean("draft"),
    )


def _tags(check: _Checker) -> tuple[str, ...]:
    """Each tag names a topic page (events/tags/<slug>/, see ``topics``): it needs a usable slug, and two
    tags of one event may not name the same topic."""
    tags = check.text_list("tags")
    written = check.fields.get("tags")
    # The line of each tag text_list kept (it drops empty items).
    lines = [written.line(i) for i, tag in enumerate(written) if str(tag).strip()] if isinstance(written, Items) else []
    first_with: dict[str, str] = {}
    for index, tag in enumerate(tags):
        line = lines[index] if index < len(lines) else None
        problem = tag_problem(tag)
        if problem:
            shown = tag if len(tag) <= SHOWN_TAG_LENGTH else tag[:SHOWN_TAG_LENGTH] + "…"
            raise check.error("tags", f'include "{shown}", which {problem[0]}', problem[1], line)
        first = first_with.setdefault(tag_slug(tag), tag)
        if first != tag:
            raise check.error("tags", f'have "{first}" and "{tag}", which are one topic', "keep one of the two", line)
    return tags


def _languages(check: _Checker) -> tuple[str, ...]:
    """``language``: one BCP 47 tag, or a short list of them, each kept in its canonical form."""
    value = check.fields.get("language")
    if value is None or (isinstance(value, str) and not value.strip()):
        return ()
    if not isinstance(value, (Items, str)):
        raise check.error(
            "language", "should be a language code", 'write it like "language: es", or a list like "language: [en, es]"'
        )
    if isinstance(value, Items) and len(value) > MAX_LANGUAGES:
        raise check.error(
            "language",
            f"lists {len(value)} languages, more than the {MAX_LANGUAGES} an event may give",
            "give the main ones, and say more in the text",
        )
    tags: list[str] = []
    for index, item in enumerate(value if isinstance(value, Items) else [value]):
        line = value.line(index) if isinstance(value, Items) else check.fields.line("language")
        if not isinstance(item, str):
            raise check.error("language", "should be a list of language codes", 'write one per line, like "- es"', line)
        if len(item) > MAX_LENGTH["short"]:
            raise check.error("language", "is too long to be a language code", 'write a code like "es"', line)
        try:
            tag = locales.language_tag(item)
        except locales.NotKnown as refusal:
            raise check.error("language", refusal.problem, refusal.fix, line) from None
        if tag in tags:
            raise check.error("language", f'lists "{tag}" twice', "list each language once", line)
        tags.append(tag)
    return tuple(tags)


def _country(check: _Checker) -> str | None:
    """``country``: an ISO 3166-1 alpha-2 code or an English name, kept as the upper-case code."""
    if isinstance(check.fields.get("country"), Items):
        raise check.error(
            "country",
            "should be one country",
            "give the country of the place the event is held in, like country: NG, or leave it out",
        )
    text = check.text("country")
    if text is None:
        return None
    if len(text) > MAX_LENGTH["short"]:
        raise check.error("country", "is too long to be a country", 'write its code, like "NG", or its name in English')
    try:
        return locales.country_code(text)
    except locales.NotKnown as refusal:
        raise check.error("country", refusal.problem, refusal.fix) from None


def _notes_on_source(check: _Checker) -> tuple[str, ...]:
    """How the file reads an unclear source: a list of short notes, checked like any list of text."""
    value = check.fields.get("notes_on_source")
    if value is not None and not isinstance(value, (Items, str)):
        raise check.error(
            "notes_on_source",
            "should be a list of notes",
            'write each note on a line starting with "- ", in double quotes',
        )
    return check.text_list("notes_on_source")


def _event_id(check: _Checker) -> str | None:
    value = check.text("id")
    if value is not None and (not NAME_PATTERN.match(value) or len(value) > MAX_NAME_LENGTH):
        raise check.error(
            "id",
            f'id "{value}" has characters that calendar ids cannot use',
            "use lower-case letters, digits and hyphens, like the file name: 2024-05-31-wikidata-meetup",
        )
    return value


def _display_zones(check: _Checker) -> tuple[str, ...] | None:
    if check.fields.get("display_zones") is None:
        return None
    zones = check.text_list("display_zones")
    items = check.fields["display_zones"]
    for index, zone in enumerate(zones):
        problem = zone_problem(zone)
        if problem:
            line = items.line(index) if isinstance(items, Items) else None
            raise check.error("display_zones", *problem, line=line)
    return zones


def _sessions(check: _Checker) -> tuple[Session, ...]:
    raw = check.fields.get("sessions")
    if raw is None:
        raise check.error(
            "sessions",
            'the required field "sessions" is missing',
            "add a sessions list with at least one start (see CONTRIBUTING.md)",
            check.fields.start_line,
        )
    if not isinstance(raw, Items) or not raw:
        raise check.error(
            "sessions", "should be a list of sessions", 'start each session with "- start: ..." on its own line'
        )
    if len(raw) > MAX_SESSIONS:
        raise check.error(
            "sessions",
            f"has {len(raw)} sessions, more than the {MAX_SESSIONS} an event may have",
            "split it into several events, or a series",
        )
    sessions = []
    repeating = 0
    for index, item in enumerate(raw):
        if not isinstance(item, Fields):
            raise check.error(
                "sessions",
                f"session {index + 1} is not a set of fields",
                'write it as "- start: 2024-05-31 14:00" with its other fields indented below',
                raw.line(index),
            )
        repeating += item.get("repeat") is not None
        if repeating > MAX_REPEATING_SESSIONS:
            raise check.error(
                "sessions",
                f"session {index + 1} repeats, but an event may have at most {MAX_REPEATING_SESSIONS} that repeat",
                "split it into several events, or a series",
                raw.line(index),
            )
        prefix = f"session {index + 1} " if len(raw) > 1 else ""
        sessions.append(_session(_Checker(check.path, item, prefix=prefix), index + 1))
    return tuple(sessions)


def _session(check: _Checker, number: int) -> Session:
    check.check_known(SESSION_FIELDS, "a session")
    start_text = check.text("start", required=True)
    start_text, offset = _split_offset(check, "start", start_text)
    kind, start = _parse_start(check, start_text)
    zone = check.text("timezone")
    if zone is not None:
        problem = zone_problem(zone)
        if problem:
            raise check.error("timezone", *problem)
    if offset is not None and kind != "timed":
        raise check.error(
            "start",
            "has a UTC offset but no time",
            "give the time too, like 2025-11-02 01:30 -04:00, or remove the offset",
        )
    time_tba = check.boolean("time_tba")
    if time_tba:
        if kind != "days":
            raise check.error(
                "time_tba",
                "only applies to a start that is a date without a time",
                "remove time_tba, or give the start as a date like 2024-05-31",
            )
        kind = "time_tba"
    end = None
    if kind == "timed":
        if zone is None:
            raise check.error(
                "timezone",
                'the session has a time but no "timezone"',
                'add a line "timezone: Continent/City", for example "timezone: America/New_York"',
                check.fields.line("start"),
            )
        start = _local_time(check, "start", start, zone, offset)
        end = _timed_end(check, start)
    elif kind == "days":
        end = _last_day(check, start)
    if check.fields.get("repeat") is not None and kind != "timed":
        raise check.error(
            "repeat",
            "needs the first meeting's start with a time",
            "give the start like 2025-01-16 14:00, with a timezone",
        )
    if kind not in ("timed", "days") and (
        check.fields.get("end") is not None or check.fields.get("duration") is not None
    ):
        name = "end" if check.fields.get("end") is not None else "duration"
        raise check.error(
            name, "cannot be given while the start date or time is not known", f"remove {name} until the start is known"
        )
    return Session(
        number=number,
        kind=kind,
        start=start,
        end=end,
        timezone=zone,
        label=check.text("label"),
        platform=check.text("platform"),
        place=check.text("place"),
        join=check.link("join"),
        repeat=_repeat(check, start, end) if check.fields.get("repeat") is not None else None,
    )


# --- Repeating sessions ------------------------------------------------------------------------

EVERY_PATTERN = re.compile(r"^(?:every\s+)?(?:(\d{1,2})\s+)?(week|weeks|weekly|month|months|monthly)$", re.ASCII)
ORDINAL_WORDS = {**recurrence.ORDINALS, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
MAX_INTERVAL = 52
REPEAT_EXAMPLE = "every: month"


def _repeat(check: _Checker, start: datetime, end: datetime | None) -> Repeat:
    """The session's ``repeat`` block; every date it gives must be a real, unambiguous time in its zone."""
    block = check.fields.get("repeat")
    if not isinstance(block, Fields):
        raise check.error(
            "repeat",
            "should be a set of fields",
            f'write "repeat:" and below it, indented, a line like "{REPEAT_EXAMPLE}"',
        )
    rule = _Checker(check.path, block, prefix=f"{check.prefix}repeat ")
    rule.check_known(REPEAT_FIELDS, "a repeat")
    unit, interval = _every(rule)
    weekday = _repeat_day(rule, unit, start.date())
    until = _repeat_until(rule, start.date())
    times = rule.whole_number("times")
    if times is not None and times > recurrence.MAX_TIMES:
        raise rule.error(
            "times", f"is more than the {recurrence.MAX_TIMES} meetings a session may repeat", "split the series"
        )
    if times is not None and until is not None:
        raise rule.error("times", "is given together with until", "keep either until or times, not both")
    repeat = Repeat(unit=unit, interval=interval, weekday=weekday, until=until, times=times)
    first = start.replace(tzinfo=None)
    given = len(recurrence.rule_days(repeat, first, first.date(), until)) if until is not None else 0
    if given > recurrence.MAX_TIMES:
        raise rule.error(
            "until",
            f"gives {given:,} meetings, more than the {recurrence.MAX_TIMES} a session may repeat",
            "give an earlier until, split the series, or leave until out for a series with no end",
        )
    length = end.astimezone(UTC) - start.astimezone(UTC) if end is not None else None
    unclear = recurrence.unclear_wall_time(repeat, first, start.tzinfo, LAST_YEAR, length)
    if unclear is not None and unclear[1] == "spans":
        wall = unclear[0]
        raise rule.error(
            "every",
            f"gives a meeting from {wall:%H:%M} on {wall:%Y-%m-%d} that runs into the night the clocks change "
            f"in {start.tzinfo.key}, and calendar apps disagree on when such a meeting ends",
            'pick a time that ends before that night\'s clock change, or end the series before it with "until"',
        )
    if unclear is not None:
        wall, how = unclear
        what = "does not exist" if how == "skipped" else "happens twice"
        raise rule.error(
            "every",
            f"gives a meeting at {wall:%H:%M} on {wall:%Y-%m-%d}, a time that {what} in {start.tzinfo.key} "
            "because the clocks change that night",
            'pick a time away from that night\'s clock change, or end the series before it with "until"',
        )
    exceptions = _rule_dates(rule, "except", repeat, first)
    changes = _changes(rule, repeat, start, set(exceptions))
    return Repeat(unit, interval, weekday, until, times, tuple(sorted(exceptions)), changes)


def _every(rule: _Checker) -> tuple[str, int]:
    text = rule.text("every", required=True)
    match = EVERY_PATTERN.match(text.lower())
    if not match:
        raise rule.error("every", f'"{text}" is not a repeat', "write week, month, 2 weeks or 3 months")
    interval = int(match[1] or 1)
    if not 1 <= interval <= MAX_INTERVAL:
        raise rule.error(
            "every", f'"{text}" is not between 1 and {MAX_INTERVAL}', "write week, month, 2 weeks or 3 months"
        )
    return ("week" if match[2].startswith("week") else "month"), interval


def _repeat_day(rule: _Checker, unit: str, first: date) -> tuple[int, int] | None:
    """Monthly on a weekday ("third Thursday", "last Friday"): (ordinal, weekday); None: the start's day."""
    value = rule.fields.get("day")
    if value is None:
        return None
    text = rule.text("day")
    start_weekday = recurrence.WEEKDAY_NAMES[first.weekday()].capitalize()
    if unit == "week":
        if text.lower() in (start_weekday.lower(), start_weekday[:3].lower()):
            return None
        raise rule.error(
            "day",
            f'"{text}" is not the weekday of the first meeting ({start_weekday})',
            "a weekly series meets on its start's weekday: change the start, or remove day",
        )
    if isinstance(value, int) or text.isdigit():
        if int(text) == first.day:
            return None
        raise rule.error(
            "day",
            f'"{text}" is not the day of the month the first meeting is on ({first.day})',
            f"change the start, or write day: {first.day}",
        )
    words = text.lower().split()
    weekdays = {name: number for number, name in enumerate(recurrence.WEEKDAY_NAMES)}
    weekdays.update({name[:3]: number for name, number in list(weekdays.items())})
    if len(words) != 2 or words[0] not in ORDINAL_WORDS or words[1] not in weekdays:
        raise rule.error(
            "day", f'"{text}" is not a day of the month', 'write it like "third Thursday" or "last Friday"'
        )
    ordinal, weekday = ORDINAL_WORDS[words[0]], weekdays[words[1]]
    nth, is_last = recurrence.weekday_of_month(first)
    if first.weekday() != weekday or (ordinal == -1 and not is_last) or (ordinal != -1 and ordinal != nth):
        raise rule.error(
            "day",
            f"the first meeting, {first.isoformat()}, is not on the {words[0]} {words[1].capitalize()} of its month",
            "start the session on the first such day, or change day",
        )
    return ordinal, weekday


def _repeat_until(rule: _Checker, first: date) -> date | None:
    day = _day(rule, "until")
    if day is not None and day < first:
        raise rule.error(
            "until", f'"{day.isoformat()}" is before the first meeting', "give the last day the series may meet on"
        )
    return day


def _day(
    check: _Checker, name: str, required: bool = False, value: object = None, line: int | None = None
) -> date | None:
    """A date written YYYY-MM-DD, from a field (or a list item, given as ``value`` and ``line``)."""
    text = check.text(name, required=required) if value is None else str(value).strip()
    if text is None:
        return None
    if len(text) > MAX_LENGTH["short"]:
        raise check.error(
            name, "is too long to be a date", "write the date as YYYY-MM-DD, for example 2025-04-17", line
        )
    match = START_PATTERNS[1][1].match(text)
    if not match:
        raise check.error(name, f'"{text}" is not a date', "write the date as YYYY-MM-DD, for example 2025-04-17", line)
    return _build(check, name, text, "days", [int(g) for g in match.groups()])


def _rule_dates(rule: _Checker, name: str, repeat: Repeat, first: datetime) -> list[date]:
    """A list of dates the rule gives, such as ``except``: each must be one of its meetings, once."""
    value = rule.fields.get(name)
    if value is None:
        return []
    if not isinstance(value, Items):
        value = Items([value], lines=[rule.fields.line(name)])
    if len(value) > MAX_LIST_ITEMS:
        raise rule.error(
            name, f"has {len(value)} dates, more than the {MAX_LIST_ITEMS} a list may have", "split the series"
        )
    if not all(isinstance(item, str) for item in value):
        raise rule.error(name, "should be a list of dates", 'write one date per line, like "- 2025-04-17"')
    days = [_day(rule, name, value=item, line=value.line(index)) for index, item in enumerate(value)]
    for index, day in enumerate(days):
        _check_meeting_day(rule, name, repeat, first, day, value.line(index))
        if day in days[:index]:
            raise rule.error(name, f"lists {day.isoformat()} twice", "list each date once", value.line(index))
    return days


def _check_meeting_day(rule: _Checker, name: str, repeat: Repeat, first: datetime, day: date, line: int | None) -> None:
    if recurrence.gives(repeat, first, day):
        return
    # Worked out from the calendar, not by expanding the rule from its start: a file may list
    # a hundred dates in 2190 for a weekly series from 1900.
    span = recurrence.LONGEST_GAP
    before = recurrence.rule_days(repeat, first, day - span, day - timedelta(days=1))[-1:]
    after = recurrence.rule_days(repeat, first, day + timedelta(days=1), day + span)[:1]
    nearest = " and ".join(d.isoformat() for d in before + after) or "none"
    raise rule.error(
        name, f"{day.isoformat()} is not a date the series meets on", f"the nearest meeting dates are {nearest}", line
    )


def _changes(rule: _Checker, repeat: Repeat, start: datetime, excepted: set[date]) -> tuple[Change, ...]:
    value = rule.fields.get("changes")
    if value is None:
        return ()
    if not isinstance(value, Items) or not all(isinstance(item, Fields) for item in value):
        raise rule.error(
            "changes",
            "should be a list of changed meetings",
            'write each as "- date: 2025-03-20" with what changes below it',
        )
    if len(value) > MAX_LIST_ITEMS:
        raise rule.error(
            "changes", f"has {len(value)} items, more than the {MAX_LIST_ITEMS} a list may have", "split the series"
        )
    changes: list[Change] = []
    for index, item in enumerate(value):
        change = _change(_Checker(rule.path, item, prefix=f"{rule.prefix}change {index + 1} "), repeat, start)
        if change.original in excepted:
            raise rule.error(
                "changes",
                f"changes {change.original.isoformat()}, which is also in except",
                "keep the date in one of the two",
                value.line(index),
            )
        if any(c.original == change.original for c in changes):
            raise rule.error(
                "changes",
                f"changes {change.original.isoformat()} twice",
                "give each date one change",
                value.line(index),
            )
        changes.append(change)
    return tuple(changes)


def _change(check: _Checker, repeat: Repeat, start: datetime) -> Change:
    check.check_known(CHANGE_FIELDS, "a changed meeting")
    original = _day(check, "date", required=True)
    _check_meeting_day(check, "date", repeat, start.replace(tzinfo=None), original, check.fields.line("date"))
    cancelled = check.choice("status", ("scheduled", "cancelled"), "scheduled") == "cancelled"
    new_start = None
    text = check.text("start")
    if text is not None:
        wall_text, offset = _split_offset(check, "start", text)
        match = START_PATTERNS[0][1].match(wall_text)
        if not match:
            raise check.error("start", f'"{text}" is not a date and time', "write the new start like 2025-03-27 14:00")
        naive = _build(check, "start", text, "timed", [int(g) for g in match.groups()])
        new_start = _local_time(check, "start", naive, start.tzinfo.key, offset)
    moved_from = datetime.combine(original, start.time(), start.tzinfo)
    new_end = (
        _timed_end(check, new_start or moved_from)
        if (check.fields.get("end") or check.fields.get("duration"))
        else None
    )
    if cancelled and (new_start or new_end):
        raise check.error(
            "status", "is cancelled, but the meeting is also given a new time", "remove the new time, or the status"
        )
    change = Change(
        original=original,
        start=new_start,
        end=new_end,
        cancelled=cancelled,
        join=check.link("join"),
        platform=check.text("platform"),
        place=check.text("place"),
    )
    if change == Change(original=original):
        raise check.error(
            "date",
            "is listed as changed, but nothing about it changes",
            'give a new "start", "status: cancelled" or another change',
        )
    return change


def _split_offset(check: _Checker, name: str, text: str) -> tuple[str, timedelta | None]:
    """ "2025-11-02 01:30 -04:00" -> ("2025-11-02 01:30", -4 hours); text without an offset is returned as it is."""
    match = UTC_OFFSET.match(text)
    if not match:
        return text, None
    hours, minutes = int(match[3]), int(match[4])
    if hours > 14 or minutes > 59:
        raise check.error(name, f'"{text}" has an offset that no place uses', "write the offset like -04:00 or +05:30")
    sign = -1 if match[2] in "-−" else 1
    return match[1].strip(), sign * timedelta(hours=hours, minutes=minutes)


def _local_time(check: _Checker, name: str, naive: datetime, zone: str, offset: timedelta | None) -> datetime:
    """Attach the zone: a skipped wall time is refused, a repeated one needs its UTC offset."""
    earlier = naive.replace(tzinfo=ZoneInfo(zone), fold=0)
    later = earlier.replace(fold=1)
    if earlier.astimezone(UTC).astimezone(earlier.tzinfo).replace(tzinfo=None) != naive:
        raise check.error(
            name,
            f"{naive:%H:%M} on {naive:%Y-%m-%d} does not exist in {zone}, because the clocks move forward that night",
            "pick a time an hour later or earlier",
        )
    choices = {moment.utcoffset(): moment for moment in (earlier, later)}
    if offset is not None:
        if offset not in choices:
            shown = " or ".join(offset_text(o) for o in choices)
            raise check.error(
                name,
                f"{naive:%H:%M} on {naive:%Y-%m-%d} in {zone} is not at UTC offset {offset_text(offset)}",
                f"use {shown}",
            )
        return choices[offset]
    if len(choices) > 1:
        both = " or ".join(offset_text(o) for o in choices)
        raise check.error(
            name,
            f"{naive:%H:%M} on {naive:%Y-%m-%d} happens twice in {zone}, because the clocks go back that night",
            f"add the UTC offset you mean ({both}), like {naive:%Y-%m-%d %H:%M} {offset_text(next(iter(choices)))}",
        )
    return earlier


def _parse_start(check: _Checker, text: str) -> tuple[str, datetime | date | None]:
    if text.lower() == "unknown":
        return "unknown", None
    for kind, pattern in START_PATTERNS:
        match = pattern.match(text)
        if match:
            return kind, _build(check, "start", text, kind, [int(g) for g in match.groups()])
    raise check.error("start", f'"{text}" is not a date', DATE_FORMAT_HINT)


def _build(check: _Checker, name: str, text: str, kind: str, parts: list[int]) -> datetime | date:
    if not FIRST_YEAR <= parts[0] <= LAST_YEAR:
        raise check.error(
            name,
            f'"{text}" is not between the years {FIRST_YEAR} and {LAST_YEAR}',
            "check the year; " + DATE_FORMAT_HINT,
        )
    try:
        if kind == "timed":
            return datetime(*parts)
        if kind == "days":
            return date(*parts)
        if kind == "month":
            return date(parts[0], parts[1], 1)
        return date(parts[0], 1, 1)
    except ValueError as exc:
        raise check.error(name, f'"{text}" is not a real date or time ({exc})', DATE_FORMAT_HINT) from None


def _end_or_duration(check: _Checker) -> tuple[str | None, str | None]:
    end_text, duration_text = check.text("end"), check.text("duration")
    if end_text and duration_text:
        raise check.error("duration", "is given together with an end", "keep either end or duration, not both")
    return end_text, duration_text


def _timed_end(check: _Checker, start: datetime) -> datetime | None:
    end_text, duration_text = _end_or_duration(check)
    if duration_text:
        length = parse_duration(check, duration_text)
        # Wall-clock arithmetic in UTC: a 1-hour session across a DST change lasts one real hour.
        return _within_years(check, "duration", (start.astimezone(UTC) + length).astimezone(start.tzinfo))
    if not end_text:
        return None
    wall_text, offset = _split_offset(check, "end", end_text)
    clock = re.match(r"^(\d{1,2}):(\d{2})$", wall_text, re.ASCII)
    if clock:
        try:
            naive = start.replace(tzinfo=None, fold=0, hour=int(clock[1]), minute=int(clock[2]))
        except ValueError as exc:
            raise check.error("end", f'"{end_text}" is not a real time ({exc})', DATE_FORMAT_HINT) from None
    else:
        match = START_PATTERNS[0][1].match(wall_text)
        if not match:
            raise check.error("end", f'"{end_text}" is not a time', "write HH:MM for the same day, or YYYY-MM-DD HH:MM")
        naive = _build(check, "end", end_text, "timed", [int(g) for g in match.groups()])
    end = _local_time(check, "end", naive, start.tzinfo.key, offset)
    if end.astimezone(UTC) <= start.astimezone(UTC):
        raise check.error(
            "end",
            f'"{end_text}" is not after the start',
            "give a later end; for a session past midnight write the date too, like 2024-05-31 01:00",
        )
    if end - start > MAX_DURATION:
        raise check.error(
            "end",
            f'"{end_text}" is more than {MAX_DURATION.days} days after the start',
            "check the date; split a long campaign into sessions",
        )
    return end


def _last_day(check: _Checker, start: date) -> date:
    end_text, duration_text = _end_or_duration(check)
    if duration_text:
        length = parse_duration(check, duration_text)
        if length % timedelta(days=1):
            raise check.error(
                "duration",
                f'"{duration_text}" is not a whole number of days',
                "for an all-day session give days, like 3 days; or give the start a time",
            )
        return _within_years(check, "duration", start + length - timedelta(days=1))
    if not end_text:
        return start
    match = START_PATTERNS[1][1].match(end_text)
    if not match:
        raise check.error(
            "end", f'"{end_text}" is not a date', "for an all-day session write the last day as YYYY-MM-DD"
        )
    end = _build(check, "end", end_text, "days", [int(g) for g in match.groups()])
    if end < start:
        raise check.error(
            "end", f'"{end_text}" is before the start', "give the last day of the session, on or after its start"
        )
    if end - start >= MAX_DURATION:
        raise check.error(
            "end",
            f'"{end_text}" is more than {MAX_DURATION.days} days after the start',
            "check the date; split a long campaign into sessions",
        )
    return end


def _within_years(check: _Checker, name: str, end: datetime | date) -> datetime | date:
    if end.year > LAST_YEAR:
        raise check.error(name, f"makes the session end after {LAST_YEAR}", "check the start and the duration")
    return end


def parse_duration(check: _Checker, text: str) -> timedelta:
    """'1 hour', '90 minutes', '1h30m', '2 days' → timedelta; zero, negative or over 400 days is an error."""
    length = _duration(text)
    if isinstance(length, timedelta):
        return length
    problem, fix = length
    raise check.error("duration", problem, fix)


@lru_cache(maxsize=1024)
def _duration(text: str) -> timedelta | tuple[str, str]:
    """The duration, or why the text is not one and the fix. Sessions repeat the same few texts."""
    cleaned = re.sub(r"^(\d+)h(\d+)$", r"\1h\2m", text.strip().lower())
    if cleaned.startswith("-"):
        return f'"{text}" is negative', "give how long the session lasts, like 1 hour"
    matches = list(DURATION_PATTERN.finditer(cleaned))
    leftover = DURATION_PATTERN.sub("", cleaned).replace("and", "").replace(",", "").strip()
    if not matches or leftover:
        return f'"{text}" is not a duration', "write it like 1 hour, 90 minutes, 1h30m or 3 days"
    # Counted in minutes first: a huge number ("100000000000 days") must be refused, not overflow.
    minutes = sum(float(amount) * MINUTES_IN[unit[0].lower()] for amount, unit in (m.groups() for m in matches))
    if minutes <= 0:
        return f'"{text}" is zero', "give how long the session lasts, like 1 hour"
    if minutes < 1:
        return f'"{text}" is shorter than a minute', "give how long the session lasts, like 1 hour"
    if minutes > MAX_DURATION.total_seconds() / 60:
        return (
            f'"{text}" is longer than {MAX_DURATION.days} days',
            "check the number; split a long campaign into sessions",
        )
    return timedelta(minutes=minutes)


def parse_series(path: str, slug: str, fields: Fields) -> Series:
    check = _Checker(path, fields)
    check.check_known(SERIES_FIELDS, "a series")
    return Series(
        slug=slug,
        title=check.text("title", required=True),
        source_path=path,
        summary=check.text("summary"),
        draft=check.boolean("draft"),
    )


def parse_goal(path: str, slug: str, fields: Fields) -> Goal:
    check = _Checker(path, fields)
    check.check_known(GOAL_FIELDS, "a goal")
    order = check.whole_number("order")
    if order is None:
        raise check.error(
            "order",
            'the required field "order" is missing',
            'add a line "order: 1" (goals are listed by this number)',
            fields.start_line,
        )
    return Goal(
        slug=slug,
        title=check.text("title", required=True),
        source_path=path,
        order=order,
        actions=check.text_list("actions"),
        status=check.choice("status", GOAL_STATUSES, None),
        events=check.text_list("events"),
        stories=check.text_list("stories"),
        pages=check.text_list("pages"),
        summary=check.text("summary"),
        draft=check.boolean("draft"),
    )


STORY_FIELDS = COMMON_FIELDS + ("date", "author", "featured", "library", "country", "tags")
PAGE_FIELDS = COMMON_FIELDS + ("template",)


def parse_story(path: str, slug: str, fields: Fields) -> Story:
    check = _Checker(path, fields)
    check.check_known(STORY_FIELDS, "a story")
    title = check.text("title", required=True)
    author = check.text("author", required=True)
    day = check.text("date", required=True)
    match = START_PATTERNS[1][1].match(day)
    if not match:
        raise check.error("date", f'"{day}" is not a date', "write the date as YYYY-MM-DD, for example 2024-05-31")
    return Story(
        slug=slug,
        title=title,
        source_path=path,
        day=_build(check, "date", day, "days", [int(g) for g in match.groups()]),
        author=author,
        summary=check.text("summary"),
        featured=check.text("featured"),
        library=check.text("library"),
        country=check.text("country"),
        tags=check.text_list("tags"),
        draft=check.boolean("draft"),
    )


def parse_page(path: str, slug: str, fields: Fields) -> Page:
    check = _Checker(path, fields)
    check.check_known(PAGE_FIELDS, "a page")
    return Page(
        slug=slug,
        title=check.text("title", required=True),
        source_path=path,
        template=check.choice("template", PAGE_TEMPLATES, "page"),
        summary=check.text("summary"),
        draft=check.boolean("draft"),
    )


PARSERS = {
    "events": parse_event,
    "series": parse_series,
    "goals": parse_goal,
    "stories": parse_story,
    "pages": parse_page,
}


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """One content file, checked: its model object, its Markdown body and where each field was."""

    item: Event | Series | Goal | Story | Page
    body: str
    body_line: int
    field_lines: FieldLines


def name_from_path(path: str, kind: str) -> str:
    """The page name (slug) a file's name gives: "content/stories/2024-05-31-my-story.md" -> "my-story"."""
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    name = DATED_NAME.sub("", stem) if kind == "stories" else stem
    if not NAME_PATTERN.match(name) or len(stem) > MAX_NAME_LENGTH:
        from .scaffold import slugify  # only when there is a name to fix

        fixed = (stem[:11] if kind == "stories" and DATED_NAME.match(stem) else "") + slugify(name)
        raise ContentError(
            path,
            f'the file name "{stem[:40]}{"…" if len(stem) > 40 else ""}.md" can only have lower-case letters, '
            f"digits and hyphens, in at most {MAX_NAME_LENGTH} characters",
            f'rename it, for example to "{fixed}.md"',
            line=1,
        )
    return name


def parse_file(path: str, data: bytes, kind: str) -> ParsedFile:
    """Check one content file of a kind ("events", "stories", ...), given as bytes; raises ContentError.

    The one reading path: the build's reader, ``new-event`` and ``new-story`` all call it.
    ``path`` is the path contributors see, such as content/events/2024-05-31-meetup.md.
    """
    name = name_from_path(path, kind)
    document = split(path, decode(path, data))
    safety.check_fields(path, document.fields)
    item = PARSERS[kind](path, name, document.fields)
    return ParsedFile(item, document.body, document.body_line, document.fields.where())


# --- Translations of content files --------------------------------------------------------------

# What a translation (name.<code>.md beside name.md) may carry: text only. Dates, times, links and
# statuses live in the original alone, so a translation can never disagree with it about a fact.
TRANSLATED_FIELDS = {
    "events": ("title", "summary", "notes_on_source"),
    "series": ("title", "summary"),
    "goals": ("title", "summary", "actions"),
    "stories": ("title", "summary"),
    "pages": ("title", "summary"),
}
ALL_FIELDS = {
    "events": EVENT_FIELDS,
    "series": SERIES_FIELDS,
    "goals": GOAL_FIELDS,
    "stories": STORY_FIELDS,
    "pages": PAGE_FIELDS,
}
LIST_FIELDS = ("notes_on_source", "actions")


@dataclass(frozen=True, slots=True)
class ParsedTranslation:
    """A translation, checked against its original: the fields it translates, its body, where each field was."""

    fields: dict
    body: str
    body_line: int
    field_lines: FieldLines


def parse_translation(path: str, data: bytes, kind: str, original: ParsedFile, original_path: str) -> ParsedTranslation:
    """Check a translation of ``original``: only its text fields, and lists as long as the original's."""
    document = split(path, decode(path, data))
    safety.check_fields(path, document.fields)
    check = _Checker(path, document.fields)
    allowed = TRANSLATED_FIELDS[kind]
    for name in document.fields:
        if name in allowed:
            continue
        if name in ALL_FIELDS[kind]:
            raise check.error(
                name,
                f'"{name}" belongs only in the original, {original_path}; a translation carries only '
                f"{', '.join(allowed)} and the text below the front matter",
                f'remove the line "{name}: …"',
            )
        check.check_known(allowed, "a translation")
    fields = {}
    for name in allowed:
        value = check.text_list(name) if name in LIST_FIELDS else check.text(name)
        if not value:
            continue
        if name in LIST_FIELDS and len(value) != len(getattr(original.item, name)):
            raise check.error(
                name,
                f"has {len(value)} item(s) but the original, {original_path}, has {len(getattr(original.item, name))}",
                "translate each item of the original, in the same order",
            )
        fields[name] = value
    return ParsedTranslation(fields, document.body, document.body_line, document.fields.where())
