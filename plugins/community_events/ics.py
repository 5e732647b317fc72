"""RFC 5545 content lines: values encoded and lines folded, fast enough for every session of a site.

icalendar's ``Component.to_ical`` folds every line character by character, and
building one of its value objects per property cost more than the rest of a
VEVENT; importing icalendar alone took a fifth of what the whole plugin may add
to a build. The handful of value types feeds need (TEXT, DATE, DATE-TIME,
DURATION, UTC-OFFSET, RECUR and parameter values) are simple to encode, so they
are encoded here. icalendar stays the reference: the tests check every encoder
here against icalendar's own, byte for byte (one deliberate difference is
explained at QUOTED_IN_PARAMETERS), and parse every feed with icalendar and
three other independent parsers.

No value may carry a raw line break or control character: one LF in a value is
a new content line to each of the parsers the tests use (a forged property,
alarm or event), and a lone CR is one to vobject. TEXT escapes CR and LF as
\\n and refuses the control characters it has no escape for; every other value
refuses them all, C1 controls and U+2028/U+2029 too, with ``ValueError``.
Front matter is meant to be refused before it gets here, as a content error the
contributor can fix; this error means something got past the model: a bug.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

MAX_OCTETS = 75
FOLD = "\r\n "
# RFC 5545 wants a parameter value with any of these in double quotes; "’" as icalendar does. A
# backslash too, which icalendar does not quote but, reading, takes outside quotes as escaping the
# next character: LABEL=Zoom\ then swallows the ":" that ends the parameters.
QUOTED_IN_PARAMETERS = frozenset(",;:’\\")
# RECUR parts in the order RFC 5545 lists them, which is also icalendar's.
RECUR_ORDER = (
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
)
# RFC 5545's CONTROL (%x00-08 / %x0A-1F / %x7F). TEXT escapes CR and LF, and has no escape for the
# rest: its grammar (TSAFE-CHAR) allows none of them.
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# Every other value (a URI, status, number or parameter) may carry no CONTROL at all, nor a C1
# control or U+2028/U+2029: none belongs in them, and str.splitlines() (which dateutil's tzical
# uses on the VTIMEZONEs vobject hands it) ends a line at U+0085, U+2028 and U+2029.
NOT_IN_A_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def fold(line: str) -> str:
    """Split a line longer than 75 octets, never inside a UTF-8 character or a backslash escape."""
    if line.isascii():
        return line if len(line) <= MAX_OCTETS else _fold_ascii(line)
    if len(line.encode("utf-8")) <= MAX_OCTETS:
        return line
    chunks, current, size, limit = [], [], 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            carried = [current.pop()] if current[-1] == "\\" else []  # keep "\," or "\n" together
            chunks.append("".join(current))
            current, limit = carried, MAX_OCTETS - 1  # a continuation line starts with a space
            size = sum(len(c.encode("utf-8")) for c in current)
        current.append(char)
        size += width
    chunks.append("".join(current))
    return FOLD.join(chunks)


def _fold_ascii(line: str) -> str:
    """``fold`` for the common case, where every character is one octet."""
    chunks, start, limit = [], 0, MAX_OCTETS
    while len(line) - start > limit:
        end = start + limit
        if line[end - 1] == "\\":  # keep "\," or "\n" together on the next line
            end -= 1
        chunks.append(line[start:end])
        start, limit = end, MAX_OCTETS - 1
    chunks.append(line[start:])
    return FOLD.join(chunks)


def _refuse(pattern: re.Pattern, value: str, what: str) -> str:
    """``value``, unless ``pattern`` finds a character in it that no value may carry."""
    # Every character either pattern finds is a control or a line or paragraph separator, which
    # str.isprintable() calls unprintable; it costs a third to half of the search, which most
    # values then never need.
    if not value.isprintable():
        found = pattern.search(value)
        if found:
            raise ValueError(f"{what} {value!r} has {found.group()!r}, which an iCalendar value cannot carry")
    return value


def text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon and comma escaped, any line break as \\n."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )
    return _refuse(CONTROL, escaped, "the text")


def date_value(day: date) -> str:
    """A DATE value, e.g. 20240405."""
    return f"{day.year:04}{day.month:02}{day.day:02}"


def date_time(moment: datetime) -> str:
    """A DATE-TIME value: with Z in UTC, else the wall time (the caller adds its TZID)."""
    wall = f"{moment.year:04}{moment.month:02}{moment.day:02}T{moment.hour:02}{moment.minute:02}{moment.second:02}"
    return wall + "Z" if moment.tzinfo is UTC else wall


def duration(span: timedelta) -> str:
    """A positive DURATION value, e.g. PT6H or P1DT12H."""
    if span <= timedelta(0):
        raise ValueError(f"durations here are positive, not {span}")
    hours, rest = divmod(span.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    units = [(hours, "H"), (minutes, "M"), (seconds, "S")]
    # RFC 5545's grammar allows no gaps: PT7H0M1S, never PT7H1S.
    used = [index for index, (number, _) in enumerate(units) if number]
    clock = "".join(f"{n}{unit}" for n, unit in units[used[0] : used[-1] + 1]) if used else ""
    return "P" + (f"{span.days}D" if span.days else "") + (f"T{clock}" if clock else "")


def utc_offset(offset: timedelta) -> str:
    """A UTC-OFFSET value, e.g. +0530, -0300, or +005328 when there are seconds."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes, seconds = divmod(abs(int(offset.total_seconds())), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{sign}{hours:02}{minutes:02}" + (f"{seconds:02}" if seconds else "")


def recur(parts: dict) -> str:
    """A RECUR value from its parts, e.g. FREQ=YEARLY;BYDAY=2SU;BYMONTH=3; lists are comma-joined."""

    def value(item) -> str:
        if isinstance(item, (list, tuple)):
            return ",".join(value(v) for v in item)
        return date_time(item) if isinstance(item, datetime) else str(item)

    return ";".join(f"{name}={value(parts[name])}" for name in RECUR_ORDER if name in parts)


def parameter_value(value: str) -> str:
    """RFC 6868 escaping (^ as ^^, a line break as ^n, " as ^'), then quotes where RFC 5545 needs them."""
    escaped = value.replace("^", "^^").replace("\r\n", "^n").replace("\r", "^n").replace("\n", "^n").replace('"', "^'")
    _refuse(NOT_IN_A_VALUE, escaped, "the parameter value")
    return f'"{escaped}"' if not QUOTED_IN_PARAMETERS.isdisjoint(escaped) else escaped


def _value(value) -> str:
    if isinstance(value, str):
        return text(value)
    if isinstance(value, datetime):
        return date_time(value)
    if isinstance(value, date):
        return date_value(value)
    if isinstance(value, timedelta):
        return duration(value)
    if isinstance(value, (list, tuple)):
        return ",".join(text(item) for item in value)
    return _refuse(NOT_IN_A_VALUE, str(value), "the value")


@lru_cache(maxsize=1024)
def _parameters(parameters: tuple[tuple[str, object], ...]) -> str:
    return "".join(f";{key.replace('_', '-').upper()}={parameter_value(str(value))}" for key, value in parameters)


class Lines:
    """The content lines of one component (or a calendar header), in the order added.

    Lines are folded when the component is serialised; most are short and pass as they are.
    """

    __slots__ = ("lines",)

    def __init__(self):
        self.lines: list[str] = []

    def add(self, name: str, value, **parameters: str) -> None:
        """A property: text is escaped, dates and times formatted, lists comma-joined."""
        if parameters:
            name += _parameters(tuple(parameters.items()))
        self.lines.append(f"{name}:{_value(value)}")

    def raw(self, name: str, value: str, **parameters: str) -> None:
        """A property whose value is already in iCalendar form (a URI, an integer, a status)."""
        _refuse(NOT_IN_A_VALUE, value, name)
        if parameters:
            name += _parameters(tuple(parameters.items()))
        self.lines.append(f"{name}:{value}")

    def add_time(self, name: str, moment: datetime | date) -> None:
        """DTSTART or DTEND: a date, a UTC time with Z, or a local time with its TZID."""
        if not isinstance(moment, datetime):
            self.lines.append(f"{name};VALUE=DATE:{date_value(moment)}")
        elif moment.tzinfo is UTC:
            self.lines.append(f"{name}:{date_time(moment)}")
        else:
            self.raw(name, date_time(moment), TZID=moment.tzinfo.key)

    def to_bytes(self) -> bytes:
        return "".join(
            [(line if len(line) <= MAX_OCTETS and line.isascii() else fold(line)) + "\r\n" for line in self.lines]
        ).encode("utf-8")
