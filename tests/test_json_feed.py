"""events.json: a JSON Feed 1.1 with an _event object per item, checked against docs/events-feed.schema.json,
against the calendar feeds as icalendar reads them, and against zoneinfo."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import MINIMAL_PAGES, ROOT, run_pelican, write_files
from icalendar import Calendar
from jsonschema import Draft202012Validator
from test_topic_feeds import SITE, UID_DOMAIN

SCHEMA = json.loads((ROOT / "docs/events-feed.schema.json").read_text(encoding="utf-8"))
BASE = "http://127.0.0.1:8000"

JSON_SITE = {
    **SITE,
    "events/2024-07-01-in-spanish.md": """\
        ---
        title: Taller en español
        language: [es, pt-BR]
        country: MX
        hosts: [Ana]
        registration: https://example.org/register
        sessions:
          - label: Opening
            start: 2024-07-01 10:00
            timezone: America/Mexico_City
            place: Biblioteca Vasconcelos
            join: https://meet.example.org/x
          - start: 2024-07-02
            time_tba: true
          - start: 2025
        ---
        """,
}


def validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(SCHEMA)
    return Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(feed: dict) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator().iter_errors(feed)]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("json-feed")
    write_files(base / "content", {**MINIMAL_PAGES, **JSON_SITE})
    return run_pelican(base / "content", base / "output")


def _feed(output: Path) -> dict:
    return json.loads((output / "events.json").read_bytes())


def _items(output: Path) -> dict[str, dict]:
    return {item["url"].rstrip("/").rsplit("/", 1)[-1]: item for item in _feed(output)["items"]}


def _calendar_starts(output: Path) -> dict[str, object]:
    """UID -> DTSTART of every entry in every event's own feed, as icalendar reads them (masters only)."""
    starts = {}
    for path in sorted((output / "events").glob("*.ics")):
        for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            if "RECURRENCE-ID" not in event:
                starts[str(event["UID"])] = event["DTSTART"].dt
    return starts


def _instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def test_the_json_feed_of_a_small_site_is_valid(site):
    assert problems(_feed(site.output)) == []


def test_the_json_feed_of_the_real_site_is_valid(real_site):
    feed = _feed(real_site.output)
    assert problems(feed) == []
    assert len(feed["items"]) == len(list((ROOT / "content/events").glob("*.md")))


@pytest.mark.parametrize(
    "break_it",
    [
        lambda f: f.pop("version"),
        lambda f: f["items"][0].update(id="not an id"),
        lambda f: f["items"][0]["_event"]["sessions"][0].update(start="2024-02-01T09:00:00+11:00"),
        lambda f: f["items"][0]["_event"].update(status="maybe"),
        lambda f: f["items"][0]["_event"].update(surprise=True),
        lambda f: f["items"][0].update(date_modified="15 January 2024"),
        lambda f: f["items"][0]["_event"]["sessions"][0].update(kind="month"),
    ],
    ids=["no version", "bad id", "offset not Z", "unknown status", "unknown field", "bad date", "kind and start"],
)
def test_the_schema_refuses_a_broken_feed(site, break_it):
    feed = _feed(site.output)
    broken = copy.deepcopy(feed)
    timed = next(i for i, item in enumerate(broken["items"]) if item["_event"]["sessions"][0]["kind"] == "timed")
    broken["items"].insert(0, broken["items"].pop(timed))
    break_it(broken)
    assert problems(broken) != []


def test_json_feed_fields_and_the_atom_feeds_order(site):
    feed = _feed(site.output)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{BASE}/events.json" and feed["home_page_url"] == f"{BASE}/events/"
    atom = (site.output / "events.atom").read_text(encoding="utf-8")
    positions = [atom.index(f'href="{item["url"]}"') for item in feed["items"]]
    assert positions == sorted(positions)
    assert len(feed["items"]) == len([name for name in JSON_SITE if name.startswith("events/")])


def test_item_ids_and_session_uids_are_the_calendar_uids(site):
    items = _items(site.output)
    calendar = _calendar_starts(site.output)
    uids = set()
    for slug, item in items.items():
        assert item["id"] == f"{slug}@{UID_DOMAIN}"
        for session in item["_event"]["sessions"]:
            if "uid" in session:
                assert session["uid"] == item["id"].replace("@", f"-{session['number']}@")
                uids.add(session["uid"])
    assert uids == set(calendar)


def test_timed_sessions_are_utc_instants_equal_to_zoneinfo_and_the_calendars(site):
    items = _items(site.output)
    calendar = _calendar_starts(site.output)
    workshop = items["2024-02-01-wikidata-workshop"]["_event"]["sessions"][0]
    start = datetime(2024, 2, 1, 9, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    assert _instant(workshop["start"]) == start
    assert _instant(workshop["end"]) == start + timedelta(hours=2)
    assert workshop["timezone"] == "Australia/Sydney" and workshop["platform"] == "Zoom"
    for item in items.values():
        for session in item["_event"]["sessions"]:
            if session["kind"] == "timed":
                assert _instant(session["start"]) == calendar[session["uid"]], session["uid"]


def test_other_kinds_of_session_and_the_events_facts(site):
    event = _items(site.output)["2024-07-01-in-spanish"]["_event"]
    opening, tba, year = event["sessions"]
    assert opening["label"] == "Opening" and opening["place"] == "Biblioteca Vasconcelos"
    assert _instant(opening["start"]) == datetime(2024, 7, 1, 10, 0, tzinfo=ZoneInfo("America/Mexico_City"))
    assert tba == {"number": 2, "kind": "time_tba", "start": "2024-07-02"}
    assert year == {"number": 3, "kind": "year", "start": "2025"}
    assert (event["language"], event["languages"], event["country"]) == ("es", ["es", "pt-BR"], "MX")
    assert event["hosts"] == ["Ana"] and event["registration"] == "https://example.org/register"
    assert event["calendar_url"] == f"{BASE}/events/2024-07-01-in-spanish.ics"
    days = _items(site.output)["2024-05-01-untagged"]["_event"]["sessions"][0]
    assert (days["kind"], days["start"], days["end"]) == ("days", "2024-05-01", "2024-05-01")  # the end inclusive
    assert "tags" not in _items(site.output)["2024-05-01-untagged"]


def test_status_series_and_tags(site):
    clinic = _items(site.output)["2024-03-01-wikidata-clinic"]
    assert clinic["title"] == "Wikidata clinic" and clinic["tags"] == ["wikidata"]
    event = clinic["_event"]
    assert event["status"] == "cancelled"
    assert event["series"] == {
        "id": "salons",
        "title": "Salons",
        "url": f"{BASE}/events/series/salons/",
        "calendar_url": f"{BASE}/events/series/salons.ics",
        "atom_url": f"{BASE}/events/series/salons.atom",
    }
    assert event["tags"] == [
        {
            "name": "Wikidata",
            "slug": "wikidata",
            "url": f"{BASE}/events/tags/wikidata/",
            "calendar_url": f"{BASE}/events/tags/wikidata.ics",
            "atom_url": f"{BASE}/events/tags/wikidata.atom",
        }
    ]
    for tag in event["tags"]:
        for key in ("calendar_url", "atom_url"):
            assert (site.output / tag[key].removeprefix(f"{BASE}/")).is_file()


def test_a_repeating_session_gives_the_calendars_rrule_and_the_pages_next_meetings(site):
    session = _items(site.output)["2024-04-10-open-data-office-hours"]["_event"]["sessions"][0]
    ics = Calendar.from_ical((site.output / "events/2024-04-10-open-data-office-hours.ics").read_bytes())
    master = next(e for e in ics.walk("VEVENT") if "RECURRENCE-ID" not in e)
    assert session["repeat"]["rrule"] == master["RRULE"].to_ical().decode()
    new_york = ZoneInfo("America/New_York")
    weekly = [datetime(2024, 4, 10, 14, 0, tzinfo=new_york) + timedelta(weeks=n) for n in range(4)]
    meetings = session["repeat"]["next"]
    assert [_instant(m["original"]) for m in meetings] == weekly
    assert [m.get("cancelled", False) for m in meetings] == [False, True, False, False]
    assert all(_instant(m["end"]) - _instant(m["start"]) == timedelta(hours=1) for m in meetings)


def test_the_same_content_gives_the_same_bytes(tmp_path):
    outputs = []
    for name in ("one", "two"):
        write_files(tmp_path / name / "content", {**MINIMAL_PAGES, **JSON_SITE})
        site = run_pelican(tmp_path / name / "content", tmp_path / name / "output")
        outputs.append({p: (site.output / p).read_bytes() for p in ("events.json", "events.atom")})
    assert outputs[0] == outputs[1]
