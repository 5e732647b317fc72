"""The plugin's one settings dict, ``COMMUNITY_EVENTS``, merged over these defaults.

Every key is documented here. ``load`` checks the merged values, so a typo in
``pelicanconf.py`` fails with a clear message before anything is read. The
plugin calls ``start_build`` once at the start of every build, which loads the
options (reading the clock for "now" once) and keeps them in the settings (and
the plugin in the generators' shared context); everything else asks
``for_build`` for that one copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations

from .catalogues import MissingCatalogue, catalogue
from .zones import generic_zone_name, zone_problem

# One of the site's languages (see languages.py): a primary BCP 47 subtag and an optional region.
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Z]{2})?", re.ASCII)

SETTINGS_KEY = "COMMUNITY_EVENTS"
# Where start_build keeps this build's Options in Pelican's settings; not a setting anyone writes.
BUILD_KEY = "_COMMUNITY_EVENTS_BUILD_OPTIONS"
# The forms "today" may take: a date, or a date and time in UTC (an optional "Z" says so).
TODAY_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
TODAY_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?Z?", re.ASCII)

DEFAULTS = {
    # Folders under PATH that hold each content type.
    "events_path": "events",
    "series_path": "series",
    "goals_path": "goals",
    # Zones every session is shown in, after its own zone; an event may name its
    # own list with "display_zones". West to east across the group's regions.
    "display_zones": [
        "America/Los_Angeles",
        "America/New_York",
        "UTC",
        "Europe/Paris",
        "Africa/Nairobi",
        "Asia/Kolkata",
        "Australia/Sydney",
    ],
    # The name readers see after a time; zones not listed use CLDR's city name.
    "zone_labels": {
        "America/Los_Angeles": "Pacific",
        "America/New_York": "Eastern",
        "America/Chicago": "Central",
        "America/Denver": "Mountain",
        "UTC": "UTC",
        "Asia/Kolkata": "India",
    },
    # The site's languages: BCP 47 code → CLDR locale of its dates, times and zone names
    # ("en_GB": 30 May 2019 09:00). The first is the site's own, at the root, and the language
    # content is written in; each other gets a translated build under /<code>/ (languages.py).
    # Every language but the first needs a catalogue in translations_path.
    "languages": {"en": "en_GB"},
    # The folder of the interface's gettext catalogues (<code>/LC_MESSAGES/messages.po).
    "translations_path": None,
    # The moment that splits upcoming, happening now and past: YYYY-MM-DD (midnight
    # UTC that day) or a date and time in UTC, YYYY-MM-DDTHH:MM; None means the
    # build's own clock, read once. Tests and reproducible builds set it.
    "today": None,
    # How many upcoming events the home page lists.
    "home_upcoming": 3,
    # How many days ahead pages list the meetings of a repeating session, and how far
    # an open-ended one (no "until" or "times") is expanded.
    "repeat_horizon_days": 365,
    # How many of its next meetings a repeating session's page lists.
    "repeat_listed": 5,
    # True: a content error stops the build (build, publish, check, CI). False:
    # the error is reported, that file is left out and the rest of the site is
    # built (serve and livereload set this, so a preview keeps working).
    "stop_on_error": True,
    # True: every content warning is printed (invoke check). False: one line
    # says how many there are, so builds of a large site stay readable.
    "list_warnings": False,
    # --- Calendar feeds: calendar.ics, one per event, one per series ---
    # The part after "@" in every calendar UID. Set once and never change it:
    # calendar apps would then show every event twice. It is deliberately not
    # SITEURL, which differs between local and published builds.
    "uid_domain": "wikimedia-libraries.github.io",
    # Days after its last session that an event stays in calendar.ics, which
    # keeps the file small; event and series feeds keep all their sessions.
    "calendar_past_days": 365,
    # How often calendar apps should fetch the feeds again (REFRESH-INTERVAL, X-PUBLISHED-TTL).
    "calendar_refresh_hours": 12,
    # Name and description of calendar.ics; None means derived from SITENAME.
    "calendar_name": None,
    "calendar_description": None,
}


@dataclass(frozen=True)
class Language:
    """One of the site's languages, as the language switcher and <html lang dir> need it."""

    code: str  # BCP 47, as in <html lang> and hreflang
    locale: str  # the CLDR locale of its dates and zone names
    name: str  # its own name for itself, in its own script ("español", "العربية")
    prefix: str  # "" for the site's own language, else "/<code>"
    direction: str  # "ltr" or "rtl"


def describe(code: str, locale: str, first: bool) -> Language:
    cldr, spoken = Locale.parse(locale), Locale.parse(code, sep="-")
    return Language(
        code=code,
        locale=locale,
        name=spoken.get_display_name(spoken) or code,
        prefix="" if first else f"/{code}",
        direction="rtl" if cldr.character_order == "right-to-left" else "ltr",
    )


class SettingsError(Exception):
    """A mistake in COMMUNITY_EVENTS in pelicanconf.py."""


@dataclass(frozen=True)
class Options:
    events_path: str
    series_path: str
    goals_path: str
    display_zones: tuple[str, ...]
    zone_labels: tuple[tuple[str, str], ...]
    languages: tuple[Language, ...]  # the site's own language first
    language: Language  # the language this build writes
    translations_path: str | None
    now: datetime  # aware, UTC: the build's moment, the same all through a build
    today: date  # now.date(), the UTC day
    home_upcoming: int
    repeat_horizon_days: int
    repeat_listed: int
    stop_on_error: bool
    list_warnings: bool
    uid_domain: str
    calendar_past_days: int
    calendar_refresh_hours: int
    calendar_name: str | None
    calendar_description: str | None

    @property
    def locale(self) -> str:
        """The CLDR locale of this build's dates, times and zone names."""
        return self.language.locale

    @property
    def translator(self) -> NullTranslations:
        """The interface's catalogue for this build's language (catalogues.py; read once, checked by ``load``)."""
        return catalogue(self.translations_path, self.language.code, first=self.is_root)

    @property
    def is_root(self) -> bool:
        """True for the build of the site's own language, which alone writes the feeds and the sitemap."""
        return self.language == self.languages[0]


def start_build(settings: dict) -> Options:
    """Load the options for the build that starts now, and keep them for ``for_build``."""
    options = settings[BUILD_KEY] = load(settings)
    return options


def for_build(settings: dict) -> Options:
    """This build's options, as ``start_build`` loaded them; "now" is the same all through a build.

    ``settings`` is Pelican's settings, or the context its generators share (the plugin puts
    the same options there when the generators are made).
    """
    return settings[BUILD_KEY]


def language_codes(settings: dict) -> list[str]:
    """The site's language codes from the settings, the original's first (the ``languages`` option, or its default).

    Read from the settings, not from ``Options``: the inventory, ``site_settings`` and ``invoke translations``
    need them before a build's options exist.
    """
    return list((settings.get(SETTINGS_KEY) or {}).get("languages") or DEFAULTS["languages"])


def content_folders(settings: dict) -> dict[str, str]:
    """Each content folder under PATH, and the kind of content it holds (events, series, goals, stories, pages).

    Read from the settings, not from ``Options``: the reader needs it for files read outside a build too.
    """
    folders = {**DEFAULTS, **(settings.get(SETTINGS_KEY) or {})}
    kinds = {folders["events_path"]: "events", folders["series_path"]: "series", folders["goals_path"]: "goals"}
    kinds.update({path: "stories" for path in settings.get("ARTICLE_PATHS", [])})
    kinds.update({path: "pages" for path in settings.get("PAGE_PATHS", [])})
    return kinds


def load(settings: dict) -> Options:
    """Merge the user's dict over the defaults and check every value."""
    given = settings.get(SETTINGS_KEY) or {}
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise SettingsError(f"{SETTINGS_KEY} has unknown keys {unknown}; the known keys are {sorted(DEFAULTS)}")
    merged = {**DEFAULTS, **given}
    for zone in list(merged["display_zones"]) + list(merged["zone_labels"]):
        problem = zone_problem(zone)
        if problem:
            raise SettingsError(f"{SETTINGS_KEY}: {problem[0]}; {problem[1]}")
    languages = _languages(merged["languages"])
    language = _build_language(languages, settings.get("DEFAULT_LANG") or languages[0].code)
    now = _now(merged["today"])
    _check_catalogue(merged["translations_path"], language, languages)
    return Options(
        events_path=merged["events_path"],
        series_path=merged["series_path"],
        goals_path=merged["goals_path"],
        display_zones=tuple(merged["display_zones"]),
        zone_labels=_zone_labels(merged["zone_labels"], language, languages),
        languages=languages,
        language=language,
        translations_path=merged["translations_path"],
        now=now,
        today=now.date(),
        home_upcoming=int(merged["home_upcoming"]),
        repeat_horizon_days=_whole_number(merged, "repeat_horizon_days", 1),
        repeat_listed=_whole_number(merged, "repeat_listed", 1),
        stop_on_error=bool(merged["stop_on_error"]),
        list_warnings=bool(merged["list_warnings"]),
        uid_domain=_uid_domain(merged["uid_domain"]),
        calendar_past_days=_whole_number(merged, "calendar_past_days", 0),
        calendar_refresh_hours=_whole_number(merged, "calendar_refresh_hours", 1),
        calendar_name=merged["calendar_name"],
        calendar_description=merged["calendar_description"],
    )


def _languages(value) -> tuple[Language, ...]:
    if not isinstance(value, dict) or not value:
        raise SettingsError(f'{SETTINGS_KEY}: languages must map codes to CLDR locales, like {{"en": "en_GB"}}')
    found = []
    for code, locale in value.items():
        if not isinstance(code, str) or not LANGUAGE_CODE.fullmatch(code):
            raise SettingsError(f'{SETTINGS_KEY}: language code {code!r} is not a BCP 47 code; use one like "es"')
        try:
            found.append(describe(code, locale, first=not found))
        except (UnknownLocaleError, ValueError, TypeError):
            raise SettingsError(
                f'{SETTINGS_KEY}: locale "{locale}" for {code} is not a CLDR locale; use one like "en_GB"'
            ) from None
    return tuple(found)


def _build_language(languages: tuple[Language, ...], code: str) -> Language:
    for language in languages:
        if language.code == code:
            return language
    raise SettingsError(
        f'DEFAULT_LANG "{code}" is not one of the site\'s languages ({", ".join(item.code for item in languages)}); '
        f"list it first in {SETTINGS_KEY}['languages']"
    )


def _zone_labels(configured: dict, language: Language, languages: tuple[Language, ...]) -> tuple[tuple[str, str], ...]:
    """The site's own language uses the configured labels ("Pacific"); the others CLDR's names for the same
    zones in that language ("hora del Pacífico"), so no translator has to invent a zone's name."""
    if language == languages[0]:
        return tuple(sorted(configured.items()))
    return tuple(sorted((zone, generic_zone_name(zone, language.locale)) for zone in configured))


def _check_catalogue(folder: str | None, language: Language, languages: tuple[Language, ...]) -> None:
    try:
        catalogue(folder, language.code, first=language == languages[0])
    except MissingCatalogue as missing:
        raise SettingsError(
            f"{SETTINGS_KEY}: the language {language.code} has no catalogue at {missing}; "
            "run python3 tasks.py translations, or remove the language from languages"
        ) from None


def now_setting(value) -> str:
    """The build's moment as a "today" setting: how the builds of every language share one "now"."""
    return _now(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def _whole_number(merged: dict, key: str, minimum: int) -> int:
    value = merged[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SettingsError(f"{SETTINGS_KEY}: {key} is {value!r}; give a whole number of at least {minimum}")
    return value


def _uid_domain(value) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9.-]+", value):
        raise SettingsError(
            f'{SETTINGS_KEY}: uid_domain {value!r} is not a domain name; use one like "example.org", without https://'
        )
    return value


def _now(value) -> datetime:
    """The build's moment, aware in UTC: the clock, or the setting (a date is its midnight UTC)."""
    if value is None:
        return datetime.now(UTC)
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=UTC)
    text = str(value).strip()
    try:
        if TODAY_DATE.fullmatch(text):
            return datetime.combine(date.fromisoformat(text), time(0), tzinfo=UTC)
        if TODAY_MOMENT.fullmatch(text):
            return datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=UTC)
    except ValueError:
        pass
    raise SettingsError(
        f'{SETTINGS_KEY}: today "{value}" is not a date; write it as YYYY-MM-DD, or YYYY-MM-DDTHH:MM in UTC'
    )
