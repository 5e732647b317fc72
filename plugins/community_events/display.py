"""What templates show for a session or an event: pure functions, exposed as Jinja filters.

``make_filters(options)`` binds the site's locale, display zones and "today";
the filters accept either the model objects or the Pelican pages wrapping them.
"""

from __future__ import annotations

from functools import partial

from .model import Event, Session
from .options import Options
from .zones import ZoneTime, format_day, format_day_range, format_month, own_start_text, utc_iso, zone_label, zone_times

TIME_TBA_UPCOMING = "time to be announced"
TIME_TBA_PAST = "time not recorded"
MONTH_ONLY = "{month}, details to come"
YEAR_ONLY = "{year}, dates to come"
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
    if session.kind == "time_tba":
        note = TIME_TBA_UPCOMING if session.start >= options.today else TIME_TBA_PAST
        return f"{format_day(session.start, options.locale, with_weekday=True)}, {note}"
    if session.kind == "month":
        return MONTH_ONLY.format(month=format_month(session.start, options.locale))
    if session.kind == "year":
        return YEAR_ONLY.format(year=session.start.year)
    return DATE_UNKNOWN


def event_when(event, options: Options) -> str:
    """A one-line date for lists: each session's date, joined; timed ones in their own zone."""
    parts = []
    for session in _event(event).sessions:
        if session.is_timed:
            label = zone_label(session.timezone, options.locale, options.zone_labels)
            parts.append(f"{own_start_text(session.start, session.timezone, options.locale)} {label}")
        else:
            parts.append(session_when(session, options))
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


def is_upcoming(event, options: Options) -> bool:
    return _event(event).is_upcoming(options.today)


def make_filters(options: Options) -> dict:
    return {
        "zone_times": partial(session_zone_times, options=options),
        "session_when": partial(session_when, options=options),
        "event_when": partial(event_when, options=options),
        "session_iso": session_iso,
        "is_upcoming": partial(is_upcoming, options=options),
        "day": partial(format_day, locale=options.locale),
    }
