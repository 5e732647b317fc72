"""The Pelican generator that writes the iCalendar feeds.

It runs after the events generator, which gives every event and series page
its feed's URL (``calendar_url``, None for an event with nothing to put in a
calendar) and subscribe links. In ``generate_output`` it reads each event
file's history once, builds every session's VEVENT once, and writes, at those
URLs:

* ``calendar.ics``: every event, less those whose last session ended more than
  ``calendar_past_days`` ago (``in_site_calendar``, which the events page asks too);
* one feed per event that has at least one session with a real start;
* one feed per series, with all its episodes.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime, time, timedelta

from pelican.generators import Generator

from . import feeds
from .errors import ContentError, collector
from .history import History
from .options import Options, for_build
from .outputs import claims

logger = logging.getLogger(__name__)

SITE_CALENDAR_DESCRIPTION = (
    "Events of the {site}: meetups, office hours, salons and campaigns. "
    "Times are in each event's own time zone; your calendar shows them in yours."
)
SERIES_CALENDAR_DESCRIPTION = "Every session of {series}, from the {site}."
EVENT_CALENDAR_DESCRIPTION = "{event}: every session, from the {site}."
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
SITE_CALENDAR_SOURCE = "the site's calendar (calendar.ics)"


def absolute_base(settings: dict) -> str:
    """The root site's address: its SITEURL when absolute (published builds), else FEED_DOMAIN (the local
    server). A translated build (languages.py) has its own SITEURL under the root's, ROOT_SITEURL."""
    for key in ("ROOT_SITEURL", "SITEURL", "FEED_DOMAIN"):
        value = (settings.get(key) or "").rstrip("/")
        if value.startswith(("http://", "https://")):
            return value
    return ""


def site_calendar_name(settings: dict, options: Options) -> str:
    """The name of calendar.ics, as calendar apps show it and the subscribe links pass it on."""
    return options.calendar_name or f"{settings['SITENAME']} events"


def in_site_calendar(last_day: date, options: Options) -> bool:
    """A calendar entry whose session ends on ``last_day`` is in calendar.ics: upcoming, or over for at most
    ``calendar_past_days`` days. The events page asks this too, to say when the subscription is empty."""
    return last_day >= options.today - timedelta(days=options.calendar_past_days)


def fallback_time(options: Options) -> datetime:
    """LAST-MODIFIED where git has no answer: SOURCE_DATE_EPOCH, else the start of "today" in UTC."""
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.combine(options.today, time(0), tzinfo=UTC)


class CalendarGenerator(Generator):
    """Writes calendar.ics and the per-event and per-series feeds."""

    def generate_context(self):
        self.options = for_build(self.settings)
        self.base = absolute_base(self.settings)
        self.events = list(self.context.get("events", []))
        self.series = list(self.context.get("event_series", []))

    def generate_output(self, writer):
        history = History(os.path.join(self.path, self.options.events_path), fallback_time(self.options))
        self._folders: set[str] = set()
        entries = {event.slug: self._guarded_entries(event, history) for event in self.events}
        years = feeds.zone_years([entry for event_entries in entries.values() for entry in event_entries])
        site_entries = [
            entry
            for event in self.events
            for entry in entries[event.slug]
            if in_site_calendar(entry.last_day, self.options)
        ]
        self._write(self.settings["CALENDAR_URL"], self._site_info(), site_entries, years, SITE_CALENDAR_SOURCE)
        for event in self.events:
            if event.calendar_url:
                self._write(
                    event.calendar_url, self._event_info(event), entries[event.slug], years, event.model.source_path
                )
        for series in self.series:
            series_entries = [entry for episode in series.episodes for entry in entries[episode.slug]]
            self._write(series.calendar_url, self._series_info(series), series_entries, years, series.model.source_path)
        logger.info("Wrote %s calendar feeds", 1 + len([e for e in self.events if e.calendar_url]) + len(self.series))

    def _guarded_entries(self, event, history: History) -> list[feeds.Entry]:
        """One event's entries; a failure nobody foresaw names the event's file, not a traceback."""
        try:
            return self._entries(event, history)
        except Exception as exc:
            logger.debug("Could not build the calendar entries of %s", event.model.source_path, exc_info=True)
            collector.add(
                ContentError(
                    event.model.source_path,
                    f"could not be built ({exc.__class__.__name__}: {exc})",
                    "please report this",
                )
            )
            return []

    def _entries(self, event, history: History) -> list[feeds.Entry]:
        if not feeds.calendar_sessions(event.model):
            return []
        revision = history.revision(event.source_path, event.model.calendar_id)
        return feeds.event_entries(
            event.model,
            page_url=self._absolute(event.url),
            # What the event is, in plain text: its summary, else its body's first paragraph.
            about=event.model.summary or feeds.first_paragraph(event.content),
            revision=revision,
            uid_domain=self.options.uid_domain,
        )

    def _absolute(self, url: str) -> str:
        return f"{self.base}/{url}"

    def _info(self, name: str, description: str, page_url: str, feed_url: str) -> feeds.CalendarInfo:
        return feeds.CalendarInfo(
            prodid=f"-//{self.settings['SITENAME']}//Events calendar//EN",
            name=name,
            description=description,
            refresh=timedelta(hours=self.options.calendar_refresh_hours),
            url=self._absolute(page_url) if self.base else None,
            source=self._absolute(feed_url) if self.base else None,
        )

    def _site_info(self) -> feeds.CalendarInfo:
        site = self.settings["SITENAME"]
        description = self.options.calendar_description or SITE_CALENDAR_DESCRIPTION.format(site=site)
        return self._info(
            site_calendar_name(self.settings, self.options),
            description,
            self.settings["EVENTS_INDEX_URL"],
            self.settings["CALENDAR_URL"],
        )

    def _event_info(self, event) -> feeds.CalendarInfo:
        site = self.settings["SITENAME"]
        description = EVENT_CALENDAR_DESCRIPTION.format(event=event.title, site=site)
        return self._info(event.title, description, event.url, event.calendar_url)

    def _series_info(self, series) -> feeds.CalendarInfo:
        site = self.settings["SITENAME"]
        description = SERIES_CALENDAR_DESCRIPTION.format(series=series.title, site=site)
        return self._info(series.title, description, series.url, series.calendar_url)

    def _write(
        self, relative: str, info: feeds.CalendarInfo, entries: list[feeds.Entry], years: dict, source: str
    ) -> None:
        path = claims.claim(self.output_path, relative, source)
        if path is None:
            return
        folder = os.path.dirname(path)
        if folder not in self._folders:  # a thousand feeds share one or two folders
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        # Unbuffered: each feed is one bytes object, and a thousand file objects cost more than the writes.
        data = memoryview(feeds.calendar_bytes(info, entries, years))
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            while data:
                data = data[os.write(handle, data) :]
        finally:
            os.close(handle)
