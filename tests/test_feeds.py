"""The feeds' bytes and properties, their links on the pages, and how they follow changes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import vobject
from community_events.history import sequence_numbers
from conftest import MINIMAL_PAGES, ROOT, TEST_TODAY, run_pelican, write_files
from icalendar import Calendar

MAX_LINE_OCTETS = 75


def lint(data: bytes) -> list[str]:
    """What RFC 5545 asks of a file's bytes, and what our feeds promise on top."""
    problems = []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(f"not UTF-8: {error}")
    if not data.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    lines = data.split(b"\r\n")[:-1]
    for number, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: a line break that is not CRLF")
        if len(line) > MAX_LINE_OCTETS:
            problems.append(f"line {number}: {len(line)} octets")
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8", "replace").split("\r\n")
    if unfolded[:1] != ["BEGIN:VCALENDAR"] or unfolded[-2:] != ["END:VCALENDAR", ""]:
        problems.append("is not one VCALENDAR")
    uids = [line[4:] for line in unfolded if line.startswith("UID:")]
    if len(uids) != len(set(uids)):
        problems.append("UIDs repeat")
    for line in unfolded:
        if line.startswith("DTSTAMP") and not line.endswith("Z"):
            problems.append(f"DTSTAMP not in UTC: {line}")
        if line.startswith(("METHOD", "RDATE")):
            problems.append(f"unwanted property: {line}")
    used = set(re.findall(r";TZID=([^:;]+)", "\n".join(unfolded)))
    defined = [line[5:] for line in unfolded if line.startswith("TZID:")]
    if sorted(used) != defined:
        problems.append(f"zones used {sorted(used)} but defined {defined} (each once, sorted)")
    return problems


def test_lint_catches_what_it_checks():
    good = b"BEGIN:VCALENDAR\r\nUID:a\r\nDTSTAMP:20240101T000000Z\r\nEND:VCALENDAR\r\n"
    assert lint(good) == []
    assert lint(good.replace(b"\r\n", b"\n"))
    assert lint(good.replace(b"UID:a", b"UID:" + b"a" * 80))
    assert lint(good.replace(b"UID:a", b"UID:a\r\nUID:a"))
    assert lint(good.replace(b"000Z", b"000"))
    assert lint(good.replace(b"UID:a", b"DTSTART;TZID=Europe/Paris:20240101T100000"))
    assert lint(good.replace(b"UID:a", "SUMMARY:caf\u00e9".encode("latin-1")))


def test_every_feed_of_the_real_site_passes_the_lint(real_site):
    feeds = sorted(real_site.output.rglob("*.ics"))
    assert len(feeds) == 10  # calendar.ics, five events with a known time, one series, three topics
    for feed in feeds:
        assert lint(feed.read_bytes()) == [], feed


def test_the_three_kinds_of_feed_exist(real_site):
    for relative in ("calendar.ics", "events/2019-05-30-1lib1ref-hangout.ics", "events/series/ai-salon.ics"):
        assert (real_site.output / relative).read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


# --- Properties, on a small site --------------------------------------------------------------

EVENTS = {
    "events/2024-06-01-online.md": """\
        ---
        title: "Wikidata, libraries; and you"
        status: tentative
        tags: [wikidata, training]
        registration: https://example.org/register
        sessions:
          - start: 2024-06-01 14:00
            timezone: Europe/Paris
            duration: 90 minutes
            platform: Zoom
            join: https://zoom.example.org/j/123
          - start: 2024-06-08 12:00
            timezone: UTC
            end: "13:00"
            place: Library of Alexandria, reading room 2
        ---
        [\\#1lib1ref](https://example.org/1lib1ref) is *great* & fun.

        A second paragraph.
        """,
    "events/2024-07-01-cancelled.md": """\
        ---
        title: Cancelled meetup
        status: cancelled
        sessions:
          - start: 2024-07-01 10:00
            timezone: America/New_York
            end: "11:00"
        ---
        """,
    "events/2024-08-01-postponed.md": """\
        ---
        title: Postponed meetup
        status: postponed
        sessions:
          - start: 2024-08-01
        ---
        """,
    "events/2022-01-10-long-ago.md": """\
        ---
        title: Long ago
        sessions:
          - start: 2022-01-10 10:00
            timezone: Asia/Kolkata
        ---
        """,
}


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("small-feeds")
    write_files(base / "content", {**MINIMAL_PAGES, **EVENTS})
    settings = {
        "today": "2024-01-15",
        "calendar_past_days": 365,
        "calendar_name": "Talks, meetups; more",
        "calendar_description": "Line one\nline two",
    }
    return run_pelican(base / "content", base / "output", COMMUNITY_EVENTS=settings)


def _events(site, relative="calendar.ics") -> dict[str, object]:
    calendar = Calendar.from_ical((site.output / relative).read_bytes())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_calendar_header(small_site):
    data = (small_site.output / "calendar.ics").read_bytes()
    unfolded = data.replace(b"\r\n ", b"").decode().split("\r\n")
    assert "NAME:Talks\\, meetups\\; more" in unfolded
    assert "X-WR-CALNAME:Talks\\, meetups\\; more" in unfolded
    assert "X-WR-CALDESC:Line one\\nline two" in unfolded
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in unfolded and "X-PUBLISHED-TTL:PT12H" in unfolded
    assert "VERSION:2.0" in unfolded and "PRODID:-//Wikimedia and Libraries User Group//Events calendar//EN" in unfolded
    # vobject reads these as TEXT and undoes the escaping (icalendar and ical.js hand back the raw value).
    calendar = vobject.readOne(data.decode())
    for name in ("name", "x-wr-calname"):
        assert calendar.contents[name][0].value == "Talks, meetups; more"
    assert calendar.contents["x-wr-caldesc"][0].value == "Line one\nline two"
    assert lint(data) == []


def test_one_vevent_per_session_sharing_categories(small_site):
    events = _events(small_site, "events/2024-06-01-online.ics")
    assert sorted(events) == [f"2024-06-01-online-{n}@wikimedia-libraries.github.io" for n in (1, 2)]
    for event in events.values():
        assert event.categories == ["wikidata", "training"]
        assert str(event["STATUS"]) == "TENTATIVE"


def test_plain_text_summary_and_description_with_links(small_site):
    online, in_person = sorted(_events(small_site, "events/2024-06-01-online.ics").items())
    first = online[1]
    assert str(first["SUMMARY"]) == "Wikidata, libraries; and you (session 1 of 2)"
    description = str(first["DESCRIPTION"])
    assert description.startswith("#1lib1ref is great & fun.\n")
    assert "\\" not in description and "<" not in description and "A second paragraph" not in description
    assert "Join: https://zoom.example.org/j/123" in description
    assert "Sign up: https://example.org/register" in description
    assert "http://127.0.0.1:8000/events/2024-06-01-online/" in description
    assert str(first["LOCATION"]) == "https://zoom.example.org/j/123"
    assert str(first["CONFERENCE"]) == "https://zoom.example.org/j/123" and first["CONFERENCE"].params["VALUE"] == "URI"
    assert str(first["URL"]) == "http://127.0.0.1:8000/events/2024-06-01-online/"
    second = in_person[1]
    assert str(second["LOCATION"]) == "Library of Alexandria, reading room 2" and "CONFERENCE" not in second


def test_utc_times_are_written_with_z_and_no_vtimezone(small_site):
    data = (small_site.output / "events/2024-06-01-online.ics").read_bytes()
    assert b"DTSTART:20240608T120000Z\r\n" in data and b"DTEND:20240608T130000Z\r\n" in data
    assert b"TZID=UTC" not in data and b"TZID:UTC" not in data
    assert (
        b"DTSTART;TZID=Europe/Paris:20240601T140000\r\n" in data
        and b"DTEND;TZID=Europe/Paris:20240601T153000\r\n" in data
    )


def test_cancelled_and_postponed_stay_with_status_and_prefix(small_site):
    events = _events(small_site)
    cancelled = events["2024-07-01-cancelled-1@wikimedia-libraries.github.io"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and str(cancelled["SUMMARY"]) == "Cancelled: Cancelled meetup"
    postponed = events["2024-08-01-postponed-1@wikimedia-libraries.github.io"]
    assert str(postponed["STATUS"]) == "CANCELLED" and str(postponed["SUMMARY"]).startswith("Postponed: ")
    assert postponed.decoded("DTEND") == postponed.decoded("DTSTART").replace(day=2)  # exclusive end of a one-day entry


def test_old_events_leave_calendar_ics_but_keep_their_own_feed(small_site):
    assert not any("long-ago" in uid for uid in _events(small_site))
    assert list(_events(small_site, "events/2022-01-10-long-ago.ics")) == [
        "2022-01-10-long-ago-1@wikimedia-libraries.github.io"
    ]


def test_subscribe_links_on_index_event_and_series_pages(real_site):
    pages = {
        "events/": "calendar.ics",
        "events/2024-04-05-wikidata-leveling-up-days/": "events/2024-04-05-wikidata-leveling-up-days.ics",
        "events/series/ai-salon/": "events/series/ai-salon.ics",
    }
    for page, feed in pages.items():
        links = [a["href"] for a in real_site.html(page).select(".calendar-links a")]
        assert f"/{feed}" in links, page
        assert f"webcal://127.0.0.1:8000/{feed}" in links, page
        assert any(
            href.startswith("https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F") for href in links
        ), page
        assert any(href.startswith("https://outlook.live.com/calendar/0/addfromweb?url=http") for href in links), page
    add_one = real_site.html("events/2024-04-05-wikidata-leveling-up-days/").select_one(".session-add a")["href"]
    assert "action=TEMPLATE" in add_one and "dates=20240405%2F20240408" in add_one and "ctz" not in add_one
    # A past event keeps its own file, and offers nothing to subscribe to.
    past = [a["href"] for a in real_site.html("events/2023-10-26-ai-salon-2/").select(".calendar-links a")]
    assert past == ["/events/2023-10-26-ai-salon-2.ics"]


def test_published_links_are_absolute(tmp_path):
    site = run_pelican(
        ROOT / "content",
        tmp_path / "output",
        SITEURL="https://example.org/site",
        FEED_DOMAIN="https://example.org/site",
    )
    page = site.html("events/series/ai-salon/")
    hrefs = [a["href"] for a in page.select(".calendar-links a")]
    assert "https://example.org/site/events/series/ai-salon.ics" in hrefs
    assert "webcal://example.org/site/events/series/ai-salon.ics" in hrefs
    assert all(not href.startswith("/") for href in hrefs)
    data = (site.output / "events/series/ai-salon.ics").read_bytes().replace(b"\r\n ", b"")
    assert b"URL:https://example.org/site/events/2023-09-28-ai-salon-1/" in data


def test_event_without_a_known_time_says_why_it_has_no_feed(real_site):
    page = real_site.html("events/2020-05-26-1lib1ref-office-hours/")
    assert "not in the calendar feeds" in page.select_one(".calendar-links").get_text()
    assert not (real_site.output / "events/2020-05-26-1lib1ref-office-hours.ics").exists()


# --- Reproducible bytes -------------------------------------------------------------------------

BUILD_SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from conftest import run_pelican
run_pelican(Path({content!r}), Path(sys.argv[1]), today={today!r})
"""


def _build_with_hash_seed(seed: str, output: Path) -> dict[str, bytes]:
    script = BUILD_SCRIPT.format(tests=str(ROOT / "tests"), content=str(ROOT / "content"), today=TEST_TODAY)
    subprocess.run(
        [sys.executable, "-c", script, str(output)],
        env={**os.environ, "PYTHONHASHSEED": seed},
        check=True,
        capture_output=True,
    )
    return {str(p.relative_to(output)): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


def test_same_content_gives_identical_bytes_across_hash_seeds(tmp_path):
    first = _build_with_hash_seed("1", tmp_path / "one")
    second = _build_with_hash_seed("4242", tmp_path / "two")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert any(name.endswith(".ics") for name in first)


# --- SEQUENCE, LAST-MODIFIED and UIDs from git ----------------------------------------------------


def test_sequence_counts_changes_per_session():
    assert sequence_numbers([{1: "a", 2: "x"}, {1: "a", 2: "x"}]) == {}
    assert sequence_numbers([{1: "a"}, {1: "b"}, None, {1: "b", 2: "y"}, {1: "a", 2: "y"}]) == {1: 2}


GIT_EVENT = """\
---
title: Meetup
status: {status}
sessions:
  - start: 2024-05-01 {time}
    timezone: Europe/Paris
  - start: 2024-05-08 10:00
    timezone: Europe/Paris
---
{body}
"""


def _git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when or "", "GIT_COMMITTER_DATE": when or ""}
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )


def _commit(repo: Path, when: str, **fields) -> None:
    values = {"status": "scheduled", "time": "10:00", "body": "Agenda.", **fields}
    write_files(repo / "content", {"events/meetup.md": GIT_EVENT.format(**values)})
    _git(repo, "add", "-A")
    _git(repo, "commit", "-m", "edit", when=when)


def _sequences(repo: Path) -> dict[str, tuple[int, str]]:
    site = run_pelican(repo / "content", repo.parent / "output", today="2024-01-01")
    events = Calendar.from_ical((site.output / "events/meetup.ics").read_bytes()).walk("VEVENT")
    return {str(e["UID"]): (int(e["SEQUENCE"]), e["LAST-MODIFIED"].to_ical().decode()) for e in events}


def test_sequence_grows_with_time_place_or_status_changes_and_uids_stay(tmp_path):
    repo = tmp_path / "repo"
    write_files(repo / "content", MINIMAL_PAGES)
    _git(repo, "init", "-q")
    _commit(repo, "2024-01-02T10:00:00+00:00")
    first, second = "meetup-1@wikimedia-libraries.github.io", "meetup-2@wikimedia-libraries.github.io"
    assert _sequences(repo) == {first: (0, "20240102T100000Z"), second: (0, "20240102T100000Z")}

    _commit(repo, "2024-01-03T10:00:00+00:00", time="11:00")
    assert _sequences(repo) == {first: (1, "20240103T100000Z"), second: (0, "20240103T100000Z")}

    _commit(repo, "2024-01-04T10:00:00+00:00", time="11:00", body="A better agenda.")
    assert _sequences(repo) == {first: (1, "20240104T100000Z"), second: (0, "20240104T100000Z")}

    _commit(repo, "2024-01-05T10:00:00+00:00", time="11:00", status="cancelled")
    assert _sequences(repo) == {first: (2, "20240105T100000Z"), second: (1, "20240105T100000Z")}

    # An edit not yet committed (a local preview) already counts.
    write_files(
        repo / "content", {"events/meetup.md": GIT_EVENT.format(status="cancelled", time="12:00", body="Agenda.")}
    )
    sequences = _sequences(repo)
    assert sequences[first][0] == 3 and sequences[second][0] == 1


def test_two_events_with_one_calendar_id_are_refused(build_site):
    from community_events.errors import ContentErrors

    files = {
        "events/first.md": "---\ntitle: First\nsessions:\n  - start: 2024-05-01\n---\n",
        "events/second.md": "---\ntitle: Second\nid: first\nsessions:\n  - start: 2024-05-02\n---\n",
    }
    with pytest.raises(ContentErrors) as raised:
        build_site(files)
    assert (
        'content/events/second.md:3: id "first" is already the calendar id of content/events/first.md; '
        "give this event a different id" in str(raised.value)
    )


def test_an_event_id_must_be_usable_in_a_uid(build_site):
    from community_events.errors import ContentErrors

    with pytest.raises(ContentErrors) as raised:
        build_site({"events/x.md": "---\ntitle: X\nid: Not An Id\nsessions:\n  - start: 2024-05-02\n---\n"})
    assert (
        'content/events/x.md:3: id "Not An Id" has characters that calendar ids cannot use; use lower-case letters'
        in str(raised.value)
    )


def test_a_feed_that_fails_to_build_names_its_file_not_a_traceback(build_site, monkeypatch):
    from community_events import feeds
    from community_events.errors import ContentErrors

    def broken(*args, **kwargs):
        raise ValueError("an unforeseen value")

    monkeypatch.setattr(feeds, "event_entries", broken)
    with pytest.raises(ContentErrors) as raised:
        build_site({"events/2024-05-31-talk.md": "---\ntitle: Talk\nsessions:\n  - start: 2024-05-31\n---\n"})
    assert [str(e) for e in raised.value.errors] == [
        "content/events/2024-05-31-talk.md: could not be built (ValueError: an unforeseen value); please report this"
    ]


def test_the_events_generator_gives_each_page_its_feed_and_the_calendar_generator_writes_it_there(
    build_site, monkeypatch
):
    from community_events.calendars import CalendarGenerator

    files = {
        "series/salons.md": "---\ntitle: Salons\n---\n",
        "events/2024-05-31-talk.md": "---\ntitle: Talk\nseries: salons\nsessions:\n  - start: 2024-05-31\n---\n",
        "events/2024-06-tba.md": "---\ntitle: Later\nsessions:\n  - start: 2024-06\n---\n",
    }
    moved = {
        "EVENT_CALENDAR_URL": "feeds/event-{slug}.ics",
        "SERIES_CALENDAR_URL": "feeds/series-{slug}.ics",
        "CALENDAR_URL": "feeds/all.ics",
    }
    site = build_site(files, **moved)
    for page, feed in (
        ("events/2024-05-31-talk/", "feeds/event-2024-05-31-talk.ics"),
        ("events/series/salons/", "feeds/series-salons.ics"),
        ("events/", "feeds/all.ics"),
    ):
        hrefs = [a["href"] for a in site.html(page).select(".calendar-links a")]
        assert f"/{feed}" in hrefs and f"webcal://127.0.0.1:8000/{feed}" in hrefs, page
        assert (site.output / feed).read_bytes().startswith(b"BEGIN:VCALENDAR\r\n"), feed
    assert "not in the calendar feeds" in site.html("events/2024-06-tba/").select_one(".calendar-links").get_text()
    assert not list((site.output / "feeds").glob("event-2024-06-tba*"))
    # The pages and their links are the events generator's: without the calendar generator they are the same.
    pages = ("events/2024-05-31-talk/", "events/series/salons/", "events/", "events/2024-06-tba/")
    with_feeds = {page: str(site.html(page).select_one(".calendar-links")) for page in pages}
    monkeypatch.setattr(CalendarGenerator, "generate_context", lambda self: None)
    monkeypatch.setattr(CalendarGenerator, "generate_output", lambda self, writer: None)
    again = build_site(files, **moved)
    assert not (again.output / "feeds").exists()
    for page in pages:
        assert str(again.html(page).select_one(".calendar-links")) == with_feeds[page], page
