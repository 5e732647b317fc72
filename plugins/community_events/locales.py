"""Languages and countries: which an event may give, in what form it is kept, and their names.

An event's ``language`` is a BCP 47 tag of a language, an optional script and an optional region
("es", "pt-BR", "zh-Hant", "es-419"), each subtag one CLDR names; it is kept in BCP 47's canonical
case ("pt-br" becomes "pt-BR"). ``country`` is an ISO 3166-1 alpha-2 code ("NG") or the country's
English name in CLDR ("Nigeria"), kept as the upper-case code. ``language_tag`` and ``country_code``
return that form or raise ``NotKnown`` with the problem and the fix. A language or country written
as a name, in any language CLDR has names in ("Español", "Deutschland"), is answered with its code.

The names readers see come from Babel's copy of CLDR: a tag's name in the build's locale, and its
autonym (its name in the language itself) when CLDR has data for that language.
"""

from __future__ import annotations

import pickle
import re
import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import locale_identifiers, resolve_locale_filename

from .errors import close_matches

# What contributors may write a country's name in, and the list every code is checked against.
REFERENCE_LOCALE = "en"
# A language (2 or 3 letters), an optional script (4 letters), an optional region (2 letters, or
# 3 digits for UN M.49 regions such as 419, Latin America). Variants, extensions and private use
# ("ca-ES-valencia", "en-x-…") are refused: an event's language never needs them.
TAG_PATTERN = re.compile(r"([A-Za-z]{2,3})(?:-([A-Za-z]{4}))?(?:-([A-Za-z]{2}|[0-9]{3}))?", re.ASCII)
COUNTRY_PATTERN = re.compile(r"[A-Za-z]{2}", re.ASCII)
# ISO 639's codes for an uncoded language, several, an undetermined one and none: none of them
# tells a reader what the event is held in.
NOT_ONE_LANGUAGE = frozenset({"mis", "mul", "und", "zxx"})
# Two-letter codes CLDR names that are not a country: the European Union, the Eurozone, the
# United Nations, Outlying Oceania, the unknown region and CLDR's two pseudo-locale regions.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
# Where several languages are written on one line ("English, Spanish"), instead of as a list.
SEVERAL = re.compile(r"\s*(?:[,;/]|\band\b|\by\b|\bet\b)\s*", re.IGNORECASE)
RIGHT_TO_LEFT = "right-to-left"
EXAMPLE_TAGS = '"en", "es", "pt-BR" or "sw"'
EXAMPLE_COUNTRIES = '"NG" or "Nigeria"'
# How close a misspelt English name must be to be suggested (difflib's ratio).
NAME_CUTOFF = 0.8
# Shorter texts are codes or abbreviations, and difflib finds a "close" name for nearly any of them.
MIN_MISSPELT = 5


class NotKnown(ValueError):
    """A language or country that cannot be used: what is wrong, and the fix."""

    def __init__(self, problem: str, fix: str):
        super().__init__(problem, fix)
        self.problem = problem
        self.fix = fix


# --- Languages ----------------------------------------------------------------------------------


def language_tag(text: str) -> str:
    """The canonical BCP 47 form of a tag ("pt-br" -> "pt-BR"); raises NotKnown with the fix."""
    tag = _checked_tag(text)
    if isinstance(tag, str):
        return tag
    raise _with_suggestion(text, tag)


def _checked_tag(text: str) -> str | NotKnown:
    """The canonical tag, or why it is not one (without looking up names)."""
    match = TAG_PATTERN.fullmatch(text.strip())
    if not match:
        return NotKnown(f'"{text}" is not a language code', f"write a code such as {EXAMPLE_TAGS}")
    language, script, region = match[1].lower(), match[2], match[3]
    reference = _reference()
    if language in NOT_ONE_LANGUAGE:
        return NotKnown(
            f'"{text}" does not name one language',
            "give the code of the language the event is held in, or a list of codes if it is held in several",
        )
    if language not in reference.languages:
        alias = get_global("language_aliases").get(language)
        if alias:  # an old code ("iw") or a three-letter one ("spa")
            new = alias.replace("_", "-")
            return NotKnown(f'"{language}" is an old or three-letter code for {_name_of(new)}', f'use "{new}"')
        return NotKnown(f'"{text}" is not a language code', f"write a code such as {EXAMPLE_TAGS}")
    if script is not None:
        script = script.title()
        if script not in reference.scripts:
            return NotKnown(
                f'"{text}" has "{script}", which is not a script code', f'write the language alone, "{language}"'
            )
    if region is not None:
        region = region.upper()
        if not (region.isdigit() and region in reference.territories) and not is_country(region):
            return NotKnown(
                f'"{text}" has "{region}", which is not a country or region code',
                f'write the language alone, "{language}", or with a country code, like "{language}-GB"',
            )
    return "-".join(part for part in (language, script, region) if part)


def _with_suggestion(text: str, refusal: NotKnown) -> NotKnown:
    """The refusal, with the code when ``text`` is a language's name, or several on one line."""
    found = language_by_name(text)
    if found is not None:
        return NotKnown(f'"{text}" is not a language code', f'write the code for {_name_of(found)}, "{found}"')
    parts = [part for part in SEVERAL.split(text.strip()) if part]
    if len(parts) > 1:
        codes = [_code_or_name(part) for part in parts]
        if all(codes):
            return NotKnown(
                f'"{text}" names several languages on one line',
                f"write them as a list of codes: language: [{', '.join(codes)}]",
            )
    return refusal


def _code_or_name(text: str) -> str | None:
    tag = _checked_tag(text)
    return tag if isinstance(tag, str) else language_by_name(text)


def language_by_name(text: str) -> str | None:
    """The tag of a language named ``text`` in any language CLDR knows ("Spanish", "Español" -> "es")."""
    folded = _folded(text)
    english = _english_language_names()
    if folded in english:
        return english[folded]
    found = _names_in_every_language()[0].get(folded)
    if found is not None:
        return found
    close = close_matches(folded, list(english), n=1, cutoff=NAME_CUTOFF) if len(folded) >= MIN_MISSPELT else []
    return english[close[0]] if close else None


def language_name(tag: str, locale: str) -> str:
    """A checked tag's name in ``locale``: "es" -> "Spanish", "pt-BR" -> "Brazilian Portuguese"."""
    return _display_name(tag, _locale(locale))


def language_autonym(tag: str) -> str | None:
    """A checked tag's name in its own language ("es" -> "español"), or None without CLDR data for it.

    The language (with its script, where CLDR names the pair: "繁體中文") but not the region: the
    name beside it says the region, and "português (Brasil)" in parentheses would nest them.
    """
    own = _own_locale(tag)
    if own is None:
        return None
    language, script, _ = _parts(tag)
    names = own.languages
    return names.get(f"{language}_{script}") or names.get(language)


def is_right_to_left(tag: str) -> bool:
    """Whether the language's script runs right to left (CLDR's character order), so its autonym needs dir="rtl"."""
    own = _own_locale(tag)
    return own is not None and own.character_order == RIGHT_TO_LEFT


def same_language(tag: str, locale: str) -> bool:
    """Whether a checked tag is in the language of a CLDR locale ("en-GB" and "en_GB" are)."""
    return _parts(tag)[0] == _locale(locale).language


def _parts(tag: str) -> tuple[str, str | None, str | None]:
    match = TAG_PATTERN.fullmatch(tag)
    return match[1], match[2], match[3]


def _display_name(tag: str, locale: Locale) -> str:
    """CLDR's way: a name for the whole tag if it has one ("Brazilian Portuguese"), else the
    language's name with the rest in parentheses ("Chinese (Traditional, Taiwan)")."""
    language, script, region = _parts(tag)
    names = locale.languages
    for key, rest in (
        ("_".join(p for p in (language, script, region) if p), ()),
        (f"{language}_{script}" if script else None, (region,)),
        (f"{language}_{region}" if region else None, (script,)),
        (language, (script, region)),
    ):
        if key and key in names:
            details = [
                locale.scripts.get(part, part) if len(part) == 4 else locale.territories.get(part, part)
                for part in rest
                if part
            ]
            return f"{names[key]} ({', '.join(details)})" if details else names[key]
    return tag


@lru_cache(maxsize=64)
def _own_locale(tag: str) -> Locale | None:
    """CLDR's data for the language itself, if Babel has it; never another language's."""
    language = _parts(tag)[0]
    try:
        own = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        try:  # "ay-BO": no data for Aymara in Bolivia, and none for Aymara either
            own = Locale.parse(language)
        except (UnknownLocaleError, ValueError):
            return None
    # Locale.parse follows CLDR's aliases ("tl" gives Filipino's data): another language's name is no autonym.
    return own if own.language == language else None


def _name_of(tag: str) -> str:
    match = TAG_PATTERN.fullmatch(tag)
    return _display_name(tag, _reference()) if match else tag


# --- Countries ----------------------------------------------------------------------------------


def is_country(code: str) -> bool:
    """An upper-case ISO 3166-1 alpha-2 code that CLDR names as a country or territory."""
    return code in _reference().territories and len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES


def country_code(text: str) -> str:
    """The upper-case code of a country given by code or English name ("ng", "Nigeria" -> "NG"); raises NotKnown."""
    written = text.strip()
    if COUNTRY_PATTERN.fullmatch(written) and is_country(written.upper()):
        return written.upper()
    english = _english_country_names()
    if _folded(written) in english:
        return english[_folded(written)]
    raise NotKnown(f'"{text}" is not a country code or a country\'s English name', _country_fix(written))


def _country_fix(written: str) -> str:
    """The code of what was meant, if CLDR can tell: an old or three-letter code, another language's name, a typo."""
    aliases = [code for code in get_global("territory_aliases").get(written.upper(), ()) if is_country(code)]
    found = aliases[:1] if len(aliases) == 1 else []
    if not found and not aliases:
        by_name = _names_in_every_language()[1].get(_folded(written))
        english = _english_country_names()
        close = (
            close_matches(_folded(written), list(english), n=1, cutoff=NAME_CUTOFF)
            if len(written) >= MIN_MISSPELT
            else []
        )
        # "United States of America": CLDR's English name, and more words.
        longer = [code for name, code in english.items() if _folded(written).startswith(name + " ")]
        found = [by_name] if by_name else [english[close[0]]] if close else longer[:1]
    if found:
        return f'for {country_name(found[0], REFERENCE_LOCALE)} write "{found[0]}"'
    if aliases:
        return "it is an old code for several countries: write one of " + ", ".join(f'"{code}"' for code in aliases)
    return f"write the country's two-letter code or its name in English, such as {EXAMPLE_COUNTRIES}"


def country_name(code: str, locale: str) -> str:
    """A checked country code's name in ``locale``: "NG" -> "Nigeria"."""
    return _locale(locale).territories.get(code, code)


# --- CLDR's names -------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _locale(identifier: str) -> Locale:
    return Locale.parse(identifier)


def _reference() -> Locale:
    return _locale(REFERENCE_LOCALE)


def _folded(text: str) -> str:
    """A name as it is compared: no case, accents, dots or curly quotes, "&" as "and", single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("’", "'").replace("‘", "'").replace(".", "").replace("&", " and ")
    return " ".join(plain.split())


@lru_cache(maxsize=1)
def _english_language_names() -> dict[str, str]:
    return {
        _folded(name): code.replace("_", "-") for code, name in _reference().languages.items() if _usable_code(code)
    }


@lru_cache(maxsize=1)
def _english_country_names() -> dict[str, str]:
    return {_folded(name): code for code, name in _reference().territories.items() if is_country(code)}


@lru_cache(maxsize=1)
def _names_in_every_language() -> tuple[dict[str, str], dict[str, str]]:
    """Every name CLDR gives a language and a country, folded, with its code: each language's own
    name ("español") before its names in other languages. Read only to suggest a code.

    Read from Babel's data files one at a time: ``babel.localedata.load`` keeps every locale it
    has loaded for the life of the process (about 190 MB for all of them), and these two tables
    (about 20 MB) are all a mistake needs. The files are the pickles ``load`` itself reads.
    """
    autonyms: dict[str, str] = {}
    languages: dict[str, str] = {}
    countries: dict[str, str] = {}
    usable = {code: code.replace("_", "-") for code in _reference().languages if _usable_code(code)}
    for identifier in locale_identifiers():
        with open(resolve_locale_filename(identifier), "rb") as file:
            data = pickle.load(file)
        names = data.get("languages", {})
        language = identifier.split("_")[0]
        if language in usable and language in names:
            autonyms.setdefault(_folded(names[language]), usable[language])
        for code, name in names.items():
            if code in usable:
                languages.setdefault(_folded(name), usable[code])
        for code, name in data.get("territories", {}).items():
            if is_country(code):
                countries.setdefault(_folded(name), code)
    return {**languages, **autonyms}, countries


def _usable_code(code: str) -> bool:
    """A key of CLDR's language names ("pt_BR") that language_tag accepts as it is."""
    tag = code.replace("_", "-")
    return _checked_tag(tag) == tag
