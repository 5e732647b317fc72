"""Time zones: which names are accepted, and how a moment is shown in several zones.

Importing this module makes zoneinfo read the pinned tzdata package only, for
the whole Python process (see below), so machines with different system zone files give
the same offsets and the same feeds. Otherwise pure functions on zoneinfo and
Babel's CLDR data for locale-aware dates. The group writes times as
"30 May 2019 09:00 Sydney / 29 May 16:00 Pacific / 29 May 23:00 GMT": the
session's own zone first with its full date, then each other zone with its date
only where that date differs.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, time
from functools import lru_cache
from importlib import resources
from typing import NamedTuple
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.dates import (
    format_date,
    format_interval,
    format_time,
    get_timezone_location,
    get_timezone_name,
    match_skeleton,
)

from .errors import close_matches

# zoneinfo looks a zone up in the directories of zoneinfo.TZPATH (the system's, or
# PYTHONTZPATH's) and falls back to the tzdata package only when none has the file,
# so the same build could differ between machines. With an empty TZPATH every zone
# comes from the pinned package, and available_timezones() lists the package's
# zones alone. clear_cache() drops zones already loaded from system files, so that
# ZoneInfo(name) loads them again; it cannot change a ZoneInfo object that
# something else (Pelican, another plugin) already holds. Every module of the
# plugin that asks zoneinfo for a zone imports this one.
zoneinfo.reset_tzpath(to=())
ZoneInfo.clear_cache()

# IANA's geographic areas; names outside them ("EST", "CET", "Etc/GMT+10",
# "US/Pacific") are legacy aliases whose meaning surprises people.
GEOGRAPHIC_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
UTC_NAMES = ("UTC", "Etc/UTC")

# What people write instead of a zone name, and the zone they usually mean.
COMMON_ABBREVIATIONS = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "ET": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "CT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "MT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PT": "America/Los_Angeles",
    "PACIFIC": "America/Los_Angeles",
    "EASTERN": "America/New_York",
    "GMT": "UTC",
    "Z": "UTC",
    "ZULU": "UTC",
    "BST": "Europe/London",
    "WET": "Europe/Lisbon",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "EET": "Europe/Athens",
    "MSK": "Europe/Moscow",
    "WAT": "Africa/Lagos",
    "CAT": "Africa/Johannesburg",
    "SAST": "Africa/Johannesburg",
    "EAT": "Africa/Nairobi",
    "IST": "Asia/Kolkata",
    "PKT": "Asia/Karachi",
    "NPT": "Asia/Kathmandu",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "HKT": "Asia/Hong_Kong",
    "SGT": "Asia/Singapore",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "ACST": "Australia/Adelaide",
    "AWST": "Australia/Perth",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
}


@lru_cache(maxsize=1)
def place_based_zones() -> tuple[str, ...]:
    """Every accepted zone name, sorted."""
    names = {name for name in available_timezones() if name.split("/", 1)[0] in GEOGRAPHIC_AREAS}
    return tuple(sorted(names | set(UTC_NAMES)))


def is_place_based_zone(name: str) -> bool:
    return name in _accepted_set()


@lru_cache(maxsize=1)
def _accepted_set() -> frozenset[str]:
    return frozenset(place_based_zones())


@lru_cache(maxsize=1)
def _link_targets() -> dict[str, str]:
    """tzdata's aliases ("US/Eastern" -> "America/New_York"), read from the pinned tzdata package."""
    text = resources.files("tzdata").joinpath("zoneinfo/tzdata.zi").read_text(encoding="utf-8")
    return {parts[2]: parts[1] for parts in (line.split() for line in text.splitlines()) if parts[:1] == ["L"]}


@lru_cache(maxsize=1)
def _zone_indexes() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Accepted zones by lower-cased name, and by lower-cased city (its last part)."""
    by_lower, by_city = {}, {}
    for zone in place_based_zones():
        by_lower[zone.lower()] = zone
        by_city.setdefault(zone.rsplit("/", 1)[-1].lower(), []).append(zone)
    return by_lower, by_city


def suggest_zones(name: str, limit: int = 3) -> list[str]:
    """Likely zone names for something that is not one ("EST", "Sydney", "europe/paris")."""
    cleaned = name.strip()
    key = cleaned.upper().replace(" TIME", "").replace(" ", "")
    if key in COMMON_ABBREVIATIONS:
        return [COMMON_ABBREVIATIONS[key]]
    offset = OFFSET_PATTERN.match(key)
    if offset:
        return _zones_at_offset(offset, limit)
    if key.startswith(("GMT", "UTC")):
        return ["UTC"]
    target = _link_targets().get(cleaned)
    if target and is_place_based_zone(target):
        return [target]
    by_lower, by_city = _zone_indexes()
    city = cleaned.replace(" ", "_").lower()
    suggestions = [by_lower[cleaned.lower()]] if cleaned.lower() in by_lower else []
    suggestions += by_city.get(city, [])
    if len(cleaned) >= 5:  # fuzzy matching on short strings suggests nonsense
        suggestions += [by_lower[m] for m in close_matches(cleaned.lower(), by_lower, n=limit, cutoff=0.75)]
        suggestions += [by_city[m][-1] for m in close_matches(city, by_city, n=limit, cutoff=0.8)]
    return list(dict.fromkeys(s for s in suggestions if s != cleaned))[:limit]


# "GMT+10", "UTC-03:00", "+0530": an offset, which changes with daylight saving time where
# the organisers are; suggest the places that keep that offset in standard time.
OFFSET_PATTERN = re.compile(r"^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$")
# Well-known places, one or two per standard offset, to suggest for an offset.
OFFSET_PLACES = (
    "Pacific/Pago_Pago",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Mexico_City",
    "America/Chicago",
    "America/New_York",
    "America/Bogota",
    "America/Halifax",
    "America/Santiago",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Atlantic/Azores",
    "Europe/London",
    "Africa/Lagos",
    "Europe/Paris",
    "Africa/Johannesburg",
    "Europe/Athens",
    "Africa/Nairobi",
    "Europe/Moscow",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Kabul",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Yangon",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Australia/Perth",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Darwin",
    "Australia/Adelaide",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Noumea",
    "Pacific/Auckland",
    "Pacific/Fiji",
    "Pacific/Chatham",
    "Pacific/Tongatapu",
    "Pacific/Kiritimati",
)


def _zones_at_offset(match: re.Match, limit: int) -> list[str]:
    sign = -1 if match[1] == "-" else 1
    offset = sign * (int(match[2]) * 60 + int(match[3] or 0))
    january = datetime(2025, 1, 15, tzinfo=UTC)
    july = datetime(2025, 7, 15, tzinfo=UTC)
    found = []
    for zone in OFFSET_PLACES:
        tz = ZoneInfo(zone)
        standard = min(january.astimezone(tz).utcoffset(), july.astimezone(tz).utcoffset())
        if standard.total_seconds() / 60 == offset:
            found.append(zone)
    return found[:limit] or (["UTC"] if offset == 0 else [])


def zone_problem(name: object) -> tuple[str, str] | None:
    """Why ``name`` is not an accepted zone, and the fix; None when it is fine."""
    if not isinstance(name, str) or not name.strip():
        return "is not a time zone name", 'use a place-based name such as "America/New_York" or "Australia/Sydney"'
    if is_place_based_zone(name):
        return None
    suggestions = suggest_zones(name)
    if suggestions:
        fix = "use " + " or ".join(f'"{s}"' for s in suggestions)
    else:
        fix = 'use a place-based name such as "America/New_York" (see the list in CONTRIBUTING.md)'
    return f'"{name}" is not a time zone name', fix


class ZoneTime(NamedTuple):
    """One session shown in one zone. A named tuple: a site makes thousands, and each costs little."""

    zone: str
    label: str
    start_text: str
    end_text: str | None
    start_iso: str
    end_iso: str | None
    is_own_zone: bool
    text: str  # the whole line, "05:00–06:00 Pacific": one value for the template to write, not three


def _zone_time(
    zone: str, label: str, start_text: str, end_text: str | None, start_iso: str, end_iso: str | None, is_own_zone: bool
) -> ZoneTime:
    span = f"{start_text}–{end_text}" if end_text else start_text
    return ZoneTime(zone, label, start_text, end_text, start_iso, end_iso, is_own_zone, f"{span} {label}")


def utc_iso(moment: datetime) -> str:
    """The instant as ISO 8601 in UTC, e.g. 2019-05-29T23:00:00Z."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


@lru_cache(maxsize=4096)
def zone_label(zone: str, locale: str, labels: tuple[tuple[str, str], ...] = ()) -> str:
    """The short name readers see after a time: a configured label or CLDR's city."""
    configured = dict(labels)
    if zone in configured:
        return configured[zone]
    if zone in UTC_NAMES:
        return "UTC"
    return get_timezone_location(ZoneInfo(zone), locale=locale, return_city=True)


@lru_cache(maxsize=256)
def generic_zone_name(zone: str, locale: str) -> str:
    """CLDR's name for the zone's time in general, not summer or winter: "hora del Pacífico" in Spanish."""
    if zone in UTC_NAMES:
        return "UTC"
    return get_timezone_name(ZoneInfo(zone), "long", locale=locale)


# The formatters below are cached on exactly what their text depends on: Babel is
# thorough but slow, and a site shows the same days and clock times many times over.


@lru_cache(maxsize=16)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=64)
def _skeleton_pattern(skeleton: str, locale: str) -> str:
    """CLDR's pattern for a skeleton ("yMMMEd" -> "E, d MMM y" in en_GB), as Babel's format_skeleton picks it."""
    patterns = _locale(locale).datetime_skeletons
    return patterns[skeleton if skeleton in patterns else match_skeleton(skeleton, patterns)]


@lru_cache(maxsize=16384)
def format_day(day: date, locale: str, with_year: bool = True, with_weekday: bool = False) -> str:
    skeleton = ("y" if with_year else "") + "MMM" + ("E" if with_weekday else "") + "d"
    return format_date(day, _skeleton_pattern(skeleton, locale), locale=_locale(locale))


def format_clock(moment: datetime, locale: str) -> str:
    """ "16:00"; in the hour that happens twice when clocks go back, "01:30 (UTC-04:00)", so no range reads
    "01:30–01:30"."""
    clock = _format_clock(moment.hour, moment.minute, locale)
    if is_repeated_wall_time(moment):
        return f"{clock} ({_offset_label(moment.utcoffset())})"
    return clock


def is_repeated_wall_time(moment: datetime) -> bool:
    """True for a wall time that happens twice, in the hour the clocks go back."""
    return moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()


@lru_cache(maxsize=64)
def _offset_label(offset) -> str:
    return f"UTC{offset_text(offset)}"


def offset_text(offset) -> str:
    """A UTC offset as people write it after a time: "-04:00", "+05:30"."""
    minutes = int(offset.total_seconds()) // 60
    hours, minutes = divmod(abs(minutes), 60)
    return f"{'-' if offset.total_seconds() < 0 else '+'}{hours:02}:{minutes:02}"


@lru_cache(maxsize=4096)
def _format_clock(hour: int, minute: int, locale: str) -> str:
    return format_time(time(hour, minute), "short", locale=_locale(locale))


@lru_cache(maxsize=4096)
def format_day_range(first: date, last: date, locale: str) -> str:
    """An inclusive range of days, e.g. "5–7 Apr 2024"."""
    if first == last:
        return format_day(first, locale, with_weekday=True)
    return format_interval(first, last, "yMMMd", locale=locale)


@lru_cache(maxsize=1024)
def format_month(day: date, locale: str) -> str:
    return format_date(day, _skeleton_pattern("yMMMM", locale), locale=_locale(locale))


def zone_times(
    start: datetime,
    end: datetime | None,
    own_zone: str,
    display_zones: tuple[str, ...],
    locale: str,
    labels: tuple[tuple[str, str], ...] = (),
) -> tuple[ZoneTime, ...]:
    """The session in its own zone (full date) and in every display zone.

    Not cached: each session's list is shown once, on its event's page, and
    keeping thousands of these alive made every full garbage collection slower.
    """
    own_tz = ZoneInfo(own_zone)
    own_day = start.astimezone(own_tz).date()
    start_iso, end_iso = utc_iso(start), (utc_iso(end) if end is not None else None)
    own_end = None if end is None else _clock_with_day(end.astimezone(own_tz), own_day, locale)
    times = [
        _zone_time(
            own_zone,
            zone_label(own_zone, locale, labels),
            own_start_text(start, own_zone, locale),
            own_end,
            start_iso,
            end_iso,
            True,
        )
    ]
    own_is_utc = own_zone in UTC_NAMES
    for zone, tz, label, is_utc_zone in _shown_zones(display_zones, locale, labels):
        if zone == own_zone or (is_utc_zone and own_is_utc):
            continue
        local_start = start.astimezone(tz)
        start_text = _clock_with_day(local_start, own_day, locale)
        end_text = None if end is None else _clock_with_day(end.astimezone(tz), local_start.date(), locale)
        times.append(_zone_time(zone, label, start_text, end_text, start_iso, end_iso, False))
    return tuple(times)


@lru_cache(maxsize=256)
def _shown_zones(
    display_zones: tuple[str, ...], locale: str, labels: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, ZoneInfo, str, bool], ...]:
    """Each display zone with what every session shown in it needs: its tzinfo, label and whether it is UTC."""
    return tuple((zone, ZoneInfo(zone), zone_label(zone, locale, labels), zone in UTC_NAMES) for zone in display_zones)


def own_start_text(start: datetime, own_zone: str, locale: str) -> str:
    """The start in its own zone with its full date, e.g. "Thu, 30 May 2019 09:00". Lists of events show it too."""
    # Cached by the UTC instant: two local times an hour apart in the repeated hour compare equal.
    return _own_start_text(start.astimezone(UTC), own_zone, locale)


@lru_cache(maxsize=16384)
def _own_start_text(instant: datetime, own_zone: str, locale: str) -> str:
    local = instant.astimezone(ZoneInfo(own_zone))
    return f"{format_day(local.date(), locale, with_weekday=True)} {format_clock(local, locale)}"


def is_utc(zone: str | None) -> bool:
    return zone in UTC_NAMES


def _clock_with_day(moment: datetime, reference_day: date, locale: str) -> str:
    """ "16:00" on the reference day, else "29 May 16:00" (with the year if it differs)."""
    clock = format_clock(moment, locale)
    day = moment.date()
    if day == reference_day:
        return clock
    return f"{format_day(day, locale, with_year=day.year != reference_day.year)} {clock}"
