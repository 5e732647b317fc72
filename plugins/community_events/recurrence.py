"""Sessions that repeat: the rule a contributor writes, its occurrences and its RRULE.

A repeating session is one session with a ``repeat`` block (every week or month, or every N
of them; monthly on the start's day of the month or on a weekday such as "third Thursday";
until a date, a number of times, or open-ended; with exceptions and changed occurrences).
``model`` parses the block into a ``Repeat``; this module only works with parsed values.

Occurrences are expanded with dateutil's ``rrule`` (installed with Pelican, and the
expander vobject and recurring-ical-events build on) over local wall-clock times, which is
how RFC 5545 expands an RRULE whose DTSTART has a TZID; each wall time is then placed in
the session's zone. ``model`` refuses a rule any of whose wall times is skipped or repeated
by a clock change, so that placement names one instant in every client.

The checks ask about single dates far from the start (is 2190-03-04 a meeting? which meetings
are near the zone's clock changes?), and expanding from the start for each took 37.7 s for one
hostile file of 500 open-ended sessions. ``rule_days`` works those dates out from the calendar
instead (0.05 s for that file); a property test holds it to dateutil's expansion. dateutil stays
the expander of the meetings themselves, which are listed from the start anyway.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil import rrule as dateutil_rrule

UNITS = {"week": dateutil_rrule.WEEKLY, "month": dateutil_rrule.MONTHLY}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ICS_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Far above any real series: a weekly meeting for nineteen years.
MAX_TIMES = 1000
# More than the longest time between two meetings a rule gives: 52 months, one without the day.
LONGEST_GAP = timedelta(days=31 * 53)


@dataclass(frozen=True, slots=True)
class Change:
    """One occurrence that differs from the rule, named by the date the rule gives it."""

    original: date
    start: datetime | None = None  # aware; None when the occurrence keeps its time
    end: datetime | None = None
    cancelled: bool = False
    join: str | None = None
    platform: str | None = None
    place: str | None = None

    @property
    def is_moved(self) -> bool:
        return self.start is not None


@dataclass(frozen=True, slots=True)
class Repeat:
    unit: str  # "week" or "month"
    interval: int = 1
    weekday: tuple[int, int] | None = None  # (1..5 or -1 for last, Monday=0): monthly on a weekday
    until: date | None = None  # the last day an occurrence may start on, in the session's zone
    times: int | None = None  # how many dates the rule gives, exceptions included (RFC 5545 COUNT)
    exceptions: tuple[date, ...] = ()
    changes: tuple[Change, ...] = ()

    @property
    def is_open_ended(self) -> bool:
        return self.until is None and self.times is None

    def change_on(self, day: date) -> Change | None:
        return next((change for change in self.changes if change.original == day), None)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One meeting of a repeating session, with the rule's time and, if changed, its own.

    It offers what templates and feeds read from a timed session (``start``, ``end``,
    ``timezone``, ``is_timed``), so the same macros show it.
    """

    original: datetime  # the start the rule gives (RECURRENCE-ID)
    start: datetime
    end: datetime | None
    timezone: str
    cancelled: bool = False
    moved: bool = False
    join: str | None = None
    platform: str | None = None
    place: str | None = None
    kind: str = "timed"

    @property
    def is_timed(self) -> bool:
        return True

    def last_instant(self) -> datetime:
        return (self.end or self.start).astimezone(UTC)


def wall_times(repeat: Repeat, first: datetime, through: date | None = None) -> Iterator[datetime]:
    """The naive local start times the rule gives, from ``first`` (naive), exceptions included."""
    options: dict = {"dtstart": first, "interval": repeat.interval}
    if repeat.weekday is not None:
        ordinal, weekday = repeat.weekday
        options["byweekday"] = dateutil_rrule.weekday(weekday, ordinal)
    if repeat.until is not None:
        options["until"] = datetime.combine(repeat.until, time.max)
    if repeat.times is not None:
        options["count"] = repeat.times
    for wall in dateutil_rrule.rrule(UNITS[repeat.unit], **options):
        if through is not None and wall.date() > through:
            return
        yield wall


def occurrences(
    repeat: Repeat, start: datetime, end: datetime | None, defaults: dict, through: date | None = None
) -> list[Occurrence]:
    """The session's occurrences in order of their (possibly moved) start, exceptions left out.

    ``start`` and ``end`` are the first occurrence's, aware; every occurrence lasts as long
    (an exact duration, as RFC 5545 gives DTEND's). ``defaults`` holds the session's join,
    platform and place. An open-ended rule needs ``through``, the last day to expand to.
    """
    zone = start.tzinfo
    length = end - start if end is not None else None
    found = []
    for wall in wall_times(repeat, start.replace(tzinfo=None), through):
        if wall.date() in repeat.exceptions:
            continue
        original = wall.replace(tzinfo=zone)
        change = repeat.change_on(wall.date())
        begins = change.start if change and change.start else original
        ends = change.end if change and change.end else _plus(begins, length)
        found.append(
            Occurrence(
                original=original,
                start=begins,
                end=ends,
                timezone=zone.key,
                cancelled=bool(change and change.cancelled),
                moved=bool(change and change.is_moved),
                join=(change and change.join) or defaults.get("join"),
                platform=(change and change.platform) or defaults.get("platform"),
                place=(change and change.place) or defaults.get("place"),
            )
        )
    found.sort(key=lambda o: o.start.astimezone(UTC))
    return found


def _plus(moment: datetime, length: timedelta | None) -> datetime | None:
    """An exact duration later, in the same zone: the clocks may change in between."""
    if length is None:
        return None
    return (moment.astimezone(UTC) + length).astimezone(moment.tzinfo)


def last_wall_time(repeat: Repeat, first: datetime) -> datetime | None:
    """The rule's last start (naive local), or None for an open-ended rule."""
    if repeat.is_open_ended:
        return None
    if repeat.times is None:  # the last date on or before until, from the calendar
        days = rule_days(repeat, first, repeat.until - LONGEST_GAP, repeat.until)
        return datetime.combine(days[-1], first.time()) if days else None
    last = None
    for last in wall_times(repeat, first):  # noqa: B007 - the loop finds the last
        pass
    return last


def unclear_wall_time(
    repeat: Repeat, first: datetime, zone: ZoneInfo, last_year: int, length: timedelta | None = None
) -> tuple[datetime, str] | None:
    """The first meeting the rule gives whose time is unclear, and how; None if none.

    "skipped" or "repeated": a clock change skips or repeats its start. "spans": lasting
    ``length``, it runs across a clock change (or ends in a skipped or repeated hour), so its
    end is not its start's wall time plus the length. RFC 5545 gives every meeting DTEND's
    exact duration, but ical.js (Thunderbird) and recurring-ical-events add it on the wall
    clock, and ical.js reads a repeated hour as its second time: they would end it an hour
    early or late.

    An open-ended rule is followed to the end of ``last_year``. Only the meetings near one of
    the zone's clock changes are looked at (``rule_days`` finds them from the calendar), so the
    cost does not grow with the number of meetings: a file may hold hundreds of sessions.
    """
    tod = first - datetime.combine(first.date(), time(0))
    reach = length or timedelta(0)
    through = date(last_year, 12, 31)
    checked = first.date() - timedelta(days=1)
    for lo, hi in _clock_change_windows(zone.key):
        # A meeting from s to s + length (wall times) meets the change's window [lo, hi) when
        # s < hi and s + length >= lo: a start in the window, or a meeting that runs into it.
        earliest = max((lo - reach - tod).date(), checked + timedelta(days=1))
        latest = min((hi - tod).date(), through)
        if latest < first.date():
            continue
        if earliest > through:
            break
        for day in rule_days(repeat, first, earliest, latest):
            wall = datetime.combine(day, first.time())
            how = _unclear(wall, zone, length)
            if how:
                return wall, how
            checked = day
    return None


def _unclear(wall: datetime, zone: ZoneInfo, length: timedelta | None) -> str | None:
    earlier = wall.replace(tzinfo=zone, fold=0)
    offset = earlier.utcoffset()
    if offset != wall.replace(tzinfo=zone, fold=1).utcoffset():
        back_again = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        return "repeated" if back_again == wall else "skipped"
    if length and {(wall + length).replace(tzinfo=zone, fold=fold).utcoffset() for fold in (0, 1)} != {offset}:
        return "spans"
    return None


@lru_cache(maxsize=64)
def _clock_change_windows(zone_name: str) -> tuple[tuple[datetime, datetime], ...]:
    """Each change of the zone's UTC offset, 1900 to 2200, as the naive wall times it skips or
    repeats: [lo, hi). Changes of name or daylight flag alone leave the wall clock as it is."""
    from .vtimezone import transitions  # imported here: vtimezone is only needed for zones that change

    found = transitions(zone_name, datetime(1899, 12, 1, tzinfo=UTC), datetime(2201, 1, 2, tzinfo=UTC))
    return tuple(
        (
            (change.instant + min(change.offset_from, change.offset_to)).replace(tzinfo=None),
            (change.instant + max(change.offset_from, change.offset_to)).replace(tzinfo=None),
        )
        for change in found
        if change.offset_from != change.offset_to
    )


@lru_cache(maxsize=256)
def last_rule_day(repeat: Repeat, first: datetime) -> date | None:
    """The last date the rule gives (exceptions included), or None for an open-ended rule."""
    if repeat.times is not None:
        return last_wall_time(repeat, first).date()
    return repeat.until


def gives(repeat: Repeat, first: datetime, day: date) -> bool:
    """Whether the rule starting at ``first`` (naive) meets on ``day``, exceptions included."""
    return bool(rule_days(repeat, first, day, day))


def rule_days(repeat: Repeat, first: datetime, earliest: date, latest: date) -> list[date]:
    """The dates the rule gives from ``earliest`` to ``latest``, exceptions included.

    Worked out from the calendar, as dateutil's rrule expands the rule, without expanding
    it from the start: as quick in 2190 as next week.
    """
    start = first.date()
    last = last_rule_day(repeat, first)
    earliest, latest = max(earliest, start), min(latest, last) if last is not None else latest
    if latest < earliest:
        return []
    if repeat.unit == "week":
        step = 7 * repeat.interval
        day = start + timedelta(days=-(-(earliest - start).days // step) * step)
        found = []
        while day <= latest:
            found.append(day)
            day += timedelta(days=step)
        return found
    found = []
    months = (earliest.year - start.year) * 12 + earliest.month - start.month
    months = -(-months // repeat.interval) * repeat.interval  # the first month of the rule from there on
    while True:
        year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
        month += 1
        if date(year, month, 1) > latest:
            return found
        day = _day_in_month(repeat, start, year, month)
        if day is not None and earliest <= day <= latest:
            found.append(day)
        months += repeat.interval


def _day_in_month(repeat: Repeat, start: date, year: int, month: int) -> date | None:
    """The rule's day in that month; None where the month has none (a 31st, a fifth Thursday)."""
    length = calendar.monthrange(year, month)[1]
    if repeat.weekday is None:
        return date(year, month, start.day) if start.day <= length else None
    ordinal, weekday = repeat.weekday
    if ordinal == -1:
        last = date(year, month, length)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    day = 1 + (weekday - date(year, month, 1).weekday()) % 7 + 7 * (ordinal - 1)
    return date(year, month, day) if day <= length else None


def rrule_parts(repeat: Repeat, first: datetime) -> dict:
    """RRULE's parts in RFC 5545 order of use; UNTIL is the last start, in UTC as the RFC asks."""
    parts: dict = {"FREQ": "WEEKLY" if repeat.unit == "week" else "MONTHLY"}
    if repeat.interval != 1:
        parts["INTERVAL"] = repeat.interval
    if repeat.unit == "week":
        parts["BYDAY"] = ICS_WEEKDAYS[first.weekday()]
    elif repeat.weekday is not None:
        ordinal, weekday = repeat.weekday
        parts["BYDAY"] = f"{ordinal}{ICS_WEEKDAYS[weekday]}"
    else:
        parts["BYMONTHDAY"] = first.day
    if repeat.times is not None:
        parts["COUNT"] = repeat.times
    elif repeat.until is not None:
        last = last_wall_time(repeat, first.replace(tzinfo=None))
        parts["UNTIL"] = last.replace(tzinfo=first.tzinfo).astimezone(UTC)
    return parts


def weekday_of_month(day: date) -> tuple[int, bool]:
    """Which of its month's weekdays ``day`` is (1 to 5), and whether it is the last one."""
    nth = (day.day - 1) // 7 + 1
    return nth, (day + timedelta(days=7)).month != day.month
