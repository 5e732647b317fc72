// Expands repeating entries with Mozilla's ical.js (the parser in Thunderbird) and prints, as
// JSON, {file: {UID: [[start, end, STATUS], ...]}}: every meeting whose rule-given start is
// before the bound (UTC seconds, the first argument), EXDATEs dropped by ical.js's own
// iterator and RECURRENCE-ID overrides put in place with relateException. Start and end are
// UTC instants in seconds. Time zones come only from the VTIMEZONEs in each file.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const MAX_EXPANDED = 5000;
const [bound, ...paths] = process.argv.slice(2);

function status(event) {
  return (event.component.getFirstPropertyValue("status") || "CONFIRMED").toUpperCase();
}

const results = {};
for (const path of paths) {
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
  }
  const masters = new Map();
  const overrides = [];
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    if (event.isRecurrenceException()) overrides.push(event);
    else masters.set(event.uid, event);
  }
  for (const override of overrides) masters.get(override.uid).relateException(override);
  const found = {};
  for (const [uid, event] of masters) {
    const meetings = [];
    const iterator = event.iterator();
    for (let next = iterator.next(), count = 0; next; next = iterator.next(), count++) {
      if (next.toUnixTime() >= Number(bound)) break;
      if (count >= MAX_EXPANDED) throw new Error(`${uid}: a rule that does not end before the bound`);
      const details = event.getOccurrenceDetails(next);
      const end = details.endDate ? details.endDate.toUnixTime() : null;
      meetings.push([details.startDate.toUnixTime(), end, status(details.item)]);
    }
    found[uid] = meetings;
  }
  results[path] = found;
}
process.stdout.write(JSON.stringify(results));
