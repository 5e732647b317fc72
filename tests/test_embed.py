"""The embeddable lists (embed/upcoming/, embed/tags/<slug>/) and the snippet that embeds them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from community_events import embed
from conftest import ROOT
from jinja2 import Environment, FileSystemLoader

NOW = "2024-06-01T13:30"  # UTC


def event(title: str, sessions: str, extra: str = "") -> str:
    return f'---\ntitle: "{title}"\n{extra}sessions:\n{sessions}---\nText.\n'


def timed(start: str, zone: str, duration: str = "1 hour") -> str:
    return f"  - start: {start}\n    timezone: {zone}\n    duration: {duration}\n    platform: Zoom\n"


FILES = {
    "events/2024-05-01-past.md": event("Past meetup", timed("2024-05-01 10:00", "UTC")),
    "events/2024-06-01-running.md": event("Running now", timed("2024-06-01 13:00", "Europe/London", "2 hours")),
    "events/2024-05-20-second-half.md": event(
        "Second half",
        timed("2024-05-20 10:00", "UTC") + timed("2024-07-01 15:00", "America/New_York"),
        "tags: [Wikidata]\n",
    ),
    "events/2024-06-10-workshop.md": event(
        "Two-part workshop",
        timed("2024-06-10 09:00", "Asia/Kolkata") + timed("2024-06-20 09:00", "Asia/Kolkata"),
        "tags: [wikidata, Commons]\n",
    ),
    "events/2024-08-01-called-off.md": event("Called off", "  - start: 2024-08-01\n", "status: cancelled\n"),
    "events/2024-09-01-three-days.md": event("Three days", "  - start: 2024-09-01\n    end: 2024-09-03\n"),
}
# The upcoming list's order: happening now first, then upcoming by their first session (the events page's order).
EXPECTED = ["Running now", "Second half", "Two-part workshop", "Called off", "Three days"]


def instant(wall: str, zone: str) -> str:
    """The UTC instant of a wall time, worked out here with zoneinfo, as <time datetime> writes it."""
    local = datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def total_bytes(output: Path, relative: str) -> int:
    """The page and every stylesheet and script it loads, as a browser fetches them."""
    page = output / relative
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    loaded = [tag["href"] for tag in soup.select("link[rel=stylesheet]")] + [
        tag["src"] for tag in soup.select("script[src]")
    ]
    return page.stat().st_size + sum((output / url.lstrip("/")).stat().st_size for url in loaded)


@pytest.fixture
def site(build_site):
    return build_site(FILES, today=NOW)


def titles(soup) -> list[str]:
    return [h.get_text(strip=True) for h in soup.select("ol.events h2")]


def test_the_upcoming_list_shows_what_is_on_and_coming_in_order_with_its_state(site):
    page = site.html("embed/upcoming/")
    assert titles(page) == EXPECTED[: embed.LISTED]
    states = {
        item.h2.get_text(strip=True): item.select_one(".state").get_text(strip=True)
        for item in page.select("ol.events > li")
    }
    assert states["Running now"] == "Happening now" and states["Called off"] == "Cancelled"
    assert states["Second half"] == "Upcoming"
    more = len(EXPECTED) - embed.LISTED
    assert page.find("a", string=f"{more} more upcoming event{'s' if more != 1 else ''}")["href"] == "/events/"
    assert "Past meetup" not in page.get_text()


def test_each_event_shows_its_next_session_in_several_zones(site):
    items = {item.h2.get_text(strip=True): item for item in site.html("embed/upcoming/").select("ol.events > li")}
    own = lambda name: items[name].select_one(".own-zone time")["datetime"]  # noqa: E731
    assert own("Running now") == instant("2024-06-01 13:00", "Europe/London")
    # Its first session is over: the list shows the second, and no more are to come.
    assert own("Second half") == instant("2024-07-01 15:00", "America/New_York")
    assert items["Second half"].select(".later") == []
    assert own("Two-part workshop") == instant("2024-06-10 09:00", "Asia/Kolkata")
    assert items["Two-part workshop"].select_one(".later").get_text(strip=True) == "1 more session on its page."
    for item in items.values():
        zones = item.select(".zone-times li")
        assert len(zones) <= embed.ZONES_SHOWN
    assert len(items["Running now"].select(".zone-times li")) > 3  # several zones, not the own one alone
    assert items["Called off"].select_one("time")["datetime"] == "2024-08-01"


def test_a_repeating_session_shows_its_next_meeting_held(build_site):
    weekly = (
        "  - start: 2024-05-02 14:00\n    duration: 1 hour\n    timezone: UTC\n    repeat:\n      every: week\n"
        "      until: 2024-12-31\n      changes:\n        - date: 2024-06-06\n          status: cancelled\n"
    )
    site = build_site({"events/2024-05-02-weekly.md": event("Weekly office hours", weekly)}, today=NOW)
    (item,) = site.html("embed/upcoming/").select("ol.events > li")
    # 6 June is cancelled: the next meeting held is a week later.
    assert item.select_one(".own-zone time")["datetime"] == instant("2024-06-13 14:00", "UTC")


def test_each_topic_has_a_list_of_its_own_events(site):
    page = site.html("embed/tags/wikidata/")
    assert titles(page) == ["Second half", "Two-part workshop"]
    assert page.h1.get_text(strip=True) == "Upcoming events: Wikidata"
    assert page.find("a", string="All events on this topic")["href"] == "/events/tags/wikidata/"
    assert titles(site.html("embed/tags/commons/")) == ["Two-part workshop"]


def test_the_list_is_a_standalone_page_without_navigation_or_script(site):
    for relative in ("embed/upcoming/index.html", "embed/tags/wikidata/index.html"):
        soup = BeautifulSoup((site.output / relative).read_text(encoding="utf-8"), "html.parser")
        assert soup.html["lang"] == "en" and soup.title.get_text(strip=True)
        assert len(soup.select("main")) == 1 and soup.select_one("main h1")
        assert not soup.select("nav, script, header, footer, [style], style")
        assert "unsafe" not in soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        assert [link["href"] for link in soup.select("link[rel=stylesheet]")] == ["/theme/css/embed.css"]
        for link in soup.select("a[href]"):
            assert link["target"] == "_top", link
            target = site.output / link["href"].lstrip("/")
            assert (target / "index.html").is_file() or target.is_file(), link["href"]
    css = (ROOT / "theme/static/css/embed.css").read_text(encoding="utf-8")
    assert "@media (prefers-color-scheme: dark)" in css


def test_without_upcoming_events_the_list_says_so(build_site):
    site = build_site(FILES, today="2030-01-01")
    for relative in ("embed/upcoming/", "embed/tags/wikidata/"):
        page = site.html(relative)
        assert not page.select("ol.events")
        assert "are announced right now" in page.select_one("main").get_text(" ", strip=True)


def test_the_list_stays_under_8_kib(site, real_site):
    for built in (site, real_site):
        for page in sorted(built.output.glob("embed/**/index.html")):
            relative = str(page.relative_to(built.output))
            assert total_bytes(built.output, relative) < embed.MAX_BYTES == 8 * 1024, relative


def test_the_list_stays_under_8_kib_whatever_the_files_say(build_site):
    """Long titles of characters that escaping makes five times longer, many sessions, many display zones."""
    zones = "".join(
        f"  - {zone}\n"
        for zone in [
            "America/Argentina/Buenos_Aires",
            "America/Port_of_Spain",
            "Antarctica/DumontDUrville",
            "Asia/Ulaanbaatar",
            "Atlantic/South_Georgia",
            "Indian/Christmas",
            "Pacific/Guadalcanal",
            "Pacific/Port_Moresby",
            "America/Santo_Domingo",
            "Africa/Dar_es_Salaam",
            "Asia/Yekaterinburg",
            "America/Indiana/Petersburg",
            "Australia/Broken_Hill",
            "Europe/Ulyanovsk",
            "Asia/Novokuznetsk",
        ]
    )
    sessions = "".join(
        timed(f"2024-07-{day:02d} 09:00", "America/Indiana/Indianapolis", "90 minutes") for day in range(1, 21)
    )
    files = {
        # The longest file name (the page's address) the model accepts: 100 characters.
        f"events/2024-07-01-{'l' * 87}-{n}.md": event(
            "&<" * 150, sessions, f"status: tentative\ntags: ['{'&' * 40} Wikidata']\ndisplay_zones:\n{zones}"
        )
        for n in range(embed.LISTED + 3)
    }
    site = build_site(files, today=NOW)
    pages = sorted(site.output.glob("embed/**/index.html"))
    assert len(pages) == 2
    for page in pages:
        assert total_bytes(site.output, str(page.relative_to(site.output))) < embed.MAX_BYTES
    shown = site.html("embed/upcoming/").select_one("ol.events h2").get_text()
    assert len(shown) == embed.TITLE_SHOWN and shown.endswith("…")


# --- The snippet ---------------------------------------------------------------------------------


def render_snippet(embed_urls: dict) -> BeautifulSoup:
    environment = Environment(
        loader=FileSystemLoader(ROOT / "theme" / "templates"), autoescape=True, extensions=["jinja2.ext.i18n"]
    )
    environment.install_null_translations(newstyle=True)
    template = environment.get_template("partials/embed_snippet.html")
    html = template.render(
        embed_urls=embed_urls, SITENAME="Wikimedia and Libraries User Group", SITEURL="/fr", ROOT_SITEURL=""
    )
    return BeautifulSoup(html, "html.parser")


class Topic:
    def __init__(self, slug: str, name: str):
        self.slug, self.name = slug, name


def test_the_snippet_is_an_iframe_of_the_absolute_address_with_a_title_loading_lazily():
    urls = embed.embed_urls("https://example.org", [Topic("wikidata", "Wikidata")])
    soup = render_snippet(urls)
    # What a reader copies is the text of the code block: parse it as the other site will.
    copied = soup.select_one("code").get_text()
    (frame,) = BeautifulSoup(copied, "html.parser").find_all("iframe")
    assert frame["src"] == "https://example.org/embed/upcoming/"
    assert frame["title"] == "Upcoming events of the Wikimedia and Libraries User Group"
    assert frame["loading"] == "lazy"
    assert [code.get_text() for code in soup.select(".embed-topics code")] == [
        "https://example.org/embed/tags/wikidata/"
    ]
    assert soup.find("a", string="See the list as it appears")["href"] == "/embed/upcoming/"


def test_without_an_absolute_address_no_snippet_is_offered():
    assert render_snippet(embed.embed_urls("", [Topic("wikidata", "Wikidata")])).get_text(strip=True) == ""


def test_the_subscribe_page_offers_the_snippet_with_the_sites_own_address(site):
    from pelican.settings import read_settings

    domain = read_settings(str(ROOT / "pelicanconf.py"))["FEED_DOMAIN"]  # the address of a local build
    section = site.html("subscribe/").select_one(".embed-snippet")
    (frame,) = BeautifulSoup(section.select_one("code").get_text(), "html.parser").find_all("iframe")
    assert frame["src"] == f"{domain}/embed/upcoming/" and frame["title"] and frame["loading"] == "lazy"
    assert (site.output / "embed/upcoming/index.html").is_file()
    listed = [code.get_text() for code in section.select(".embed-topics code")]
    assert listed == [f"{domain}/embed/tags/commons/", f"{domain}/embed/tags/wikidata/"]
    for url in listed:
        assert (site.output / url.removeprefix(domain + "/") / "index.html").is_file()


def test_an_event_the_list_cannot_show_is_named_in_a_sentence_not_a_traceback(build_site, monkeypatch):
    from community_events.errors import ContentErrors

    def broken(*args, **kwargs):
        raise KeyError("unforeseen")

    monkeypatch.setattr(embed, "session_zone_times", broken)
    with pytest.raises(ContentErrors) as raised:
        build_site({"events/2024-06-10-workshop.md": FILES["events/2024-06-10-workshop.md"]}, today=NOW)
    assert [str(error) for error in raised.value.errors] == [
        "content/events/2024-06-10-workshop.md: could not be built (KeyError: 'unforeseen'); please report this"
    ]
