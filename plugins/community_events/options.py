"""The plugin's one settings dict, ``COMMUNITY_EVENTS``, merged over these defaults.

Every key is documented here; ``load`` checks the merged values once, when
Pelican starts, so a typo in ``pelicanconf.py`` fails fast with a clear message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from babel import Locale, UnknownLocaleError

from .zones import zone_problem

SETTINGS_KEY = "COMMUNITY_EVENTS"

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
    # The day that splits upcoming from past, as YYYY-MM-DD; None means the
    # build's own UTC date. Tests and reproducible builds set it.
    "today": None,
    # How many upcoming events the home page lists.
    "home_upcoming": 3,
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
    today: date
    home_upcoming: int


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
        raise SettingsError(f'{SETTINGS_KEY}: locale "{merged["locale"]}" is not a CLDR locale; use one like "en_GB"') from None
    return Options(
        events_path=merged["events_path"],
        series_path=merged["series_path"],
        goals_path=merged["goals_path"],
        display_zones=tuple(merged["display_zones"]),
        zone_labels=tuple(sorted(merged["zone_labels"].items())),
        locale=merged["locale"],
        today=_today(merged["today"]),
        home_upcoming=int(merged["home_upcoming"]),
    )


def _today(value) -> date:
    if value is None:
        return datetime.now(UTC).date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SettingsError(f'{SETTINGS_KEY}: today "{value}" is not a date; write it as YYYY-MM-DD') from None
