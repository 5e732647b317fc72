"""The Pelican generator that writes the feeds: iCalendar, Atom and JSON.

It runs after the events generator, which gives every event, series and topic page
its feeds' URLs (``calendar_url``, None for an event with nothing to put in a
calendar; ``atom_url`` for series and topics) and subscribe links. In ``generate_output``
it reads each event file's history once, builds every session's VEVENT and every event's
news entry (``announcements``) once, and writes, at those URLs:

* ``calendar.ics``: every event, less those whose last session ended more than
  ``calendar_past_days`` ago (``in_site_calendar``, which the events page asks too);
* one calendar per event that has at least one session with a real start;
* one calendar per series, with all its episodes;
* one calendar per topic (tag), with the same window as calendar.ics;
* ``events.atom`` (every event, as news) and an Atom feed per topic and per series;
* ``events.json``, every event as data (``jsonfeed``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from pelican.generators import Generator

from . import atom, feeds, jsonfeed
from .announcements import Announcement, announce
from .errors import ContentError, collector
from .history import History, Revision
from .options import Options, for_build
from .outputs import claims
from .topics import topic_source

logger = logging.getLogger(__name__)

SITE_CALENDAR_DESCRIPTION = (
    "Events of the {site}: meetups, office hours, salons and campaigns. "
    "Times are in each event's own time zone; your calendar shows them in yours."
)
SERIES_CALENDAR_DESCRIPTION = "Every session of {series}, from the {site}."
EVENT_CALENDAR_DESCRIPTION = "{event}: every session, from the {site}."
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
SITE_CALENDAR_SOURCE = "the site's calendar (calendar.ics)"
TOPIC_CALENDAR_NAME = "{topic}: {site} events"
TOPIC_CALENDAR_DESCRIPTION = (
    'Events of the {site} tagged "{topic}", except those over for more than {days} days. '
    "Times are in each event's own time zone; your calendar shows them in yours."
)
SITE_ATOM_TITLE = "{site}: events"
SITE_ATOM_SUBTITLE = "Every event of the {site}: new ones, and changes to their times, places and status."
TOPIC_ATOM_TITLE = "{topic}: {site} events"
TOPIC_ATOM_SUBTITLE = 'Events of the {site} tagged "{topic}": new ones, and changes.'
SERIES_ATOM_TITLE = "{series}: {site} events"
SERIES_ATOM_SUBTITLE = "Every episode of {series}: new ones, and changes."
JSON_DESCRIPTION = (
    "Every event of the {site}, with each session's time as a UTC instant and its time zone. "
    "The _event object in each item is described at {docs}."
)
# Where the JSON feed's extension is described: the repository's docs, which the feed links from every item.
JSON_DOCS_PATH = "docs/events-feed.md"


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


def topic_calendar_name(settings: dict, topic_name: str) -> str:
    """The name of a topic's calendar, as calendar apps show it and the subscribe links pass it on."""
    return TOPIC_CALENDAR_NAME.format(topic=topic_name, site=settings["SITENAME"])


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
    """Writes the iCalendar feeds (calendar.ics, per event, series and topic), the Atom feeds and events.json."""

    def generate_context(self):
        self.options = for_build(self.settings)
        self.base = absolute_base(self.settings)
        self.events = list(self.context.get("events", []))
        self.series = list(self.context.get("event_series", []))
        self.topics = list(self.context.get("event_topics", []))

    def generate_output(self, writer):
        history = History(os.path.join(self.path, self.options.events_path), fallback_time(self.options))
        self._folders: set[str] = set()
        revisions = {event.slug: self._guarded(event, self._revision, history) for event in self.events}
        entries = {
            event.slug: self._guarded(event, self._entries, revisions[event.slug]) or [] for event in self.events
        }
        years = feeds.zone_years([entry for event_entries in entries.values() for entry in event_entries])

        def recent(events) -> list[feeds.Entry]:
            """The entries calendar.ics and the topics' calendars hold: upcoming, or not long over."""
            return [
                entry
                for event in events
                for entry in entries[event.slug]
                if in_site_calendar(entry.last_day, self.options)
            ]

        self._write_calendar(
            self.settings["CALENDAR_URL"], self._site_info(), recent(self.events), years, SITE_CALENDAR_SOURCE
        )
        for event in self.events:
            if event.calendar_url:
                self._write_calendar(
                    event.calendar_url, self._event_info(event), entries[event.slug], years, event.model.source_path
                )
        for series in self.series:
            series_entries = [entry for episode in series.episodes for entry in entries[episode.slug]]
            self._write_calendar(
                series.calendar_url, self._series_info(series), series_entries, years, series.model.source_path
            )
        for topic in self.topics:
            self._write_calendar(
                topic.calendar_url, self._topic_info(topic), recent(topic.events), years, topic_source(topic)
            )
        news = {event.slug: self._guarded(event, self._announcement, revisions[event.slug]) for event in self.events}
        self._write_news(news)
        logger.info(
            "Wrote %s calendar feeds, %s Atom feeds and a JSON feed",
            1 + len([e for e in self.events if e.calendar_url]) + len(self.series) + len(self.topics),
            1 + len(self.series) + len(self.topics),
        )

    def _guarded(self, event, build: Callable, *args):
        """``build(event, *args)``; a failure nobody foresaw names the event's file, not a traceback, and gives None."""
        try:
            return build(event, *args)
        except Exception as exc:
            logger.debug("Could not build the feeds of %s", event.model.source_path, exc_info=True)
            collector.add(
                ContentError(
                    event.model.source_path,
                    f"could not be built ({exc.__class__.__name__}: {exc})",
                    "please report this",
                )
            )
            return None

    def _revision(self, event, history: History) -> Revision:
        return history.revision(event.source_path, event.model.calendar_id)

    def _entries(self, event, revision: Revision | None) -> list[feeds.Entry]:
        if revision is None or not feeds.calendar_sessions(event.model):
            return []
        return feeds.event_entries(
            event.model,
            page_url=self._absolute(event.url),
            about=feeds.about(event),
            revision=revision,
            uid_domain=self.options.uid_domain,
        )

    def _announcement(self, event, revision: Revision | None) -> Announcement | None:
        if revision is None:
            return None
        return announce(
            event,
            page_url=self._absolute(event.url),
            revision=revision,
            options=self.options,
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

    def _topic_info(self, topic) -> feeds.CalendarInfo:
        description = TOPIC_CALENDAR_DESCRIPTION.format(
            site=self.settings["SITENAME"], topic=topic.name, days=self.options.calendar_past_days
        )
        return self._info(topic_calendar_name(self.settings, topic.name), description, topic.url, topic.calendar_url)

    # --- Atom and JSON --------------------------------------------------------------------------

    def _atom_info(self, title: str, subtitle: str, page_url: str, feed_url: str) -> atom.AtomInfo:
        return atom.AtomInfo(
            title=title,
            subtitle=subtitle,
            page_url=self._absolute(page_url),
            feed_url=self._absolute(feed_url),
            feed_path=feed_url,
            author=self.settings.get("AUTHOR") or self.settings["SITENAME"],
            language=self.settings.get("DEFAULT_LANG") or "en",
            empty_date=fallback_time(self.options),
        )

    def _write_news(self, news: dict[str, Announcement | None]) -> None:
        site = self.settings["SITENAME"]
        entries = {
            event.slug: self._guarded(event, self._atom_entry, news[event.slug]) if news[event.slug] else None
            for event in self.events
        }

        def listed(events) -> list[atom.AtomEntry]:
            return [entries[event.slug] for event in events if entries[event.slug] is not None]

        feed_url = self.settings["EVENTS_ATOM_URL"]
        info = self._atom_info(
            SITE_ATOM_TITLE.format(site=site),
            SITE_ATOM_SUBTITLE.format(site=site),
            self.settings["EVENTS_INDEX_URL"],
            feed_url,
        )
        self._write_atom(feed_url, info, listed(self.events), f"the site's news of events ({feed_url})")
        for topic in self.topics:
            info = self._atom_info(
                TOPIC_ATOM_TITLE.format(topic=topic.name, site=site),
                TOPIC_ATOM_SUBTITLE.format(topic=topic.name, site=site),
                topic.url,
                topic.atom_url,
            )
            self._write_atom(topic.atom_url, info, listed(topic.events), topic_source(topic))
        for series in self.series:
            info = self._atom_info(
                SERIES_ATOM_TITLE.format(series=series.title, site=site),
                SERIES_ATOM_SUBTITLE.format(series=series.title),
                series.url,
                series.atom_url,
            )
            self._write_atom(series.atom_url, info, listed(series.episodes), series.model.source_path)
        self._write_json(news)

    def _atom_entry(self, event, announcement: Announcement) -> atom.AtomEntry:
        return atom.atom_entry(announcement, self.options.uid_domain)

    def _write_atom(self, relative: str, info: atom.AtomInfo, entries: list[atom.AtomEntry], source: str) -> None:
        limit = self.settings.get("FEED_MAX_ITEMS")
        self._write_bytes(relative, atom.atom_bytes(info, entries, self.options.uid_domain, limit), source)

    def _write_json(self, news: dict[str, Announcement | None]) -> None:
        site = self.settings["SITENAME"]
        repository = (self.settings.get("REPOSITORY_URL") or "").rstrip("/")
        branch = self.settings.get("REPOSITORY_BRANCH") or "main"
        docs = f"{repository}/blob/{branch}/{JSON_DOCS_PATH}" if repository else None
        announced = [(news[event.slug], event) for event in self.events if news[event.slug] is not None]
        items = []
        for announcement, event in sorted(announced, key=lambda pair: atom.recency(pair[0]), reverse=True):
            record = self._guarded(event, self._json_item, announcement, docs)
            if record is not None:
                items.append(record)
        feed_url = self.settings["EVENTS_JSON_URL"]
        header = {
            "title": SITE_ATOM_TITLE.format(site=site),
            "home_page_url": self._absolute(self.settings["EVENTS_INDEX_URL"]),
            "feed_url": self._absolute(feed_url),
            "description": JSON_DESCRIPTION.format(site=site, docs=docs or JSON_DOCS_PATH),
            "language": self.settings.get("DEFAULT_LANG") or "en",
            "authors": [{"name": self.settings.get("AUTHOR") or site, "url": self._absolute("")}],
        }
        self._write_bytes(feed_url, jsonfeed.feed_bytes(header, items), f"the site's events as data ({feed_url})")

    def _json_item(self, event, announcement: Announcement, docs: str | None) -> dict:
        return jsonfeed.item(
            event,
            announcement,
            absolute=self._absolute,
            options=self.options,
            uid_domain=self.options.uid_domain,
            about_url=docs,
        )

    # --- Files ----------------------------------------------------------------------------------

    def _write_calendar(
        self, relative: str, info: feeds.CalendarInfo, entries: list[feeds.Entry], years: dict, source: str
    ) -> None:
        self._write_bytes(relative, feeds.calendar_bytes(info, entries, years), source)

    def _write_bytes(self, relative: str, data: bytes, source: str) -> None:
        path = claims.claim(self.output_path, relative, source)
        if path is None:
            return
        folder = os.path.dirname(path)
        if folder not in self._folders:  # a thousand feeds share one or two folders
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        # Unbuffered: each feed is one bytes object, and a thousand file objects cost more than the writes.
        view = memoryview(data)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
