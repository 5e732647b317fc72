"""What templates show for a session or an event: pure functions, exposed as Jinja filters.

``make_filters(options)`` binds the site's locale, display zones and "now";
the filters accept either the model objects or the Pelican pages wrapping them.
An event's state (upcoming, happening now, past, ...) comes from ``states``.
"""

from __future__ import annotations

from functools import partial

from babel.dates import get_day_names
from markupsafe import Markup, escape

from . import locales, states
from .model import Event, Session, registration_label
from .options import Options
from .recurrence import Occurrence
from .zones import (
    ZoneTime,
    format_clock,
    format_day,
    format_day_range,
    format_month,
    own_start_text,
    utc_iso,
    zone_label,
    zone_times,
)

TIME_TBA_UPCOMING = "time to be announced"
TIME_TBA_PAST = "time not recorded"
MONTH_ONLY = "{month}, details to come"
YEAR_ONLY = "{year}, dates to come"
MONTH_ONLY_PAST = "{month}, exact date not recorded"
YEAR_ONLY_PAST = "{year}, dates not recorded"
DATE_UNKNOWN = "Date not recorded"


def _event(item) -> Event:
    return getattr(item, "model", item)


def session_zone_times(session: Session, event, options: Options) -> tuple[ZoneTime, ...]:
    """A timed session in its own zone and the event's (or site's) display zones."""
    if not session.is_timed:
        return ()
    zones = _event(event).display_zones or options.display_zones
    return zone_times(session.start, session.end, session.timezone, zones, options.locale, options.zone_labels)


def session_when(session: Session, options: Options) -> str:
    """The date of a session in words, for everything but the converted times."""
    if session.kind == "timed":
        return format_day(session.start.date(), options.locale, with_weekday=True)
    if session.kind == "days":
        return format_day_range(session.start, session.end, options.locale)
    # Once a session is over, what was not announced was not recorded: it is no longer "to come".
    over = session.start is not None and states.session_is_over(session, options.now)
    if session.kind == "time_tba":
        note = TIME_TBA_PAST if over else TIME_TBA_UPCOMING
        return f"{format_day(session.start, options.locale, with_weekday=True)}, {note}"
    if session.kind == "month":
        return (MONTH_ONLY_PAST if over else MONTH_ONLY).format(month=format_month(session.start, options.locale))
    if session.kind == "year":
        return (YEAR_ONLY_PAST if over else YEAR_ONLY).format(year=session.start.year)
    return DATE_UNKNOWN


def own_zone_start(timed: Session | Occurrence, options: Options) -> str:
    """A timed session's (or meeting's) start in its own zone, with its name: "Thu, 26 Oct 2023 12:00 Eastern"."""
    label = zone_label(timed.timezone, options.locale, options.zone_labels)
    return f"{own_start_text(timed.start, timed.timezone, options.locale)} {label}"


def when_everywhere(session: Session | Occurrence, event, options: Options) -> str:
    """A session (or meeting) on one line as its page shows it: "Thu, 30 May 2019 09:00 Sydney / 29 May 16:00
    Pacific / 29 May 23:00 UTC" when timed, else its date in words. Feeds of news and summaries use it."""
    if session.is_timed:
        return " / ".join(zone_time.text for zone_time in session_zone_times(session, event, options))
    return session_when(session, options)


def event_when(event, options: Options) -> str:
    """A one-line date for lists: each session's date, joined; timed ones in their own zone."""
    parts = []
    for session in _event(event).sessions:
        parts.append(own_zone_start(session, options) if session.is_timed else session_when(session, options))
    unique = list(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else "; ".join(unique)


def session_iso(session: Session) -> str | None:
    """A machine-readable value for ``<time datetime>``: UTC instant, a date, or a month."""
    if session.kind == "timed":
        return utc_iso(session.start)
    if session.kind in ("days", "time_tba"):
        return session.start.isoformat()
    if session.kind == "month":
        return session.start.strftime("%Y-%m")
    if session.kind == "year":
        return str(session.start.year)
    return None


def event_state(event, options: Options) -> str:
    """One of ``states.STATES`` for the event at the build's moment."""
    return states.event_state(_event(event), options.now, states.horizon(options))


# The states in which an event can still be attended: its page offers the join and sign-up links
# (event.html's "live"), and its share card and structured data may name them too.
LIVE_STATES = ("upcoming", "now")


def is_live(event, options: Options) -> bool:
    return event_state(event, options) in LIVE_STATES


def is_over(event, options: Options) -> bool:
    """Every session of the event is over (an undated event never is)."""
    return states.is_over(_event(event), options.now)


def is_upcoming(event, options: Options) -> bool:
    """Dated and not over: listed with the upcoming events."""
    model = _event(event)
    return model.first_day() is not None and not states.is_over(model, options.now)


def state_attributes(event, options: Options) -> Markup:
    """The data attributes, each after a space, from which local-time.js moves an item on by the reader's clock."""
    model = _event(event)
    found = {"data-state": event_state(model, options)}
    found.update(states.page_instants(model, options.now, states.horizon(options)))
    # Escaped value by value and joined as text: Markup.format took five times as long (17 µs, not 3.4).
    return Markup("".join(f' {name}="{escape(value)}"' for name, value in found.items()))


# --- Repeating sessions -----------------------------------------------------------------------

ORDINAL_TEXT = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
EARLIER_LISTED = 20  # past meetings a page lists, newest first; the count says how many more


def repeat_sentence(session: Session, options: Options) -> str:
    """The rule in words: "Every month on the third Thursday, 14:00–15:00 UTC, until 31 December 2025"."""
    repeat, start = session.repeat, session.start
    every = f"Every {repeat.unit}" if repeat.interval == 1 else f"Every {repeat.interval} {repeat.unit}s"
    weekday = get_day_names("wide", locale=options.locale)[start.weekday()]
    if repeat.unit == "week":
        day = f"on {weekday}"
    elif repeat.weekday is not None:
        day = f"on the {ORDINAL_TEXT[repeat.weekday[0]]} {weekday}"
    else:
        day = f"on day {start.day}" + (" (in the months that have one)" if start.day > 28 else "")
    clock = format_clock(start, options.locale)
    if session.end is not None:
        clock += f"–{format_clock(session.end, options.locale)}"
    parts = [every, day, f"{clock} {zone_label(session.timezone, options.locale, options.zone_labels)}"]
    if repeat.until is not None:
        parts.append(f"until {format_day(repeat.until, options.locale)}")
    elif repeat.times is not None:
        parts.append(f"{repeat.times} times")
    return " ".join(parts[:2]) + ", " + ", ".join(parts[2:])


def next_meetings(session: Session, options: Options) -> list[Occurrence]:
    """The meetings not over yet within the horizon, at most ``repeat_listed``; cancelled ones included."""
    upcoming = [o for o in session.occurrences(states.horizon(options)) if o.last_instant() > options.now]
    return upcoming[: options.repeat_listed]


def earlier_meetings(session: Session, options: Options) -> tuple[list[Occurrence], int]:
    """Meetings already over, newest first (at most EARLIER_LISTED), and how many more there were."""
    past = [o for o in session.occurrences(options.today) if o.last_instant() <= options.now]
    past.reverse()
    return past[:EARLIER_LISTED], max(0, len(past) - EARLIER_LISTED)


# --- Language and country ---------------------------------------------------------------------


def language_name(tag: str | None, options: Options) -> str:
    """A checked language tag's name in the build's locale ("pt-BR" -> "Brazilian Portuguese"); "" for None."""
    return locales.language_name(tag, options.locale) if tag else ""


def language_and_autonym(tag: str, options: Options) -> Markup:
    """A language as the event page shows it, "Spanish (español)": the autonym carries its ``lang`` (and
    ``dir`` for a right-to-left script), so screen readers speak it in its language. Without CLDR data
    for the language, or when it is the page's own language, the name alone."""
    name = language_name(tag, options)
    own = locales.language_autonym(tag)
    if own is None or locales.same_language(tag, options.locale) or own.casefold() == name.casefold():
        return escape(name)
    direction = Markup(' dir="rtl"') if locales.is_right_to_left(tag) else ""
    return Markup('{} (<span lang="{}"{}>{}</span>)').format(name, tag, direction, own)


def country_name(code: str | None, options: Options) -> str:
    """A checked country code's name in the build's locale ("NG" -> "Nigeria"); "" for None."""
    return locales.country_name(code, options.locale) if code else ""


def make_filters(options: Options) -> dict:
    """Every filter this module gives the theme, bound to the build's options."""
    return {
        "zone_times": partial(session_zone_times, options=options),
        "session_when": partial(session_when, options=options),
        "event_when": partial(event_when, options=options),
        "session_iso": session_iso,
        "is_upcoming": partial(is_upcoming, options=options),
        "is_over": partial(is_over, options=options),
        "state": partial(event_state, options=options),
        "state_attributes": partial(state_attributes, options=options),
        "registration_label": registration_label,
        "day": partial(format_day, locale=options.locale),
        "utc_iso": utc_iso,
        "repeat_sentence": partial(repeat_sentence, options=options),
        "next_meetings": partial(next_meetings, options=options),
        "earlier_meetings": partial(earlier_meetings, options=options),
        "meeting_when": partial(own_zone_start, options=options),
        "meeting_day": lambda meeting: format_day(meeting.original.date(), options.locale, with_weekday=True),
        "language_name": partial(language_name, options=options),
        "language_and_autonym": partial(language_and_autonym, options=options),
        "country_name": partial(country_name, options=options),
    }
