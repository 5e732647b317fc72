"""A zone's compiled file (TZif, RFC 8536) from the pinned tzdata package: its listed changes and its footer.

zoneinfo has no public list of a zone's transitions. Finding them by asking it
for the offset day after day cost more than the rest of the feeds together, so
the transition table is read here from the zone's compiled file. It is the file
zoneinfo reads too: ``zones`` empties ``zoneinfo.TZPATH``, so both read the
tzdata package only. After the table's last entry the file's footer, a POSIX TZ
string, gives the rule still in force (slim files, like the tzdata package's,
stop the table at the last change of rule, not of offset).
"""

from __future__ import annotations

import re
import struct
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import NamedTuple

MAGIC = b"TZif"
HEADER = struct.Struct(">4sc15x6l")  # magic, version, then isutcnt isstdcnt leapcnt timecnt typecnt charcnt
# The footer's grammar (POSIX TZ, as RFC 8536 section 3.3 extends it):
#     std offset [dst [offset] ,start[/time],end[/time]].
# A name is three or more letters, or anything of letters, digits and signs in angle brackets.
NAME = r"<[A-Za-z0-9+-]+>|[A-Za-z]{3,}"
CLOCK = r"[+-]?\d{1,3}(?::\d{2}){0,2}"
FOOTER_PATTERN = re.compile(
    rf"(?P<std>{NAME})(?P<std_offset>{CLOCK})"
    rf"(?:(?P<dst>{NAME})(?P<dst_offset>{CLOCK})?,(?P<start>[^,]+),(?P<end>[^,]+))?",
    re.ASCII,
)
# "M3.2.0/2" is the 2nd (5 = last) Sunday (0) of March, at 02:00 local time; the time may be
# negative or past 24 hours (RFC 8536 allows -167 to 167), which moves the day.
MONTH_RULE_PATTERN = re.compile(rf"M(\d{{1,2}})\.([1-5])\.([0-6])(?:/({CLOCK}))?", re.ASCII)
DEFAULT_CHANGE_TIME = 2 * 3600  # POSIX: 02:00 when a rule gives no time
DAYLIGHT_SHIFT = timedelta(hours=1)  # POSIX: daylight time is an hour ahead when its offset is not given


class MonthRule(NamedTuple):
    """When a footer's change happens each year: the week-th (5 = last) weekday of the month, plus seconds."""

    month: int
    week: int
    weekday: int  # 0 is Sunday, as POSIX counts
    seconds: int  # local time on the clock before the change; may be < 0 or >= one day


class Footer(NamedTuple):
    """A footer's standard and daylight time, and the yearly rules between them (None without daylight time)."""

    std_name: str
    std_offset: timedelta  # east of UTC, as iCalendar writes it; POSIX writes it west
    dst_name: str | None = None
    dst_offset: timedelta | None = None
    dst_start: MonthRule | None = None
    dst_end: MonthRule | None = None


def tzif_bytes(zone_name: str) -> bytes:
    """The compiled zone from the pinned tzdata package, the only zone data the build reads."""
    return resources.files("tzdata").joinpath("zoneinfo", *zone_name.split("/")).read_bytes()


def _block_size(counts: tuple[int, ...], time_size: int) -> int:
    isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt = counts
    return timecnt * (time_size + 1) + typecnt * 6 + charcnt + leapcnt * (time_size + 4) + isstdcnt + isutcnt


def read_tzif(data: bytes) -> tuple[tuple[int, ...], str]:
    """The listed change instants (Unix seconds, ascending) and the footer's TZ string ("" if none)."""
    magic, version, *counts = HEADER.unpack_from(data)
    if magic != MAGIC:
        raise ValueError("not a TZif file")
    if version == b"\0":  # version 1: 32-bit times and no footer
        return struct.unpack_from(f">{counts[3]}l", data, HEADER.size), ""
    start = HEADER.size + _block_size(tuple(counts), 4)  # skip the version 1 block
    magic, version, *counts = HEADER.unpack_from(data, start)
    times = struct.unpack_from(f">{counts[3]}q", data, start + HEADER.size)
    footer = data[start + HEADER.size + _block_size(tuple(counts), 8) :]
    return times, footer.strip(b"\n").decode("ascii")


@cache
def zone_file(zone_name: str) -> tuple[tuple[int, ...], str]:
    """The zone's listed change instants and footer, read once per zone."""
    return read_tzif(tzif_bytes(zone_name))


def listed_changes(zone_name: str) -> tuple[tuple[int, ...], bool]:
    """The instants the zone's table lists, and whether a rule with yearly changes follows the last of them."""
    times, footer = zone_file(zone_name)
    # "EST5EDT,M3.2.0,M11.1.0" has rules for changing; "JST-9" or "<+0530>-5:30" keeps one offset.
    return times, "," in footer


def _seconds(clock: str) -> int:
    """ "-1", "2:45" or "26" as signed seconds."""
    sign = -1 if clock.startswith("-") else 1
    parts = [int(part) for part in clock.lstrip("+-").split(":")] + [0, 0]
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


def _month_rule(text: str) -> MonthRule | None:
    match = MONTH_RULE_PATTERN.fullmatch(text)
    if match is None:  # "J60" or "59": day-of-year rules, which no zone in tzdata uses today
        return None
    seconds = _seconds(match[4]) if match[4] else DEFAULT_CHANGE_TIME
    return MonthRule(int(match[1]), int(match[2]), int(match[3]), seconds)


def parse_footer(text: str) -> Footer | None:
    """The footer's zone, or None for an empty footer or one in a form not read here."""
    match = FOOTER_PATTERN.fullmatch(text)
    if match is None:
        return None
    std_offset = -timedelta(seconds=_seconds(match["std_offset"]))
    if match["dst"] is None:
        return Footer(match["std"].strip("<>"), std_offset)
    dst_offset = (
        -timedelta(seconds=_seconds(match["dst_offset"])) if match["dst_offset"] else std_offset + DAYLIGHT_SHIFT
    )
    start, end = _month_rule(match["start"]), _month_rule(match["end"])
    if start is None or end is None:
        return None
    return Footer(match["std"].strip("<>"), std_offset, match["dst"].strip("<>"), dst_offset, start, end)
