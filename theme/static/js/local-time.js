// Adds "In your time zone" under each session, from its <time datetime>.
// The page is complete without this script; it only adds the reader's own zone.
(function () {
  "use strict";
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var lang = document.documentElement.dataset.locale || document.documentElement.lang || undefined;
  var dayAndTime = new Intl.DateTimeFormat(lang, {
    weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone
  });
  var timeOnly = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone });
  var dayOnly = new Intl.DateTimeFormat("en-CA", { timeZone: zone });
  var offsetOnly = new Intl.DateTimeFormat(lang, { timeZoneName: "shortOffset", timeZone: zone });
  var HOUR = 3600000;

  // In the hour the clocks go back, the same wall time happens twice: add its offset, so that
  // an hour-long session never reads "01:30–01:30".
  function repeated(moment) {
    var wall = timeOnly.format(moment);
    return timeOnly.format(new Date(moment.getTime() - HOUR)) === wall || timeOnly.format(new Date(moment.getTime() + HOUR)) === wall;
  }

  function clock(format, moment) {
    var text = format.format(moment);
    if (!repeated(moment)) { return text; }
    var offset = offsetOnly.formatToParts(moment).filter(function (part) { return part.type === "timeZoneName"; })[0];
    return offset ? text + " (" + offset.value + ")" : text;
  }

  function describe(start, end) {
    var text = clock(dayAndTime, start);
    if (end) {
      text += "–" + (dayOnly.format(end) === dayOnly.format(start) ? clock(timeOnly, end) : clock(dayAndTime, end));
    }
    return text;
  }

  document.querySelectorAll(".local-time[data-start]").forEach(function (slot) {
    var start = new Date(slot.dataset.start);
    var end = slot.dataset.end ? new Date(slot.dataset.end) : null;
    if (isNaN(start)) { return; }
    var label = document.createElement("span");
    label.className = "local-label";
    label.textContent = "In your time zone (" + zone.replace(/_/g, " ") + "): ";
    var time = document.createElement("time");
    time.setAttribute("datetime", slot.dataset.start);
    time.textContent = describe(start, end);
    slot.append(label, time);
    slot.hidden = false;
  });
})();
