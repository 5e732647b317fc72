"""Four independent readings of an iCalendar file, each as {UID: (start, end)}.

A timed start or end is a UTC instant in whole seconds; an all-day one is
"YYYY-MM-DD" (the end exclusive, as in the file). Each reader uses its
parser's own idea of the end where DTEND is absent.

* icalendar: the library that writes our feeds; it resolves TZIDs with zoneinfo.
* recurring-ical-events: expands occurrences the way many web calendars do.
* vobject: reads the VTIMEZONE blocks through dateutil (as CalDAV servers do).
* ical.js: Mozilla's parser, used by Thunderbird; it knows only our VTIMEZONEs.

The ``*_occurrences`` readers expand repeating entries instead: {UID: sorted list of
(start, end, STATUS)} with every meeting whose rule-given start is before a bound, EXDATEs
dropped and RECURRENCE-ID overrides put in place of the meeting they replace. Each keeps
what its parser reports for a cancelled override (all four keep it, with STATUS:CANCELLED).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import recurring_ical_events
import vobject
from dateutil.rrule import rrulestr

JS_DIR = Path(__file__).resolve().parent / "js"
ICAL_JS_SCRIPT = JS_DIR / "ical-instants.mjs"
ICAL_JS_OCCURRENCES = JS_DIR / "ical-occurrences.mjs"
# Far enough for every bounded series in the tests; open-ended ones are given a nearer bound.
DEFAULT_BOUND = datetime(2100, 1, 1, tzinfo=UTC)
# A guard against a parser that never stops expanding.
MAX_EXPANDED = 5000

Reading = dict[str, tuple[object, object]]
Meeting = tuple[int, int | None, str]
Occurrences = dict[str, list[Meeting]]


def moment(value) -> object:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise AssertionError(f"floating time {value} in a feed")
        return int(value.astimezone(UTC).timestamp())
    if isinstance(value, date):
        return value.isoformat()
    return value


def read_icalendar(path: Path) -> Reading:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]): (moment(event.start), moment(event.end)) for event in calendar.walk("VEVENT")}


def read_recurring(path: Path) -> Reading:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    occurrences = recurring_ical_events.of(calendar).between(datetime(1970, 1, 1), datetime(2200, 1, 1))
    return {str(event["UID"]): (moment(event["DTSTART"].dt), moment(event["DTEND"].dt)) for event in occurrences}


def read_vobject_calendar(path: Path):
    """The file read by vobject with its own VTIMEZONEs, never a zone from another file or pytz.

    vobject keeps zones in a module-wide map, and does not register a VTIMEZONE that matches UTC
    from 2000 to 2020 (its ``tzinfo_eq``): Europe/London's, which starts in 2023, is taken for
    UTC, and vobject then fetches pytz's zone, which dateutil's rrule shifts by an hour in summer.
    So the file's zones are read first and put in the map before the events are read.
    """
    text = path.read_text(encoding="utf-8")
    tzids = vobject.icalendar.__dict__["__tzidMap"]
    tzids.clear()
    zones = {zone.tzid.value: zone.gettzinfo() for zone in getattr(vobject.readOne(text), "vtimezone_list", [])}
    tzids.clear()
    tzids.update(zones)
    return vobject.readOne(text)


def read_vobject(path: Path) -> Reading:
    calendar = read_vobject_calendar(path)
    reading = {}
    for event in getattr(calendar, "vevent_list", []):
        start = event.dtstart.value
        if hasattr(event, "dtend"):
            end = event.dtend.value
        else:  # RFC 5545: a date lasts a day; a date-time without end lasts no time
            end = start + timedelta(days=1) if not isinstance(start, datetime) else start
        reading[event.uid.value] = (moment(start), moment(end))
    return reading


def node_available() -> bool:
    return shutil.which("node") is not None and (JS_DIR / "node_modules" / "ical.js").is_dir()


def read_ical_js(paths: list[Path]) -> dict[Path, Reading]:
    done = subprocess.run(["node", str(ICAL_JS_SCRIPT), *map(str, paths)], capture_output=True, text=True, check=True)
    results = json.loads(done.stdout)
    return {Path(name): {e["uid"]: (e["start"], e["end"]) for e in events} for name, events in results.items()}


PYTHON_READERS = {"icalendar": read_icalendar, "recurring-ical-events": read_recurring, "vobject": read_vobject}


# --- Occurrences of repeating entries -------------------------------------------------------


def _seconds(value: datetime) -> int:
    if value.tzinfo is None:
        raise AssertionError(f"floating time {value} in a feed")
    return int(value.astimezone(UTC).timestamp())


def _status(component) -> str:
    return str(component.get("STATUS", "CONFIRMED")).upper()


def _length(start: datetime, end: datetime | None) -> timedelta | None:
    """DTEND less DTSTART as an exact duration, which RFC 5545 gives every occurrence."""
    return None if end is None else end.astimezone(UTC) - start.astimezone(UTC)


def _expanded(starts, length: timedelta | None, excluded: set[int], bound: datetime, status: str) -> dict[int, Meeting]:
    """{rule-given start: meeting} for the starts before ``bound``, the excluded ones left out."""
    meetings: dict[int, Meeting] = {}
    for count, start in enumerate(starts):
        if start.astimezone(UTC) >= bound:
            break
        if count >= MAX_EXPANDED:
            raise AssertionError("a rule that does not end before the bound")
        instant = _seconds(start)
        if instant not in excluded:
            end = None if length is None else instant + int(length.total_seconds())
            meetings[instant] = (instant, end, status)
    return meetings


def _by_uid(components) -> dict[str, tuple[object, list]]:
    """{UID: (the master component, [its overrides])}."""
    found: dict[str, tuple[object, list]] = {}
    for component, uid, is_override in components:
        master, overrides = found.get(uid, (None, []))
        if is_override:
            overrides.append(component)
        else:
            master = component
        found[uid] = (master, overrides)
    return found


def _exdates(event: icalendar.Event) -> set[int]:
    value = event.get("EXDATE")
    if value is None:
        return set()
    lists = value if isinstance(value, list) else [value]
    return {_seconds(item.dt) for dates in lists for item in dates.dts}


def icalendar_occurrences(path: Path, bound: datetime = DEFAULT_BOUND) -> Occurrences:
    """icalendar parses; dateutil's rrulestr expands the RRULE on DTSTART's own (zoneinfo) time."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = [(e, str(e["UID"]), "RECURRENCE-ID" in e) for e in calendar.walk("VEVENT")]
    result: Occurrences = {}
    for uid, (master, overrides) in _by_uid(events).items():
        start = master["DTSTART"].dt
        end = master["DTEND"].dt if "DTEND" in master else None
        if "RRULE" in master:
            rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
        else:
            rule = [start]
        meetings = _expanded(rule, _length(start, end), _exdates(master), bound, _status(master))
        for override in overrides:
            replaced = _seconds(override["RECURRENCE-ID"].dt)
            own_start, own_end = override["DTSTART"].dt, override.get("DTEND")
            own_end = _seconds(own_end.dt) if own_end is not None else None
            if replaced in meetings:
                meetings[replaced] = (_seconds(own_start), own_end, _status(override))
        result[uid] = sorted(meetings.values())
    return result


def recurring_occurrences(path: Path, bound: datetime = DEFAULT_BOUND) -> Occurrences:
    """recurring-ical-events' own expansion; a cancelled override comes back with its STATUS."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    result: Occurrences = {}
    query = recurring_ical_events.of(calendar)
    for count, event in enumerate(query.between(datetime(1970, 1, 1), bound.replace(tzinfo=None))):
        if count >= MAX_EXPANDED:
            raise AssertionError("a rule that does not end before the bound")
        end = event.get("DTEND")
        meeting = (_seconds(event["DTSTART"].dt), _seconds(end.dt) if end is not None else None, _status(event))
        result.setdefault(str(event["UID"]), []).append(meeting)
    return {uid: sorted(meetings) for uid, meetings in result.items()}


def vobject_occurrences(path: Path, bound: datetime = DEFAULT_BOUND) -> Occurrences:
    """vobject's getrruleset (dateutil over our VTIMEZONEs) with EXDATEs; overrides by RECURRENCE-ID."""
    calendar = read_vobject_calendar(path)
    events = [(e, e.uid.value, hasattr(e, "recurrence_id")) for e in getattr(calendar, "vevent_list", [])]
    result: Occurrences = {}
    for uid, (master, overrides) in _by_uid(events).items():
        start = master.dtstart.value
        end = master.dtend.value if hasattr(master, "dtend") else None
        status = master.status.value.upper() if hasattr(master, "status") else "CONFIRMED"
        rules = master.getrruleset(addRDate=True) if hasattr(master, "rrule") else [start]
        meetings = _expanded(rules, _length(start, end), set(), bound, status)
        for override in overrides:
            replaced = _seconds(override.recurrence_id.value)
            own_end = _seconds(override.dtend.value) if hasattr(override, "dtend") else None
            own_status = override.status.value.upper() if hasattr(override, "status") else "CONFIRMED"
            if replaced in meetings:
                meetings[replaced] = (_seconds(override.dtstart.value), own_end, own_status)
        result[uid] = sorted(meetings.values())
    return result


def ical_js_occurrences(paths: list[Path], bound: datetime = DEFAULT_BOUND) -> dict[Path, Occurrences]:
    """ical.js's ICAL.Event with relateException, expanded by its iterator (EXDATEs are its own)."""
    command = ["node", str(ICAL_JS_OCCURRENCES), str(_seconds(bound)), *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    results = json.loads(done.stdout)
    return {
        Path(name): {uid: sorted((m[0], m[1], m[2]) for m in meetings) for uid, meetings in events.items()}
        for name, events in results.items()
    }


PYTHON_OCCURRENCE_READERS = {
    "icalendar": icalendar_occurrences,
    "recurring-ical-events": recurring_occurrences,
    "vobject": vobject_occurrences,
}
