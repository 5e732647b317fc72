"""The instants at which a zone's TZif file (RFC 8536) lists a change, read from the file zoneinfo reads.

zoneinfo has no public list of a zone's transitions. Finding them by asking it
for the offset day after day cost more than the rest of the feeds together, so
the transition table is read here from the zone's compiled file, found the way
zoneinfo finds it: the first match on ``zoneinfo.TZPATH``, else the tzdata
package. After the table's last entry the file's footer, a POSIX TZ string,
gives the rule still in force (slim files, like the tzdata package's, stop the
table at the last change of rule, not of offset).
"""

from __future__ import annotations

import os
import struct
import zoneinfo
from functools import lru_cache
from importlib import resources

MAGIC = b"TZif"
HEADER = struct.Struct(">4sc15x6l")  # magic, version, then isutcnt isstdcnt leapcnt timecnt typecnt charcnt


def tzif_bytes(zone_name: str) -> bytes:
    """The compiled zone zoneinfo uses for this name: system data on TZPATH first, then the tzdata package."""
    for root in zoneinfo.TZPATH:
        path = os.path.join(root, *zone_name.split("/"))
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                return handle.read()
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


@lru_cache(maxsize=None)
def listed_changes(zone_name: str) -> tuple[tuple[int, ...], bool]:
    """The instants the zone's table lists, and whether a rule with yearly changes follows the last of them."""
    times, footer = read_tzif(tzif_bytes(zone_name))
    # "EST5EDT,M3.2.0,M11.1.0" has rules for changing; "JST-9" or "<+0530>-5:30" keeps one offset.
    return times, "," in footer
