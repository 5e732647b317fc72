// Adds the reader's time under each session, after its data-label ({zone}: the zone), and moves an
// event on to "happening now" or "past" by the reader's clock. The page is complete without it, and
// true as built (daily).
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
    label.textContent = slot.dataset.label.replace("{zone}", zone.replace(/_/g, " ")) + " ";
    var time = document.createElement("time");
    time.setAttribute("datetime", slot.dataset.start);
    time.textContent = describe(start, end);
    slot.append(label, time);
    slot.hidden = false;
  });

  // An event not over when the page was built carries data-state (as built), data-ends (when it is over;
  // none when it never is) and data-runs (when a session runs: "start/end" UTC instants, space-separated).
  // Elements marked when-now and when-past are shown in those states; while-upcoming ones are hidden once over.
  function stateAt(item, now) {
    if (now >= Date.parse(item.dataset.ends)) { return "past"; }
    var built = item.dataset.built;
    if (built !== "upcoming" && built !== "now") { return built; }
    var runs = (item.dataset.runs || "").split(" ");
    for (var i = 0; i < runs.length; i++) {
      var run = runs[i].split("/");
      if (Date.parse(run[0]) <= now && now < Date.parse(run[1])) { return "now"; }
    }
    return "upcoming";
  }

  function show(item, selector, visible) {
    item.querySelectorAll(selector).forEach(function (element) { element.hidden = !visible; });
  }

  function refresh() {
    document.querySelectorAll("[data-state]").forEach(function (item) {
      if (!item.dataset.built) { item.dataset.built = item.dataset.state; }
      var state = stateAt(item, Date.now());
      if (state === item.dataset.state) { return; }
      item.dataset.state = state;
      show(item, ".when-now", state === "now");
      show(item, ".when-past", state === "past");
      show(item, ".while-upcoming", state !== "past");
    });
  }

  refresh();
  setInterval(refresh, 60000);
})();
