"""Tags as topics: slugs, refusals, topic pages, each topic's calendar and Atom feed, the events' Atom
feed, and the Subscribe page.

Feeds are read with parsers other than the code that writes them: Atom with the standard library's
XML parser, calendars with icalendar (and, in test_feeds_parsers.py, three more parsers).
"""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from community_events.topics import MAX_SLUG_LENGTH, build_topics, tag_slug
from conftest import MINIMAL_PAGES, assert_clear_sentence, run_pelican, write_files
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar
from test_feeds import lint

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://127.0.0.1:8000"  # FEED_DOMAIN in pelicanconf.py: a local build's absolute addresses
SAFE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|xn--[a-z0-9-]*[a-z0-9]")
TODAY_MIDNIGHT = "2024-01-15T00:00:00+00:00"  # conftest's TEST_TODAY: feeds' dates without git

# --- Slugs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "slug"),
    [
        ("Wikidata", "wikidata"),
        ("WikiData", "wikidata"),
        ("#1Lib1Ref", "1lib1ref"),
        ("Open Data", "open-data"),
        ("open-data", "open-data"),
        ("  Open   data!  ", "open-data"),
        ("Café", "cafe"),
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
        ("İstanbul", "istanbul"),
        ("../../etc/passwd", "etc-passwd"),
        ("<script>x</script>", "script-x-script"),
    ],
)
def test_slugs_of_latin_tags(tag, slug):
    assert tag_slug(tag) == slug


@pytest.mark.parametrize("word", ["Вікіпедія", "विकिपीडिया", "维基数据", "ويكيبيديا"])
def test_a_tag_in_another_script_is_its_punycode_as_idna_writes_it(word):
    # The standard library's IDNA codec (nameprep, then Punycode with the xn-- prefix) is the oracle.
    assert tag_slug(word) == word.casefold().encode("idna").decode("ascii")


def test_empty_slugs_for_tags_without_letters_or_digits():
    assert [tag_slug(tag) for tag in ("!!!", "🎉", "", " - ")] == ["", "", "", ""]


@given(st.text(max_size=60))
def test_every_slug_is_one_safe_path_segment(tag):
    slug = tag_slug(tag)
    assert slug == "" or SAFE_SLUG.fullmatch(slug), slug
    assert slug.isascii() and "/" not in slug and slug not in (".", "..")


@given(st.text(alphabet=st.characters(max_codepoint=0x24F, categories=("Lu", "Ll", "Nd", "Zs", "Pd")), max_size=40))
def test_case_never_makes_a_different_topic(tag):
    assert tag_slug(tag.upper()) == tag_slug(tag.lower()) == tag_slug(tag)


class _Page:
    def __init__(self, slug, tags):
        self.slug = slug
        self.tags = tuple(tags)

    @property
    def model(self):
        return self


def test_topics_merge_spellings_and_take_the_most_used():
    events = [_Page("a", ["wikidata"]), _Page("b", ["Wikidata", "Training"]), _Page("c", ["Wikidata"])]
    topics = build_topics(events)
    assert [(t.slug, t.name, [e.slug for e in t.events]) for t in topics] == [
        ("training", "Training", ["b"]),
        ("wikidata", "Wikidata", ["a", "b", "c"]),
    ]
    # A tie goes to the first in code-point order, capitals first.
    assert build_topics([_Page("a", ["wikidata"]), _Page("b", ["Wikidata"])])[0].name == "Wikidata"


# --- Refusals --------------------------------------------------------------------------------------

REFUSED_TAGS = {
    "no letters": ('tags: ["!!!"]', 'tags include "!!!", which has no letter or digit'),
    "one topic twice": (
        "tags:\n  - Wikidata\n  - wikidata",
        'tags have "Wikidata" and "wikidata", which are one topic',
    ),
    "too long": (f"tags: [{'x' * (MAX_SLUG_LENGTH + 1)}]", "which is too long to name a topic page"),
}


@pytest.mark.parametrize("case", sorted(REFUSED_TAGS))
def test_a_tag_that_cannot_name_a_topic_is_refused_in_one_sentence(build_site, case):
    from community_events.errors import ContentErrors

    tags, words = REFUSED_TAGS[case]
    line = 3 + tags.count("\n")  # the offending tag's own line
    text = f"---\ntitle: T\n{tags}\nsessions:\n  - start: 2024-05-02\n---\n"
    with pytest.raises(ContentErrors) as raised:
        build_site({"events/t.md": text})
    [error] = raised.value.errors
    assert_clear_sentence(str(error), f"content/events/t.md:{line}", words)


# --- A small site ----------------------------------------------------------------------------------

SITE = {
    "series/salons.md": "---\ntitle: Salons\n---\n",
    "series/empty-series.md": "---\ntitle: Empty series\n---\n",
    "events/2024-02-01-wikidata-workshop.md": """\
        ---
        title: "Wikidata workshop <b>for</b> libraries"
        summary: 'Learn Wikidata: 1 < 2 & 3 > 2, "quoted"'
        tags: [Wikidata, Training]
        sessions:
          - start: 2024-02-01 09:00
            timezone: Australia/Sydney
            duration: 2 hours
            platform: Zoom
            place: "Room <i>2</i> & co"
        ---
        Body.
        """,
    "events/2024-03-01-wikidata-clinic.md": """\
        ---
        title: Wikidata clinic
        status: cancelled
        series: salons
        tags: [wikidata]
        sessions:
          - start: 2024-03-01 16:00
            timezone: UTC
            end: "17:00"
        ---
        """,
    "events/2022-05-01-old-wikidata.md": """\
        ---
        title: Old Wikidata meetup
        status: held
        notes: https://example.org/notes
        tags: [WikiData]
        sessions:
          - start: 2022-05-01 10:00
            timezone: Europe/Paris
        ---
        """,
    "events/2024-06-wikidata-month.md": """\
        ---
        title: Wikidata month
        tags: [Wikidata]
        sessions:
          - start: 2024-06
        ---
        """,
    "events/2024-04-10-open-data-office-hours.md": """\
        ---
        title: Open data office hours
        tags: ["Open Data", "Вікіпедія"]
        sessions:
          - start: 2024-04-10 14:00
            timezone: America/New_York
            duration: 1 hour
            repeat:
              every: week
              times: 4
              changes:
                - date: 2024-04-17
                  status: cancelled
        ---
        """,
    "events/2024-05-01-untagged.md": "---\ntitle: Untagged\nsessions:\n  - start: 2024-05-01\n---\n",
    "events/undated-training.md": "---\ntitle: Undated\ntags: [training]\nsessions:\n  - start: unknown\n---\n",
}
WIKIDATA_EVENTS = {
    "2024-02-01-wikidata-workshop",
    "2024-03-01-wikidata-clinic",
    "2022-05-01-old-wikidata",
    "2024-06-wikidata-month",
}
UID_DOMAIN = "wikimedia-libraries.github.io"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("topics")
    write_files(base / "content", {**MINIMAL_PAGES, **SITE})
    return run_pelican(base / "content", base / "output")


def _atom(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes())


def _entries(path: Path) -> list[ET.Element]:
    return _atom(path).findall(f"{ATOM}entry")


def _text(entry: ET.Element, name: str) -> str:
    return entry.findtext(f"{ATOM}{name}") or ""


def _slug_of(entry: ET.Element) -> str:
    return entry.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[-1]


def _vevents(data: bytes) -> dict[str, str]:
    """UID -> the VEVENT's unfolded text: what a feed holds, whatever the order of its lines."""
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
    blocks = re.findall(r"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", unfolded, flags=re.S)
    found: dict[str, str] = {}
    for block in blocks:
        uid = re.search(r"^UID:(.*)$", block, flags=re.M).group(1).strip()
        found[uid] = found.get(uid, "") + block
    return found


def test_topic_pages_list_upcoming_then_past_events_with_their_feeds(site):
    page = site.html("events/tags/wikidata/")
    assert page.find("h1").get_text(" ", strip=True) == "Topic: Wikidata"  # the spelling most events use
    upcoming = [a["href"] for a in page.select("section:has(> #upcoming) h3 a")]
    past = [a["href"] for a in page.select("section:has(> #past) h3 a")]
    assert upcoming == [
        "/events/2024-02-01-wikidata-workshop/",
        "/events/2024-03-01-wikidata-clinic/",
        "/events/2024-06-wikidata-month/",
    ]
    assert past == ["/events/2022-05-01-old-wikidata/"]
    assert page.select_one("section:has(> #upcoming) .badge-cancelled").get_text(strip=True) == "Cancelled"
    feeds = {a["href"] for a in page.select("main a[href^='/'][href$='.ics'], main a[href^='/'][href$='.atom']")}
    assert feeds == {"/events/tags/wikidata.ics", "/events/tags/wikidata.atom"}
    for href in feeds:
        assert (site.output / href.lstrip("/")).is_file()
    links = {a.get_text(strip=True): a["href"] for a in page.select(".calendar-links a")}
    assert parse_qs(urlsplit(links["Add to Google Calendar"]).query)["cid"] == [
        "webcal://127.0.0.1:8000/events/tags/wikidata.ics"
    ]


def test_an_event_without_a_date_is_not_called_past_on_its_topic_page(site):
    page = site.html("events/tags/training/")
    assert [a.get_text() for a in page.select("section:has(> #undated) h3 a")] == ["Undated"]
    assert [a.get_text() for a in page.select("section:has(> #past) h3 a")] == []


def test_each_topic_has_its_page_calendar_and_atom_feed(site):
    slugs = {path.name for path in (site.output / "events/tags").iterdir() if path.is_dir()}
    assert slugs == {"wikidata", "training", "open-data", "xn--b1aectz2hxbbd"}
    for slug in slugs:
        for suffix in (".ics", ".atom"):
            assert (site.output / f"events/tags/{slug}{suffix}").is_file()


def test_a_tag_name_is_escaped_text_and_only_its_slug_reaches_a_path(build_site):
    files = {
        "events/x.md": '---\ntitle: X\ntags: ["<b>Bold</b> ../../up"]\nsessions:\n  - start: 2024-05-02\n---\n',
    }
    site = build_site(files)
    page = site.html("events/tags/b-bold-b-up/")
    assert page.find("h1").find("b") is None
    assert "<b>Bold</b> ../../up" in page.find("h1").get_text()
    assert not (site.output.parent / "up").exists()


def test_event_pages_link_their_topics_and_the_topics_feeds(site):
    section = site.html("events/2024-04-10-open-data-office-hours/").select_one(".event-topics")
    hrefs = [a["href"] for a in section.select("li a")]
    assert hrefs == [
        "/events/tags/open-data/",
        "/events/tags/open-data.ics",
        "/events/tags/open-data.atom",
        "/events/tags/xn--b1aectz2hxbbd/",
        "/events/tags/xn--b1aectz2hxbbd.ics",
        "/events/tags/xn--b1aectz2hxbbd.atom",
    ]
    assert [a.get_text() for a in section.select("li > a:first-child")] == ["Open Data", "Вікіпедія"]
    assert site.html("events/2024-05-01-untagged/").select_one(".event-topics") is None


def test_a_topic_calendar_holds_the_site_calendars_own_vevents_for_its_events(site):
    site_feed = _vevents((site.output / "calendar.ics").read_bytes())
    data = (site.output / "events/tags/wikidata.ics").read_bytes()
    assert lint(data) == []
    topic = _vevents(data)
    # The 2022 meetup is over for more than calendar_past_days (365): out, as from calendar.ics; the
    # month-only event has no entry at all; the cancelled clinic stays, marked cancelled.
    assert sorted(topic) == [
        f"2024-02-01-wikidata-workshop-1@{UID_DOMAIN}",
        f"2024-03-01-wikidata-clinic-1@{UID_DOMAIN}",
    ]
    for uid, block in topic.items():
        assert block == site_feed[uid]
    assert "STATUS:CANCELLED" in topic[f"2024-03-01-wikidata-clinic-1@{UID_DOMAIN}"]
    # The old meetup's own feed still has it.
    assert f"2022-05-01-old-wikidata-1@{UID_DOMAIN}" in _vevents(
        (site.output / "events/2022-05-01-old-wikidata.ics").read_bytes()
    )
    calendar = Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "Wikidata: Wikimedia and Libraries User Group events"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Australia/Sydney"]


def test_the_events_atom_feed_has_one_entry_per_event(site):
    feed = _atom(site.output / "events.atom")
    entries = feed.findall(f"{ATOM}entry")
    events = {path.stem for path in (site.output.parent / "content/events").glob("*.md")}
    assert sorted(_slug_of(entry) for entry in entries) == sorted(events)
    ids = [_text(entry, "id") for entry in entries]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in ids)
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}/events.atom"
    # What RFC 4287 requires of a feed and of each entry.
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    for entry in entries:
        for name in ("id", "title", "updated", "link", "content"):
            assert entry.find(f"{ATOM}{name}") is not None, name
    assert _text(feed, "updated") == TODAY_MIDNIGHT
    for entry in entries:  # no git here: first announced and last changed are the build's "today"
        assert _text(entry, "published") == _text(entry, "updated") == TODAY_MIDNIGHT


def test_an_entry_gives_each_session_in_the_pages_zones_and_escapes_every_text(site):
    entry = next(e for e in _entries(site.output / "events.atom") if _slug_of(e) == "2024-02-01-wikidata-workshop")
    assert _text(entry, "title") == "Wikidata workshop <b>for</b> libraries"
    content = BeautifulSoup(_text(entry, "content"), "html.parser")
    assert content.find("b") is None and content.find("i") is None
    assert {tag.name for tag in content.find_all(True)} <= {"p", "ul", "li", "br", "strong", "a"}
    assert content.find("p").get_text() == 'Learn Wikidata: 1 < 2 & 3 > 2, "quoted"'
    assert BeautifulSoup(_text(entry, "summary"), "html.parser").get_text() == content.find("p").get_text()
    line = content.find("li").get_text("\n").split("\n")
    # The page's own words: its list of zone times, joined as one line.
    page = site.html("events/2024-02-01-wikidata-workshop/")
    assert line[0] == " / ".join(" ".join(li.get_text().split()) for li in page.select(".zone-times li"))
    assert line[1:3] == ["Online: Zoom", "Place: Room <i>2</i> & co"]
    # And the instants are zoneinfo's: 09:00 in Sydney is 22:00 UTC the day before.
    start = datetime(2024, 2, 1, 9, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    assert line[0].startswith("Thu, 1 Feb 2024 09:00–11:00 Sydney")
    for label, zone in [("Pacific", "America/Los_Angeles"), ("Eastern", "America/New_York"), ("UTC", "UTC")]:
        local = start.astimezone(ZoneInfo(zone))
        end = local + timedelta(hours=2)  # the end's day is written where it differs: "22:00–1 Feb 00:00 UTC"
        assert re.search(f"{local:%H:%M}–({end.day} {end:%b} )?{end:%H:%M} {label}", line[0]), label
    assert "Every date and time below is exact." in content.get_text()
    assert content.find("a")["href"] == f"{BASE}/events/2024-02-01-wikidata-workshop/"


def test_entries_state_status_precision_and_repeating_meetings(site):
    entries = {_slug_of(e): e for e in _entries(site.output / "events.atom")}
    clinic = entries["2024-03-01-wikidata-clinic"]
    assert _text(clinic, "title") == "Cancelled: Wikidata clinic"
    assert "This event is cancelled." in BeautifulSoup(_text(clinic, "content"), "html.parser").get_text()
    month = BeautifulSoup(_text(entries["2024-06-wikidata-month"], "content"), "html.parser").get_text()
    assert "Not every date or time below is known exactly." in month and "June 2024, details to come" in month
    office = BeautifulSoup(_text(entries["2024-04-10-open-data-office-hours"], "content"), "html.parser")
    meetings = [li.get_text() for li in office.select("li li")]
    assert meetings[1] == "Cancelled: Wed, 17 Apr 2024"
    assert len(meetings) == 4 and meetings[0].startswith("Wed, 10 Apr 2024 14:00–15:00 Eastern")
    assert [c.get("term") for c in entries["2024-04-10-open-data-office-hours"].findall(f"{ATOM}category")] == [
        "Open Data",
        "Вікіпедія",
    ]


def test_topic_and_series_atom_feeds_hold_the_same_entries_filtered(site):
    everything = {_text(e, "id"): ET.tostring(e) for e in _entries(site.output / "events.atom")}
    topic = _entries(site.output / "events/tags/wikidata.atom")
    assert {_slug_of(e) for e in topic} == WIKIDATA_EVENTS  # the 2022 meetup too: news has no window
    series = _entries(site.output / "events/series/salons.atom")
    assert [_slug_of(e) for e in series] == ["2024-03-01-wikidata-clinic"]
    for entry in topic + series:
        assert ET.tostring(entry) == everything[_text(entry, "id")]
    empty = _atom(site.output / "events/series/empty-series.atom")
    assert empty.findall(f"{ATOM}entry") == [] and _text(empty, "updated") == TODAY_MIDNIGHT
    page = site.html("events/series/salons/")
    assert page.select_one("a[href='/events/series/salons.atom']") is not None
    assert page.select_one("link[rel=alternate][href='/events/series/salons.atom']") is not None


def test_every_page_links_the_events_feed_and_the_subscribe_page(site):
    for relative in ("", "events/", "about/", "events/tags/wikidata/", "subscribe/"):
        page = site.html(relative)
        assert page.select_one("head link[rel=alternate][href='/events.atom']") is not None, relative
        assert page.select_one("footer a[href='/subscribe/']") is not None, relative
    events = site.html("events/")
    assert events.select_one(".calendar-links a[href='/subscribe/']") is not None
    sitemap = (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/events/tags/wikidata/</loc>" in sitemap and "/subscribe/</loc>" in sitemap


def test_the_subscribe_page_offers_every_calendar_in_every_app(site):
    page = site.html("subscribe/")
    feeds = ["calendar.ics", "events/series/salons.ics", "events/series/empty-series.ics"]
    feeds += [f"events/tags/{slug}.ics" for slug in ("open-data", "training", "wikidata", "xn--b1aectz2hxbbd")]
    addresses = [code.get_text() for code in page.select("code.feed-url")]
    for feed in feeds:
        url = f"{BASE}/{feed}"
        assert url in addresses
        assert (site.output / feed).is_file()
        assert page.select_one(f"a[href='webcal://127.0.0.1:8000/{feed}']").get_text() == "Apple Calendar"
        google = [parse_qs(urlsplit(a["href"]).query)["cid"] for a in page.select("a[href^='https://calendar.google']")]
        assert [f"webcal://127.0.0.1:8000/{feed}"] in google
        for outlook in ("https://outlook.live.com/", "https://outlook.office.com/"):
            links = [a["href"] for a in page.select(f"a[href^='{outlook}']")]
            assert any(parse_qs(urlsplit(link).query)["url"] == [url] for link in links), (feed, outlook)
    for feed in ("events.atom", "events.json", "events/tags/wikidata.atom", "events/series/salons.atom"):
        assert page.select_one(f"a[href='/{feed}']") is not None and (site.output / feed).is_file()
    assert f"{BASE}/events.atom" in addresses and f"{BASE}/events.json" in addresses
    assert page.find("script") is None and page.find("input") is None


# --- Dates from history ----------------------------------------------------------------------------


def _git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when or "", "GIT_COMMITTER_DATE": when or ""}
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args]
    subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True)


def _event(title: str, start: str) -> str:
    return f"---\ntitle: {title}\nsessions:\n  - start: {start}\n    timezone: UTC\n---\n"


def test_entries_are_dated_by_first_announcement_and_last_change_newest_first(tmp_path):
    repo = tmp_path / "repo"
    write_files(repo / "content", {**MINIMAL_PAGES, "events/a.md": _event("A", "2024-05-01 10:00")})
    write_files(repo / "content", {"events/b.md": _event("B", "2024-05-02 10:00")})
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-m", "a and b", when="2024-01-02T10:00:00+00:00")
    write_files(repo / "content", {"events/c.md": _event("C", "2024-05-03 10:00")})
    _git(repo, "add", "-A")
    _git(repo, "commit", "-m", "c", when="2024-01-03T10:00:00+00:00")
    write_files(repo / "content", {"events/b.md": _event("B", "2024-05-02 11:00")})
    _git(repo, "commit", "-am", "b moves", when="2024-01-05T10:00:00+00:00")

    site = run_pelican(repo / "content", tmp_path / "output")
    entries = _entries(site.output / "events.atom")
    dated = [(_slug_of(e), _text(e, "published"), _text(e, "updated")) for e in entries]
    assert dated == [
        ("b", "2024-01-02T10:00:00+00:00", "2024-01-05T10:00:00+00:00"),
        ("c", "2024-01-03T10:00:00+00:00", "2024-01-03T10:00:00+00:00"),
        ("a", "2024-01-02T10:00:00+00:00", "2024-01-02T10:00:00+00:00"),
    ]
    feed = _atom(site.output / "events.atom")
    assert _text(feed, "updated") == "2024-01-05T10:00:00+00:00"
    # A feed holds the latest news only, FEED_MAX_ITEMS entries, as Pelican's own feeds do.
    capped = run_pelican(repo / "content", tmp_path / "capped", FEED_MAX_ITEMS=2)
    assert [_slug_of(e) for e in _entries(capped.output / "events.atom")] == ["b", "c"]
    # The same time as the calendar's LAST-MODIFIED for that event.
    calendar = Calendar.from_ical((site.output / "events/b.ics").read_bytes())
    [vevent] = calendar.walk("VEVENT")
    assert vevent["LAST-MODIFIED"].dt == datetime(2024, 1, 5, 10, 0, tzinfo=UTC)


def test_without_git_feeds_are_dated_by_source_date_epoch(build_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    files = {
        "series/quiet.md": "---\ntitle: Quiet\n---\n",
        "events/x.md": "---\ntitle: X\ntags: [a]\nsessions:\n  - start: 2024-05-02\n---\n",
    }
    site = build_site(files)
    [entry] = _entries(site.output / "events.atom")
    assert _text(entry, "published") == _text(entry, "updated") == "2023-11-14T22:13:20+00:00"
    assert _text(_atom(site.output / "events/series/quiet.atom"), "updated") == "2023-11-14T22:13:20+00:00"
