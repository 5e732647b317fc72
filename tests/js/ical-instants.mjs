// Reads iCalendar files with Mozilla's ical.js (the parser in Thunderbird) and prints,
// as JSON, each VEVENT's UID with its start and end: a UTC instant in seconds for
// timed entries, YYYY-MM-DD for all-day ones. Time zones come only from the
// VTIMEZONE components in each file, as in Thunderbird.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function moment(time) {
  if (!time) return null;
  if (time.isDate) return time.toString();
  return time.toUnixTime();
}

const results = {};
for (const path of process.argv.slice(2)) {
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
  }
  results[path] = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const zone = event.startDate.zone ? event.startDate.zone.tzid : null;
    return { uid: event.uid, start: moment(event.startDate), end: moment(event.endDate), zone };
  });
}
process.stdout.write(JSON.stringify(results));
