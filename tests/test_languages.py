"""The site in five languages: one build per language, translated content, the catalogues and their round trip."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from community_events.errors import ContentErrors
from community_events.options import SettingsError, load
from conftest import ROOT, run_all_languages, write_files
from pelican.settings import read_settings

sys.path.insert(0, str(ROOT))
from tools import translations as catalogues  # noqa: E402

SITE_LANGUAGES = read_settings(str(ROOT / "pelicanconf.py"))["COMMUNITY_EVENTS"]["languages"]
OTHER_LANGUAGES = list(SITE_LANGUAGES)[1:]

ABOUT = "---\ntitle: About\nsummary: Who we are.\n---\nWe are librarians.\n"
ABOUT_FR = "---\ntitle: À propos\nsummary: Qui nous sommes.\n---\nNous sommes bibliothécaires.\n"
MEETUP = """\
---
title: Global meetup
summary: Librarians meet online.
notes_on_source:
  - "The page gives no year; we read 2024."
sessions:
  - start: 2024-05-30 09:00
    timezone: Australia/Sydney
    duration: 1 hour
    platform: Zoom
---
An hour to share what works.
"""
MEETUP_FR = """\
---
title: Rencontre mondiale
summary: Des bibliothécaires se retrouvent en ligne.
notes_on_source:
  - "La page ne donne pas d'année ; nous lisons 2024."
---
Une heure pour partager ce qui marche.
"""


def build_languages(content: Path, output: Path) -> Path:
    """Every language's build, as tasks.py runs them (conftest.run_all_languages): the site's own language at the
    root first."""
    run_all_languages(content, output, SITE_LANGUAGES, ROOT / "translations")
    return output


def html(output: Path, relative: str) -> BeautifulSoup:
    path = output / relative
    if relative.endswith("/") or relative == "":
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("languages")
    write_files(
        base / "content",
        {
            "pages/about.md": ABOUT,
            "pages/about.fr.md": ABOUT_FR,
            "pages/join.md": "---\ntitle: Join\n---\nJoin us.\n",
            "events/2024-05-30-meetup.md": MEETUP,
            "events/2024-05-30-meetup.fr.md": MEETUP_FR,
            "events/2024-06-01-office-hours.md": MEETUP.replace("Global meetup", "Office hours"),
        },
    )
    return build_languages(base / "content", base / "output")


@pytest.mark.parametrize("code", list(SITE_LANGUAGES))
def test_every_page_kind_exists_in_every_language(translated_site, code):
    prefix = "" if code == list(SITE_LANGUAGES)[0] else f"{code}/"
    for page in ("", "events/", "events/2024-05-30-meetup/", "stories/", "goals/", "about/", "404.html"):
        soup = html(translated_site, prefix + page)
        assert soup.html["lang"] == code, page
        assert soup.html["dir"] == ("rtl" if code == "ar" else "ltr"), page


def test_feeds_and_the_sitemap_are_written_once_at_the_root(translated_site):
    assert (translated_site / "calendar.ics").exists() and (translated_site / "sitemap.xml").exists()
    for code in OTHER_LANGUAGES:
        assert not list((translated_site / code).rglob("*.ics")), code
        assert not (translated_site / code / "sitemap.xml").exists()
        assert not (translated_site / code / "theme").exists()


def test_the_language_switcher_keeps_the_reader_on_the_same_page(translated_site):
    soup = html(translated_site, "fr/events/2024-05-30-meetup/")
    switcher = soup.find("nav", class_="languages")
    links = {a["lang"]: a["href"] for a in switcher.find_all("a")}
    assert links == {
        code: ("" if code == "en" else f"/{code}") + "/events/2024-05-30-meetup/" for code in SITE_LANGUAGES
    }
    assert switcher.find("a", attrs={"aria-current": "page"})["lang"] == "fr"


def test_the_sitemap_lists_every_language_of_every_page(translated_site):
    tree = ElementTree.parse(translated_site / "sitemap.xml")
    names = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    for url in tree.getroot().findall("s:url", names):
        location = url.find("s:loc", names).text
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", names)}
        assert set(alternates) == set(SITE_LANGUAGES), location
        assert alternates["en"] == location


def test_a_translated_event_shows_its_translation_and_the_same_instants(translated_site):
    english = html(translated_site, "events/2024-05-30-meetup/")
    french = html(translated_site, "fr/events/2024-05-30-meetup/")
    assert french.find("h1").get_text(strip=True) == "Rencontre mondiale"
    assert "Une heure pour partager" in french.find("main").get_text()
    assert "La page ne donne pas" in french.find("main").get_text()
    assert [t["datetime"] for t in french.find_all("time")] == [t["datetime"] for t in english.find_all("time")]


def test_an_untranslated_event_shows_the_original_marked_as_english(translated_site):
    french = html(translated_site, "fr/events/2024-06-01-office-hours/")
    assert french.find("h1").get_text(strip=True) == "Office hours"
    marked = french.find(attrs={"lang": "en"}, class_="untranslated")
    assert marked is not None and "An hour to share what works." in marked.get_text()
    assert french.find("h1")["lang"] == "en" and "dir" not in french.find("h1").attrs  # French and English: both ltr
    arabic = html(translated_site, "ar/events/2024-06-01-office-hours/")
    assert arabic.find("h1")["lang"] == "en" and arabic.find("h1")["dir"] == "ltr"
    assert arabic.find(class_="untranslated")["dir"] == "ltr"
    assert french.find(class_="untranslated-note") is not None


def test_a_translated_page_and_an_untranslated_one(translated_site):
    assert html(translated_site, "fr/about/").find("h1").get_text(strip=True) == "À propos"
    assert html(translated_site, "es/about/").find("h1").get_text(strip=True) == "About"
    assert html(translated_site, "fr/join/").find(class_="untranslated-note") is not None
    assert html(translated_site, "fr/about/").find(class_="untranslated-note") is None


def test_the_calendar_keeps_the_original_title(translated_site):
    feed = (translated_site / "calendar.ics").read_text(encoding="utf-8")
    assert "SUMMARY:Global meetup" in feed and "Rencontre" not in feed


# --- refusals ---------------------------------------------------------------------------------


def _errors(tmp_path, files: dict[str, str]) -> list[str]:
    write_files(tmp_path / "content", {"pages/join.md": "---\ntitle: Join\n---\nJoin us.\n", **files})
    with pytest.raises(ContentErrors) as raised:
        build_languages(tmp_path / "content", tmp_path / "output")
    return [str(error) for error in raised.value.errors]


def test_a_translation_may_not_carry_the_schedule(tmp_path):
    translation = MEETUP_FR.replace("title: Rencontre mondiale\n", "title: Rencontre mondiale\nstatus: cancelled\n")
    [error] = _errors(tmp_path, {"events/meetup.md": MEETUP, "events/meetup.fr.md": translation})
    assert error.startswith("content/events/meetup.fr.md:3: ")
    assert '"status" belongs only in the original, content/events/meetup.md' in error


def test_a_translation_that_drops_a_note_contradicts_the_original(tmp_path):
    translation = MEETUP_FR.replace('notes_on_source:\n  - "La page ne donne pas d\'année ; nous lisons 2024."\n', "")
    translation = translation.replace("summary:", 'notes_on_source: ["Une", "Deux"]\nsummary:')
    [error] = _errors(tmp_path, {"events/meetup.md": MEETUP, "events/meetup.fr.md": translation})
    assert "has 2 item(s) but the original, content/events/meetup.md, has 1" in error


def test_a_translation_without_an_original_or_into_another_language(tmp_path):
    errors = _errors(tmp_path, {"pages/about.fr.md": ABOUT_FR, "pages/join.de.md": ABOUT})
    assert any(
        "content/pages/about.fr.md: is a translation of about.md, which is not in this folder" in e for e in errors
    )
    assert any('content/pages/join.de.md: the name reads as a translation into "de"' in e for e in errors)


def test_a_missing_catalogue_is_a_settings_error(tmp_path):
    with pytest.raises(SettingsError, match="the language es has no catalogue"):
        load(
            {
                "DEFAULT_LANG": "es",
                "COMMUNITY_EVENTS": {"languages": {"en": "en_GB", "es": "es"}, "translations_path": str(tmp_path)},
            }
        )


# --- catalogues -------------------------------------------------------------------------------


def test_the_catalogues_round_trip_with_no_change(tmp_path):
    """`invoke translations` on a clean checkout changes nothing: the template and every catalogue are current."""
    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", copy)
    assert catalogues.sync(ROOT, copy, OTHER_LANGUAGES) == []
    for path in copy.rglob("*.po*"):
        assert path.read_bytes() == (ROOT / "translations" / path.relative_to(copy)).read_bytes(), path


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_catalogue_is_complete_and_its_placeholders_match(code):
    assert catalogues.problems(catalogues.catalogue_path(ROOT / "translations", code)) == []


def test_the_catalogue_check_finds_what_it_must(tmp_path):
    path = tmp_path / "messages.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Untranslated"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Fuzzy"\nmsgstr "Flou"\n\n'
        '#, python-format\nmsgid "Episode %(number)s"\nmsgstr "Épisode %(numero)s"\n',
        encoding="utf-8",
    )
    found = catalogues.problems(path)
    assert any("'Untranslated': is not translated" in problem for problem in found)
    assert any("'Fuzzy': is marked fuzzy" in problem for problem in found)
    assert any("Episode %(number)s" in problem and "numero" in problem for problem in found)


# --- the group's own content -----------------------------------------------------------------


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("real-languages")
    shutil.copytree(ROOT / "content", base / "content")
    return build_languages(base / "content", base / "output")


HANGOUT = "events/2019-05-30-1lib1ref-hangout/"


@pytest.mark.parametrize("code", ["es", "ar"])
def test_the_hangout_shows_the_same_instants_with_cldr_zone_names(real_site, code):
    from zoneinfo import ZoneInfo

    from babel.dates import get_timezone_location

    english, translated = html(real_site, HANGOUT), html(real_site, f"{code}/{HANGOUT}")
    instants = [t["datetime"] for t in english.find_all("time")]
    assert instants and [t["datetime"] for t in translated.find_all("time")] == instants
    # The hangout's own zone by CLDR's name for it in the page's language, Babel as the oracle ("Sídney").
    sydney = get_timezone_location(ZoneInfo("Australia/Sydney"), locale=SITE_LANGUAGES[code], return_city=True)
    times = " ".join(t.parent.get_text(" ") for t in translated.find_all("time"))
    assert sydney in times and sydney != "Sydney" and "Sydney" not in times
    assert ("jue, 30 may 2019 9:00" if code == "es" else "الخميس، 30 مايو 2019") in times


def test_a_spanish_session_names_every_display_zone_as_cldr_does(translated_site):
    from zoneinfo import ZoneInfo

    from babel.dates import get_timezone_name

    times = html(translated_site, "es/events/2024-05-30-meetup/").find("ul", class_="zone-times").get_text(" ")
    assert "hora del Pacífico" in times and "Pacific" not in times
    assert get_timezone_name(ZoneInfo("America/New_York"), "long", locale="es") in times


def test_every_page_of_the_real_site_exists_in_every_language(real_site):
    english = sorted(
        str(p.relative_to(real_site))
        for p in real_site.rglob("*.html")
        if p.relative_to(real_site).parts[0] not in (*OTHER_LANGUAGES, "embed") and p.name != "404.html"
    )
    for code in OTHER_LANGUAGES:
        assert sorted(str(p.relative_to(real_site / code)) for p in (real_site / code).rglob("*.html")) == sorted(
            english + ["404.html"]
        ), code


def test_a_translation_passes_the_same_html_allowlist_as_its_original(tmp_path):
    hostile = "---\ntitle: Acerca\n---\n<script>alert(1)</script>\n"
    [error] = _errors(tmp_path, {"pages/about.md": ABOUT, "pages/about.es.md": hostile})
    assert error.startswith("content/pages/about.es.md:4: ") and "raw <script> tag" in error
