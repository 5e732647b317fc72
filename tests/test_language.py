"""An event's language and country: the checks (canonical forms, refusals with the code meant), the names
the page shows (from CLDR, in the build's locale, the autonym marked with its language), and the ways a file
gets them (new-event, the proposal form).

The expected names and codes are written out from ISO 639, ISO 3166 and CLDR's published names, not read
back from the code under test.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from babel import Locale
from bs4 import BeautifulSoup
from community_events import display, locales, scaffold
from community_events.errors import ContentError
from community_events.model import MAX_LANGUAGES, parse_file
from community_events.options import load
from conftest import ROOT, assert_clear_sentence
from test_proposal import _convert, _front_matter, form_body

PATH = "content/events/2024-05-31-talk.md"
OPTIONS = load({"COMMUNITY_EVENTS": {"today": "2024-01-15"}})
FRENCH = load({"COMMUNITY_EVENTS": {"today": "2024-01-15", "languages": {"fr": "fr_FR"}}, "DEFAULT_LANG": "fr"})
SESSION = "sessions:\n  - start: 2024-05-31 14:00\n    timezone: UTC\n"


def event(fields: str):
    """An event file with ``fields`` from line 3 (line 1 is "---", line 2 the title)."""
    text = f"---\ntitle: Talk\n{fields.strip()}\n{SESSION}---\nBody.\n"
    return parse_file(PATH, text.encode(), "events").item


def refusal(fields: str) -> str:
    with pytest.raises(ContentError) as caught:
        event(fields)
    return str(caught.value)


# --- The language: canonical tags ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("es", "es"),
        ("ES", "es"),
        ("pt-br", "pt-BR"),
        ("PT-BR", "pt-BR"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("sr-latn", "sr-Latn"),
        ("es-419", "es-419"),
        ("sw", "sw"),
        ("fil", "fil"),
        ("ay", "ay"),  # Aymara: CLDR names it, but has no locale data for it
        (" ar ", "ar"),
    ],
)
def test_a_language_is_kept_as_its_canonical_bcp47_tag(written, kept):
    assert event(f'language: "{written}"').language == kept
    assert event(f'language: "{written}"').languages == (kept,)


def test_several_languages_are_a_list_and_language_is_the_first():
    held = event("language:\n  - es\n  - en\n  - pt-br")
    assert held.languages == ("es", "en", "pt-BR")
    assert held.language == "es"
    assert event("language: [sw, en]").languages == ("sw", "en")


def test_no_language_is_none():
    assert event("summary: Hi").language is None and event("summary: Hi").languages == ()
    assert event('language: ""').language is None


@pytest.mark.parametrize(
    ("written", "words"),
    [
        # A language's name, in English, in itself, in French, misspelt: the sentence gives the code.
        ("Spanish", '"es"'),
        ("Español", '"es"'),
        ("espanol", '"es"'),
        ("Espagnol", '"es"'),
        ("Spansh", '"es"'),
        ("Kiswahili", '"sw"'),
        ("Portuguese", '"pt"'),
        ("Brazilian Portuguese", '"pt-BR"'),
        ("العربية", '"ar"'),
        # A language's own name comes first: CLDR's Luba-Katanga (lu) calls itself Tshiluba, a name
        # other languages give Luba-Lulua (lua).
        ("Tshiluba", '"lu"'),
        # Codes that are not BCP 47's: old ones, ISO 639-2's three letters, Babel's and POSIX's underscore.
        ("iw", '"he"'),
        ("spa", '"es"'),
        ("en_US", "not a language code"),
        # Well formed, but nothing CLDR knows, or not one language.
        ("xx", "not a language code"),
        ("en-XX", '"XX", which is not a country or region code'),
        ("en-EU", '"EU", which is not a country or region code'),
        ("sr-Abcd", '"Abcd", which is not a script code'),
        ("und", "does not name one language"),
        ("mul", "does not name one language"),
        ("zxx", "does not name one language"),
        # Variants and extensions are refused: no event needs them.
        ("ca-ES-valencia", "not a language code"),
        ("en-x-private", "not a language code"),
        # Several on one line: the sentence writes the list.
        ("English, Spanish", "language: [en, es]"),
        ("en/es", "language: [en, es]"),
    ],
)
def test_a_language_that_is_not_a_tag_is_refused_with_the_code_meant(written, words):
    sentence = refusal(f'language: "{written}"')
    assert_clear_sentence(sentence, f"{PATH}:3", words)
    assert sentence.startswith(f'{PATH}:3: language "')


def test_a_refused_language_in_a_list_names_the_line_of_its_item():
    assert_clear_sentence(refusal("language:\n  - en\n  - Spanish"), f"{PATH}:5", 'write the code for Spanish, "es"')
    assert_clear_sentence(refusal("language:\n  - en\n  - EN"), f"{PATH}:5", 'lists "en" twice')


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ("language: 12", "should be a language code"),
        ("language: true", "should be a language code"),
        ("language:\n  code: es", "should be a language code"),
        ("language: [en, 12]", "should be a list of language codes"),
        ("language: [" + ", ".join(["en", "es", "fr", "de", "sw", "ar"][: MAX_LANGUAGES + 1]) + "]", "more than the"),
        ("language: " + "a" * 200, "too long to be a language code"),
    ],
)
def test_a_language_field_of_the_wrong_shape_is_one_clear_sentence(fields, words):
    assert_clear_sentence(refusal(fields), f"{PATH}:3", words)


def test_every_language_cldr_names_in_english_is_answered_with_a_code_that_is_accepted():
    """The whole list, not a sample: a name that led to a refused code would send contributors in circles."""
    english = Locale.parse("en").languages
    special = {"und", "mul", "zxx", "mis"}
    suggested = 0
    for code, name in english.items():
        if code.split("_")[0] in special:
            continue
        try:
            locales.language_tag(name)
            continue  # a name that is itself a code, such as "Ewe"? None is, but it would be fine
        except locales.NotKnown as refused:
            fix = refused.fix
        if fix.startswith("write the code for"):
            tag = fix.rsplit('"', 2)[1]
            assert locales.language_tag(tag) == tag, (name, tag)
            suggested += 1
    assert suggested > 500  # CLDR's English names some 650 languages


# --- The country -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("NG", "NG"),
        ("ng", "NG"),
        ("Nigeria", "NG"),
        ("nigeria", "NG"),
        ("AU", "AU"),
        ("Australia", "AU"),
        ("Côte d’Ivoire", "CI"),  # CLDR's English name, with its curly apostrophe
        ("Cote d'Ivoire", "CI"),
        ("Bosnia & Herzegovina", "BA"),  # CLDR's English name
        ("Bosnia and Herzegovina", "BA"),
        ("Nigéria ", "NG"),  # the English name but for an accent (French's): the same name
        ("NO", "NO"),  # Norway: our YAML reads NO as text, not as false
        ("XK", "XK"),  # Kosovo: CLDR names it
    ],
)
def test_a_country_is_kept_as_its_upper_case_iso_code(written, kept):
    assert event(f'country: "{written}"').country == kept


def test_every_country_cldr_names_in_english_is_accepted_by_that_name_and_code():
    english = Locale.parse("en").territories
    countries = {code: name for code, name in english.items() if len(code) == 2 and code not in locales.NOT_COUNTRIES}
    assert len(countries) > 240  # ISO 3166-1 assigns 249 codes
    for code, name in countries.items():
        assert locales.country_code(name) == code, name
        assert locales.country_code(code.lower()) == code


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("Deutschland", 'for Germany write "DE"'),
        ("Allemagne", '"DE"'),
        ("UK", 'for United Kingdom write "GB"'),
        ("USA", 'for United States write "US"'),
        ("United States of America", '"US"'),
        ("NGA", '"NG"'),  # ISO 3166-1 alpha-3
        ("Nigerya", '"NG"'),
        ("EU", "two-letter code or its name in English"),
        ("ZZ", "two-letter code or its name in English"),
        ("Atlantis", "two-letter code or its name in English"),
        ("AN", '"CW", "SX", "BQ"'),  # the Netherlands Antilles, split in 2010
    ],
)
def test_a_country_that_is_not_known_is_refused_with_the_code_meant(written, words):
    sentence = refusal(f'country: "{written}"')
    assert_clear_sentence(sentence, f"{PATH}:3", words)
    assert sentence.startswith(f'{PATH}:3: country "{written}" is not a country code')


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ("country: [NG, GH]", "should be one country"),
        ("country: true", "should be text"),
        ("country: " + "Nigeria " * 20, "too long to be a country"),
    ],
)
def test_a_country_field_of_the_wrong_shape_is_one_clear_sentence(fields, words):
    assert_clear_sentence(refusal(fields), f"{PATH}:3", words)


# --- The names a page shows --------------------------------------------------------------------------


def _markup(html) -> BeautifulSoup:
    return BeautifulSoup(str(html), "html.parser")


@pytest.mark.parametrize(
    ("tag", "name", "autonym"),
    [
        ("es", "Spanish", "español"),
        ("pt-BR", "Brazilian Portuguese", "português"),
        ("sw", "Swahili", "Kiswahili"),
        ("zh-Hant", "Traditional Chinese", "繁體中文"),
        ("zh-TW", "Chinese (Taiwan)", "中文"),
        ("sr-Latn", "Serbian (Latin)", "srpski"),
    ],
)
def test_a_language_is_named_in_the_sites_locale_with_its_autonym_in_its_own_language(tag, name, autonym):
    shown = _markup(display.language_and_autonym(tag, OPTIONS))
    span = shown.find("span")
    assert shown.get_text() == f"{name} ({autonym})"
    assert span["lang"] == tag and span.get_text() == autonym and "dir" not in span.attrs
    assert display.language_name(tag, OPTIONS) == name


def test_a_right_to_left_autonym_says_so():
    for tag, autonym in (("ar", "العربية"), ("he", "עברית"), ("fa", "فارسی"), ("ur", "اردو")):
        span = _markup(display.language_and_autonym(tag, OPTIONS)).find("span")
        assert (span["lang"], span["dir"], span.get_text()) == (tag, "rtl", autonym)


def test_no_autonym_for_the_pages_own_language_or_without_cldr_data():
    assert str(display.language_and_autonym("en", OPTIONS)) == "English"
    assert str(display.language_and_autonym("en-GB", OPTIONS)) == "British English"
    assert str(display.language_and_autonym("ay", OPTIONS)) == "Aymara"  # CLDR has a name, no data
    # Babel's Locale.parse("tl") follows CLDR's alias to Filipino and hands over Filipino's data: its name
    # for Tagalog is no autonym.
    assert locales.language_autonym("tl") is None
    assert str(display.language_and_autonym("tl", OPTIONS)) == "Tagalog"


def test_names_follow_the_builds_locale():
    assert display.language_name("es", FRENCH) == "espagnol"
    assert display.country_name("DE", FRENCH) == "Allemagne"
    assert _markup(display.language_and_autonym("es", FRENCH)).get_text() == "espagnol (español)"
    assert str(display.language_and_autonym("fr", FRENCH)) == "français"  # the page's own language
    assert display.country_name("NG", OPTIONS) == "Nigeria"
    assert display.country_name("CI", OPTIONS) == "Côte d’Ivoire"


def test_the_filters_are_the_themes():
    filters = display.make_filters(OPTIONS)
    assert filters["language_name"]("es") == "Spanish"
    assert filters["country_name"]("NG") == "Nigeria"
    assert filters["language_name"](None) == "" and filters["country_name"](None) == ""
    assert "español" in str(filters["language_and_autonym"]("es"))


# --- A built page ----------------------------------------------------------------------------------


def test_the_event_page_shows_language_and_country(build_site):
    site = build_site(
        {
            "events/2024-05-31-taller.md": f"---\ntitle: Taller\nlanguage: es\ncountry: Nigeria\n{SESSION}---\nHola.\n",
            "events/2024-06-01-two.md": f"---\ntitle: Two\nlanguage: [ar, en]\n{SESSION}---\nBoth.\n",
            "events/2024-06-02-none.md": f"---\ntitle: None\n{SESSION}---\nNothing.\n",
        }
    )
    facts = site.html("events/2024-05-31-taller/").select_one("header .event-facts")
    terms = [dt.get_text(strip=True) for dt in facts.find_all("dt")]
    values = [dd.get_text(strip=True) for dd in facts.find_all("dd")]
    assert dict(zip(terms, values, strict=True)) == {"Language": "Spanish (español)", "Country": "Nigeria"}
    assert facts.find("span", lang="es").get_text() == "español"

    two = site.html("events/2024-06-01-two/").select_one("header .event-facts")
    assert [dt.get_text(strip=True) for dt in two.find_all("dt")] == ["Languages"]
    assert two.find("dd").get_text(strip=True) == "Arabic (العربية), English"
    assert two.find("span", lang="ar")["dir"] == "rtl"

    assert site.html("events/2024-06-02-none/").select_one(".event-facts") is None


def test_a_build_names_the_file_and_line_of_a_refused_language(build_site):
    from community_events.errors import ContentErrors

    with pytest.raises(ContentErrors) as caught:
        build_site({"events/2024-05-31-bad.md": f"---\ntitle: Bad\nlanguage: Spanish\n{SESSION}---\nHola.\n"})
    assert_clear_sentence(str(caught.value.errors[0]), "content/events/2024-05-31-bad.md:3", '"es"')


# --- new-event and the proposal form -------------------------------------------------------------


def test_new_event_writes_the_language_and_country_given():
    name, text = scaffold.event_file("Taller", "2024-05-31 14:00", "UTC", language="es, en", country="Nigeria")
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert (front["language"], front["country"]) == (["es", "en"], "Nigeria")
    one = scaffold.event_file("Taller", "2024-05-31 14:00", "UTC", language="pt-BR")[1]
    assert yaml.safe_load(one.split("\n---\n", 1)[0].removeprefix("---\n"))["language"] == "pt-BR"
    with pytest.raises(ContentError) as caught:
        scaffold.event_file("Taller", "2024-05-31 14:00", "UTC", language="Spanish")
    assert 'write the code for Spanish, "es"' in str(caught.value)


def test_the_new_event_task_takes_language_and_country_flags(tmp_path):
    command = [sys.executable, str(ROOT / "tasks.py"), "new-event", "--title", "Taller", "--start", "2024-05-31"]
    flags = ["--language", "sw", "--country", "KE", "--path", str(tmp_path)]
    done = subprocess.run(command + flags, capture_output=True, text=True, cwd=ROOT, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    written = (tmp_path / "events/2024-05-31-taller.md").read_text(encoding="utf-8")
    item = parse_file("content/events/2024-05-31-taller.md", written.encode(), "events").item
    assert (item.language, item.country) == ("sw", "KE")


def test_the_proposal_form_takes_language_and_country():
    name, text = _convert(form_body(title="Taller", start="2025-05-31", language="es, en", country="Nigeria"))
    front = _front_matter(text)
    assert (front["language"], front["country"]) == (["es", "en"], "Nigeria")


def test_the_proposal_form_answers_a_language_name_with_its_code():
    sentences = _convert(form_body(title="Taller", start="2025-05-31", language="Spanish", country="Deutschland"))
    assert any(s.startswith('"Language": ') and '"es"' in s for s in sentences), sentences
    assert any(s.startswith('"Country": ') and '"DE"' in s for s in sentences), sentences
