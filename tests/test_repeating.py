"""Repeating sessions: one calendar entry with RRULE, EXDATE and changed meetings.

* Feeds: four independent parsers expand every series to the meetings zoneinfo gives for
  the wall times written here by hand (never from the plugin's recurrence module).
* Content errors: each refused rule is one sentence naming the file and line.
* SEQUENCE: a change to the rule raises it; an edit to the body does not.
* Pages: the rule in words, the next meetings after "today", the earlier ones folded away.
"""

from __future__ import annotations

import os
import textwrap
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feed_readers
import pytest
from community_events import recurrence
from community_events.errors import ContentError
from community_events.frontmatter import decode, split
from community_events.model import parse_event, parse_file
from conftest import MINIMAL_PAGES, assert_clear_sentence, run_pelican, write_files
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from test_history import Repo
from test_history import uid as uid_of

UID_DOMAIN = "wikimedia-libraries.github.io"
TODAY = "2024-12-01"  # before every series below, so each is listed whole in the feeds

# --- Feeds: every parser's occurrences equal zoneinfo's ----------------------------------------


def at(wall: str, zone: str, minutes: int, status: str = "CONFIRMED") -> tuple[int, int, str]:
    """A meeting as zoneinfo places it: "2025-01-16 14:00" in the zone (or with a UTC offset), lasting
    ``minutes`` of real time."""
    if wall[-6] in "+-" and wall[-3] == ":":
        start = datetime.fromisoformat(wall[:-7] + wall[-6:])
    else:
        start = datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(zone))
    seconds = int(start.astimezone(UTC).timestamp())
    return seconds, seconds + minutes * 60, status


def weekly(first: str, count: int, weeks: int = 1) -> list[str]:
    """Wall times a whole number of weeks apart, by plain calendar arithmetic."""
    start = datetime.fromisoformat(first)
    return [(start + timedelta(weeks=weeks * n)).strftime("%Y-%m-%d %H:%M") for n in range(count)]


def meetings(zone: str, walls: list[str], minutes: int, changed: dict | None = None) -> list[tuple[int, int, str]]:
    """The expected list: ``changed`` maps a rule-given wall time to None (excepted) or its own meeting."""
    changed = changed or {}
    found = [changed[wall] if wall in changed else at(wall, zone, minutes) for wall in walls]
    return sorted(meeting for meeting in found if meeting is not None)


EVENT = """\
---
title: {slug}
sessions:
  - start: {start}
    {length}
    timezone: {zone}
    join: https://meet.example.org/a
    repeat:
{repeat}
---
Body of {slug}.
"""

BERLIN = "Europe/Berlin"
SYDNEY = "Australia/Sydney"
NEW_YORK = "America/New_York"
LONDON = "Europe/London"
CHICAGO = "America/Chicago"
PARIS = "Europe/Paris"
LOS_ANGELES = "America/Los_Angeles"

# slug: (start, zone, length line, repeat block, expected meetings)
CASES = {
    # Third Thursdays of 2025 in Berlin, across both changes: one excepted, one moved across the
    # March change (and given two hours), one cancelled, one with its own link.
    "berlin-third-thursday": (
        "2025-01-16 14:00",
        BERLIN,
        "duration: 1 hour",
        """\
      every: month
      day: third Thursday
      until: 2025-12-31
      except:
        - 2025-04-17
      changes:
        - date: 2025-03-20
          start: 2025-04-03 15:00
          duration: 2 hours
        - date: 2025-10-16
          status: cancelled
        - date: 2025-06-19
          join: https://meet.example.org/b
        - date: 2025-11-20
          start: 2025-11-27 16:00""",
        meetings(
            BERLIN,
            [f"2025-{m:02d}-{d:02d} 14:00" for m, d in enumerate((16, 20, 20, 17, 15, 19, 17, 21, 18, 16, 20, 18), 1)],
            60,
            {
                "2025-04-17 14:00": None,
                "2025-03-20 14:00": at("2025-04-03 15:00", BERLIN, 120),
                "2025-10-16 14:00": at("2025-10-16 14:00", BERLIN, 60, "CANCELLED"),
                "2025-11-20 14:00": at("2025-11-27 16:00", BERLIN, 60),
            },
        ),
    ),
    # Sundays in Sydney, meeting on the nights the clocks change (6 April, 5 October 2025).
    "sydney-sundays": (
        "2025-03-02 18:00",
        SYDNEY,
        "duration: 2 hours",
        """\
      every: week
      until: 2025-11-30
      except: 2025-06-08""",
        meetings(SYDNEY, weekly("2025-03-02 18:00", 40), 120, {"2025-06-08 18:00": None}),
    ),
    # Sundays in New York on both change days; the one of 2 November moved into the repeated hour
    # (with its offset), the one of 9 March cancelled.
    "new-york-sundays": (
        "2025-02-02 09:00",
        NEW_YORK,
        "end: 10:00",
        """\
      every: week
      until: 2025-12-14
      changes:
        - date: 2025-11-02
          start: 2025-11-02 01:30 -05:00
        - date: 2025-03-09
          status: cancelled""",
        meetings(
            NEW_YORK,
            weekly("2025-02-02 09:00", 46),
            60,
            {
                "2025-11-02 09:00": at("2025-11-02 01:30 -05:00", NEW_YORK, 60),
                "2025-03-09 09:00": at("2025-03-09 09:00", NEW_YORK, 60, "CANCELLED"),
            },
        ),
    ),
    # The last Sunday of each month in London: March's and October's are the change days.
    "london-last-sunday": (
        "2025-01-26 17:00",
        LONDON,
        "duration: 90 minutes",
        """\
      every: month
      day: last Sunday
      times: 12""",
        meetings(
            LONDON,
            [f"2025-{m:02d}-{d:02d} 17:00" for m, d in enumerate((26, 23, 30, 27, 25, 29, 27, 31, 28, 26, 30, 28), 1)],
            90,
        ),
    ),
    # Only January, May, July and October 2025 have a fifth Thursday; RFC 5545 skips the others.
    "chicago-fifth-thursday": (
        "2025-01-30 19:00",
        CHICAGO,
        "duration: 1 hour",
        """\
      every: month
      day: fifth Thursday
      until: 2025-12-31""",
        meetings(CHICAGO, ["2025-01-30 19:00", "2025-05-29 19:00", "2025-07-31 19:00", "2025-10-30 19:00"], 60),
    ),
    # On the 31st: months without one are skipped, not moved.
    "paris-31st": (
        "2025-01-31 19:00",
        PARIS,
        "duration: 1 hour",
        """\
      every: month
      until: 2025-12-31""",
        meetings(PARIS, [f"2025-{m:02d}-31 19:00" for m in (1, 3, 5, 7, 8, 10, 12)], 60),
    ),
    # Every two weeks, eight dates (COUNT), one of them excepted: seven meetings, as RFC 5545 counts.
    "los-angeles-fortnightly": (
        "2025-02-25 11:00",
        LOS_ANGELES,
        "duration: 45 minutes",
        """\
      every: 2 weeks
      times: 8
      except: [2025-04-08]""",
        meetings(LOS_ANGELES, weekly("2025-02-25 11:00", 8, weeks=2), 45, {"2025-04-08 11:00": None}),
    ),
    # UTC: DTSTART, EXDATE and RECURRENCE-ID with Z; one meeting moved a day and a few hours.
    "utc-wednesdays": (
        "2025-03-05 12:00",
        "UTC",
        "duration: 90 minutes",
        """\
      every: week
      times: 10
      changes:
        - date: 2025-04-02
          start: 2025-04-03 16:00""",
        meetings("UTC", weekly("2025-03-05 12:00", 10), 90, {"2025-04-02 12:00": at("2025-04-03 16:00", "UTC", 90)}),
    ),
}
# Open-ended: expanded up to a bound, fifteen years on, where the feed's VTIMEZONE must still hold.
OPEN_ENDED_BOUND = datetime(2041, 1, 1, tzinfo=UTC)
OPEN_ENDED = (
    "2025-01-06 18:30",
    LONDON,
    "duration: 1 hour",
    "      every: week",
    meetings(LONDON, weekly("2025-01-06 18:30", (date(2040, 12, 31) - date(2025, 1, 6)).days // 7 + 1), 60),
)
CASES["london-mondays-open-ended"] = OPEN_ENDED
# Morocco's changes around Ramadan follow no yearly rule: its zone file lists each one, and an
# open-ended series needs every one in the VTIMEZONE, not only those of its first year.
CASES["casablanca-fridays-open-ended"] = (
    "2025-01-03 18:00",
    "Africa/Casablanca",
    "duration: 1 hour",
    "      every: week",
    meetings(
        "Africa/Casablanca",
        weekly("2025-01-03 18:00", (date(2040, 12, 31) - date(2025, 1, 3)).days // 7 + 1),
        60,
    ),
)


def uid(slug: str) -> str:
    return f"{slug}-1@{UID_DOMAIN}"


def repeating_site_files() -> dict[str, str]:
    return {
        f"events/{slug}.md": EVENT.format(slug=slug, start=start, zone=zone, length=length, repeat=repeat)
        for slug, (start, zone, length, repeat, _) in CASES.items()
    }


@pytest.fixture(scope="module")
def repeating_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("repeating")
    write_files(base / "content", {**MINIMAL_PAGES, **repeating_site_files()})
    return run_pelican(base / "content", base / "output", today=TODAY)


def _occurrences(paths: list[Path], parser: str) -> dict[Path, feed_readers.Occurrences]:
    if parser == "ical.js":
        if not feed_readers.node_available():
            message = "ical.js needs Node.js and `npm ci --prefix tests/js`"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        return feed_readers.ical_js_occurrences(paths, OPEN_ENDED_BOUND)
    reader = feed_readers.PYTHON_OCCURRENCE_READERS[parser]
    return {path: reader(path, OPEN_ENDED_BOUND) for path in paths}


PARSERS = ["icalendar", "recurring-ical-events", "vobject", "ical.js"]


def _event_feeds(output: Path) -> list[Path]:
    return [output / "events" / f"{slug}.ics" for slug in CASES]


@pytest.mark.parametrize("parser", PARSERS)
def test_every_parser_expands_each_series_as_zoneinfo_does(repeating_site, parser):
    """All four keep a cancelled meeting, with STATUS:CANCELLED, in place of the rule's meeting."""
    output = repeating_site.output
    readings = _occurrences([*_event_feeds(output), output / "calendar.ics"], parser)
    for slug, case in CASES.items():
        expected = case[-1]
        assert readings[output / "events" / f"{slug}.ics"] == {uid(slug): expected}, slug
        assert readings[output / "calendar.ics"][uid(slug)] == expected, slug


def test_the_expected_lists_cross_the_clock_changes():
    """The cases test what they claim: offsets differ within each series that has a zone with changes."""
    for slug, (_start, zone, *_rest, expected) in CASES.items():
        offsets = {datetime.fromtimestamp(start, ZoneInfo(zone)).utcoffset() for start, *_ in expected}
        assert len(offsets) == (1 if zone == "UTC" else 2), slug
    assert len(CASES["berlin-third-thursday"][-1]) == 11
    assert len(CASES["los-angeles-fortnightly"][-1]) == 7
    assert len(CASES["london-mondays-open-ended"][-1]) > 800
    ramadan = datetime(2026, 3, 6, 18, tzinfo=ZoneInfo("Africa/Casablanca"))  # a Friday in Ramadan 2026
    assert ramadan.utcoffset() != datetime(2026, 6, 5, 18, tzinfo=ramadan.tzinfo).utcoffset()


def _components(path: Path, name: str) -> list:
    return Calendar.from_ical(path.read_bytes()).walk(name)


def test_the_series_entry_as_written(repeating_site):
    """What the readers above rely on, spelled out for the Berlin series."""
    events = _components(repeating_site.output / "events/berlin-third-thursday.ics", "VEVENT")
    master, *changed = events
    assert {str(e["UID"]) for e in events} == {uid("berlin-third-thursday")}
    assert master["RRULE"].to_ical() == b"FREQ=MONTHLY;UNTIL=20251218T130000Z;BYDAY=3TH"
    assert master["DTSTART"].params["TZID"] == BERLIN
    assert master["EXDATE"].params["TZID"] == BERLIN  # in DTSTART's zone, as RFC 5545 asks
    assert [item.dt for item in master["EXDATE"].dts] == [datetime(2025, 4, 17, 14, tzinfo=ZoneInfo(BERLIN))]
    assert [e["RECURRENCE-ID"].dt.date() for e in changed] == [
        date(2025, 3, 20),
        date(2025, 6, 19),
        date(2025, 10, 16),
        date(2025, 11, 20),
    ]
    cancelled = changed[2]
    assert str(cancelled["STATUS"]) == "CANCELLED" and str(cancelled["SUMMARY"]).startswith("Cancelled: ")
    assert str(changed[1]["CONFERENCE"]) == "https://meet.example.org/b"
    assert str(master["CONFERENCE"]) == "https://meet.example.org/a"


def test_utc_series_and_a_moved_meeting_in_the_repeated_hour_are_written_in_utc(repeating_site):
    data = (repeating_site.output / "events/utc-wednesdays.ics").read_bytes()
    assert b"DTSTART:20250305T120000Z" in data and b"RECURRENCE-ID:20250402T120000Z" in data
    assert b"VTIMEZONE" not in data
    data = (repeating_site.output / "events/new-york-sundays.ics").read_bytes()
    assert b"RECURRENCE-ID;TZID=America/New_York:20251102T090000" in data
    assert b"DTSTART:20251102T063000Z" in data  # 01:30 -05:00, the second 01:30 of that night


def test_an_open_ended_series_has_an_open_time_zone(repeating_site):
    """No UNTIL in the RRULE, and the zone's yearly rules left open, so later years are right too."""
    path = repeating_site.output / "events/london-mondays-open-ended.ics"
    (master,) = _components(path, "VEVENT")
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO"
    (zone,) = _components(path, "VTIMEZONE")
    rules = [part for part in zone.subcomponents if "RRULE" in part]
    assert {part.name for part in rules} == {"STANDARD", "DAYLIGHT"}
    for name in ("STANDARD", "DAYLIGHT"):
        latest = max((part for part in rules if part.name == name), key=lambda part: part["DTSTART"].dt)
        assert "UNTIL" not in latest["RRULE"], latest.to_ical()
    first_thirty = CASES["london-mondays-open-ended"][-1][:30]
    bound = datetime.fromtimestamp(first_thirty[-1][0] + 1, UTC)
    assert feed_readers.icalendar_occurrences(path, bound)[uid("london-mondays-open-ended")] == first_thirty
    assert feed_readers.vobject_occurrences(path, bound)[uid("london-mondays-open-ended")] == first_thirty


def test_a_meeting_moved_into_the_repeated_hour_is_read_with_its_offset(repeating_site):
    """2025-11-02 01:30 -05:00 is the second 01:30 of that night: 06:30 UTC, not 05:30."""
    expected = at("2025-11-02 01:30 -05:00", NEW_YORK, 60)
    assert expected[0] == int(datetime(2025, 11, 2, 6, 30, tzinfo=UTC).timestamp())
    assert expected in CASES["new-york-sundays"][-1]


# --- The rule from the calendar, against dateutil ----------------------------------------------

RULES = st.builds(
    lambda unit, interval, ordinal, bound, amount: (unit, interval, ordinal, bound, amount),
    st.sampled_from(["week", "month"]),
    st.integers(1, 4),
    st.sampled_from([None, 1, 2, 3, 4, 5, -1]),
    st.sampled_from(["until", "times", None]),
    st.integers(1, 60),
)


def _rule(first: datetime, unit: str, interval: int, ordinal, bound, amount: int) -> recurrence.Repeat:
    weekday = None
    if unit == "month" and ordinal is not None:
        nth, is_last = recurrence.weekday_of_month(first.date())
        ordinal = -1 if ordinal == -1 and is_last else nth  # a rule the first meeting is on
        weekday = (ordinal, first.weekday())
    until = first.date() + timedelta(days=amount * 40) if bound == "until" else None
    return recurrence.Repeat(unit, interval, weekday, until, amount if bound == "times" else None)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31)).map(
        lambda moment: moment.replace(second=0, microsecond=0)
    ),
    RULES,
    st.integers(0, 3000),
    st.integers(0, 800),
)
def test_rule_days_from_the_calendar_are_dateutils(first, rule, offset, width):
    repeat = _rule(first, *rule)
    through = first.date() + timedelta(days=4000)
    expanded = [wall.date() for wall in recurrence.wall_times(repeat, first, through)]
    earliest = first.date() + timedelta(days=offset)
    latest = earliest + timedelta(days=width)
    assert recurrence.rule_days(repeat, first, earliest, latest) == [d for d in expanded if earliest <= d <= latest]
    for day in expanded[:5] + [earliest, latest]:
        assert recurrence.gives(repeat, first, day) == (day in expanded)
    if not repeat.is_open_ended:
        assert recurrence.last_wall_time(repeat, first) == max(recurrence.wall_times(repeat, first))


def _unclear_by_expanding(repeat, first: datetime, zone: ZoneInfo, length: timedelta | None):
    """What unclear_wall_time finds, the slow way: every meeting to 2200, through zoneinfo."""
    for wall in recurrence.wall_times(repeat, first, date(2200, 12, 31)):
        offsets = {wall.replace(tzinfo=zone, fold=fold).utcoffset() for fold in (0, 1)}
        if len(offsets) > 1:
            exists = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall
            return wall, "repeated" if exists else "skipped"
        if length and {(wall + length).replace(tzinfo=zone, fold=fold).utcoffset() for fold in (0, 1)} != offsets:
            return wall, "spans"
    return None


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2040, 12, 31)).map(
        lambda moment: moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)
    ),
    RULES,
    st.sampled_from([NEW_YORK, SYDNEY, "Australia/Lord_Howe", "Europe/Dublin", "America/Santiago", "Asia/Kolkata"]),
    st.sampled_from([None, 30, 60, 150, 60 * 26, 60 * 24 * 9]),
)
def test_unclear_meetings_found_near_the_clock_changes_are_those_found_by_expanding(first, rule, zone, minutes):
    repeat = _rule(first, *rule)
    length = timedelta(minutes=minutes) if minutes else None
    expected = _unclear_by_expanding(repeat, first, ZoneInfo(zone), length)
    assert recurrence.unclear_wall_time(repeat, first, ZoneInfo(zone), 2200, length) == expected


# --- Content errors -----------------------------------------------------------------------------

PATH = "content/events/salon.md"


def series(repeat: str, start: str = "2025-01-16 14:00", zone: str = BERLIN, length: str = "duration: 1 hour") -> str:
    """A repeating session whose repeat block starts on line 8 of the file."""
    lines = f"title: Salon\nsessions:\n  - start: {start}\n    {length}\n    timezone: {zone}\n    repeat:\n"
    return lines + textwrap.indent(textwrap.dedent(repeat).strip("\n"), "      ") + "\n"


def event_from(front_matter: str):
    doc = split(PATH, decode(PATH, f"---\n{front_matter}---\nBody.\n".encode()))
    return parse_event(PATH, "salon", doc.fields)


def error_from(front_matter: str) -> str:
    with pytest.raises(ContentError) as caught:
        event_from(front_matter)
    return str(caught.value)


MONTHLY_RULE = """\
every: month
day: third Thursday
"""
# (front matter, line, words): each refused in one sentence naming the file and the line.
ERRORS = {
    "start not on the rule's day": (
        series(MONTHLY_RULE, start="2025-01-15 14:00"),
        9,
        "the first meeting, 2025-01-15, is not on the third Thursday of its month; start the session on",
    ),
    "weekly on another day": (
        series("every: week\nday: Friday"),
        9,
        '"Friday" is not the weekday of the first meeting (Thursday); a weekly series meets on its start',
    ),
    "except not a meeting date": (
        series(MONTHLY_RULE + "except:\n  - 2025-03-20\n  - 2025-04-16"),
        12,
        "except 2025-04-16 is not a date the series meets on; the nearest meeting dates are 2025-03-20 and 2025-04-17",
    ),
    "except after the last meeting": (
        series(MONTHLY_RULE + "times: 3\nexcept:\n  - 2025-04-17"),
        12,
        "2025-04-17 is not a date the series meets on; the nearest meeting dates are 2025-03-20",
    ),
    "except far in the future, on another day": (
        series("every: 2 weeks\nexcept: [2190-06-02]"),
        9,
        "2190-06-02 is not a date the series meets on; the nearest meeting dates are 2190-05-27 and 2190-06-10",
    ),
    "except twice": (
        series(MONTHLY_RULE + "except:\n  - 2025-04-17\n  - 2025-04-17"),
        12,
        "except lists 2025-04-17 twice; list each date once",
    ),
    "a change of an excepted date": (
        series(MONTHLY_RULE + "except: [2025-04-17]\nchanges:\n  - date: 2025-04-17\n    start: 2025-04-18 14:00"),
        12,
        "changes 2025-04-17, which is also in except; keep the date in one of the two",
    ),
    "a change that changes nothing": (
        series(MONTHLY_RULE + "changes:\n  - date: 2025-03-20"),
        11,
        "is listed as changed, but nothing about it changes",
    ),
    "a change of a date the series does not meet on": (
        series(MONTHLY_RULE + "changes:\n  - date: 2025-03-21\n    place: Library"),
        11,
        "2025-03-21 is not a date the series meets on; the nearest meeting dates are 2025-03-20 and 2025-04-17",
    ),
    "the same date changed twice": (
        series(MONTHLY_RULE + "changes:\n  - date: 2025-03-20\n    place: A\n  - date: 2025-03-20\n    place: B"),
        13,
        "changes 2025-03-20 twice; give each date one change",
    ),
    "cancelled with a new time": (
        series(MONTHLY_RULE + "changes:\n  - date: 2025-03-20\n    status: cancelled\n    start: 2025-03-21 14:00"),
        12,
        "is cancelled, but the meeting is also given a new time; remove the new time, or the status",
    ),
    "until before the start": (
        series("every: month\nuntil: 2025-01-01"),
        9,
        '"2025-01-01" is before the first meeting',
    ),
    "until with times": (series("every: month\nuntil: 2025-12-31\ntimes: 5"), 10, "times is given together with until"),
    "times over the most": (
        series("every: week\ntimes: 1001"),
        9,
        "is more than the 1000 meetings a session may repeat",
    ),
    "until over the most": (
        series("every: week\nuntil: 2045-12-31"),
        9,
        "until gives 1,094 meetings, more than the 1000 a session may repeat",
    ),
    "fortnightly": (series("every: fortnightly"), 8, '"fortnightly" is not a repeat; write week, month, 2 weeks'),
    "every 53 weeks": (series("every: 53 weeks"), 8, '"53 weeks" is not between 1 and 52'),
    "repeat on a date-only session": (
        "title: Salon\nsessions:\n  - start: 2025-01-16\n    repeat:\n      every: week\n",
        5,
        "repeat needs the first meeting's start with a time",
    ),
    "a meeting in the skipped hour": (
        series("every: week", start="2025-02-02 02:30", zone=NEW_YORK),
        8,
        "gives a meeting at 02:30 on 2025-03-09, a time that does not exist in America/New_York",
    ),
    "a meeting in the repeated hour": (
        series("every: week", start="2025-10-05 01:30", zone=NEW_YORK),
        8,
        "gives a meeting at 01:30 on 2025-11-02, a time that happens twice in America/New_York",
    ),
    "a meeting in the repeated hour many years on": (
        series("every: month\nday: first Sunday", start="2025-01-05 01:30", zone=NEW_YORK),
        8,
        "gives a meeting at 01:30 on 2025-11-02, a time that happens twice",
    ),
    "a meeting that runs across the change": (
        series("every: week\nuntil: 2025-03-29", start="2025-02-01 22:00", zone=NEW_YORK, length="duration: 5 hours"),
        8,
        "gives a meeting from 22:00 on 2025-03-08 that runs into the night the clocks change in America/New_York",
    ),
    "a meeting that ends in the repeated hour": (
        series("every: week\ntimes: 4", start="2025-11-01 23:30", zone=NEW_YORK, length="duration: 150 minutes"),
        8,
        "gives a meeting from 23:30 on 2025-11-01 that runs into the night the clocks change",
    ),
    "a meeting moved into the repeated hour without its offset": (
        series(
            "every: week\nchanges:\n  - date: 2025-11-02\n    start: 2025-11-02 01:30", "2025-10-05 09:00", NEW_YORK
        ),
        11,
        "happens twice in America/New_York, because the clocks go back that night; add the UTC offset you mean",
    ),
    "a meeting moved into the skipped hour": (
        series(
            "every: week\nchanges:\n  - date: 2025-03-09\n    start: 2025-03-09 02:30", "2025-02-02 09:00", NEW_YORK
        ),
        11,
        "02:30 on 2025-03-09 does not exist in America/New_York",
    ),
    "except with a word": (series("every: month\nexcept:\n  - soon"), 10, '"soon" is not a date; write the date as'),
    "except with a number": (series("every: month\nexcept:\n  - 5"), 9, "except should be a list of dates"),
    "except of 101 dates": (
        series(
            "every: week\nexcept:\n" + "".join(f"  - {date(2025, 1, 23) + timedelta(weeks=n)}\n" for n in range(101))
        ),
        9,
        "except has 101 dates, more than the 100 a list may have",
    ),
    "changes of 101 meetings": (
        series("every: week\nchanges:\n" + "".join(f"  - date: 2025-01-23\n    place: {n}\n" for n in range(101))),
        9,
        "changes has 101 items, more than the 100 a list may have",
    ),
    "a repeat block nested too deep": (
        series("every: week\nchanges:\n  - date: 2025-01-23\n    place:\n      a:\n        b:\n          c: [d]"),
        12,
        "the front matter is nested too deeply",
    ),
    "a mapping where a change's place goes": (
        series("every: week\nchanges: [{date: 2025-01-23, place: {a: {b: 1}}}]"),
        9,
        "change 1 place should be a single line of text",
    ),
    "a script link for one meeting": (
        series("every: week\nchanges:\n  - date: 2025-01-23\n    join: javascript:alert(1)"),
        11,
        'join "javascript:alert(1)" is not a web link; write the full address starting with https://',
    ),
    "an unknown field in a change": (
        series("every: week\nchanges:\n  - date: 2025-01-23\n    time: 15:00"),
        11,
        '"time" is not a field of a changed meeting',
    ),
}


@pytest.mark.parametrize("case", ERRORS)
def test_a_refused_rule_is_one_sentence_naming_file_and_line(case):
    front_matter, line, words = ERRORS[case]
    assert_clear_sentence(error_from(front_matter), f"{PATH}:{line}", words)


def test_markup_for_one_meeting_is_refused_by_the_reading_path():
    # parse_file, the build's and check's one reading path, screens every field, nested ones too.
    front_matter = series('every: week\nchanges:\n  - date: 2025-01-23\n    place: "<script>alert(1)</script>"')
    with pytest.raises(ContentError) as caught:
        parse_file(PATH, f"---\n{front_matter}---\nBody.\n".encode(), "events")
    assert_clear_sentence(str(caught.value), f"{PATH}:11", 'place contains HTML ("<script"); write plain text')


def test_what_is_refused_one_way_is_accepted_the_right_way():
    """The fixes the sentences give are accepted."""
    moved = series(
        "every: week\nchanges:\n  - date: 2025-11-02\n    start: 2025-11-02 01:30 -05:00", "2025-10-05 09:00"
    )
    change = event_from(moved.replace(BERLIN, NEW_YORK)).sessions[0].repeat.changes[0]
    assert change.start.astimezone(UTC) == datetime(2025, 11, 2, 6, 30, tzinfo=UTC)
    ends_before = series("every: week\ntimes: 4", start="2025-11-01 22:30", zone=NEW_YORK, length="duration: 1 hour")
    assert event_from(ends_before).sessions[0].repeat.times == 4
    assert event_from(series("every: week\nuntil: 2043-12-31")).sessions[0].repeat.until == date(2043, 12, 31)


def test_an_event_may_have_twenty_repeating_sessions_not_more():
    session = "  - start: 2025-01-16 14:{minute:02d}\n    timezone: UTC\n    repeat:\n      every: week\n"
    twenty = "title: Salon\nsessions:\n" + "".join(session.format(minute=n) for n in range(20))
    assert len(event_from(twenty).sessions) == 20
    sentence = error_from(twenty + session.format(minute=20))
    assert_clear_sentence(sentence, f"{PATH}:{4 + 4 * 20}", "session 21 repeats, but an event may have at most 20")
    plain = "  - start: 2025-01-16 10:00\n    timezone: UTC\n"
    assert len(event_from(twenty + plain * 100).sessions) == 120


def test_hostile_rules_are_checked_quickly():
    """Dates far from the start are checked from the calendar, not by expanding the rule to them."""
    mondays = [date(2199, 12, 30) - timedelta(weeks=n) for n in range(100)]
    rule = "every: week\nexcept:\n" + "".join(f"  - {day}\n" for day in mondays)
    rule += "changes:\n" + "".join(f"  - date: {day - timedelta(weeks=100)}\n    place: X\n" for day in mondays)
    sessions = "".join(
        f"  - {{start: 1900-01-01 14:{n:02d}, duration: 1 hour, timezone: {NEW_YORK}, repeat: {{every: week}}}}\n"
        for n in range(20)
    )
    started = time.perf_counter()
    assert len(event_from(series(rule, start="1900-01-01 14:00", zone=NEW_YORK)).sessions[0].repeat.changes) == 100
    assert len(event_from(f"title: Salon\nsessions:\n{sessions}").sessions) == 20
    assert time.perf_counter() - started < 2  # was 12 s and 0.1 s a session


# --- SEQUENCE -----------------------------------------------------------------------------------

SALON = """\
---
title: Salon
sessions:
  - start: 2025-01-16 14:00
    duration: 1 hour
    timezone: Europe/Berlin
  - start: 2025-01-16 14:00
    duration: 1 hour
    timezone: Europe/Berlin
    repeat:
      every: month
      day: third Thursday
{rule}---
{body}
"""


def test_a_change_to_the_rule_raises_the_sessions_sequence_and_a_body_edit_does_not(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.commit("salon.md", SALON.format(rule="", body="Agenda."))
    repo.commit("salon.md", SALON.format(rule="", body="A longer agenda, retitled."))
    assert repo.feed("salon.md") == {uid_of("salon", 1): 0, uid_of("salon", 2): 0}
    repo.commit("salon.md", SALON.format(rule="      except: [2025-04-17]\n", body="A longer agenda, retitled."))
    assert repo.sequence("salon.md") == {2: 1}
    moved = (
        "      except: [2025-04-17]\n      changes:\n        - date: 2025-03-20\n          start: 2025-03-27 15:00\n"
    )
    repo.commit("salon.md", SALON.format(rule=moved, body="A longer agenda, retitled."))
    repo.commit("salon.md", SALON.format(rule=moved, body="The agenda, once more."))
    feed = repo.feed("salon.md")
    assert feed == {uid_of("salon", 1): 0, uid_of("salon", 2): 2}
    # Every VEVENT of the series, changed meetings too, carries the series' SEQUENCE.
    output = repo.root.parent / f"output-{repo.commits}"
    events = Calendar.from_ical((output / "events/salon.ics").read_bytes()).walk("VEVENT")
    assert [(str(e["UID"]), int(e["SEQUENCE"]), "RECURRENCE-ID" in e) for e in events] == [
        (uid_of("salon", 1), 0, False),
        (uid_of("salon", 2), 2, False),
        (uid_of("salon", 2), 2, True),
    ]


# --- Pages --------------------------------------------------------------------------------------

PAGE_TODAY = "2025-03-01"


@pytest.fixture(scope="module")
def pages_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("repeating-pages")
    write_files(base / "content", {**MINIMAL_PAGES, **repeating_site_files()})
    options = {"today": PAGE_TODAY, "repeat_listed": 12}
    return run_pelican(base / "content", base / "output", today=PAGE_TODAY, COMMUNITY_EVENTS=options)


def _utc_iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_page_says_the_rule_and_lists_the_next_meetings(pages_site):
    session = pages_site.html("events/berlin-third-thursday/").select_one("#session-1")
    assert session.select_one(".repeat-rule").get_text(" ", strip=True) == (
        "Every month on the third Thursday, 14:00–15:00 Berlin, until 31 Dec 2025"
    )
    listed = session.select("ol.meetings > li.meeting")
    expected = [m for m in CASES["berlin-third-thursday"][-1] if m[0] > datetime(2025, 3, 1, tzinfo=UTC).timestamp()]
    assert len(listed) == len(expected) == 9
    for item, (start, end, status) in zip(listed, expected, strict=True):
        text = item.get_text(" ", strip=True)
        if status == "CANCELLED":
            assert "meeting-cancelled" in item["class"] and text.startswith("Cancelled:"), text
            assert (
                item.select_one("time")["datetime"]
                == datetime.fromtimestamp(start, ZoneInfo(BERLIN)).date().isoformat()
            )
            continue
        own = item.select(".own-zone time")
        assert [t["datetime"] for t in own] == [_utc_iso(start), _utc_iso(end)], text
    moved = [item.get_text(" ", strip=True) for item in listed if "Moved from" in item.get_text()]
    assert [text.split(" . ")[0] for text in moved] == ["Moved from Thu, 20 Mar 2025", "Moved from Thu, 20 Nov 2025"]
    own_link = [a["href"] for a in session.select("ol.meetings a") if "its own link" in a.parent.get_text()]
    assert own_link == ["https://meet.example.org/b"]
    earlier = session.select_one("details.earlier-meetings")
    assert earlier.summary.get_text(strip=True) == "Earlier meetings (2)"
    assert [t["datetime"] for t in earlier.select("time")] == [
        _utc_iso(at("2025-02-20 14:00", BERLIN, 60)[0]),
        _utc_iso(at("2025-01-16 14:00", BERLIN, 60)[0]),
    ]
    assert not earlier.has_attr("open")


def test_the_page_lists_as_many_next_meetings_as_the_option_says(build_site):
    site = build_site(
        {"events/berlin-third-thursday.md": repeating_site_files()["events/berlin-third-thursday.md"]},
        today="2025-06-19",
        COMMUNITY_EVENTS={"today": "2025-06-19T12:30", "repeat_listed": 3},
    )
    session = site.html("events/berlin-third-thursday/").select_one("#session-1")
    starts = [item.select_one(".own-zone time")["datetime"] for item in session.select("ol.meetings > li.meeting")]
    # 19 June 14:00 Berlin (12:00 UTC) is under way at 12:30 UTC: still listed; then July and August.
    assert starts == [_utc_iso(at(f"2025-{day} 14:00", BERLIN, 60)[0]) for day in ("06-19", "07-17", "08-21")]
