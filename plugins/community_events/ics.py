"""RFC 5545 content lines: icalendar's value types encode, this module writes and folds.

icalendar's ``Component.to_ical`` folds every line character by character; on a
site of 1,000 events that was two thirds of the time spent on feeds. Here each
value is still encoded by icalendar (``vText`` escaping, ``vDatetime``,
``vDate``, ``vCategory``, parameter quoting), and a line is folded only when it
is longer than 75 octets.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import vCategory, vDate, vDatetime, vDuration, vText
from icalendar.parser import param_value

MAX_OCTETS = 75
FOLD = "\r\n "


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


def _value(value) -> str:
    if isinstance(value, str):
        return vText(value).to_ical().decode("utf-8")
    if isinstance(value, datetime):
        return vDatetime(value).to_ical().decode("ascii")
    if isinstance(value, date):
        return vDate(value).to_ical().decode("ascii")
    if isinstance(value, timedelta):
        return vDuration(value).to_ical().decode("ascii")
    if isinstance(value, (list, tuple)):
        return vCategory(list(value)).to_ical().decode("utf-8")
    return str(value)


class Lines:
    """The content lines of one component (or a calendar header), in the order added."""

    def __init__(self):
        self.lines: list[str] = []

    def add(self, name: str, value, **parameters: str) -> None:
        """A property: text is escaped, dates and times formatted, lists comma-joined."""
        self.raw(name, _value(value), **parameters)

    def raw(self, name: str, value: str, **parameters: str) -> None:
        """A property whose value is already in iCalendar form (a URI, an integer, a status)."""
        head = name + "".join(f";{key.replace('_', '-').upper()}={param_value(str(v))}" for key, v in parameters.items())
        self.lines.append(fold(f"{head}:{value}"))

    def add_time(self, name: str, moment: datetime | date) -> None:
        """DTSTART or DTEND: a date, a UTC time with Z, or a local time with its TZID."""
        if not isinstance(moment, datetime):
            self.raw(name, _value(moment), VALUE="DATE")
        elif moment.tzinfo is UTC:
            self.raw(name, _value(moment))
        else:
            self.raw(name, _value(moment.replace(tzinfo=None)), TZID=moment.tzinfo.key)

    def to_bytes(self) -> bytes:
        return ("\r\n".join(self.lines) + "\r\n").encode("utf-8")
