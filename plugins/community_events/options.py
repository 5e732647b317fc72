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

from .zones import zone_problem

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
    # CLDR locale for dates and times ("en_GB": 30 May 2019 09:00).
    "locale": "en_GB",
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


class SettingsError(Exception):
    """A mistake in COMMUNITY_EVENTS in pelicanconf.py."""


@dataclass(frozen=True)
class Options:
    events_path: str
    series_path: str
    goals_path: str
    display_zones: tuple[str, ...]
    zone_labels: tuple[tuple[str, str], ...]
    locale: str
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
    try:
        Locale.parse(merged["locale"])
    except (UnknownLocaleError, ValueError, TypeError):
        raise SettingsError(
            f'{SETTINGS_KEY}: locale "{merged["locale"]}" is not a CLDR locale; use one like "en_GB"'
        ) from None
    now = _now(merged["today"])
    return Options(
        events_path=merged["events_path"],
        series_path=merged["series_path"],
        goals_path=merged["goals_path"],
        display_zones=tuple(merged["display_zones"]),
        zone_labels=tuple(sorted(merged["zone_labels"].items())),
        locale=merged["locale"],
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
