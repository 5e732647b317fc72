"""VTIMEZONE components with yearly RRULE observances, the way Outlook and vzic write them.

icalendar's own ``Timezone.from_tzinfo`` lists every transition as a
comma-separated RDATE, and Mozilla's ical.js (Thunderbird) and vobject read
those lists differently, putting events an hour off. Here the transitions
zoneinfo knows in a span of years are grouped into runs that follow one yearly
rule ("second Sunday of March at 02:00"), each written as one observance with
an RRULE; a transition that follows no rule is an observance of its own.

A rule inferred from a few years' dates can be wrong in other years ("1st
Sunday" where the law says "Sunday on or after the 2nd"), so it is only ever
claimed for the years it was seen in: its RRULE ends with UNTIL. A rule is left
open (no UNTIL, so every later year) only when it is the rule of the zone file's
footer (a POSIX TZ string, RFC 8536) and zoneinfo follows that footer from the
end of the window on.

``vtimezone_bytes`` is cached: each zone is worked out and serialised once per
span of years and the bytes reused by every feed that needs the zone.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from . import zones  # noqa: F401  # for its setting: zoneinfo reads the pinned tzdata package only
from .ics import Lines, date_time, recur, utc_offset
from .tzif import MonthRule, listed_changes, parse_footer, zone_file

# After the last change a zone's file lists, its yearly rule is followed by
# sampling the offset at this step and bisecting each change to the second. Such a
# rule changes the clocks twice a year at most, never twice in a week.
RULE_SAMPLE_STEP_SECONDS = 7 * 86_400
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The same wall time in a run of years can be named by more than one rule; the
# first kind here that fits every year of the run is written.
RULE_PREFERENCE = ("nth", "last", "on_or_after", "day")
UNTIL_MARGIN = timedelta(days=1)
ONE_DAY_SECONDS = 86_400
LAST_WEEK = 5  # a footer's "5th" weekday of a month is its last
# Any year's length of each month, February's in a common year: a footer's shifted
# day is written with BYMONTHDAY only where it stays in the month every year.
SHORTEST_MONTH_LENGTHS = {month: calendar.monthrange(2001, month)[1] for month in range(1, 13)}


@dataclass(frozen=True)
class Transition:
    """A change of a zone's offset, daylight flag or abbreviation, at one instant."""

    instant: datetime  # UTC
    offset_from: timedelta
    offset_to: timedelta
    is_daylight: bool
    name: str

    @property
    def onset(self) -> datetime:
        """Wall-clock time of the change, read on the clock before it (as RFC 5545 wants)."""
        return (self.instant + self.offset_from).replace(tzinfo=None)


@dataclass(frozen=True)
class Observance:
    """One STANDARD or DAYLIGHT block: an onset, its offsets, and maybe a yearly rule."""

    is_daylight: bool
    onset: datetime  # local, naive
    offset_from: timedelta
    offset_to: timedelta
    name: str
    rule: dict | None = None  # RRULE parts, without FREQ and UNTIL
    until: datetime | None = None  # UTC instant of the last onset; None for the footer's rule, held every year after


def _state(zone: ZoneInfo, timestamp: int) -> tuple[timedelta, bool, str]:
    moment = datetime.fromtimestamp(timestamp, zone)
    return moment.utcoffset(), bool(moment.dst()), moment.tzname() or ""


def transitions(zone_name: str, start: datetime, end: datetime) -> list[Transition]:
    """Every change of the zone's state after start and before end, as zoneinfo sees it.

    Where the zone's file lists changes (``tzif``) only those instants are
    checked; after the last, while a yearly rule holds, the offset is sampled.
    """
    zone = ZoneInfo(zone_name)
    first, stop = int(start.timestamp()), int(end.timestamp())
    listed, rule_follows = listed_changes(zone_name)
    found = []
    for instant in listed:
        if first < instant < stop:
            before, after = _state(zone, instant - 1), _state(zone, instant)
            if after != before:  # files may list an instant where nothing readers see changes
                found.append(_transition(instant, before, after))
    if rule_follows:
        found += _sampled(zone, max(first, listed[-1] if listed else first), stop)
    return found


def _transition(instant: int, before: tuple, after: tuple) -> Transition:
    return Transition(datetime.fromtimestamp(instant, UTC), before[0], after[0], after[1], after[2])


def _sampled(zone: ZoneInfo, first: int, stop: int) -> list[Transition]:
    found = []
    now, state, last = first, _state(zone, first), stop - 1
    while now < last:
        ahead = min(now + RULE_SAMPLE_STEP_SECONDS, last)
        if _state(zone, ahead) != state:
            before = now
            while ahead - before > 1:  # bisect to the first second of the new state
                middle = (before + ahead) // 2
                before, ahead = (middle, ahead) if _state(zone, middle) == state else (before, middle)
            after = _state(zone, ahead)
            found.append(_transition(ahead, state, after))
            state = after
        now = ahead
    return found


def _rules_that_fit(day: date) -> set[tuple]:
    """Every yearly rule that puts a change on this day of its month."""
    weekday = WEEKDAYS[day.weekday()]
    month_length = calendar.monthrange(day.year, day.month)[1]
    rules = {("day", day.day)}
    if day.day <= 28:
        rules.add(("nth", (day.day - 1) // 7 + 1, weekday))
    if day.day + 7 > month_length:
        rules.add(("last", weekday))
    for first in range(max(1, day.day - 6), day.day + 1):
        if first + 6 <= month_length and (first - 1) % 7:  # aligned starts are "nth" rules
            rules.add(("on_or_after", first, weekday))
    return rules


def _rrule_parts(rule: tuple, month: int) -> dict:
    kind = rule[0]
    if kind == "nth":
        return {"BYMONTH": month, "BYDAY": f"{rule[1]}{rule[2]}"}
    if kind == "last":
        return {"BYMONTH": month, "BYDAY": f"-1{rule[1]}"}
    if kind == "on_or_after":
        return {"BYMONTH": month, "BYMONTHDAY": list(range(rule[1], rule[1] + 7)), "BYDAY": rule[2]}
    return {"BYMONTH": month, "BYMONTHDAY": rule[1]}


def _preferred(rules: set[tuple]) -> tuple:
    return min(rules, key=lambda rule: (RULE_PREFERENCE.index(rule[0]), rule))


def _day_in(rule: tuple, year: int, month: int) -> date:
    """The day a rule names in one year's month."""
    kind = rule[0]
    if kind == "day":
        return date(year, month, rule[1])
    if kind == "nth":
        start = date(year, month, 7 * (rule[1] - 1) + 1)
    elif kind == "last":
        start = date(year, month, calendar.monthrange(year, month)[1] - 6)
    else:  # on_or_after
        start = date(year, month, rule[1])
    return start + timedelta(days=(WEEKDAYS.index(rule[-1]) - start.weekday()) % 7)


@dataclass(frozen=True)
class FooterChange:
    """One of the two yearly changes of a zone file's footer, named the way observances name them."""

    month: int
    rule: tuple  # as _rules_that_fit names it
    onset: time  # wall time on the clock before the change
    offset_from: timedelta
    offset_to: timedelta
    name: str

    @property
    def rrule(self) -> dict:
        return _rrule_parts(self.rule, self.month)

    def instant_in(self, year: int) -> datetime:
        return datetime.combine(_day_in(self.rule, year, self.month), self.onset, UTC) - self.offset_from


def _yearly_rule(month_rule: MonthRule) -> tuple[tuple, time] | None:
    """A footer's "M3.4.4/26" as a rule and wall time: ("on_or_after", 23, "FR") at 02:00.

    None where the time moves the day out of the month in some years
    (the day after the last Thursday of October is 1 November in some).
    """
    days_late, seconds = divmod(month_rule.seconds, ONE_DAY_SECONDS)
    onset = time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
    weekday = WEEKDAYS[(month_rule.weekday - 1 + days_late) % 7]  # POSIX counts from Sunday, WEEKDAYS from Monday
    if month_rule.week == LAST_WEEK and not days_late:
        return ("last", weekday), onset
    shortest = SHORTEST_MONTH_LENGTHS[month_rule.month]
    if month_rule.week == LAST_WEEK and (days_late > 0 or month_rule.month == 2):
        return None  # past the month's end, or before a last week that moves with leap years
    first = (shortest - 6 if month_rule.week == LAST_WEEK else 7 * (month_rule.week - 1) + 1) + days_late
    if first < 1 or first + 6 > shortest:
        return None
    if (first - 1) % 7 == 0:
        return ("nth", (first - 1) // 7 + 1, weekday), onset
    return ("on_or_after", first, weekday), onset


@cache
def footer_changes(footer: str) -> tuple[FooterChange, ...]:
    """The yearly changes a TZ footer gives ("EST5EDT,M3.2.0,M11.1.0"); none if it has no rule, or one not
    written here."""
    zone = parse_footer(footer)
    if zone is None or zone.dst_start is None:
        return ()
    changes = []
    for month_rule, offset_from, offset_to, name in (
        (zone.dst_start, zone.std_offset, zone.dst_offset, zone.dst_name),
        (zone.dst_end, zone.dst_offset, zone.std_offset, zone.std_name),
    ):
        yearly = _yearly_rule(month_rule)
        if yearly is None:
            return ()
        changes.append(FooterChange(month_rule.month, yearly[0], yearly[1], offset_from, offset_to, name))
    return tuple(changes)


@dataclass
class _Run:
    first: Transition
    last: Transition
    rules: set[tuple]
    count: int = 1
    open_rule: tuple | None = None  # the footer's rule, when it holds every year after the window


def _same_shape(a: Transition, b: Transition) -> bool:
    return (a.is_daylight, a.offset_from, a.offset_to, a.name, a.onset.time(), a.onset.month) == (
        b.is_daylight,
        b.offset_from,
        b.offset_to,
        b.name,
        b.onset.time(),
        b.onset.month,
    )


def observances(zone_name: str, first_year: int, last_year: int) -> list[Observance]:
    """Observances that give zoneinfo's offsets for every moment of the years given."""
    # A year either side, so each rule shows as a rule and apps that look a little
    # beyond the sessions (a week or month view) still find the right offset.
    first_year, last_year = first_year - 1, last_year + 1
    start = datetime(first_year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1)
    offset, is_daylight, name = _state(ZoneInfo(zone_name), int(start.timestamp()))
    # The state the window opens in, as an observance of its own, so that moments
    # before the first change are defined the same way in every client.
    opening = Observance(is_daylight, (start + offset).replace(tzinfo=None), offset, offset, name)
    runs: list[_Run] = []
    for change in transitions(zone_name, start, end):
        run = next((r for r in reversed(runs) if _continues(r, change)), None)
        if run is None:
            runs.append(_Run(change, change, _rules_that_fit(change.onset.date())))
        else:
            run.rules &= _rules_that_fit(change.onset.date())
            run.last, run.count = change, run.count + 1
    _open_where_the_footer_holds(zone_name, runs, last_year, end)
    return [opening] + [_observance(run) for run in sorted(runs, key=lambda r: r.first.instant)]


def _continues(run: _Run, change: Transition) -> bool:
    return (
        change.onset.year == run.last.onset.year + 1
        and _same_shape(run.last, change)
        and bool(run.rules & _rules_that_fit(change.onset.date()))
    )


def _follows_footer(run: _Run, change: FooterChange) -> bool:
    """Whether every change of the run is the footer's change: same day rule, wall time, offsets and name."""
    first = run.first
    return change.rule in run.rules and (
        first.onset.month,
        first.onset.time(),
        first.offset_from,
        first.offset_to,
        first.name,
    ) == (change.month, change.onset, change.offset_from, change.offset_to, change.name)


def _open_where_the_footer_holds(zone_name: str, runs: list[_Run], last_year: int, end: datetime) -> None:
    """Leave a run open only where the footer gives it and holds every year after the window.

    All of the footer's changes or none: an open rule claims every later year,
    and a client that found one change a year open and the other closed would
    get every year after the window wrong.
    """
    changes = footer_changes(zone_file(zone_name)[1])
    in_force = [run for run in runs if run.count > 1 and run.last.onset.year >= last_year]
    matches = [next((run for run in in_force if _follows_footer(run, change)), None) for change in changes]
    if not changes or None in matches or not _footer_holds_after(zone_name, changes, end):
        return
    for change, run in zip(changes, matches, strict=True):  # one match per change
        run.open_rule = change.rule


def _footer_holds_after(zone_name: str, changes: tuple[FooterChange, ...], end: datetime) -> bool:
    """Whether zoneinfo's changes after ``end`` are the footer's, every year.

    zoneinfo follows the footer after the file's last listed change; before it,
    the listed changes after the window must be exactly those the footer gives.
    """
    listed, _ = listed_changes(zone_name)
    if not listed or listed[-1] < end.timestamp():
        return True
    stop = datetime(datetime.fromtimestamp(listed[-1], UTC).year + 1, 1, 1, tzinfo=UTC)
    given = sorted(
        (instant, change.offset_from, change.offset_to, change.name)
        for year in range(end.year, stop.year)
        for change in changes
        if end < (instant := change.instant_in(year)) < stop
    )
    found = [(t.instant, t.offset_from, t.offset_to, t.name) for t in transitions(zone_name, end, stop)]
    return found == given


def _observance(run: _Run) -> Observance:
    first = run.first
    if run.count == 1:
        return Observance(first.is_daylight, first.onset, first.offset_from, first.offset_to, first.name)
    if run.open_rule:  # the footer's rule, holding every later year: left open, as Outlook writes it
        rule, until = _rrule_parts(run.open_rule, first.onset.month), None
    else:
        # A rule inferred from the years seen is claimed for those years only. UNTIL is
        # in UTC as RFC 5545 requires, a day after the last change: dateutil (and so
        # vobject) compares it with the local onset, and would drop a last change that
        # falls later in local time than in UTC. The next change is a year away, so the
        # day changes nothing for parsers that read UNTIL correctly.
        rule, until = _rrule_parts(_preferred(run.rules), first.onset.month), run.last.instant + UNTIL_MARGIN
    return Observance(first.is_daylight, first.onset, first.offset_from, first.offset_to, first.name, rule, until)


def last_listed_year(zone_name: str) -> int:
    """The year of the last change the zone's file lists; after it, its footer (or one offset) holds."""
    listed, _ = listed_changes(zone_name)
    return datetime.fromtimestamp(listed[-1], UTC).year if listed else 1970


@cache
def vtimezone_bytes(zone_name: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE for a zone over whole years, serialised once for every feed that needs it.

    Properties come in the order icalendar writes them; a test compares every
    zone's lines with icalendar's serialisation of the same observances.
    """
    lines = Lines()
    lines.raw("BEGIN", "VTIMEZONE")
    lines.add("TZID", zone_name)
    for observance in observances(zone_name, first_year, last_year):
        kind = "DAYLIGHT" if observance.is_daylight else "STANDARD"
        lines.raw("BEGIN", kind)
        lines.raw("DTSTART", date_time(observance.onset))  # local wall time: no Z, no TZID
        if observance.rule:
            until = {"UNTIL": observance.until} if observance.until else {}
            lines.raw("RRULE", recur({"FREQ": "YEARLY", **observance.rule, **until}))
        if observance.name:
            lines.add("TZNAME", observance.name)
        lines.raw("TZOFFSETFROM", utc_offset(observance.offset_from))
        lines.raw("TZOFFSETTO", utc_offset(observance.offset_to))
        lines.raw("END", kind)
    lines.raw("END", "VTIMEZONE")
    return lines.to_bytes()
