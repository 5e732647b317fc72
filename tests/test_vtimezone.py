"""VTIMEZONE blocks: yearly RRULE observances that give zoneinfo's offsets in every parser."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from functools import cache
from importlib import resources
from itertools import takewhile
from pathlib import Path
from zoneinfo import ZoneInfo

import feed_readers
import pytest
from community_events import tzif
from community_events.vtimezone import Transition, _state, footer_changes, observances, transitions, vtimezone_bytes
from community_events.zones import place_based_zones
from dateutil.rrule import rrulestr
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

# Zones whose rules trip calendar software: southern hemisphere, 30- and 45-minute
# offsets and shifts, negative daylight time (Dublin), Ramadan pauses (Casablanca),
# "Friday before the last Sunday" (Jerusalem), fixed-date rules (Tehran), and zones
# that dropped or changed daylight time in these years.
SWEEP_ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/Santiago",
    "America/Asuncion",
    "America/Mexico_City",
    "America/Nuuk",
    "America/St_Johns",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Moscow",
    "Africa/Casablanca",
    "Africa/Cairo",
    "Asia/Jerusalem",
    "Asia/Tehran",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Apia",
    "Pacific/Auckland",
]
FIRST_YEAR, LAST_YEAR = 2016, 2026
# Zones whose changes come closer together than a week (Brazil's 1999-2000 seasons,
# Ramadan pauses in Gaza and Hebron), or that keep changing by rule.
CLOSE_CHANGE_ZONES = [
    "America/Boa_Vista",
    "America/Noronha",
    "America/Recife",
    "Asia/Gaza",
    "Asia/Hebron",
    "Africa/Casablanca",
    "Africa/El_Aaiun",
    "Europe/Dublin",
    "Europe/Moscow",
    "Antarctica/Troll",
    "America/Godthab",
    "Pacific/Norfolk",
]

# Windows whose VTIMEZONEs are expanded and compared with zoneinfo; open rules are
# followed to the horizon.
CLAIM_WINDOWS = [(2019, 2020), (2024, 2026), (2035, 2036)]
CLAIM_HORIZON = datetime(2100, 1, 1, tzinfo=UTC)
CLAIM_REFERENCE_START = datetime(1970, 1, 1, tzinfo=UTC)  # zoneinfo's changes from here on are compared
# Windows in which the footer's rule held for one change of the year but the other
# was seen only once (the EU's October rule from 1996, Israel's from 2013): an
# open rule for the first alone would leave every later year's second change out.
HALF_SEEN_RULES = [
    ("Europe/Paris", 1995),
    ("Atlantic/Azores", 1995),
    ("Asia/Jerusalem", 2013),
    ("Australia/Hobart", 2007),
    ("America/Santiago", 2022),
    ("America/Scoresbysund", 2024),
]
ROOT = Path(__file__).resolve().parent.parent
# A build of the real site, as conftest.run_pelican does it (with its fixed "today"),
# then every zone's VTIMEZONE for years where some systems' zone data differs.
BUILD_SCRIPT = """
import hashlib, sys, zoneinfo
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from conftest import ROOT, run_pelican
run_pelican(ROOT / "content", Path(sys.argv[2]) / "output")
from community_events.vtimezone import vtimezone_bytes
from community_events.zones import place_based_zones
every_zone = b"".join(vtimezone_bytes(zone, 2019, 2030) for zone in place_based_zones())
print(zoneinfo.TZPATH, hashlib.sha256(every_zone).hexdigest())
"""
SYSTEM_ZONE_FILES = "/usr/share/zoneinfo"


def _daily_reference(zone_name: str, start: datetime, end: datetime) -> list[Transition]:
    """The slow way, kept as the reference: the state every day, each change bisected to the second."""
    zone, found = ZoneInfo(zone_name), []
    now, stop, state = int(start.timestamp()), int(end.timestamp()) - 1, None
    state = _state(zone, now)
    while now < stop:
        ahead = min(now + 86_400, stop)
        if _state(zone, ahead) != state:
            before = now
            while ahead - before > 1:
                middle = (before + ahead) // 2
                before, ahead = (middle, ahead) if _state(zone, middle) == state else (before, middle)
            new = _state(zone, ahead)
            found.append(Transition(datetime.fromtimestamp(ahead, UTC), state[0], new[0], new[1], new[2]))
            state = new
        now = ahead
    return found


@pytest.mark.parametrize("zone", SWEEP_ZONES + CLOSE_CHANGE_ZONES)
def test_transitions_match_a_daily_sweep_from_1970_to_2040(zone):
    start, end = datetime(1970, 1, 1, tzinfo=UTC), datetime(2041, 1, 1, tzinfo=UTC)
    assert transitions(zone, start, end) == _daily_reference(zone, start, end)


def test_tzif_table_and_footer_are_read_from_the_tzdata_package():
    """The package's files are slim: the table stops at the last change of rule, the footer carries on."""
    data = resources.files("tzdata").joinpath("zoneinfo/America/New_York").read_bytes()
    times, footer = tzif.read_tzif(data)
    assert footer == "EST5EDT,M3.2.0,M11.1.0"
    assert list(times) == sorted(times)
    assert datetime.fromtimestamp(times[-1], UTC) == datetime(2007, 3, 11, 7, tzinfo=UTC)
    assert datetime(1883, 11, 18, 17, tzinfo=UTC) in {datetime.fromtimestamp(t, UTC) for t in times}
    assert tzif.read_tzif(resources.files("tzdata").joinpath("zoneinfo/Asia/Tokyo").read_bytes())[1] == "JST-9"


def test_changes_after_a_slim_table_follow_its_rule():
    """The package's file stops listing in 2007; every later change comes from the footer's rule, found by sampling."""
    listed, rule_follows = tzif.listed_changes("America/New_York")
    assert rule_follows and datetime.fromtimestamp(listed[-1], UTC).year == 2007
    start, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC)
    assert transitions("America/New_York", start, end) == _daily_reference("America/New_York", start, end)


@pytest.mark.parametrize("zone_name", ["Australia/Sydney", "America/Vancouver", "Africa/Casablanca"])
def test_tzif_bytes_is_the_file_zoneinfo_reads(zone_name):
    """The package's file, which zoneinfo reads too (Vancouver and Casablanca differ in some systems' data)."""
    assert (
        tzif.tzif_bytes(zone_name) == resources.files("tzdata").joinpath("zoneinfo", *zone_name.split("/")).read_bytes()
    )
    zone = ZoneInfo.from_file(io.BytesIO(tzif.tzif_bytes(zone_name)), key=zone_name)
    moments = [datetime(year, month, 1, tzinfo=UTC) for year in range(1990, 2040) for month in (1, 4, 7, 10)]
    assert [m.astimezone(zone).utcoffset() for m in moments] == [
        m.astimezone(ZoneInfo(zone_name)).utcoffset() for m in moments
    ]


def test_a_file_that_is_not_tzif_is_refused():
    with pytest.raises(ValueError):
        tzif.read_tzif(b"TZjf" + bytes(40))


def test_transitions_are_found_to_the_second():
    found = transitions("America/New_York", datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
    assert [t.instant for t in found] == [datetime(2024, 3, 10, 7, tzinfo=UTC), datetime(2024, 11, 3, 6, tzinfo=UTC)]
    assert [t.onset for t in found] == [datetime(2024, 3, 10, 2), datetime(2024, 11, 3, 2)]


def test_new_york_is_two_open_yearly_rules():
    rules = [(o.is_daylight, o.rule, o.until) for o in observances("America/New_York", 2019, 2024) if o.rule]
    assert rules == [
        (True, {"BYMONTH": 3, "BYDAY": "2SU"}, None),
        (False, {"BYMONTH": 11, "BYDAY": "1SU"}, None),
    ]


def test_sydney_rules_are_in_april_and_october():
    rules = sorted((o.rule["BYMONTH"], o.rule["BYDAY"]) for o in observances("Australia/Sydney", 2019, 2019) if o.rule)
    assert rules == [(4, "1SU"), (10, "1SU")]


def test_zone_without_changes_is_one_observance():
    (only,) = observances("Asia/Kolkata", 2019, 2024)
    assert only.offset_to == timedelta(hours=5, minutes=30) and only.rule is None


def test_friday_on_or_after_the_23rd_is_written_as_a_rule():
    text = vtimezone_bytes("Asia/Jerusalem", 2019, 2024).replace(b"\r\n ", b"")
    assert b"RRULE:FREQ=YEARLY;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29;BYMONTH=3" in text


def _hours(hours: float) -> timedelta:
    return timedelta(hours=hours)


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        (
            "EST5EDT,M3.2.0,M11.1.0",
            [
                ({"BYMONTH": 3, "BYDAY": "2SU"}, time(2), _hours(-5), _hours(-4), "EDT"),
                ({"BYMONTH": 11, "BYDAY": "1SU"}, time(2), _hours(-4), _hours(-5), "EST"),
            ],
        ),
        # 26:00 after the 4th Thursday: 02:00 on the Friday after, the 23rd to the 29th.
        (
            "IST-2IDT,M3.4.4/26,M10.5.0",
            [
                (
                    {"BYMONTH": 3, "BYMONTHDAY": list(range(23, 30)), "BYDAY": "FR"},
                    time(2),
                    _hours(2),
                    _hours(3),
                    "IDT",
                ),
                ({"BYMONTH": 10, "BYDAY": "-1SU"}, time(2), _hours(3), _hours(2), "IST"),
            ],
        ),
        # -1:00 on the last Sunday: 23:00 on the Saturday before it, the 24th to the 30th of March.
        (
            "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
            [
                (
                    {"BYMONTH": 3, "BYMONTHDAY": list(range(24, 31)), "BYDAY": "SA"},
                    time(23),
                    _hours(-2),
                    _hours(-1),
                    "-01",
                ),
                ({"BYMONTH": 10, "BYDAY": "-1SU"}, time(0), _hours(-1), _hours(-2), "-02"),
            ],
        ),
        (
            "AEST-10AEDT,M10.1.0,M4.1.0/3",
            [
                ({"BYMONTH": 10, "BYDAY": "1SU"}, time(2), _hours(10), _hours(11), "AEDT"),
                ({"BYMONTH": 4, "BYDAY": "1SU"}, time(3), _hours(11), _hours(10), "AEST"),
            ],
        ),
        # Santiago: 24:00 on the first Saturday is the Sunday on or after the 2nd, not the first Sunday.
        (
            "<-04>4<-03>,M9.1.6/24,M4.1.6/24",
            [
                (
                    {"BYMONTH": 9, "BYMONTHDAY": list(range(2, 9)), "BYDAY": "SU"},
                    time(0),
                    _hours(-4),
                    _hours(-3),
                    "-03",
                ),
                (
                    {"BYMONTH": 4, "BYMONTHDAY": list(range(2, 9)), "BYDAY": "SU"},
                    time(0),
                    _hours(-3),
                    _hours(-4),
                    "-04",
                ),
            ],
        ),
        # Chatham: minutes in the offsets and the times; the daylight offset is an hour ahead when not given.
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            [
                ({"BYMONTH": 9, "BYDAY": "-1SU"}, time(2, 45), _hours(12.75), _hours(13.75), "+1345"),
                ({"BYMONTH": 4, "BYDAY": "1SU"}, time(3, 45), _hours(13.75), _hours(12.75), "+1245"),
            ],
        ),
        # Dublin: "daylight" time is winter's, behind standard time.
        (
            "IST-1GMT0,M10.5.0,M3.5.0/1",
            [
                ({"BYMONTH": 10, "BYDAY": "-1SU"}, time(2), _hours(1), _hours(0), "GMT"),
                ({"BYMONTH": 3, "BYDAY": "-1SU"}, time(1), _hours(0), _hours(1), "IST"),
            ],
        ),
        ("JST-9", []),
        ("<+0530>-5:30", []),
        ("", []),
        # Cairo: 24:00 on the last Thursday of October is 1 November in some years; no RRULE says that.
        ("EET-2EEST,M4.5.5/0,M10.5.4/24", []),
        ("EST5EDT,J60,M11.1.0", []),  # a day-of-year rule, not read here
    ],
)
def test_footer_rules_become_rrule_parts_and_wall_times(footer, expected):
    changes = footer_changes(footer)
    assert [(c.rrule, c.onset, c.offset_from, c.offset_to, c.name) for c in changes] == expected


@pytest.mark.parametrize(
    ("footer", "name", "offset"), [("JST-9", "JST", _hours(9)), ("<+0530>-5:30", "+0530", _hours(5.5))]
)
def test_a_footer_without_daylight_time_has_no_rule(footer, name, offset):
    assert tzif.parse_footer(footer) == tzif.Footer(name, offset)


def test_every_zone_file_footer_is_read():
    """Every place-based zone's footer parses; those with a rule give two changes a year, or none where no RRULE
    fits."""
    footers = {tzif.zone_file(zone)[1] for zone in place_based_zones()}
    assert all(tzif.parse_footer(footer) is not None for footer in footers), footers
    unwritten = {footer for footer in footers if "," in footer and not footer_changes(footer)}
    assert unwritten == {"EET-2EEST,M4.5.5/0,M10.5.4/24"}


def _open_rules(zone_name: str, first_year: int, last_year: int) -> list[dict]:
    return [o.rule for o in observances(zone_name, first_year, last_year) if o.rule and o.until is None]


def test_open_rules_are_the_footers_where_years_seen_fit_a_simpler_one():
    """2021-2023 fit "4th Sunday of March", and 2023-2027 fit "1st Sunday of April"; the law says otherwise."""
    assert {"BYMONTH": 3, "BYDAY": "-1SU"} in _open_rules("Europe/Paris", 2022, 2022)
    assert {"BYMONTH": 4, "BYMONTHDAY": list(range(2, 9)), "BYDAY": "SU"} in _open_rules("America/Santiago", 2024, 2026)


def test_a_rule_that_changes_after_the_window_is_closed_with_until():
    """New York's 1987-2006 rule (April to October) ended in 2007: claimed for the years seen only."""
    ruled = [o for o in observances("America/New_York", 1995, 2005) if o.rule]
    assert [(o.rule["BYMONTH"], o.until) for o in ruled] == [
        (4, datetime(2006, 4, 3, 7, tzinfo=UTC)),
        (10, datetime(2006, 10, 30, 6, tzinfo=UTC)),
    ]


def test_rules_are_closed_where_the_file_lists_other_changes_after_the_window():
    """Gaza's file lists Ramadan pauses until 2086; its footer's rule does not hold before then."""
    assert _open_rules("Asia/Gaza", 2024, 2026) == []
    assert any(o.rule for o in observances("Asia/Gaza", 2024, 2026))


@cache
def _zoneinfo_changes(zone_name: str) -> tuple[tuple[datetime, timedelta, timedelta], ...]:
    return tuple(
        (t.instant, t.offset_from, t.offset_to) for t in transitions(zone_name, CLAIM_REFERENCE_START, CLAIM_HORIZON)
    )


def _claimed_onsets(observance, horizon: datetime) -> list[datetime]:
    """The observance's onsets as UTC instants: DTSTART, then its RRULE up to UNTIL or the horizon."""
    onsets = [observance.onset]
    if observance.rule:
        text = "FREQ=YEARLY;" + ";".join(
            f"{key}={','.join(map(str, value)) if isinstance(value, list) else value}"
            for key, value in observance.rule.items()
        )
        # Local wall times, a day past the UTC limit either way; the UTC filter below is exact.
        local_limit = (observance.until or horizon).replace(tzinfo=None) + timedelta(days=1)
        onsets += takewhile(lambda onset: onset < local_limit, rrulestr(text, dtstart=observance.onset))
    instants = ((onset - observance.offset_from).replace(tzinfo=UTC) for onset in dict.fromkeys(onsets))
    if observance.until:  # RFC 5545: UNTIL, in UTC, bounds the recurrence inclusively
        return [instant for instant in instants if instant <= observance.until]
    return [instant for instant in instants if instant < horizon]


def _wrong_claims(zone_name: str, first_year: int, last_year: int) -> list[str]:
    zone, found = ZoneInfo(zone_name), []
    opening, *changing = observances(zone_name, first_year, last_year)
    horizon = (
        CLAIM_HORIZON
        if any(o.rule and o.until is None for o in changing)
        else datetime(last_year + 2, 1, 2, tzinfo=UTC)
    )
    claimed = set()
    for observance in changing:
        for instant in _claimed_onsets(observance, horizon):
            claimed.add(instant)
            before, after = _state(zone, int(instant.timestamp()) - 1), _state(zone, int(instant.timestamp()))
            if (before[0], after[0], after[2]) != (observance.offset_from, observance.offset_to, observance.name):
                found.append(f"{zone_name} {first_year}-{last_year}: no change to {observance.offset_to} at {instant}")
    span_start = (opening.onset - opening.offset_from).replace(tzinfo=UTC)
    missed = [
        instant
        for instant, *_ in _zoneinfo_changes(zone_name)
        if span_start < instant < horizon and instant not in claimed
    ]
    return found + [
        f"{zone_name} {first_year}-{last_year}: change at {instant} not in the VTIMEZONE" for instant in missed
    ]


@pytest.mark.parametrize(("zone_name", "year"), HALF_SEEN_RULES)
def test_open_rules_are_all_the_footers_changes_or_none(zone_name, year):
    assert _open_rules(zone_name, year, year) == []
    assert _wrong_claims(zone_name, year, year) == []


@pytest.mark.parametrize("years", CLAIM_WINDOWS)
def test_every_zone_claims_only_changes_zoneinfo_makes(years):
    """Every onset a VTIMEZONE gives, open rules to 2100 and closed ones to UNTIL, is one of zoneinfo's changes,
    and zoneinfo makes no change in that span that the VTIMEZONE leaves out."""
    wrong = [problem for zone in place_based_zones() for problem in _wrong_claims(zone, *years)]
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:5]}"


def _icalendar_vtimezone(zone_name: str, first_year: int, last_year: int) -> bytes:
    """The same observances, serialised by icalendar: the reference for the plugin's own encoding."""
    component = Timezone()
    component.add("TZID", zone_name)
    for observance in observances(zone_name, first_year, last_year):
        block = TimezoneDaylight() if observance.is_daylight else TimezoneStandard()
        block.add("DTSTART", observance.onset)
        if observance.rule:
            parts = {"FREQ": "YEARLY", **observance.rule}
            if observance.until:
                parts["UNTIL"] = observance.until
            block.add("RRULE", vRecur(parts))
        block.add("TZOFFSETFROM", observance.offset_from)
        block.add("TZOFFSETTO", observance.offset_to)
        if observance.name:
            block.add("TZNAME", observance.name)
        component.add_component(block)
    return component.to_ical()


def _unfolded(data: bytes) -> bytes:
    return data.replace(b"\r\n ", b"")


@pytest.mark.parametrize("years", [(2019, 2027), (1995, 2005), (1975, 2040)])
def test_every_zone_is_serialised_as_icalendar_would(years):
    """Line for line the same once unfolded (icalendar folds at 74 octets, the plugin at 75)."""
    different = [
        zone
        for zone in place_based_zones()
        if _unfolded(vtimezone_bytes(zone, *years)) != _unfolded(_icalendar_vtimezone(zone, *years))
    ]
    assert not different, different[:5]
    assert all(len(line) <= 75 for zone in place_based_zones() for line in vtimezone_bytes(zone, *years).split(b"\r\n"))


def test_no_rdate_lists_and_each_zone_parses_with_icalendar():
    for zone in SWEEP_ZONES:
        text = vtimezone_bytes(zone, FIRST_YEAR, LAST_YEAR)
        assert b"RDATE" not in text
        (component,) = Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + text + b"END:VCALENDAR\r\n").walk("VTIMEZONE")
        assert str(component["TZID"]) == zone


def _sweep_calendar(tmp_path):
    """A feed with, for every sweep zone, sessions every 6 hours around each of its changes."""
    parts = [b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//sweep//EN\r\n"]
    expected = {}
    for zone in SWEEP_ZONES:
        parts.append(vtimezone_bytes(zone, FIRST_YEAR, LAST_YEAR))
        changes = transitions(zone, datetime(FIRST_YEAR, 1, 1, tzinfo=UTC), datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC))
        instants = {
            datetime(year, month, 15, 12, tzinfo=UTC) for year in range(FIRST_YEAR, LAST_YEAR + 1) for month in (1, 7)
        }
        instants |= {c.instant + timedelta(hours=h) for c in changes for h in (-30, -6, -1, 1, 6, 30)}
        for number, instant in enumerate(sorted(instants)):
            local = instant.astimezone(ZoneInfo(zone))
            if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
                continue  # a repeated wall time names two instants; feeds write those in UTC
            uid = f"{zone}-{number}"
            expected[uid] = int(instant.timestamp())
            parts.append(
                f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n"
                f"DTSTART;TZID={zone}:{local:%Y%m%dT%H%M%S}\r\nEND:VEVENT\r\n".encode()
            )
    parts.append(b"END:VCALENDAR\r\n")
    path = tmp_path / "sweep.ics"
    path.write_bytes(b"".join(parts))
    return path, expected


@pytest.mark.parametrize("parser", ["vobject", "ical.js"])
def test_parsers_give_zoneinfo_offsets_around_every_change(tmp_path, parser):
    """vobject (dateutil) and ical.js take offsets from the VTIMEZONE alone, so they check it."""
    path, expected = _sweep_calendar(tmp_path)
    if parser == "ical.js":
        if not feed_readers.node_available():
            pytest.skip("ical.js needs Node.js and tests/js/node_modules")
        reading = feed_readers.read_ical_js([path])[path]
    else:
        reading = feed_readers.read_vobject(path)
    wrong = {uid: (reading[uid][0], start) for uid, start in expected.items() if reading[uid][0] != start}
    assert not wrong, f"{len(wrong)} of {len(expected)} wrong, e.g. {sorted(wrong.items())[:3]}"
    assert len(expected) > 1000


def _build_in_subprocess(tmp_path: Path, tzpath: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONTZPATH": tzpath}
    return subprocess.Popen(
        [sys.executable, "-c", BUILD_SCRIPT, str(ROOT / "tests"), str(tmp_path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _calendar_files(output: Path) -> dict[str, bytes]:
    return {str(path.relative_to(output)): path.read_bytes() for path in sorted(output.rglob("*.ics"))}


@pytest.mark.skipif(not os.path.isdir(SYSTEM_ZONE_FILES), reason="no system zone files to compare with")
def test_builds_give_the_same_feeds_whatever_zone_files_the_system_has(tmp_path):
    """One build told to read the system's zone files first, one with none: the plugin reads the tzdata package
    in both."""
    runs = {SYSTEM_ZONE_FILES: tmp_path / "system", "": tmp_path / "none"}
    processes = {tzpath: _build_in_subprocess(directory, tzpath) for tzpath, directory in runs.items()}
    printed = {}
    for tzpath, process in processes.items():
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr[-2000:]
        printed[tzpath] = stdout.strip().splitlines()[-1]
    assert printed[SYSTEM_ZONE_FILES].startswith("() "), printed
    assert printed[SYSTEM_ZONE_FILES] == printed[""]
    with_system, without = (_calendar_files(directory / "output") for directory in runs.values())
    assert "calendar.ics" in with_system and len(with_system) > 3
    assert with_system == without
