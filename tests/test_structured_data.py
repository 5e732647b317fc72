"""schema.org JSON-LD on event pages and the home page (jsonld.py), checked against the page and the feeds.

Every event page's ``Event`` is held to what Google's Event rich results require (``name``,
``startDate``, ``location``) and recommend (``description``, ``endDate``, ``eventAttendanceMode``,
``eventStatus``, ``image``, ``offers``, ``organizer``, ``performer``, ``previousStartDate``), less
what the files never say. Its dates are compared with the page's ``<time datetime>`` values and,
independently, with the event's calendar feed as icalendar and dateutil read it.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import recurring_ical_events
from bs4 import BeautifulSoup
from community_events import jsonld, safety
from conftest import TEST_TODAY
from dateutil.rrule import rrulestr
from icalendar import Calendar

SITENAME = "Wikimedia and Libraries User Group"
BASE = "http://127.0.0.1:8000"  # pelicanconf.py's FEED_DOMAIN: the tests' builds have no SITEURL
LD_JSON = "application/ld+json"
SCHEMA = "https://schema.org/"
REQUIRED = ("name", "startDate", "location")
RECOMMENDED = (
    "description",
    "endDate",
    "eventAttendanceMode",
    "eventStatus",
    "image",
    "offers",
    "organizer",
    "performer",
    "previousStartDate",
)
# Recommended fields no file gives, so no event has them (see jsonld.py): no file records a price or
# tickets, and a postponed event records no new date, so there is no earlier start to name.
NEVER_KNOWN = ("offers", "previousStartDate")
HOSTILE_TITLE = "</script><script>alert(1)</script>"


# --- Reading what a page says ---------------------------------------------------------------


def json_ld(page: BeautifulSoup) -> list[dict]:
    return [json.loads(script.string) for script in page.find_all("script", type=LD_JSON)]


def event_pages(site) -> list[str]:
    """Every event page of a built site: the pages with an event article, relative to the output."""
    found = []
    for path in sorted((site.output / "events").glob("*/index.html")):
        if BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article.event"):
            found.append(f"events/{path.parent.name}/")
    return found


def moment(value: str) -> datetime | date:
    """A datetime attribute or JSON-LD date as an instant (aware) or a day."""
    if "T" in value:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return date.fromisoformat(value)


def page_moments(page: BeautifulSoup) -> set:
    """What the page marks up in <time datetime>: instants and days (months and years are left out)."""
    return {moment(t["datetime"]) for t in page.select("main time[datetime]") if len(t["datetime"]) >= 10}


def feed(site, relative: str):
    path = site.output / relative
    return Calendar.from_ical(path.read_bytes()) if path.is_file() else None


def feed_events(site, relative: str) -> list:
    calendar = feed(site, relative)
    return [] if calendar is None else list(calendar.walk("VEVENT"))


def feed_meetings(site, relative: str) -> set:
    """Every meeting the event's feed gives (cancelled ones too), as recurring-ical-events expands it: UTC
    instants, or days."""
    calendar = feed(site, relative)
    if calendar is None:
        return set()
    found = set()
    for vevent in recurring_ical_events.of(calendar).between(datetime(1970, 1, 1), datetime(2200, 1, 1)):
        start = vevent.decoded("DTSTART")
        found.add(start.astimezone(UTC) if isinstance(start, datetime) else start)
    return found


def nodes(data: dict) -> list[dict]:
    """The Event and its sessions' Events."""
    return [data, *data.get("subEvent", [])]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


# --- The checks every event page passes ---------------------------------------------------------


def check_event_page(site, relative: str) -> dict | None:
    """Check an event page's JSON-LD against its own page and its feed; return it (None if it has none)."""
    page = site.html(relative)
    found = json_ld(page)
    # Google requires startDate: an event with no known day has no Event. The page shows a day
    # as a <time datetime> of at least a full date.
    days = page_moments(page.select_one("section[aria-labelledby=when]"))
    if not days:
        assert found == [], relative
        return None
    assert len(found) == 1 and len(page.find_all("script", type=LD_JSON)) == 1, relative
    data = found[0]
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == page.select_one("h1").get_text()
    assert data["url"] == f"{BASE}/{relative}"
    check_dates(site, relative, data, page)
    check_where(data, page)
    check_recommended(site, data, page)
    return data


def check_dates(site, relative: str, data: dict, page: BeautifulSoup) -> None:
    """Each start is a day or instant the page shows, and a meeting the event's feed gives; each end too."""
    shown = page_moments(page)
    vevents = feed_events(site, relative.rstrip("/") + ".ics")
    meetings = feed_meetings(site, relative.rstrip("/") + ".ics")
    ends = [v.decoded("DTEND") for v in vevents if "DTEND" in v]
    all_day_ends = {end - timedelta(days=1) for end in ends if not isinstance(end, datetime)}
    for node in nodes(data):
        start = moment(node["startDate"])
        assert start in shown, (relative, node["startDate"], shown)
        if isinstance(start, datetime):
            assert "+" in node["startDate"][10:] or "-" in node["startDate"][10:], "written with its UTC offset"
            assert start in meetings, (relative, node["startDate"])
        if "endDate" in node:
            end = moment(node["endDate"])
            if isinstance(end, datetime):
                assert end in shown, (relative, node["endDate"])
            else:  # the page shows a range of days as words; the feed's exclusive DTEND is the day after
                assert end in all_day_ends, (relative, node["endDate"], all_day_ends)
    if "subEvent" in data:
        starts = [moment(n["startDate"]) for n in data["subEvent"]]
        assert moment(data["startDate"]) == min(starts, key=_instant)


def _instant(value):
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day, tzinfo=UTC)


def check_where(data: dict, page: BeautifulSoup) -> None:
    """Online where the page names a platform, at a place where it names one; nothing where it names neither."""
    where = " ".join(p.get_text(" ", strip=True) for p in page.select(".session-where"))
    online, in_person = "Online:" in where, "Place:" in where
    locations = as_list(data.get("location", []))
    types = {location["@type"] for location in locations}
    assert ("VirtualLocation" in types) == online and ("Place" in types) == in_person
    mode = data.get("eventAttendanceMode")
    expected = {(True, True): "Mixed", (True, False): "Online", (False, True): "Offline"}.get((online, in_person))
    assert mode == (f"{SCHEMA}{expected}EventAttendanceMode" if expected else None)
    join_links = {a["href"] for a in page.select(".session-where a.button")}
    for location in locations:
        if location["@type"] == "VirtualLocation":
            # The join link only where the page offers it; else the page itself.
            assert location["url"] in join_links | {data["url"]}
        else:
            assert f"Place: {location['name']}" in where


def check_recommended(site, data: dict, page: BeautifulSoup) -> None:
    for field in NEVER_KNOWN:
        assert field not in data
    # The summary the page leads with, else the first paragraph of its text.
    lead = page.select_one("article.event header .lead")
    about = page.select_one("section[aria-labelledby=about-event] p")
    expected = lead.get_text() if lead else " ".join(about.get_text().split()) if about else None
    assert data.get("description") == expected
    status = page.select_one("article.event header .status-cancelled, article.event header .status-postponed")
    expected = {"status-cancelled": "EventCancelled", "status-postponed": "EventPostponed"}
    word = next((expected[c] for c in (status["class"] if status else []) if c in expected), "EventScheduled")
    assert data["eventStatus"] == SCHEMA + word
    image = data["image"][0]
    assert image.startswith(f"{BASE}/") and image.endswith(".png")
    png = site.output / image.removeprefix(f"{BASE}/")
    assert png.is_file() and png.stat().st_size <= 60 * 1024
    organizers = as_list(data["organizer"])
    assert organizers[0] == {"@type": "Organization", "name": SITENAME, "url": f"{BASE}/"}
    details = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in page.select("dl.details dt")}
    assert [o["name"] for o in organizers[1:]] == ([details["Organisers"]] if "Organisers" in details else [])
    if "Speakers" in details:
        assert ", ".join(p["name"] for p in as_list(data["performer"])) == details["Speakers"]
        assert {p["@type"] for p in as_list(data["performer"])} == {"Person"}
    else:
        assert "performer" not in data
    series = page.select_one("article.event .series-ref a")
    if series:
        assert data["superEvent"] == {"@type": "EventSeries", "name": series.get_text(), "url": BASE + series["href"]}
    else:
        assert "superEvent" not in data
    missing = [field for field in REQUIRED if field not in data]
    # A page naming neither a platform nor a place gives no location: nobody wrote where it happens.
    assert missing == ([] if page.select(".session-where") else ["location"])
    assert set(RECOMMENDED) - set(data) <= {"endDate", "performer", "eventAttendanceMode", *NEVER_KNOWN}


# --- Unit tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [HOSTILE_TITLE, "<!-- a comment -->", "a & b > c < d", "</SCRIPT >", "\u2028 and \u2029", '"quoted" \\ back'],
)
def test_script_json_keeps_every_text_inside_its_string(text):
    written = str(jsonld.script_json({"name": text}))
    assert not {"<", ">", "&"} & set(written)
    assert json.loads(written) == {"name": text}
    # What an HTML parser makes of the block: one script element, whose text is the whole JSON.
    soup = BeautifulSoup(f'<script type="{LD_JSON}">{written}</script><p>after</p>', "html.parser")
    assert len(soup.find_all("script")) == 1 and json.loads(soup.script.string) == {"name": text}


# --- The group's real content ---------------------------------------------------------------


def test_every_real_event_page_has_json_ld_that_agrees_with_its_page_and_feed(real_site):
    pages = event_pages(real_site)
    assert len(pages) == len(list((Path(__file__).parent.parent / "content" / "events").glob("*.md")))
    checked = {relative: check_event_page(real_site, relative) for relative in pages}
    # The real content has events with a day and events without one (a month, a year, none).
    assert any(checked.values()) and not all(checked.values())
    hangout = checked["events/2019-05-30-1lib1ref-hangout/"]
    assert hangout["startDate"] == "2019-05-30T09:00:00+10:00"  # 23:00 UTC the day before, as the page says
    assert checked["events/2024-03-ai-salon-3/"] is None  # March 2024, details to come
    assert checked["events/undated-structured-data-on-commons/"] is None


def test_the_home_page_has_the_group_as_an_organization(real_site):
    page = real_site.html("")
    assert json_ld(page) == [
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": SITENAME,
            "url": f"{BASE}/",
            "description": "Librarians worldwide working on Wikipedia, Wikidata and Commons",
        }
    ]
    others = [p for p in real_site.output.rglob("*.html") if p.parent != real_site.output and "events" not in p.parts]
    assert others and not any(LD_JSON in p.read_text(encoding="utf-8") for p in others)


# --- Built fixtures ---------------------------------------------------------------------------------

FIXTURES = {
    "series/salon.md": "---\ntitle: Salons\n---\nA series.\n",
    "events/multi.md": """\
        ---
        title: Two sessions
        summary: One event, two sessions.
        speakers: [Ada Lovelace, Grace Hopper]
        organisers: [Alan Turing]
        language: es
        sessions:
          - label: Europe and Africa
            start: 2024-05-31 14:00
            duration: 1 hour
            timezone: Europe/Paris
            platform: Zoom
            join: https://zoom.example.org/j/1
          - label: Asia and the Pacific
            start: 2024-06-07 09:00
            duration: 90 minutes
            timezone: Australia/Sydney
            platform: Zoom
            join: https://zoom.example.org/j/2
        ---
        Body.
        """,
    "events/weekly.md": """\
        ---
        title: Weekly office hours
        sessions:
          - start: 2024-01-03 10:00
            duration: 1 hour
            timezone: America/New_York
            platform: Jitsi
            place: City Library, Room 2
            repeat:
              every: week
              until: 2024-03-27
              except:
                - 2024-01-17
              changes:
                - date: 2024-01-24
                  status: cancelled
        ---
        Every Wednesday.
        """,
    "events/monthly.md": """\
        ---
        title: Monthly salon
        sessions:
          - start: 2024-01-18 14:00
            duration: 1 hour
            timezone: Europe/Berlin
            platform: Meet
            repeat:
              every: month
              day: third Thursday
              times: 6
        ---
        Third Thursdays.
        """,
    "events/bimonthly.md": """\
        ---
        title: Every other month on the 10th
        sessions:
          - start: 2024-01-10 12:00
            duration: 45 minutes
            timezone: Asia/Kolkata
            platform: Meet
            repeat:
              every: 2 months
              times: 4
        ---
        On the 10th.
        """,
    "events/last-friday.md": """\
        ---
        title: Last Fridays
        sessions:
          - start: 2024-01-26 09:00
            duration: 1 hour
            timezone: UTC
            platform: Meet
            repeat:
              every: month
              day: last Friday
              times: 3
        ---
        Last Fridays.
        """,
    "events/episode.md": """\
        ---
        title: Salon, episode two
        series: salon
        episode: 2
        sessions:
          - start: 2024-02-22 17:00
            duration: 1 hour
            timezone: UTC
            platform: Meet
        ---
        The second.
        """,
    "events/cancelled.md": """\
        ---
        title: Called off
        status: cancelled
        sessions:
          - start: 2024-03-01 15:00
            duration: 1 hour
            timezone: UTC
            place: Town hall
        ---
        Called off.
        """,
    "events/postponed.md": """\
        ---
        title: Put off
        status: postponed
        sessions:
          - start: 2024-02-10 16:00
            duration: 1 hour
            timezone: Europe/London
            platform: Zoom
        ---
        Put off.
        """,
    "events/past-online.md": """\
        ---
        title: Over and online
        status: held
        notes: https://notes.example.org/
        sessions:
          - start: 2023-11-02 18:00
            duration: 1 hour
            timezone: America/Chicago
            platform: Zoom
            join: https://zoom.example.org/j/old
        ---
        Done.
        """,
    "events/in-person.md": """\
        ---
        title: At the library
        country: NG
        sessions:
          - start: 2024-03-09 10:00
            duration: 3 hours
            timezone: Africa/Lagos
            place: National Library, Abuja
        ---
        In person.
        """,
    "events/mixed.md": """\
        ---
        title: Both ways
        sessions:
          - start: 2024-03-12 12:00
            duration: 2 hours
            timezone: UTC
            platform: Zoom
            place: Community hall
        ---
        Both.
        """,
    "events/all-day.md": """\
        ---
        title: Three whole days
        sessions:
          - start: 2024-04-05
            end: 2024-04-07
            place: Everywhere at once
        ---
        Days.
        """,
    "events/day-known.md": """\
        ---
        title: Day known, time not
        sessions:
          - start: 2024-06-01
            time_tba: true
            platform: Zoom
        ---
        Soon.
        """,
    "events/undated.md": "---\ntitle: Nobody knows when\nsessions:\n  - start: unknown\n---\nSometime.\n",
    "events/month.md": "---\ntitle: Some day in March\nsessions:\n  - start: 2024-03\n---\nMarch.\n",
}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    from conftest import MINIMAL_PAGES, run_pelican, write_files

    base = tmp_path_factory.mktemp("structured")
    write_files(base / "content", {**MINIMAL_PAGES, **FIXTURES})
    return run_pelican(base / "content", base / "output", today=TEST_TODAY)


@pytest.fixture(scope="module")
def fixture_data(fixture_site) -> dict[str, dict | None]:
    """Each fixture event page's Event, or None if it has none."""
    found = {}
    for relative in event_pages(fixture_site):
        (data,) = json_ld(fixture_site.html(relative)) or [None]
        found[relative] = data
    return found


def test_every_fixture_page_passes_the_checks(fixture_site, fixture_data):
    assert sorted(fixture_data) == sorted(f"events/{name[7:-3]}/" for name in FIXTURES if name.startswith("events/"))
    for relative, data in fixture_data.items():
        assert check_event_page(fixture_site, relative) == data


def test_several_sessions_give_the_span_and_each_session_as_a_sub_event(fixture_data):
    data = fixture_data["events/multi/"]
    assert data["startDate"] == "2024-05-31T14:00:00+02:00"
    assert data["endDate"] == "2024-06-07T10:30:00+10:00"
    assert [(s["name"], s["url"].rsplit("#", 1)[1]) for s in data["subEvent"]] == [
        ("Two sessions: Europe and Africa", "session-1"),
        ("Two sessions: Asia and the Pacific", "session-2"),
    ]
    # Upcoming: the page offers each join link, and so does each session's VirtualLocation.
    assert [s["location"]["url"] for s in data["subEvent"]] == [
        "https://zoom.example.org/j/1",
        "https://zoom.example.org/j/2",
    ]
    assert data["inLanguage"] == "es"
    assert data["performer"] == [
        {"@type": "Person", "name": "Ada Lovelace"},
        {"@type": "Person", "name": "Grace Hopper"},
    ]
    assert data["organizer"][1] == {"@type": "Person", "name": "Alan Turing"}


def _last_rule_day(vevent, rule) -> date:
    """The rule's last date, exceptions included, as dateutil expands the feed's RRULE (UNTIL is in UTC)."""
    start = vevent.decoded("DTSTART")
    return list(rrulestr(rule.to_ical().decode(), dtstart=start))[-1].astimezone(start.tzinfo).date()


def _feed_rule(site, relative: str):
    (vevent,) = [v for v in feed_events(site, relative.rstrip("/") + ".ics") if "RRULE" in v]
    return vevent, vevent["RRULE"]


def test_a_weekly_session_gives_its_next_meeting_and_its_schedule_as_the_feed_has_it(fixture_site, fixture_data):
    data = fixture_data["events/weekly/"]
    # 17 January is excepted and 24 January cancelled: the next meeting the page lists is the 31st.
    assert (data["startDate"], data["endDate"]) == ("2024-01-31T10:00:00-05:00", "2024-01-31T11:00:00-05:00")
    assert data["eventAttendanceMode"] == SCHEMA + "MixedEventAttendanceMode"
    vevent, rule = _feed_rule(fixture_site, "events/weekly/")
    schedule = data["eventSchedule"]
    start = vevent.decoded("DTSTART")
    assert schedule["repeatFrequency"] == f"P{rule.get('INTERVAL', [1])[0]}W" and rule["FREQ"] == ["WEEKLY"]
    assert schedule["byDay"] == SCHEMA + start.strftime("%A") and rule["BYDAY"] == [start.strftime("%a")[:2].upper()]
    assert schedule["startDate"] == start.date().isoformat()
    assert schedule["startTime"] == start.time().isoformat() and schedule["scheduleTimezone"] == str(
        vevent["DTSTART"].params["TZID"]
    )
    assert schedule["endTime"] == vevent.decoded("DTEND").time().isoformat()
    assert schedule["endDate"] == _last_rule_day(vevent, rule).isoformat()
    excepted = {d.dt.date() for exdate in as_list(vevent.get("EXDATE", [])) for d in exdate.dts}
    cancelled = {
        v.decoded("RECURRENCE-ID").date()
        for v in feed_events(fixture_site, "events/weekly.ics")
        if "RECURRENCE-ID" in v and str(v.get("STATUS")) == "CANCELLED"
    }
    assert schedule["exceptDate"] == sorted(d.isoformat() for d in excepted | cancelled) == ["2024-01-17", "2024-01-24"]


def test_a_monthly_weekday_session_gives_its_week_of_the_month(fixture_site, fixture_data):
    schedule = fixture_data["events/monthly/"]["eventSchedule"]
    vevent, rule = _feed_rule(fixture_site, "events/monthly/")
    assert rule["BYDAY"] == ["3TH"] and rule["COUNT"] == [6]
    assert (schedule["byDay"], schedule["byMonthWeek"], schedule["repeatCount"]) == (SCHEMA + "Thursday", 3, 6)
    assert schedule["repeatFrequency"] == "P1M" and "exceptDate" not in schedule
    assert schedule["endDate"] == _last_rule_day(vevent, rule).isoformat() == "2024-06-20"


def test_a_monthly_session_on_a_date_gives_its_day_of_the_month_and_interval(fixture_site, fixture_data):
    schedule = fixture_data["events/bimonthly/"]["eventSchedule"]
    vevent, rule = _feed_rule(fixture_site, "events/bimonthly/")
    assert rule["FREQ"] == ["MONTHLY"] and rule["INTERVAL"] == [2] and rule["BYMONTHDAY"] == [10]
    assert (schedule["repeatFrequency"], schedule["byMonthDay"], schedule["repeatCount"]) == ("P2M", 10, 4)
    assert "byDay" not in schedule and "byMonthWeek" not in schedule
    assert (schedule["startTime"], schedule["endTime"], schedule["scheduleTimezone"]) == (
        "12:00:00",
        "12:45:00",
        "Asia/Kolkata",
    )
    assert schedule["endDate"] == _last_rule_day(vevent, rule).isoformat() == "2024-07-10"


def test_the_last_weekday_of_a_month_has_no_schedule_schema_org_can_say(fixture_site, fixture_data):
    # schema.org's byMonthWeek is 1 to 5: "last Friday" (BYDAY=-1FR) would be misread as every Friday.
    _, rule = _feed_rule(fixture_site, "events/last-friday/")
    assert rule["BYDAY"] == ["-1FR"]
    data = fixture_data["events/last-friday/"]
    assert "eventSchedule" not in data and data["startDate"] == "2024-01-26T09:00:00+00:00"


def test_a_series_episode_names_its_series(fixture_data):
    data = fixture_data["events/episode/"]
    assert data["superEvent"] == {"@type": "EventSeries", "name": "Salons", "url": f"{BASE}/events/series/salon/"}


def test_statuses(fixture_data):
    assert fixture_data["events/cancelled/"]["eventStatus"] == SCHEMA + "EventCancelled"
    assert fixture_data["events/postponed/"]["eventStatus"] == SCHEMA + "EventPostponed"
    # Google: keep the original date of a cancelled or postponed event in startDate.
    assert fixture_data["events/cancelled/"]["startDate"] == "2024-03-01T15:00:00+00:00"
    assert fixture_data["events/postponed/"]["startDate"] == "2024-02-10T16:00:00+00:00"
    for relative in ("events/multi/", "events/past-online/", "events/all-day/"):
        assert fixture_data[relative]["eventStatus"] == SCHEMA + "EventScheduled"


def test_online_in_person_and_mixed(fixture_data):
    past = fixture_data["events/past-online/"]
    # Over: the page no longer offers the join link, so neither does the data.
    assert past["location"] == {"@type": "VirtualLocation", "url": f"{BASE}/events/past-online/", "name": "Zoom"}
    assert past["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    in_person = fixture_data["events/in-person/"]
    assert in_person["location"] == {
        "@type": "Place",
        "name": "National Library, Abuja",
        "address": {"@type": "PostalAddress", "addressCountry": "NG"},
    }
    assert in_person["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    mixed = fixture_data["events/mixed/"]
    assert [location["@type"] for location in mixed["location"]] == ["VirtualLocation", "Place"]
    assert mixed["location"][1]["address"] == "Community hall"  # no country given: the place as written
    assert mixed["eventAttendanceMode"] == SCHEMA + "MixedEventAttendanceMode"


def test_all_day_and_day_only_sessions_are_plain_dates(fixture_data):
    days = fixture_data["events/all-day/"]
    assert (days["startDate"], days["endDate"]) == ("2024-04-05", "2024-04-07")  # the last day, as the page says
    known = fixture_data["events/day-known/"]
    assert known["startDate"] == "2024-06-01" and "endDate" not in known


def test_an_event_without_a_known_day_has_no_event_data(fixture_site, fixture_data):
    # Google requires startDate; a month ("2024-03") is not a date, and "unknown" is nothing.
    assert fixture_data["events/undated/"] is None and fixture_data["events/month/"] is None
    for relative in ("events/undated/", "events/month/"):
        assert not fixture_site.html(relative).find_all("script", type=LD_JSON)


def test_a_hostile_title_stays_inside_the_json_string(build_site, monkeypatch):
    # The model refuses a title with a script tag (safety.check_fields); with that check gone, the
    # JSON-LD must still keep the title inside its string and the page must gain no script.
    monkeypatch.setattr(safety, "check_fields", lambda path, fields: None)
    hostile = f'{HOSTILE_TITLE} & "quotes" <!--'
    event = f"---\ntitle: '{hostile}'\nsessions:\n  - start: 2024-05-31 10:00\n    timezone: UTC\n---\nBody.\n"
    site = build_site({"events/hostile.md": event})
    html = (site.output / "events/hostile/index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    scripts = page.find_all("script")
    assert [s.get("type") for s in scripts if not s.get("src")] == [LD_JSON]
    (data,) = json_ld(page)
    assert data["name"] == hostile
    assert "alert(1)" not in "".join(s.get_text() for s in scripts if s.get("type") != LD_JSON)
    assert page.find("meta", property="og:title")["content"].startswith(hostile)
    assert page.select_one("h1").get_text() == hostile
