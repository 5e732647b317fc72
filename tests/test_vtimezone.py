"""VTIMEZONE blocks: yearly RRULE observances that give zoneinfo's offsets in every parser."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

import feed_readers
from community_events import tzif
from community_events.zones import place_based_zones
from community_events.vtimezone import Transition, _state, observances, transitions, vtimezone_bytes

# Zones whose rules trip calendar software: southern hemisphere, 30- and 45-minute
# offsets and shifts, negative daylight time (Dublin), Ramadan pauses (Casablanca),
# "Friday before the last Sunday" (Jerusalem), fixed-date rules (Tehran), and zones
# that dropped or changed daylight time in these years.
SWEEP_ZONES = [
    "America/New_York", "America/Los_Angeles", "America/Sao_Paulo", "America/Santiago", "America/Asuncion",
    "America/Mexico_City", "America/Nuuk", "America/St_Johns", "Europe/London", "Europe/Dublin", "Europe/Paris",
    "Europe/Moscow", "Africa/Casablanca", "Africa/Cairo", "Asia/Jerusalem", "Asia/Tehran", "Asia/Kolkata",
    "Asia/Kathmandu", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Apia", "Pacific/Auckland",
]
FIRST_YEAR, LAST_YEAR = 2016, 2026
# Zones whose changes come closer together than a week (Brazil's 1999-2000 seasons,
# Ramadan pauses in Gaza and Hebron), or that keep changing by rule.
CLOSE_CHANGE_ZONES = [
    "America/Boa_Vista", "America/Noronha", "America/Recife", "Asia/Gaza", "Asia/Hebron", "Africa/Casablanca",
    "Africa/El_Aaiun", "Europe/Dublin", "Europe/Moscow", "Antarctica/Troll", "America/Godthab", "Pacific/Norfolk",
]


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


def test_changes_after_a_slim_table_follow_its_rule(monkeypatch):
    """With the package's file, every change after 2007 comes from the footer's rule, found by sampling."""
    slim = resources.files("tzdata").joinpath("zoneinfo/America/New_York").read_bytes()
    monkeypatch.setattr(tzif, "tzif_bytes", lambda name: slim)
    tzif.listed_changes.cache_clear()
    try:
        start, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC)
        assert transitions("America/New_York", start, end) == _daily_reference("America/New_York", start, end)
    finally:
        tzif.listed_changes.cache_clear()


def test_tzif_bytes_is_the_file_zoneinfo_reads():
    zone = ZoneInfo.from_file(io.BytesIO(tzif.tzif_bytes("Australia/Sydney")), key="Australia/Sydney")
    moments = [datetime(year, month, 1, tzinfo=UTC) for year in range(1990, 2040) for month in (1, 4, 7, 10)]
    assert [m.astimezone(zone).utcoffset() for m in moments] == [m.astimezone(ZoneInfo("Australia/Sydney")).utcoffset() for m in moments]


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
        zone for zone in place_based_zones()
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
        instants = {datetime(year, month, 15, 12, tzinfo=UTC) for year in range(FIRST_YEAR, LAST_YEAR + 1) for month in (1, 7)}
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
