"""An event's state at a moment: the one place that says upcoming, happening now, past, and so on.

=============  ===========================================================================
state          when
=============  ===========================================================================
``cancelled``  the event's status says so, whatever the date
``postponed``  the event's status says so, whatever the date
``undated``    no session has a date (every start is ``unknown``)
``now``        a session is running: a timed one between its start and end, an all-day one
               on one of its days, a meeting of a repeating session that is not cancelled
``past``       every session is over
``upcoming``   anything else
=============  ===========================================================================

Everything is decided from instants, so the build (at ``Options.now``) and the page's script
(at the reader's clock, from the same instants written on the page) agree:

* a timed session runs from its start to its end; one with no end is taken to run for
  ``RUNS_WITHOUT_END`` (an hour) after its start;
* a day runs while it is that day anywhere on Earth: from midnight at UTC+14 to midnight at
  UTC-12, so an all-day session is never called over while its last day is still on;
* a month, a year or a date whose time is not known is over once its last day has ended
  everywhere; it is never "happening now", since the page cannot say when it runs;
* an open-ended repeating session is never over.

No model imports here, so the model can ask when an event is over (``Event.is_upcoming``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

STATES = ("upcoming", "now", "past", "cancelled", "postponed", "undated")
RUNS_WITHOUT_END = timedelta(hours=1)
# A day begins first at UTC+14 and ends last at UTC-12.
DAY_BEGINS_EARLY = timedelta(hours=14)
DAY_ENDS_LATE = timedelta(hours=12)
# At most this many running times are written on a page for its script; the site is rebuilt daily.
WINDOWS_ON_PAGE = 12


@dataclass(frozen=True, slots=True)
class Timing:
    """When an event runs, as UTC instants."""

    dated: bool  # some session has a date
    ends: datetime | None  # when its last session is over everywhere; None: never (or undated)
    windows: tuple[tuple[datetime, datetime], ...]  # when a session runs, in order of start


def _day_window(first: date, last: date) -> tuple[datetime, datetime]:
    begins = datetime.combine(first, time(0), tzinfo=UTC) - DAY_BEGINS_EARLY
    return begins, datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC) + DAY_ENDS_LATE


def _timed_window(start: datetime, end: datetime | None) -> tuple[datetime, datetime]:
    start = start.astimezone(UTC)
    return start, end.astimezone(UTC) if end is not None else start + RUNS_WITHOUT_END


def _session_end(session) -> datetime | None:
    """When a session is over; None when it never is (open-ended) or has no date."""
    if session.is_repeating:
        if session.repeat.is_open_ended:
            return None
        every = session.occurrences()
        meetings = [o for o in every if not o.cancelled] or every
        if not meetings:  # every date excepted
            return _timed_window(session.start, session.end)[1]
        return max(_timed_window(o.start, o.end)[1] for o in meetings)
    if session.kind == "timed":
        return _timed_window(session.start, session.end)[1]
    last = session.last_day()
    return None if last is None else _day_window(last, last)[1]


def _session_windows(session, through: date) -> list[tuple[datetime, datetime]]:
    if session.is_repeating:
        return [_timed_window(o.start, o.end) for o in session.occurrences(through) if not o.cancelled]
    if session.kind == "timed":
        return [_timed_window(session.start, session.end)]
    if session.kind == "days":
        return [_day_window(session.start, session.end)]
    return []


@lru_cache(maxsize=4096)
def _end(event) -> tuple[bool, datetime | None]:
    dated = [s for s in event.sessions if s.start is not None]
    ends = [_session_end(s) for s in dated]
    return bool(dated), None if not dated or None in ends else max(ends)


@lru_cache(maxsize=4096)
def _windows(event, through: date) -> tuple[tuple[datetime, datetime], ...]:
    return tuple(sorted(w for s in event.sessions if s.start is not None for w in _session_windows(s, through)))


def timing(event, through: date) -> Timing:
    """``through``: the last day a repeating session's meetings are looked at (today plus the horizon)."""
    dated, ends = _end(event)
    return Timing(dated=dated, ends=ends, windows=_windows(event, through))


def horizon(options) -> date:
    """The last day the meetings of a repeating session are looked at."""
    return options.today + timedelta(days=options.repeat_horizon_days)


def is_over(event, now: datetime) -> bool:
    """Every session is over at ``now`` (an event with no date never is: nobody knows)."""
    ends = _end(event)[1]
    return ends is not None and now >= ends


def event_state(event, now: datetime, through: date) -> str:
    """One of STATES, for ``event`` (a model Event) at ``now``."""
    if event.status in ("cancelled", "postponed"):
        return event.status
    found = timing(event, through)
    if not found.dated:
        return "undated"
    if any(start <= now < end for start, end in found.windows):
        return "now"
    if found.ends is not None and now >= found.ends:
        return "past"
    return "upcoming"


def session_is_over(session, now: datetime) -> bool:
    """A session is over at ``now``: its wording turns from "to come" to "not recorded"."""
    end = _session_end(session)
    return end is not None and now >= end


def page_instants(event, now: datetime, through: date) -> dict[str, str]:
    """What the page's script needs to move the page on by the reader's clock, as data attributes.

    ``data-ends``: when the event is over (left out when it never is); ``data-runs``: the times a
    session runs that are not over at ``now``, as UTC ISO intervals ("start/end") separated by spaces.
    """
    found = timing(event, through)
    attributes = {}
    if found.ends is not None:
        attributes["data-ends"] = _iso(found.ends)
    runs = [f"{_iso(start)}/{_iso(end)}" for start, end in found.windows if end > now][:WINDOWS_ON_PAGE]
    if runs and event.status not in ("cancelled", "postponed"):
        attributes["data-runs"] = " ".join(runs)
    return attributes


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
