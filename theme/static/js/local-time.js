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

  function describe(start, end) {
    var text = dayAndTime.format(start);
    if (end) {
      text += "–" + (dayOnly.format(end) === dayOnly.format(start) ? timeOnly.format(end) : dayAndTime.format(end));
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
