"""Four independent readings of an iCalendar file, each as {UID: (start, end)}.

A timed start or end is a UTC instant in whole seconds; an all-day one is
"YYYY-MM-DD" (the end exclusive, as in the file). Each reader uses its
parser's own idea of the end where DTEND is absent.

* icalendar: the library that writes our feeds; it resolves TZIDs with zoneinfo.
* recurring-ical-events: expands occurrences the way many web calendars do.
* vobject: reads the VTIMEZONE blocks through dateutil (as CalDAV servers do).
* ical.js: Mozilla's parser, used by Thunderbird; it knows only our VTIMEZONEs.
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

JS_DIR = Path(__file__).resolve().parent / "js"
ICAL_JS_SCRIPT = JS_DIR / "ical-instants.mjs"

Reading = dict[str, tuple[object, object]]


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


def read_vobject(path: Path) -> Reading:
    # vobject keeps zones it has read in a module-wide map; clear it so every file
    # is read with its own VTIMEZONEs and never with a zone from another file or pytz.
    vobject.icalendar.__dict__["__tzidMap"].clear()
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
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
