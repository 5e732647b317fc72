"""Every word a reader sees comes from the catalogue (or from content, or from CLDR through Babel).

The site is built in French with a fake catalogue that translates every message the project's own
extraction finds (``tools.translations.extract``) into a marked form: ASCII letters become their
full-width look-alikes ("Ｅｖｅｎｔｓ"), inside "⟦…⟧", with placeholders and markup kept. A word of plain
ASCII letters left on a French page is then one of three things: content (the test's content is
written in made-up words, so none is English), a name CLDR gives Babel for French dates and zones, or
a string a template or the plugin shows without passing it through gettext, which fails the test.
"""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import get_day_names, get_month_names, get_timezone_location, get_timezone_name
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from conftest import MINIMAL_PAGES, ROOT, run_all_languages, write_files

sys.path.insert(0, str(ROOT))
from tools import translations  # noqa: E402

FAKE_LANGUAGE = "fr"  # a real CLDR locale, so dates, weekdays and zones are French
LANGUAGES = {"en": "en_GB", FAKE_LANGUAGE: "fr"}
# Placeholders, tags and character references stay as they are in a fake translation.
KEPT = re.compile(r"(%\([a-z_]+\)[sd]|%%|<[^>]*>|&#?\w+;)")
FULL_WIDTH = str.maketrans({letter: chr(ord(letter) + 0xFEE0) for letter in string.ascii_letters})
ASCII_WORD = re.compile(r"[A-Za-z]+")
LOCAL_ZONE = "{zone}"  # where local-time.js puts the reader's zone in the label of the reader's time
SITENAME = "Wikimedia and Libraries User Group"  # a name, the same in every language (pelicanconf.py)

# The content is written in these made-up words only, so that no English word can hide in it.
WORDS = (
    "Velqor Drimsa Quenvi Zorblat Marvesk Tulwen Brisko Fennal Gorvath Holquin Ispret Jandrel Kestova "
    "Lumbrix Nerwal Opsiden Prallic Rondez Skelvar Trindol Ulvaris Wexmoor Yrrin Zanthe Cobrel Dastrin "
    "Elvorn Quorbin Vantrel Xembra"
).split()


def fake(message: str) -> str:
    """The marked "translation" of a message: its letters full-width, its placeholders and markup kept."""
    pieces = KEPT.split(message)
    return "⟦" + "".join(piece if index % 2 else piece.translate(FULL_WIDTH) for index, piece in enumerate(pieces)) + "⟧"


def write_fake_catalogue(folder: Path) -> int:
    """A catalogue for FAKE_LANGUAGE that translates every message of the interface; how many it holds."""
    catalog = Catalog(locale=FAKE_LANGUAGE)
    for message in translations.extract(ROOT):
        if not message.id:
            continue
        if message.pluralizable:
            singular, plural = message.id
            forms = (fake(singular), *[fake(plural)] * (catalog.num_plurals - 1))
            catalog.add(message.id, forms, context=message.context, flags=message.flags)
        else:
            catalog.add(message.id, fake(message.id), context=message.context, flags=message.flags)
    path = folder / FAKE_LANGUAGE / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return len(catalog)


# "Today" is 2024-01-15 (conftest.TEST_TODAY): a site with an event of every kind and state.
SERIES = "---\ntitle: Zorblat Cobrel\nsummary: Dastrin Elvorn.\n---\nQuorbin Vantrel.\n"
EVENTS = {
    # Upcoming, tentative, in a series, with two sessions (one labelled), every detail and a body.
    "events/2024-02-01-velqor.md": """
        ---
        title: Velqor Drimsa
        series: zorblat
        episode: 2
        status: tentative
        summary: Quenvi Marvesk Tulwen.
        hosts: [Brisko Fennal]
        speakers: [Gorvath Holquin]
        organisers: [Ispret Jandrel]
        registration: https://meta.wikimedia.org/wiki/Event:Velqor
        notes: https://example.org/notes
        recording: https://example.org/recording
        tags: [1lib1ref]
        notes_on_source:
          - "Kestova Lumbrix Nerwal."
        sessions:
          - start: 2024-02-01 14:00
            duration: 1 hour
            timezone: Europe/Berlin
            label: Opsiden Prallic
            platform: Rondez
            place: Skelvar Trindol
            join: https://example.org/join
          - start: 2024-02-02 09:00
            duration: 90 minutes
            timezone: America/New_York
        ---
        Ulvaris Wexmoor Yrrin.
        """,
    # The only session of an event, with another sign-up link.
    "events/2024-02-20-yrrin.md": """
        ---
        title: Yrrin Zanthe
        registration: https://example.org/register
        sessions:
          - start: 2024-02-20 10:00
            timezone: Africa/Nairobi
        ---
        """,
    # Happening now: all day, 14 to 16 January.
    "events/2024-01-14-brisko.md": "---\ntitle: Brisko Cobrel\nsessions:\n  - start: 2024-01-14\n    end: 2024-01-16\n---\n",
    # Weekly, with meetings over (more than a page lists), cancelled, moved and with their own link.
    "events/2023-06-01-marvesk.md": """
        ---
        title: Marvesk Tulwen
        sessions:
          - start: 2023-06-01 14:00
            duration: 1 hour
            timezone: Europe/Berlin
            join: https://example.org/weekly
            repeat:
              every: week
              until: 2024-03-28
              except:
                - 2024-01-25
              changes:
                - date: 2023-12-21
                  status: cancelled
                - date: 2024-01-18
                  status: cancelled
                - date: 2024-02-01
                  start: 2024-02-02 15:00
                - date: 2024-02-08
                  join: https://example.org/other
        ---
        """,
    # Monthly: on a weekday (third, last), on a day some months lack, on a day every month has.
    "events/2024-01-18-tulwen.md": """
        ---
        title: Tulwen Dastrin
        sessions:
          - start: 2024-01-18 14:00
            duration: 1 hour
            timezone: UTC
            repeat:
              every: 2 months
              day: third Thursday
              times: 5
          - start: 2024-01-25 14:00
            duration: 1 hour
            timezone: Asia/Kolkata
            repeat:
              every: month
              day: last Thursday
              until: 2024-12-31
          - start: 2024-01-31 10:00
            duration: 1 hour
            timezone: Australia/Sydney
            repeat:
              every: month
          - start: 2024-02-15 10:00
            duration: 1 hour
            timezone: America/Los_Angeles
            repeat:
              every: month
              times: 1
        ---
        """,
    "events/2024-03-01-fennal.md": (
        "---\ntitle: Fennal Elvorn\nstatus: cancelled\nsessions:\n"
        "  - start: 2024-03-01 10:00\n    timezone: UTC\n---\n"
    ),
    "events/2024-03-20-holquin.md": (
        "---\ntitle: Holquin Quorbin\nseries: zorblat\nepisode: 3\nstatus: postponed\nsessions:\n"
        "  - start: 2024-03-20 10:00\n    timezone: UTC\n---\n"
    ),
    "events/2024-06-nerwal.md": "---\ntitle: Nerwal Vantrel\nseries: zorblat\nepisode: 4\nsessions:\n  - start: 2024-06\n---\n",
    "events/2024-05-02-kestova.md": "---\ntitle: Kestova Xembra\nsessions:\n  - start: 2024-05-02\n    time_tba: true\n---\n",
    "events/2025-prallic.md": "---\ntitle: Prallic Velqor\nsessions:\n  - start: 2025\n---\n",
    # Past: held, over, cancelled and postponed; a date, a month or a year only; no date at all.
    "events/2023-05-04-ispret.md": (
        "---\ntitle: Ispret Drimsa\nseries: zorblat\nepisode: 1\nstatus: held\nnotes: https://example.org/n\n"
        "sessions:\n  - start: 2023-05-04 10:00\n    timezone: UTC\n---\n"
    ),
    "events/2023-04-04-jandrel.md": (
        "---\ntitle: Jandrel Quenvi\nrecording: https://example.org/r\nsessions:\n"
        "  - start: 2023-04-04 10:00\n    timezone: UTC\n---\n"
    ),
    "events/2023-06-gorvath.md": "---\ntitle: Gorvath Marvesk\nstatus: cancelled\nsessions:\n  - start: 2023-06\n---\n",
    "events/2022-05-05-trindol.md": (
        "---\ntitle: Trindol Tulwen\nstatus: postponed\nsessions:\n  - start: 2022-05-05 10:00\n    timezone: UTC\n---\n"
    ),
    "events/2023-03-02-lumbrix.md": "---\ntitle: Lumbrix Brisko\nsessions:\n  - start: 2023-03-02\n    time_tba: true\n---\n",
    "events/2023-02-opsiden.md": "---\ntitle: Opsiden Fennal\nsessions:\n  - start: 2023-02\n---\n",
    "events/2022-rondez.md": "---\ntitle: Rondez Gorvath\nsessions:\n  - start: 2022\n---\n",
    "events/undated-skelvar.md": "---\ntitle: Skelvar Holquin\nsessions:\n  - start: unknown\n---\n",
}
OTHER = {
    "series/zorblat.md": SERIES,
    "goals/1-xembra.md": (
        "---\ntitle: Xembra Velqor\norder: 1\nstatus: adopted\nactions:\n  - Drimsa Quenvi.\n"
        "events: [2024-02-01-velqor]\nstories: [fennal]\npages: [quenvi, about]\n---\nMarvesk Tulwen.\n"
    ),
    "goals/2-tulwen.md": (
        "---\ntitle: Tulwen Brisko\norder: 2\nstatus: achieved\nactions:\n  - Fennal Gorvath.\n"
        "  - Holquin Ispret.\n---\n"
    ),
    "goals/3-jandrel.md": "---\ntitle: Jandrel Kestova\norder: 3\nstatus: retired\npages: [quenvi]\n---\n",
    "stories/2023-11-01-fennal.md": (
        "---\ntitle: Fennal Nerwal\nauthor: Opsiden Prallic\ndate: 2023-11-01\nfeatured: Rondez Skelvar\n"
        "library: Trindol Ulvaris\ncountry: Wexmoor\ntags: [Yrrin, Zanthe]\nsummary: Cobrel Dastrin.\n---\n"
        "Elvorn Quorbin.\n"
    ),
    "pages/quenvi.md": "---\ntitle: Quenvi Vantrel\ntemplate: call\nsummary: Xembra Velqor.\n---\nDrimsa Quenvi.\n",
    "pages/marvesk.md": "---\ntitle: Marvesk Brisko\ntemplate: campaign\n---\nTulwen Fennal.\n",
    "pages/gorvath.md": "---\ntitle: Gorvath Holquin\ntemplate: open-tasks\n---\nIspret Jandrel.\n",
    "pages/about.md": "---\ntitle: Kestova Lumbrix\n---\nNerwal Opsiden.\n",
    "pages/join.md": "---\ntitle: Prallic Rondez\n---\nSkelvar Trindol.\n",
}
# Every kind of page; the home page also as it is with nothing upcoming and no stories (QUIET).
PAGES = [
    "",
    "events/",
    "stories/",
    "goals/",
    "404.html",
    "events/2024-02-01-velqor/",
    "events/2024-02-20-yrrin/",
    "events/2024-01-14-brisko/",
    "events/2023-06-01-marvesk/",
    "events/2024-01-18-tulwen/",
    "events/2024-03-01-fennal/",
    "events/2024-03-20-holquin/",
    "events/2024-06-nerwal/",
    "events/2024-05-02-kestova/",
    "events/2025-prallic/",
    "events/2023-05-04-ispret/",
    "events/2023-04-04-jandrel/",
    "events/2023-06-gorvath/",
    "events/2022-05-05-trindol/",
    "events/2023-03-02-lumbrix/",
    "events/2023-02-opsiden/",
    "events/2022-rondez/",
    "events/undated-skelvar/",
    "events/series/zorblat/",
    "stories/fennal/",
    "quenvi/",
    "marvesk/",
    "gorvath/",
    "about/",
    "join/",
]
QUIET = {
    "series/zorblat.md": SERIES,
    "events/2023-05-04-ispret.md": EVENTS["events/2023-05-04-ispret.md"],
    "events/2022-rondez.md": EVENTS["events/2022-rondez.md"],
    **MINIMAL_PAGES,
}
QUIET_PAGES = ["", "events/", "stories/"]
DISPLAY_ZONES = ("America/Los_Angeles", "America/New_York", "UTC", "Europe/Paris", "Africa/Nairobi")
SESSION_ZONES = ("Europe/Berlin", "Asia/Kolkata", "Australia/Sydney")


def cldr_words(locale: str, zones: tuple[str, ...]) -> set[str]:
    """The words CLDR gives a French page: month and weekday names, in every width, and zone names."""
    names = []
    for width in ("wide", "abbreviated", "narrow"):
        for context in ("format", "stand-alone"):
            names += get_month_names(width, context, locale).values()
            names += get_day_names(width, context, locale).values()
    for zone in zones:
        names.append(get_timezone_name(ZoneInfo(zone), "long", locale=locale))
        names.append(get_timezone_location(ZoneInfo(zone), locale=locale, return_city=True))
    return {word for name in names for word in ASCII_WORD.findall(name)}


def shown_text(page) -> list[str]:
    """What a reader sees of a page's own part, and what screen readers and search engines read."""
    main = page.find("main")
    texts = [main.get_text(" "), page.title.get_text(" ")]
    texts += [tag["content"] for tag in page.select('meta[name="description"]')]
    for attribute in ("aria-label", "title", "alt"):
        texts += [tag[attribute] for tag in main.select(f"[{attribute}]")]
    # The label of the reader's own time, which local-time.js completes with the zone's name.
    texts += [tag["data-label"].replace(LOCAL_ZONE, "") for tag in main.select("[data-label]")]
    return texts


def untranslated(page, allowed: set[str]) -> list[str]:
    found = []
    for text in shown_text(page):
        for word in ASCII_WORD.findall(text.replace(SITENAME, "")):
            if word not in allowed:
                found.append(word)
    return found


@pytest.fixture(scope="module")
def fake_sites(tmp_path_factory):
    """The test site and a quiet one, each built in English and in French with the fake catalogue."""
    base = tmp_path_factory.mktemp("i18n")
    catalogues = base / "translations"
    count = write_fake_catalogue(catalogues)
    built = {}
    for name, files in (("full", {**EVENTS, **OTHER}), ("quiet", QUIET)):
        content = base / name / "content"
        write_files(content, files)
        built[name] = run_all_languages(content, base / name / "output", LANGUAGES, catalogues)
    return built, count


def test_the_fake_catalogue_holds_every_message(fake_sites):
    """The test below is only as good as the catalogue: it must translate the interface's messages."""
    _, count = fake_sites
    assert count > 150


@pytest.mark.parametrize(("site", "relative"), [("full", page) for page in PAGES] + [("quiet", p) for p in QUIET_PAGES])
def test_no_english_word_outside_content_on_a_translated_page(fake_sites, site, relative):
    built, _ = fake_sites
    allowed = set(WORDS) | cldr_words("fr", DISPLAY_ZONES + SESSION_ZONES) | {"UTC", "GMT"}
    page = built[site][FAKE_LANGUAGE].html(relative)
    assert untranslated(page, allowed) == []
    # The English build of the same page is the control: the same check finds its English words.
    assert untranslated(built[site]["en"].html(relative), allowed)
