"""Every feed, read by four independent parsers, must give zoneinfo's instant for every session.

The sessions are chosen where calendar feeds usually go wrong: southern
daylight time, the night the clocks change (both ways), half-hour and
45-minute zones, a 30-minute daylight shift, a monthly series across a change,
a session across midnight and the new year, UTC, and all-day ranges.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feed_readers
import pytest
from conftest import MINIMAL_PAGES, run_pelican, write_files

UID_DOMAIN = "wikimedia-libraries.github.io"

# slug: (zone, local start, local end or None, duration or None)
TIMED = {
    "sydney-summer": ("Australia/Sydney", "2024-01-10 18:00", "19:00", None),
    "sydney-winter": ("Australia/Sydney", "2024-07-10 18:00", "19:00", None),
    "sydney-clocks-go-back": ("Australia/Sydney", "2024-04-07 01:30", None, timedelta(hours=3)),
    "new-york-clocks-go-forward": ("America/New_York", "2024-03-10 01:30", None, timedelta(hours=1)),
    # The repeated hour happens twice; the file says which with the UTC offset.
    "new-york-repeated-hour-first": ("America/New_York", "2024-11-03 01:30 -04:00", None, timedelta(minutes=30)),
    "new-york-repeated-hour-second": ("America/New_York", "2024-11-03 01:30 -05:00", None, timedelta(minutes=30)),
    "kolkata": ("Asia/Kolkata", "2024-05-31 19:30", "21:00", None),
    "chatham-summer": ("Pacific/Chatham", "2024-03-20 20:00", "21:00", None),
    "chatham-winter": ("Pacific/Chatham", "2024-06-01 20:00", "21:00", None),
    "chatham-after-change": ("Pacific/Chatham", "2024-09-29 04:00", "05:00", None),
    "lord-howe-half-hour-shift": ("Australia/Lord_Howe", "2024-10-06 03:00", "04:00", None),
    "santiago-after-change": ("America/Santiago", "2024-09-08 12:00", "13:30", None),
    "kiritimati-new-year": ("Pacific/Kiritimati", "2024-12-31 23:00", "2025-01-01 01:00", None),
    "utc": ("UTC", "2024-06-01 12:00", "13:00", None),
    "no-end-given": ("Europe/Berlin", "2024-06-01 12:00", None, None),
}
# A monthly series whose third meeting falls after Paris leaves summer time.
MONTHLY = {
    f"paris-monthly-{day[5:7]}": ("Europe/Paris", f"{day} 18:00", "19:00", None)
    for day in ("2024-09-19", "2024-10-17", "2024-11-21")
}
ALL_DAY = {"all-day-range": ("2024-04-05", "2024-04-07")}
# Topics (tags) across the sessions above: each topic's calendar must read like calendar.ics, restricted.
TOPICS = {
    "southern-summer": ("sydney-summer", "chatham-summer", "kiritimati-new-year", "santiago-after-change"),
    "clock-changes": (
        "sydney-clocks-go-back",
        "new-york-clocks-go-forward",
        "new-york-repeated-hour-first",
        "new-york-repeated-hour-second",
        "chatham-after-change",
        "lord-howe-half-hour-shift",
        "paris-monthly-10",
    ),
    "xn--b1aectz2hxbbd": ("utc", "all-day-range"),  # the slug of the tag "Вікіпедія"
}
TOPIC_TAGS = {"southern-summer": "Southern summer", "clock-changes": "Clock changes", "xn--b1aectz2hxbbd": "Вікіпедія"}

TIMED_EVENT = """\
---
title: {slug}
{series}{tags}sessions:
  - start: {start}
    timezone: {zone}
    {end_line}
---
Body.
"""
ALL_DAY_EVENT = """\
---
title: {slug}
{tags}sessions:
  - start: {start}
    end: {end}
---
Body.
"""
NOT_YET_IN_CALENDARS = """\
---
title: Dates to come
sessions:
  - start: 2024-06-02
    time_tba: true
  - start: 2024-09
---
Body.
"""


def _end_line(end, duration) -> str:
    if duration is not None:
        return f"duration: {int(duration.total_seconds() // 60)} minutes"
    return f"end: {end}" if end else ""


def _tags_line(slug: str) -> str:
    tags = [TOPIC_TAGS[topic] for topic, slugs in TOPICS.items() if slug in slugs]
    return f"tags: {json.dumps(tags, ensure_ascii=False)}\n" if tags else ""


def feed_site_files() -> dict[str, str]:
    files = {"series/paris-monthly.md": "---\ntitle: Paris monthly\n---\n"}
    for slug, (zone, start, end, duration) in {**TIMED, **MONTHLY}.items():
        series = "series: paris-monthly\n" if slug in MONTHLY else ""
        text = TIMED_EVENT.format(
            slug=slug, series=series, tags=_tags_line(slug), start=start, zone=zone, end_line=_end_line(end, duration)
        )
        files[f"events/{slug}.md"] = text
    for slug, (start, end) in ALL_DAY.items():
        files[f"events/{slug}.md"] = ALL_DAY_EVENT.format(slug=slug, tags=_tags_line(slug), start=start, end=end)
    files["events/dates-to-come.md"] = NOT_YET_IN_CALENDARS
    return files


def _local(written: str, zone: str) -> datetime:
    """A start as written in a file: a wall time in the zone, or one with its UTC offset."""
    if written[-6] in "+-" and written[-3] == ":":
        return datetime.fromisoformat(written[:-7] + written[-6:]).astimezone(ZoneInfo(zone))
    return datetime.fromisoformat(written).replace(tzinfo=ZoneInfo(zone))


def expected_reading() -> dict[str, tuple]:
    """What zoneinfo says, worked out here without the plugin's code."""
    expected = {}
    for slug, (zone, start, end, duration) in {**TIMED, **MONTHLY}.items():
        local = _local(start, zone)
        if duration is not None:
            finish = local.astimezone(UTC) + duration
        elif end is None:
            finish = local  # RFC 5545: a date-time start without an end takes no time
        elif len(end) == 5:
            finish = datetime.fromisoformat(f"{start[:10]} {end}").replace(tzinfo=ZoneInfo(zone))
        else:
            finish = datetime.fromisoformat(end).replace(tzinfo=ZoneInfo(zone))
        expected[f"{slug}-1@{UID_DOMAIN}"] = (int(local.timestamp()), int(finish.timestamp()))
    for slug, (start, end) in ALL_DAY.items():
        expected[f"{slug}-1@{UID_DOMAIN}"] = (start, (date.fromisoformat(end) + timedelta(days=1)).isoformat())
    return expected


@pytest.fixture(scope="module")
def feed_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("feeds")
    write_files(base / "content", {**MINIMAL_PAGES, **feed_site_files()})
    return run_pelican(base / "content", base / "output", today="2024-01-01")


def _feeds(output: Path) -> list[Path]:
    return sorted(output.rglob("*.ics"))


def _readings(paths: list[Path], parser: str) -> dict[Path, feed_readers.Reading]:
    if parser == "ical.js":
        if not feed_readers.node_available():
            message = (
                "ical.js needs Node.js and `npm ci --prefix tests/js` "
                "(python3 tasks.py test runs it when Node is installed)"
            )
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        return feed_readers.read_ical_js(paths)
    return {path: feed_readers.PYTHON_READERS[parser](path) for path in paths}


PARSERS = ["icalendar", "recurring-ical-events", "vobject", "ical.js"]


@pytest.mark.parametrize("parser", PARSERS)
def test_parser_reads_every_session_as_zoneinfo_does(feed_site, parser):
    expected = expected_reading()
    readings = _readings(_feeds(feed_site.output), parser)
    site = readings[feed_site.output / "calendar.ics"]
    assert site == expected
    for path, reading in readings.items():
        assert reading.items() <= expected.items(), path
    series = readings[feed_site.output / "events/series/paris-monthly.ics"]
    assert sorted(series) == sorted(f"{slug}-1@{UID_DOMAIN}" for slug in MONTHLY)


@pytest.mark.parametrize("parser", PARSERS)
def test_parser_reads_each_topic_calendar_as_zoneinfo_does(feed_site, parser):
    expected = expected_reading()
    paths = [feed_site.output / f"events/tags/{topic}.ics" for topic in TOPICS]
    readings = _readings(paths, parser)
    for topic, slugs in TOPICS.items():
        wanted = {uid: instants for uid, instants in expected.items() if uid.rsplit("-1@", 1)[0] in slugs}
        assert readings[feed_site.output / f"events/tags/{topic}.ics"] == wanted, topic


@pytest.mark.parametrize("parser", PARSERS)
def test_parser_reads_the_groups_real_events_as_zoneinfo_does(real_site, parser):
    readings = _readings(_feeds(real_site.output), parser)
    hangout = readings[real_site.output / "events/2019-05-30-1lib1ref-hangout.ics"]
    instant = int(datetime(2019, 5, 29, 23, 0, tzinfo=UTC).timestamp())
    assert hangout == {f"2019-05-30-1lib1ref-hangout-1@{UID_DOMAIN}": (instant, instant)}
    salon = readings[real_site.output / "events/series/ai-salon.ics"]
    assert salon[f"2023-10-26-ai-salon-2-1@{UID_DOMAIN}"] == (
        int(datetime(2023, 10, 26, 16, 0, tzinfo=UTC).timestamp()),
        int(datetime(2023, 10, 26, 17, 0, tzinfo=UTC).timestamp()),
    )
    days = readings[real_site.output / "events/2024-04-05-wikidata-leveling-up-days.ics"]
    assert sorted(days.values()) == [("2024-04-05", "2024-04-08"), ("2024-04-12", "2024-04-15")]


def test_the_four_parsers_agree_on_every_real_feed(real_site):
    paths = _feeds(real_site.output)
    readings = {parser: _readings(paths, parser) for parser in PARSERS}
    for path in paths:
        first = readings["icalendar"][path]
        assert all(reading[path] == first for reading in readings.values()), path
    assert sum(len(r) for r in readings["icalendar"].values()) >= 8


@pytest.mark.parametrize("parser", ["vobject", "ical.js"])
def test_parsers_that_read_vtimezones_use_ours(feed_site, tmp_path, parser):
    """Shift one offset in a copy of a feed: a parser that really reads our VTIMEZONE moves the session."""
    original = feed_site.output / "events/kolkata.ics"
    broken = tmp_path / "kolkata.ics"
    broken.write_bytes(original.read_bytes().replace(b"TZOFFSETTO:+0530", b"TZOFFSETTO:+0630"))
    before = _readings([original], parser)[original]
    after = _readings([broken], parser)[broken]
    uid = f"kolkata-1@{UID_DOMAIN}"
    assert after[uid][0] == before[uid][0] - 3600


def test_sessions_not_yet_scheduled_stay_out_of_the_feeds(feed_site):
    assert not (feed_site.output / "events/dates-to-come.ics").exists()
    assert b"dates-to-come" not in (feed_site.output / "calendar.ics").read_bytes().replace(b"\r\n ", b"")
    page = feed_site.html("events/dates-to-come/")
    assert "calendar" in page.select_one(".calendar-links").get_text().lower()
    assert not page.select(".calendar-links a[href$='.ics']")
