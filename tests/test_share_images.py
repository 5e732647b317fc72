"""Share cards (share_images.py, share_cards.py, sharing.py) and the Open Graph and X/Twitter tags of every page."""

from __future__ import annotations

import os
import re
import socket
import struct
import zlib
from pathlib import Path

import pytest
from community_events import share_cards, share_images
from community_events.share_images import CardText
from community_events.zones import ZoneTime
from conftest import MINIMAL_PAGES

BASE = "http://127.0.0.1:8000"  # pelicanconf.py's FEED_DOMAIN: the tests' builds have no SITEURL
MAX_BYTES = 60 * 1024
CARD_NAME = re.compile(r"share-[0-9a-f]{16}\.png")
SITE = "Wikimedia and Libraries User Group"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_facts(data: bytes) -> dict:
    """What a PNG's own chunks say, read with struct and zlib, not with Pillow (which drew it)."""
    assert data.startswith(PNG_SIGNATURE)
    chunks, offset = {}, len(PNG_SIGNATURE)
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        body = data[offset + 8 : offset + 8 + length]
        crc = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])[0]
        assert zlib.crc32(kind + body) == crc, kind
        chunks.setdefault(kind.decode(), []).append(body)
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks["IHDR"][0][:10])
    return {"width": width, "height": height, "depth": depth, "colour": colour, "chunks": chunks}


def check_card_file(data: bytes) -> None:
    facts = png_facts(data)
    assert (facts["width"], facts["height"]) == (1200, 630)
    assert facts["colour"] == 3 and len(facts["chunks"]["PLTE"][0]) // 3 <= 16  # a palette of at most 16 colours
    assert "IEND" in facts["chunks"] and len(data) <= MAX_BYTES


def pixels(data: bytes):
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(data))
    image.load()
    return image


LONG_WORD = "Wikidata" * 40
CARDS = {
    "short": CardText(SITE, "Office hours", when=("Thu, 30 May 2019 09:00–10:00 Sydney",)),
    "everything": CardText(
        SITE,
        "A title long enough to need every one of the lines a card gives a title, and then some more words "
        "that cannot fit, so that the card has to shorten it",
        status="Cancelled",
        when=(
            "Every month on the third Thursday, 14:00–15:00 Berlin, until 31 December 2025",
            "Next: Thu, 15 Feb 2024 14:00–15:00 Berlin",
            "13:00–14:00 UTC",
            "05:00–06:00 Pacific",
            "and 4 more sessions",
            "a line too many",
        ),
    ),
    "one long word": CardText(SITE, LONG_WORD, when=(LONG_WORD,)),
    "glyphs the fonts lack": CardText(
        "🎉 " + SITE,
        "中文講座 · العربية · עברית · हिन्दी · 🎉🎉 · e\u0301 · \u202eevil\u202c · \ufffd · \U0010fffd",
        when=("日本 09:00 Tokyo",),
    ),
    "hostile": CardText(SITE, "</script><script>alert(1)</script>", when=("<!--", "&amp;")),
    "empty": CardText("", "", when=()),
    "greek and cyrillic": CardText(SITE, "Ελληνικά και Кириллица · Tiếng Việt", when=("Ωραίο",)),
}


@pytest.mark.parametrize("name", sorted(CARDS))
def test_a_card_is_a_small_palette_png_of_1200_by_630(name):
    check_card_file(share_images.render(CARDS[name]))


@pytest.mark.parametrize("name", sorted(CARDS))
def test_nothing_is_drawn_in_the_margins(name):
    image = pixels(share_images.render(CARDS[name]))
    margin = share_images.MARGIN // 2
    stripe_top = share_images.HEIGHT - share_images.STRIPE_HEIGHT
    width, height = image.size
    background = image.getpixel((0, 0))
    for x in (*range(margin), *range(width - margin, width)):
        assert {image.getpixel((x, y)) for y in range(0, stripe_top, 3)} == {background}, x
    # The band between the last line's room and the stripe stays clear too.
    assert {image.getpixel((x, y)) for x in range(0, width, 3) for y in range(stripe_top - 12, stripe_top)} == {
        background
    }


def test_a_long_title_is_wrapped_and_shortened_with_an_ellipsis():
    lines = share_images.layout(CARDS["everything"])
    title = [text for text, font, size, *_ in lines if size == share_images.TITLE_SIZE]
    below = [text for text, font, size, *_ in lines if size == share_images.WHEN_SIZE]
    assert len(below) == share_images.WHEN_LINES and below[0] == "Cancelled"
    assert len(title) == 2 and title[-1].endswith("…")  # five lines below leave two for the title
    assert " ".join(title).removesuffix("…").rstrip() in CARDS["everything"].title
    short = [text for text, _, size, *_ in share_images.layout(CARDS["short"]) if size == share_images.TITLE_SIZE]
    assert short == ["Office hours"]


def test_the_digest_changes_with_every_input_and_only_then(monkeypatch):
    card = CARDS["short"]
    digest = share_images.digest(card)
    assert share_images.digest(CardText(card.site_name, card.title, when=card.when)) == digest
    changed = [
        CardText(card.site_name + "!", card.title, when=card.when),
        CardText(card.site_name, card.title + "!", when=card.when),
        CardText(card.site_name, card.title, status="Cancelled", when=card.when),
        CardText(card.site_name, card.title, when=(*card.when, "more")),
        CardText(card.site_name, card.title, when=("Thu, 30 May 2019 09:00–10:00", "Sydney")),
    ]
    assert len({digest, *(share_images.digest(c) for c in changed)}) == 1 + len(changed)
    monkeypatch.setattr(share_images, "RENDERER_VERSION", "another")
    assert share_images.digest(card) != digest
    monkeypatch.undo()
    monkeypatch.setattr(share_images, "_font_bytes", lambda: b"other font")
    assert share_images.digest(card) != digest


def test_drawing_a_card_never_opens_a_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a share card tried the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    share_images._font.cache_clear()
    share_images._font_bytes.cache_clear()
    check_card_file(share_images.render(CARDS["short"]))
    share_images.digest(CARDS["short"])


def _zone_time(zone: str, text: str) -> ZoneTime:
    return ZoneTime(zone, zone, text, None, "", None, False, text)


def test_a_card_shows_the_own_zone_utc_and_the_first_other_zone_in_the_pages_order():
    page = [_zone_time(z, z) for z in ("Australia/Sydney", "America/Los_Angeles", "America/New_York", "UTC")]
    assert share_cards.card_zone_lines(page) == ["Australia/Sydney", "America/Los_Angeles", "UTC"]
    own_utc = [_zone_time(z, z) for z in ("UTC", "America/Los_Angeles", "America/New_York", "Europe/Paris")]
    assert share_cards.card_zone_lines(own_utc) == ["UTC", "America/Los_Angeles", "America/New_York"]
    assert share_cards.card_zone_lines(page[:1]) == ["Australia/Sydney"]
    assert share_cards.card_zone_lines(()) == []


# --- Built sites ----------------------------------------------------------------------------------


def html_pages(site) -> list[Path]:
    """Every page a reader might share: not the embeddable lists (embed.html), which ask not to be indexed."""
    pages = []
    for path in sorted(site.output.rglob("*.html")):
        if 'name="robots" content="noindex"' not in path.read_text(encoding="utf-8"):
            pages.append(path)
    return pages


def meta(page, key: str) -> str | None:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def card_of(site, page) -> Path:
    url = meta(page, "og:image")
    assert url.startswith(f"{BASE}/"), url
    return site.output / url.removeprefix(f"{BASE}/")


def test_every_page_has_open_graph_tags_that_repeat_its_title_and_description(real_site):
    pages = html_pages(real_site)
    assert len(pages) > 20
    for path in pages:
        relative = path.relative_to(real_site.output).as_posix()
        page = real_site.html(relative)
        assert meta(page, "og:title") == page.title.get_text(), relative
        assert meta(page, "og:description") == meta(page, "description"), relative
        assert meta(page, "og:url") == f"{BASE}/{relative.removesuffix('index.html')}", relative
        assert meta(page, "og:site_name") == SITE
        assert meta(page, "og:type") == (
            "article" if relative.startswith("stories/") and relative.count("/") == 2 else "website"
        )
        card = card_of(real_site, page)
        assert CARD_NAME.fullmatch(card.name), card
        check_card_file(card.read_bytes())
        assert meta(page, "og:image:alt") and meta(page, "twitter:card") == "summary_large_image"
        is_event = page.select_one("article.event") is not None
        # An event page has its own card, beside it; every other page the site's.
        assert card.parent == (path.parent if is_event else real_site.output), relative


def check_cards_say_what_pages_say(site) -> dict[str, list[str]]:
    """Each event card's lines (from its alt text) are lines its page writes; returns them by page."""
    found = {}
    event_pages = [p for p in html_pages(site) if 'article class="event"' in p.read_text(encoding="utf-8")]
    assert event_pages
    for path in event_pages:
        relative = path.relative_to(site.output).as_posix()
        page = site.html(relative)
        # Each line as the page writes it, its <time> elements and words run together.
        written = [" ".join(e.get_text().split()) for e in page.select(".zone-times li, .session-date, .repeat-rule")]
        status = page.select_one("article.event header .status strong")
        if status:
            written.append(status.get_text().rstrip("."))
        title = page.select_one("h1").get_text()
        alt = meta(page, "og:image:alt")
        assert alt.startswith(title)
        lines = alt.removeprefix(title).split(". ")[1:]
        for line in lines:
            if re.fullmatch(r"and \d+ more sessions?", line):
                assert len(page.select(".session")) > int(line.split()[1])
                continue
            assert line.removeprefix("Next: ") in written, (relative, line, written)
        found[relative] = lines
    return found


def test_every_event_card_says_what_its_page_says(real_site):
    lines = check_cards_say_what_pages_say(real_site)
    assert lines["events/2019-05-30-1lib1ref-hangout/index.html"] == [
        "Thu, 30 May 2019 09:00 Sydney",
        "29 May 16:00 Pacific",
        "29 May 23:00 UTC",
    ]
    # Three sessions on one day, in the same words: one line.
    assert lines["events/2020-05-26-1lib1ref-office-hours/index.html"] == ["Tue, 26 May 2020, time not recorded"]


STATUS_AND_REPEAT = {
    "events/weekly.md": """\
        ---
        title: Weekly
        status: tentative
        sessions:
          - start: 2024-01-03 10:00
            duration: 1 hour
            timezone: America/New_York
            repeat:
              every: week
              times: 10
              except: [2024-01-17]
          - start: 2024-06-01
        ---
        Weekly.
        """,
    "events/cancelled.md": """\
        ---
        title: Called off
        status: cancelled
        sessions:
          - start: 2024-03-01 15:00
            timezone: Europe/Paris
          - start: 2024-03-08 15:00
            timezone: Europe/Paris
          - start: 2024-03-15 15:00
            timezone: Europe/Paris
        ---
        Off.
        """,
    "events/tentative-past.md": """\
        ---
        title: Was tentative
        status: tentative
        sessions:
          - start: 2023-03-01
        ---
        Past.
        """,
}


def test_cards_of_statuses_repeating_and_several_sessions_say_what_their_pages_say(build_site):
    lines = check_cards_say_what_pages_say(build_site(STATUS_AND_REPEAT))
    assert lines["events/weekly/index.html"] == [
        "Tentative",
        "Every week on Wednesday, 10:00–11:00 Eastern, 10 times",
        "Next: Wed, 24 Jan 2024 10:00–11:00 Eastern",  # 17 January is left out
        "07:00–08:00 Pacific",
        "15:00–16:00 UTC",
        "and 1 more session",
    ]
    assert lines["events/cancelled/index.html"][0] == "Cancelled"
    assert lines["events/cancelled/index.html"][-1] == "and 2 more sessions"
    # Over: the page no longer calls it tentative, and neither does its card.
    assert lines["events/tentative-past/index.html"] == ["Wed, 1 Mar 2023"]


def test_every_card_built_is_at_most_60_kb(real_site):
    cards = list(real_site.output.rglob("share-*.png"))
    assert len(cards) == len(list((Path(__file__).parent.parent / "content" / "events").glob("*.md"))) + 1
    for card in cards:
        check_card_file(card.read_bytes())


EVENTS = {
    "events/first.md": "---\ntitle: First\nsessions:\n  - start: 2024-05-31 10:00\n    timezone: UTC\n---\nOne.\n",
    "events/second.md": "---\ntitle: Second\nsessions:\n  - start: 2024-06-01\n---\nTwo.\n",
}


@pytest.fixture
def counted_renders(monkeypatch):
    drawn = []
    real = share_images.render

    def counting(card):
        drawn.append(card.title)
        return real(card)

    monkeypatch.setattr(share_images, "render", counting)
    return drawn


def _cards(site) -> dict[str, bytes]:
    return {p.relative_to(site.output).as_posix(): p.read_bytes() for p in site.output.rglob("share-*.png")}


def test_a_second_build_draws_no_card_and_a_changed_event_only_its_own(build_site, tmp_path, counted_renders):
    (tmp_path / "cache").mkdir()
    first = _cards(build_site(EVENTS))
    assert sorted(counted_renders) == ["First", "Second", SITE]
    cached = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache" / "share-images").iterdir()}
    assert len(cached) == 3
    counted_renders.clear()
    second = _cards(build_site(EVENTS))
    assert counted_renders == [] and second == first
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache" / "share-images").iterdir()} == cached
    third = _cards(build_site({**EVENTS, "events/first.md": EVENTS["events/first.md"].replace("First", "Renamed")}))
    assert counted_renders == ["Renamed"]
    changed = {name for name in third if third[name] != first.get(name)}
    assert len(changed) == 1 and changed.pop().startswith("events/first/share-")
    # The cache keeps the cards of the last build only.
    assert len(list((tmp_path / "cache" / "share-images").iterdir())) == 3


def test_a_build_without_a_cache_folder_makes_none(build_site, tmp_path, counted_renders):
    # tasks.py refuses to build with a cache folder it did not make; a build that caches nothing must not make one.
    build_site(EVENTS)
    assert not (tmp_path / "cache").exists() and len(counted_renders) == 3
    build_site(EVENTS, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True)
    assert (tmp_path / "cache" / "share-images").is_dir() and len(counted_renders) == 6


def test_an_event_page_points_at_its_own_card(build_site):
    site = build_site(EVENTS)
    page = site.html("events/first/")
    card = card_of(site, page)
    assert card.parent == site.output / "events" / "first" and CARD_NAME.fullmatch(card.name)
    assert meta(page, "og:image:alt") == "First. Fri, 31 May 2024 10:00 UTC. 03:00 Pacific. 06:00 Eastern"
    assert meta(page, "og:url") == f"{BASE}/events/first/"


def test_a_build_with_the_network_refused_still_draws_every_card(build_site, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the build tried the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    site = build_site(EVENTS)
    assert len(_cards(site)) == 3


def test_a_title_in_scripts_the_fonts_lack_still_builds(build_site):
    title = "中文講座 🎉 العربية"
    site = build_site({"events/x.md": f"---\ntitle: {title}\nsessions:\n  - start: 2024-05-31\n---\nBody.\n"})
    page = site.html("events/x/")
    check_card_file(card_of(site, page).read_bytes())
    assert meta(page, "og:image:alt").startswith(title) and meta(page, "og:title").startswith(title)


def test_without_an_absolute_address_no_page_points_anywhere(build_site):
    site = build_site({**EVENTS, **MINIMAL_PAGES}, FEED_DOMAIN="", SITEURL="")
    page = site.html("events/first/")
    assert meta(page, "og:title") and meta(page, "og:url") is None and meta(page, "og:image") is None
    assert os.path.isfile(site.output / "events" / "first" / "index.html")
