"""VTIMEZONE components with yearly RRULE observances, the way Outlook and vzic write them.

icalendar's own ``Timezone.from_tzinfo`` lists every transition as a
comma-separated RDATE, and Mozilla's ical.js (Thunderbird) and vobject read
those lists differently, putting events an hour off. Here the transitions
zoneinfo knows in a span of years are grouped into runs that follow one yearly
rule ("second Sunday of March at 02:00"), each written as one observance with
an RRULE; a transition that follows no rule is an observance of its own.

``vtimezone_bytes`` is cached: each zone is worked out and serialised once per
span of years and the bytes reused by every feed that needs the zone.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from .ics import Lines, date_time, recur, utc_offset
from .tzif import listed_changes

# After the last change a zone's file lists, its yearly rule is followed by
# sampling the offset at this step and bisecting each change to the second. Such a
# rule changes the clocks twice a year at most, never twice in a week.
RULE_SAMPLE_STEP_SECONDS = 7 * 86_400
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The same wall time in a run of years can be named by more than one rule; the
# first kind here that fits every year of the run is written.
RULE_PREFERENCE = ("nth", "last", "on_or_after", "day")
UNTIL_MARGIN = timedelta(days=1)


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
    until: datetime | None = None  # UTC instant of the last onset; None while the rule still holds


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


@dataclass
class _Run:
    first: Transition
    last: Transition
    rules: set[tuple]
    count: int = 1


def _same_shape(a: Transition, b: Transition) -> bool:
    return (a.is_daylight, a.offset_from, a.offset_to, a.name, a.onset.time(), a.onset.month) == (
        b.is_daylight, b.offset_from, b.offset_to, b.name, b.onset.time(), b.onset.month)


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
    return [opening] + [_observance(run, last_year) for run in sorted(runs, key=lambda r: r.first.instant)]


def _continues(run: _Run, change: Transition) -> bool:
    return (
        change.onset.year == run.last.onset.year + 1
        and _same_shape(run.last, change)
        and bool(run.rules & _rules_that_fit(change.onset.date()))
    )


def _observance(run: _Run, last_year: int) -> Observance:
    first = run.first
    if run.count == 1:
        return Observance(first.is_daylight, first.onset, first.offset_from, first.offset_to, first.name)
    rule = _rrule_parts(_preferred(run.rules), first.onset.month)
    # A rule still in force at the end of the window is left open, as Outlook writes it.
    # UNTIL is in UTC as RFC 5545 requires, a day after the last change: dateutil (and
    # so vobject) compares it with the local onset, and would drop a last change that
    # falls later in local time than in UTC. The next change is a year away, so the
    # day changes nothing for parsers that read UNTIL correctly.
    until = None if run.last.onset.year >= last_year else run.last.instant + UNTIL_MARGIN
    return Observance(first.is_daylight, first.onset, first.offset_from, first.offset_to, first.name, rule, until)


@lru_cache(maxsize=None)
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
