"""Unit tests of zone names and multi-zone formatting (pure functions, no Pelican)."""

import io
import zoneinfo
from datetime import UTC, datetime
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
from community_events.zones import suggest_zones, utc_iso, zone_problem, zone_times

LOCALE = "en_GB"
LABELS = (("America/Los_Angeles", "Pacific"), ("UTC", "UTC"))


def local(text: str, zone: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def shown(times):
    return [(t.label, t.start_text, t.end_text) for t in times]


def test_the_groups_own_line_sydney_pacific_gmt():
    start = local("2019-05-30 09:00", "Australia/Sydney")
    times = zone_times(start, None, "Australia/Sydney", ("America/Los_Angeles", "UTC"), LOCALE, LABELS)
    assert shown(times) == [
        ("Sydney", "Thu, 30 May 2019 09:00", None),
        ("Pacific", "29 May 16:00", None),
        ("UTC", "29 May 23:00", None),
    ]
    assert {t.start_iso for t in times} == {"2019-05-29T23:00:00Z"}


def test_same_day_shows_time_only_and_own_zone_is_not_repeated():
    start = local("2021-04-21 12:00", "UTC")
    times = zone_times(start, None, "UTC", ("UTC", "Europe/Paris"), LOCALE, LABELS)
    assert shown(times) == [("UTC", "Wed, 21 Apr 2021 12:00", None), ("Paris", "14:00", None)]


@pytest.mark.parametrize(
    ("wall", "zone", "utc"),
    [
        # Northern hemisphere: New York springs forward on 10 March 2024.
        ("2024-03-09 12:00", "America/New_York", "2024-03-09T17:00:00Z"),
        ("2024-03-10 12:00", "America/New_York", "2024-03-10T16:00:00Z"),
        # Southern hemisphere: Sydney leaves daylight time on 7 April 2024 and enters it on 6 October.
        ("2024-04-06 10:00", "Australia/Sydney", "2024-04-05T23:00:00Z"),
        ("2024-04-08 10:00", "Australia/Sydney", "2024-04-08T00:00:00Z"),
        ("2024-10-05 10:00", "Australia/Sydney", "2024-10-05T00:00:00Z"),
        ("2024-10-07 10:00", "Australia/Sydney", "2024-10-06T23:00:00Z"),
        # Half-hour and 45-minute zones.
        ("2024-05-01 09:00", "Asia/Kolkata", "2024-05-01T03:30:00Z"),
        ("2024-05-01 09:00", "Pacific/Chatham", "2024-04-30T20:15:00Z"),
        ("2024-01-10 09:00", "Pacific/Chatham", "2024-01-09T19:15:00Z"),
        ("2024-05-01 09:00", "Asia/Kathmandu", "2024-05-01T03:15:00Z"),
    ],
)
def test_instants_across_daylight_saving_and_odd_offsets(wall, zone, utc):
    times = zone_times(local(wall, zone), None, zone, ("UTC",), LOCALE, LABELS)
    assert times[0].start_iso == utc
    assert times[1].start_text.endswith(utc[11:16])


def test_session_across_midnight_shows_end_date():
    start = local("2024-05-31 23:30", "UTC")
    end = local("2024-06-01 00:30", "UTC")
    times = zone_times(start, end, "UTC", ("Asia/Kolkata",), LOCALE, LABELS)
    assert shown(times) == [("UTC", "Fri, 31 May 2024 23:30", "1 Jun 00:30"), ("Kolkata", "1 Jun 05:00", "06:00")]


def test_across_the_date_line_and_new_year_shows_the_year():
    start = local("2024-01-01 10:00", "Pacific/Kiritimati")  # UTC+14
    times = zone_times(start, None, "Pacific/Kiritimati", ("Pacific/Pago_Pago",), LOCALE, LABELS)  # UTC-11
    assert times[0].start_text == "Mon, 1 Jan 2024 10:00"
    assert times[1].start_text == "31 Dec 2023 09:00"


def test_utc_iso_uses_z():
    assert utc_iso(datetime(2019, 5, 29, 23, 0, tzinfo=UTC)) == "2019-05-29T23:00:00Z"


@pytest.mark.parametrize("name", ["EST", "PST", "CET", "Pacific", "GMT+10", "Sydney", "US/Eastern", "Etc/GMT+10", ""])
def test_abbreviations_and_legacy_names_are_refused(name):
    assert zone_problem(name) is not None


@pytest.mark.parametrize("name", ["America/New_York", "Australia/Sydney", "UTC", "Asia/Kolkata", "Pacific/Chatham"])
def test_place_based_names_are_accepted(name):
    assert zone_problem(name) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("EST", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("Sydney", "Australia/Sydney"),
        ("europe/paris", "Europe/Paris"),
        ("GMT+10", "Australia/Brisbane"),
        ("CET", "Europe/Paris"),
        ("US/Eastern", "America/New_York"),
        ("Pacific", "America/Los_Angeles"),
    ],
)
def test_suggestions(typed, expected):
    assert expected in suggest_zones(typed)


def test_short_abbreviations_get_one_sensible_suggestion():
    assert suggest_zones("EST") == ["America/New_York"]


def test_zoneinfo_reads_the_pinned_tzdata_package_only():
    """Importing the plugin (above) empties zoneinfo's search path, so no system zone file is read."""
    assert zoneinfo.TZPATH == ()
    package = ZoneInfo.from_file(
        io.BytesIO(resources.files("tzdata").joinpath("zoneinfo/America/Vancouver").read_bytes())
    )
    moments = [datetime(year, month, 15, tzinfo=UTC) for year in range(2020, 2035) for month in (1, 7)]
    assert [m.astimezone(ZoneInfo("America/Vancouver")).utcoffset() for m in moments] == [
        m.astimezone(package).utcoffset() for m in moments
    ]
