"""Every word a reader sees comes from the catalogue (or from content, or from CLDR through Babel).

The site is built in French with a fake catalogue that translates every message the project's own
extraction finds (``tools.translations.extract``) into a marked form: ASCII letters become their
full-width look-alikes ("Ｅｖｅｎｔｓ"), inside "⟦…⟧", with placeholders and markup kept. A word of plain
ASCII letters left on a French page is then one of three things: content (the test's content is
written in made-up words, so none is English), a name CLDR gives Babel for French dates and zones, or
a string a template or the plugin shows without passing it through gettext, which fails the test.

Then the repeat rules (weekday names from CLDR in every language of the site, each phrase a message of
its own), and local-time.js, which labels the reader's own time with the words the page gives it.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import string
import subprocess
import sys
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from babel.dates import get_day_names, get_month_names, get_timezone_location, get_timezone_name
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from community_events.display import repeat_sentence
from community_events.frontmatter import decode, split
from community_events.model import parse_event
from community_events.options import DEFAULTS, load
from conftest import MINIMAL_PAGES, ROOT, run_all_languages, write_files
from pelican.settings import read_settings

sys.path.insert(0, str(ROOT))
from tools import translations  # noqa: E402

FAKE_LANGUAGE = "fr"  # a real CLDR locale, so dates, weekdays and zones are French
LANGUAGES = {"en": "en_GB", FAKE_LANGUAGE: "fr"}
# Placeholders, tags and character references stay as they are in a fake translation.
KEPT = re.compile(r"(%\([a-z_]+\)[sd]|%%|<[^>]*>|&#?\w+;)")
FULL_WIDTH = str.maketrans({letter: chr(ord(letter) + 0xFEE0) for letter in string.ascii_letters})
ASCII_WORD = re.compile(r"[A-Za-z]+")
LOCAL_ZONE = "{zone}"  # where local-time.js puts the reader's zone in the label of the reader's time
# The site's name is a name, the same in every language.
SITENAME = read_settings(str(ROOT / "pelicanconf.py"))["SITENAME"]

# The content is written in these made-up words only, so that no English word can hide in it.
WORDS = (
    "Velqor Drimsa Quenvi Zorblat Marvesk Tulwen Brisko Fennal Gorvath Holquin Ispret Jandrel Kestova "
    "Lumbrix Nerwal Opsiden Prallic Rondez Skelvar Trindol Ulvaris Wexmoor Yrrin Zanthe Cobrel Dastrin "
    "Elvorn Quorbin Vantrel Xembra"
).split()


def fake(message: str) -> str:
    """The marked "translation" of a message: its letters full-width, its placeholders and markup kept."""
    pieces = KEPT.split(message)  # with the kept parts at the odd indexes
    marked = "".join(piece if index % 2 else piece.translate(FULL_WIDTH) for index, piece in enumerate(pieces))
    return f"⟦{marked}⟧"


def write_fake_catalogue(folder: Path) -> Path:
    """A catalogue for FAKE_LANGUAGE that translates every message of the interface; its path."""
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
    return path


def event(title: str, start: str, fields: str = "", session: str = "") -> str:
    """A short event file: its title, other fields (YAML lines), and one session from ``start``."""
    lines = ["---", f"title: {title}", *fields.splitlines(), "sessions:", f"  - start: {start}"]
    lines += [f"    {line}" for line in session.splitlines()] + ["---", ""]
    return "\n".join(lines)


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
        tags: [Zanthe Cobrel]
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
    "events/2024-01-14-brisko.md": event("Brisko Cobrel", "2024-01-14", session="end: 2024-01-16"),
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
    # Monthly: on a weekday (third, last), on a day some months lack, on a day every month has; weekly, over.
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
          - start: 2023-10-05 10:00
            duration: 1 hour
            timezone: UTC
            repeat:
              every: 2 weeks
              until: 2023-11-30
        ---
        """,
    "events/2024-03-01-fennal.md": event("Fennal Elvorn", "2024-03-01 10:00", "status: cancelled", "timezone: UTC"),
    "events/2024-03-holquin.md": event("Holquin Quorbin", "2024-03", "series: zorblat\nepisode: 3\nstatus: postponed"),
    "events/2024-06-nerwal.md": event("Nerwal Vantrel", "2024-06", "series: zorblat\nepisode: 4"),
    "events/2024-05-02-kestova.md": event("Kestova Xembra", "2024-05-02", session="time_tba: true"),
    "events/2025-prallic.md": event("Prallic Velqor", "2025"),
    # Past: held, over, cancelled and postponed; a date, a month or a year only; no date at all.
    "events/2023-05-04-ispret.md": event(
        "Ispret Drimsa",
        "2023-05-04 10:00",
        "series: zorblat\nepisode: 1\nstatus: held\nnotes: https://example.org/n",
        "timezone: UTC",
    ),
    "events/2023-04-04-jandrel.md": event(
        "Jandrel Quenvi", "2023-04-04 10:00", "recording: https://example.org/r", "timezone: UTC"
    ),
    "events/2023-06-gorvath.md": event("Gorvath Marvesk", "2023-06", "status: cancelled"),
    "events/2022-05-05-trindol.md": event("Trindol Tulwen", "2022-05-05 10:00", "status: postponed", "timezone: UTC"),
    "events/2023-03-02-lumbrix.md": event("Lumbrix Brisko", "2023-03-02", session="time_tba: true"),
    "events/2023-02-opsiden.md": event("Opsiden Fennal", "2023-02"),
    "events/2022-rondez.md": event("Rondez Gorvath", "2022"),
    "events/undated-skelvar.md": event("Skelvar Holquin", "unknown"),
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
# Every kind of page, in every state.
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
    "events/2024-03-holquin/",
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
    "events/tags/zanthe-cobrel/",
    "subscribe/",
    "search/",
    "stories/fennal/",
    "quenvi/",
    "marvesk/",
    "gorvath/",
    "about/",
    "join/",
]
# Nothing upcoming, no stories, and an empty calendar feed; then an upcoming event with no exact date yet.
QUIET = {
    "events/2022-rondez.md": EVENTS["events/2022-rondez.md"],
    "events/undated-skelvar.md": EVENTS["events/undated-skelvar.md"],
    **MINIMAL_PAGES,
}
VAGUE = {"events/2024-06-nerwal.md": event("Nerwal Vantrel", "2024-06"), **MINIMAL_PAGES}
OTHER_SITES = [("quiet", relative) for relative in ("", "events/", "stories/")] + [("vague", "events/")]
# The zones the pages show: the site's display zones, and the sessions' own.
ZONES = (*DEFAULTS["display_zones"], "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney")


def cldr_words(locale: str, zones: tuple[str, ...]) -> set[str]:
    """The words CLDR gives a French page: month and weekday names, in every width, zone names, and the
    names of the site's languages (each in itself, as the language switcher names them, and in French)."""
    names = [Locale.parse(code).get_display_name(language) for code in LANGUAGES for language in (code, locale)]
    for width in ("wide", "abbreviated", "narrow"):
        for context in ("format", "stand-alone"):
            names += get_month_names(width, context, locale).values()
            names += get_day_names(width, context, locale).values()
    for zone in zones:
        names.append(get_timezone_name(ZoneInfo(zone), "long", locale=locale))
        names.append(get_timezone_location(ZoneInfo(zone), locale=locale, return_city=True))
    return {word for name in names for word in ASCII_WORD.findall(name)}


# The search page's attributes that are not words: where Pagefind is, the filters (read below), a number.
SEARCH_DATA = {"data-bundle", "data-filters", "data-shown"}


def shown_text(page) -> list[str]:
    """What a reader sees of a page's own part, and what screen readers and search engines read."""
    main = copy.copy(page.find("main"))
    # Not words: the hidden values Pagefind files an event under (what the search page's filters match), and the
    # addresses of feeds, which the Subscribe page shows as code to copy.
    for tag in main.select("[data-pagefind-ignore][hidden], code.feed-url"):
        tag.decompose()
    texts = [main.get_text(" "), page.title.get_text(" ")]
    texts += [tag["content"] for tag in page.select('meta[name="description"]')]
    for attribute in ("aria-label", "title", "alt"):
        texts += [tag[attribute] for tag in main.select(f"[{attribute}]")]
    # The label of the reader's own time, which local-time.js completes with the zone's name.
    texts += [tag["data-label"].replace(LOCAL_ZONE, "") for tag in main.select("[data-label]")]
    # The search page's words, which search.js shows: the filters' legends and labels (but the topics' names, which
    # are content), and the sentences in its attributes, where the script puts the number and the query.
    for search in main.select("#search"):
        for facet in json.loads(search["data-filters"]):
            texts.append(facet["legend"])
            texts += [choice["label"] for choice in facet["choices"] if facet["key"] != "tag"]
        texts += [
            value.replace("{num}", "").replace("{query}", "")
            for name, value in search.attrs.items()
            if name.startswith("data-") and name not in SEARCH_DATA
        ]
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
    """The test sites, each built in English and in French with the fake catalogue."""
    base = tmp_path_factory.mktemp("i18n")
    catalogues = base / "translations"
    catalogue = write_fake_catalogue(catalogues)
    built = {}
    for name, files in (("full", {**EVENTS, **OTHER}), ("quiet", QUIET), ("vague", VAGUE)):
        content = base / name / "content"
        write_files(content, files)
        built[name] = run_all_languages(content, base / name / "output", LANGUAGES, catalogues)
    return built, catalogue


def test_the_fake_catalogue_translates_every_message_and_keeps_each_placeholder(fake_sites):
    """The test below is only as good as the catalogue: the project's own check finds nothing to fix in it."""
    _, catalogue = fake_sites
    assert translations.problems(catalogue) == []


@pytest.mark.parametrize(("site", "relative"), [("full", page) for page in PAGES] + OTHER_SITES)
def test_no_english_word_outside_content_on_a_translated_page(fake_sites, site, relative):
    built, _ = fake_sites
    allowed = set(WORDS) | cldr_words(LANGUAGES[FAKE_LANGUAGE], ZONES) | {"UTC"}  # UTC: a name in every language
    page = built[site][FAKE_LANGUAGE].html(relative)
    assert untranslated(page, allowed) == []
    # The English build of the same page is the control: the same check finds its English words.
    assert untranslated(built[site]["en"].html(relative), allowed)


# --- Repeat rules: whole phrases translated, weekday names from CLDR ------------------------------

# A Tuesday every week, and the third Thursday of every month.
REPEATING = """
    ---
    title: Velqor Zanthe
    sessions:
      - start: 2024-01-16 18:00
        duration: 1 hour
        timezone: UTC
        repeat:
          every: week
      - start: 2024-01-18 14:00
        duration: 1 hour
        timezone: UTC
        repeat:
          every: month
          day: third Thursday
          times: 5
    ---
    """
TUESDAY, THURSDAY = 1, 3  # Babel's weekday numbers, Monday 0


def test_the_repeat_rule_names_the_weekday_in_each_of_the_sites_languages(tmp_path):
    """With the project's own catalogues, in every language of pelicanconf.py."""
    languages = read_settings(str(ROOT / "pelicanconf.py"))["COMMUNITY_EVENTS"]["languages"]
    assert {"es", "fr", "pt", "ar"} <= set(languages)
    write_files(tmp_path / "content", {"events/2024-01-16-velqor.md": REPEATING, **MINIMAL_PAGES})
    built = run_all_languages(tmp_path / "content", tmp_path / "output", languages, ROOT / "translations")
    english = get_day_names("wide", locale="en")
    for code, locale in languages.items():
        weekly, monthly = [
            rule.get_text(" ", strip=True)
            for rule in built[code].html("events/2024-01-16-velqor/").select(".repeat-rule")
        ]
        names = get_day_names("wide", locale=locale)
        assert names[TUESDAY] in weekly, (code, weekly)
        assert names[THURSDAY] in monthly, (code, monthly)
        if not locale.startswith("en"):
            assert english[TUESDAY] not in weekly and english[THURSDAY] not in monthly, (code, weekly, monthly)


def write_catalogue(folder: Path, locale: str, messages: dict) -> None:
    catalog = Catalog(locale=locale)
    for message, translation in messages.items():
        catalog.add(message, translation)
    path = folder / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_a_rule_is_translated_phrase_by_phrase_and_a_language_may_reorder_them(tmp_path):
    """Portuguese says "na terceira quinta-feira": the ordinal agrees with the weekday, so each ordinal is a
    message of its own; the sentence's frame is a message too, here with the time first."""
    write_catalogue(
        tmp_path,
        "pt",
        {
            ("Every month", "Every %(num)d months"): ("Todos os meses", "A cada %(num)d meses"),
            "on the third %(weekday)s": "na terceira %(weekday)s",
            "%(every)s %(day)s, %(time)s, %(end)s": "%(time)s: %(every)s %(day)s (%(end)s)",
            ("%(num)d time", "%(num)d times"): ("%(num)d vez", "%(num)d vezes"),
        },
    )
    options = load(
        {
            "DEFAULT_LANG": "pt",
            "COMMUNITY_EVENTS": {"languages": {"en": "en_GB", "pt": "pt"}, "translations_path": str(tmp_path)},
        }
    )
    parsed = parse_event(
        "content/events/x.md", "x", split("x.md", decode("x.md", textwrap.dedent(REPEATING).strip().encode())).fields
    )
    monthly = parsed.sessions[1]
    sentence = repeat_sentence(monthly, options)
    thursday = get_day_names("wide", locale="pt")[THURSDAY]
    assert sentence.endswith(f": Todos os meses na terceira {thursday} (5 vezes)"), sentence
    # The English sentence, from the same session, for comparison: the site's own language has no catalogue.
    english = load({"COMMUNITY_EVENTS": {"languages": {"en": "en_GB", "pt": "pt"}, "translations_path": str(tmp_path)}})
    assert repeat_sentence(monthly, english).startswith("Every month on the third Thursday, ")


# --- The reader's own time: the script writes the page's words -----------------------------------

# local-time.js run by Node on a stand-in for the one slot of a page it fills, in a reader's zone.
RUN_SCRIPT = """
const slot = {dataset: JSON.parse(process.argv[2]), hidden: true, append(...parts) { this.parts = parts; }};
global.document = {
  documentElement: {dataset: {locale: process.argv[3]}, lang: process.argv[3]},
  querySelectorAll: (selector) => (selector.startsWith(".local-time") ? [slot] : []),
  createElement: () => ({dataset: {}, setAttribute() {}}),
};
global.setInterval = () => 0;
eval(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(JSON.stringify({hidden: slot.hidden, label: slot.parts[0].textContent}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the page's script")
def test_the_script_labels_the_readers_time_with_the_pages_own_words(fake_sites):
    built, _ = fake_sites
    page = built["full"][FAKE_LANGUAGE].html("events/2024-02-20-yrrin/")
    slot = page.select_one(".local-time[data-start]")
    script = ROOT / "theme" / "static" / "js" / "local-time.js"
    data = {"start": slot["data-start"], "label": slot["data-label"]}
    done = subprocess.run(
        ["node", "-e", RUN_SCRIPT, str(script), json.dumps(data), page.html["data-locale"]],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": "America/Sao_Paulo"},
    )
    shown = json.loads(done.stdout)
    assert shown["hidden"] is False
    assert LOCAL_ZONE in data["label"] and "⟦" in data["label"]
    assert shown["label"] == data["label"].replace(LOCAL_ZONE, "America/Sao Paulo") + " "
