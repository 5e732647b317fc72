"""Pelican generators for events (with their series) and goals.

Each reads its folder through Pelican's readers (so the front matter reader and
the content cache apply), parses the front matter into the model, checks what
links files together (a series that exists, unique slugs, goals that point at
real events and stories) and writes the pages. Errors go to the build's error
collector; the plugin stops the build once every generator has read its files.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from itertools import groupby, pairwise

from pelican.contents import Content
from pelican.generators import CachingGenerator

from . import display, states
from .calendars import absolute_base, in_site_calendar, site_calendar_name, topic_calendar_name
from .errors import ContentError, ContentWarning, collector
from .feeds import calendar_sessions
from .frontmatter import FieldLines
from .options import Options, for_build
from .outputs import claims, describe_source
from .reader import display_path
from .subscribe import FeedLinks, feed_links
from .topics import build_topics, event_tags

logger = logging.getLogger(__name__)

EVENTS_INDEX_TEMPLATE = "events"
TOPIC_TEMPLATE = "tag"
SUBSCRIBE_TEMPLATE = "subscribe"
_REFERENCE_FIX = {
    "events": "use the file name of an event in content/events, without .md",
    "stories": "use the file name of a story in content/stories, without its date and .md",
    "pages": "use the file name of a page in content/pages, without .md",
}
GOALS_TEMPLATE = "goals"
# How many of the latest past events the home page lists when none is upcoming.
HOME_PAST_EVENTS = 3


class _ModelPage(Content):
    """A Pelican page that carries a parsed model object as ``model``.

    Its URL settings are ``<PREFIX>_URL`` and ``<PREFIX>_SAVE_AS``. What the file
    says is read from the model (``event.model.sessions``), never forwarded from
    the page, where a name can mean something else: ``event.status`` is Pelican's
    "published", ``event.model.status`` the event's "cancelled". Once the model is
    parsed, the front matter is replaced by ``field_lines``, where each field was,
    for the messages that link files together.
    """

    mandatory_properties = ("title",)
    allowed_statuses = ("published", "draft")
    default_status = "published"
    settings_prefix = ""
    field_lines: FieldLines | None = None
    _url: str | None = None
    _save_as: str | None = None

    def _expand_settings(self, key, klass=None):
        return super()._expand_settings(key, klass or self.settings_prefix)

    # Pelican works these out again on every use (each time formatting every metadata field);
    # templates, the sitemap and the writer ask for them many times a build.
    @property
    def url(self) -> str:
        if self._url is None:
            self._url = self.get_url_setting("url")
        return self._url

    @property
    def save_as(self) -> str:
        if self._save_as is None:
            self._save_as = self.get_url_setting("save_as")
        return self._save_as


class EventPage(_ModelPage):
    default_template = "event"
    settings_prefix = "event"
    series_page = None
    previous_in_series = None
    next_in_series = None
    # Its calendar feed, relative to SITEURL, and the links that subscribe to it; None when
    # no session has a date (and time) to put in a calendar. Given by EventsGenerator.
    calendar_url: str | None = None
    feed_links: FeedLinks | None = None
    topics: list = []  # its tags as topics (topics.Topic), in the file's order


class SeriesPage(_ModelPage):
    default_template = "series"
    settings_prefix = "series"
    episodes: list = []
    calendar_url: str | None = None
    atom_url: str | None = None
    feed_links: FeedLinks | None = None


class GoalPage(_ModelPage):
    default_template = "goal"
    settings_prefix = "goal"
    related_events: list = []
    related_stories: list = []
    related_pages: list = []  # such as calls for stories


class _ModelGenerator(CachingGenerator):
    """Reads a folder of front-matter files into pages with a parsed model."""

    def _read_folder(self, folder: str, page_class: type[_ModelPage]) -> list[_ModelPage]:
        pages = []
        for relative in sorted(self.get_files(folder)):
            page = self.get_cached_data(relative, None)
            if page is not None and page.field_lines is not None:  # None: cached by an older plugin
                # A cached page carries last build's context (for {filename} links) and URL.
                page._context = self.context
                page._url = page._save_as = None
            else:
                page = self._read_one(relative, page_class)
                if page is None:
                    continue
                self.cache_data(relative, page)
            if page.status == "draft":
                continue
            self.add_source_path(page)
            self.add_static_links(page)
            pages.append(page)
        return pages

    def _read_one(self, relative: str, page_class):
        try:
            page = self.readers.read_file(
                base_path=self.path, path=relative, content_class=page_class, context=self.context
            )
        except ContentError as error:
            collector.add(error)
            self._add_failed_source_path(relative)
            return None
        # The reader checked the file and gave its parsed item ("model") and field lines as
        # metadata, which Pelican also sets as attributes; templates read them there.
        page.metadata.pop("model", None)
        page.metadata.pop("field_lines", None)
        return page

    def _check_unique_slugs(self, pages: list[_ModelPage], what: str) -> None:
        by_slug = defaultdict(list)
        for page in pages:
            by_slug[page.slug].append(page)
        for slug, same in by_slug.items():
            for duplicate in same[1:]:
                path = display_path(self.settings, duplicate.source_path)
                first = display_path(self.settings, same[0].source_path)
                collector.add(
                    ContentError(
                        path, f'uses the same {what} name "{slug}" as {first}', "rename one of the two files", line=1
                    )
                )


class EventsGenerator(_ModelGenerator):
    """Events, their series, and the views templates need (upcoming, past by year, ...).

    It makes the event and series pages, so it gives each its calendar feed's URL and
    subscribe links too; CalendarGenerator writes the feeds at those URLs.
    """

    def _check_unique_calendar_ids(self) -> None:
        """Two events with one calendar id would share UIDs, and calendars would merge them."""
        first_with = {}
        for event in self.events:
            calendar_id = event.model.calendar_id
            first = first_with.setdefault(calendar_id, event)
            # Without an "id" on either side the ids are the slugs, already reported as duplicates.
            if first is event or not (event.model.event_id or first.model.event_id):
                continue
            other = display_path(self.settings, first.source_path)
            path = display_path(self.settings, event.source_path)
            line = event.field_lines.line("id") if event.model.event_id else 1
            collector.add(
                ContentError(
                    path,
                    f'"{calendar_id}" is already the calendar id of {other}',
                    "give this event a different id",
                    field="id",
                    line=line,
                )
            )

    def generate_context(self):
        options = for_build(self.settings)
        self.series = self._read_folder(options.series_path, SeriesPage)
        self.events = self._read_folder(options.events_path, EventPage)
        self._check_unique_slugs(self.series, "series")
        self._check_unique_slugs(self.events, "event")
        self._check_unique_calendar_ids()
        self._link_series()
        self.events.sort(key=_event_order)
        self._warn_about_past_events(options)
        self.context.update(self._views(options))
        self.context.update(self._feeds(options))
        self.context.update(self._topics(options))
        self._claim_outputs()
        self.save_cache()
        self.readers.save_cache()

    def _link_series(self) -> None:
        by_slug = {page.slug: page for page in self.series}
        for page in self.series:
            page.episodes = []
        for event in self.events:
            # Pages may come from the content cache with last build's links.
            event.series_page = event.previous_in_series = event.next_in_series = None
            if event.model.series is None:
                continue
            series = by_slug.get(event.model.series)
            if series is None:
                known = ", ".join(sorted(by_slug)) or "none yet"
                path = display_path(self.settings, event.source_path)
                line = event.field_lines.line("series")
                collector.add(
                    ContentError(
                        path,
                        f'"{event.model.series}" is not a known series',
                        f"use one of: {known}; or add content/series/{event.model.series}.md",
                        field="series",
                        line=line,
                    )
                )
                continue
            event.series_page = series
            series.episodes.append(event)
        for series in self.series:
            series.episodes.sort(key=lambda e: (e.model.episode or 0, _event_order(e)))
            for before, after in pairwise(series.episodes):
                before.next_in_series, after.previous_in_series = after, before

    def _warn_about_past_events(self, options: Options) -> None:
        for event in self.events:
            if event.model.first_day() is not None and not states.is_over(event.model, options.now):
                if event.model.status == "held":
                    collector.warn(
                        ContentWarning(
                            display_path(self.settings, event.source_path),
                            'is "held", but the event is not over yet',
                            'set "status: scheduled" until it has taken place',
                            field="status",
                            line=event.field_lines.line("status"),
                        )
                    )
                continue
            path = display_path(self.settings, event.source_path)
            if event.model.status == "tentative":
                collector.warn(
                    ContentWarning(
                        path,
                        'is still "tentative", but the event is over',
                        'set "status: held" if it took place, or "cancelled" if it did not',
                        field="status",
                        line=event.field_lines.line("status"),
                    )
                )
            if not (event.model.notes or event.model.recording):
                collector.warn(
                    ContentWarning(
                        path,
                        "the event is over and links to neither notes nor a recording",
                        'add "notes: https://…" or "recording: https://…" if there are any',
                        line=event.field_lines.start_line,
                    )
                )

    def _views(self, options: Options) -> dict:
        """The lists pages show, each event placed by its state at the build's moment (``states``)."""
        through = states.horizon(options)
        state = {e.slug: states.event_state(e.model, options.now, through) for e in self.events}
        ahead = [e for e in self.events if e.model.first_day() is not None and not states.is_over(e.model, options.now)]
        ahead_slugs = {e.slug for e in ahead}
        past = [e for e in reversed(self.events) if e.slug not in ahead_slugs]
        dated = [e for e in past if e.model.year is not None]
        by_year = [(year, list(group)) for year, group in groupby(dated, key=lambda e: e.model.year)]
        live = [e for e in ahead if state[e.slug] in ("upcoming", "now")]
        return {
            "events": self.events,
            "happening_events": [e for e in ahead if state[e.slug] == "now"],
            "upcoming_events": [e for e in ahead if state[e.slug] != "now"],
            "past_events_by_year": by_year,
            "undated_events": [e for e in past if e.model.year is None],
            "latest_past_events": [e for e in dated if state[e.slug] == "past"][:HOME_PAST_EVENTS],
            "next_event": live[0] if live else None,
            "home_events": live[: options.home_upcoming],
            "event_series": self.series,
            "today": options.today,
            "calendar_past_days": options.calendar_past_days,
            # calendar.ics holds nothing right now: the events page says so, and why.
            "site_calendar_empty": calendar_is_empty(self.events, options),
        }

    def _feeds(self, options: Options) -> dict:
        """Give each page its feed and subscribe links (cached pages carry last build's), and the site's for the
        context."""
        base = absolute_base(self.settings)
        for event in self.events:
            if calendar_sessions(event.model):
                event.calendar_url = self.settings["EVENT_CALENDAR_URL"].format(slug=event.slug)
                event.feed_links = feed_links(f"{base}/{event.calendar_url}", event.title)
            else:
                event.calendar_url = event.feed_links = None
        for series in self.series:
            series.calendar_url = self.settings["SERIES_CALENDAR_URL"].format(slug=series.slug)
            series.atom_url = self.settings["SERIES_ATOM_URL"].format(slug=series.slug)
            series.feed_links = feed_links(f"{base}/{series.calendar_url}", series.title)
        site_feed = self.settings["CALENDAR_URL"]
        return {
            "calendar_url": site_feed,
            "calendar_feed_links": feed_links(f"{base}/{site_feed}", site_calendar_name(self.settings, options)),
            "calendar_base": base,
        }

    def _topics(self, options: Options) -> dict:
        """Every tag as a topic (``topics``), with its page, feeds and subscribe links, and each event's topics;
        the URLs of the site's news feeds and Subscribe page."""
        base = absolute_base(self.settings)
        self.topics = build_topics(self.events)
        for topic in self.topics:
            topic.url = self.settings["EVENT_TAG_URL"].format(slug=topic.slug)
            topic.save_as = self.settings["EVENT_TAG_SAVE_AS"].format(slug=topic.slug)
            topic.calendar_url = self.settings["EVENT_TAG_CALENDAR_URL"].format(slug=topic.slug)
            topic.atom_url = self.settings["EVENT_TAG_ATOM_URL"].format(slug=topic.slug)
            topic.feed_links = feed_links(
                f"{base}/{topic.calendar_url}", topic_calendar_name(self.settings, topic.name)
            )
            topic.upcoming_events = [e for e in topic.events if display.is_upcoming(e, options)]
            over = [e for e in reversed(topic.events) if not display.is_upcoming(e, options)]
            topic.past_events = [e for e in over if e.model.year is not None]
            topic.undated_events = [e for e in over if e.model.year is None]  # as the events page keeps them apart
            topic.calendar_empty = calendar_is_empty(topic.events, options)
        by_slug = {topic.slug: topic for topic in self.topics}
        for event in self.events:  # cached pages carry last build's
            event.topics = [by_slug[slug] for slug, _ in event_tags(event)]
        # Claimed now, as the writer will claim them, so that no content page can take their place.
        for page in [*(topic.save_as for topic in self.topics), self.settings["SUBSCRIBE_SAVE_AS"]]:
            claims.claim(self.output_path, page, describe_source(self.settings, {}, page))
        return {
            "event_topics": self.topics,
            "events_atom_url": self.settings["EVENTS_ATOM_URL"],
            "events_json_url": self.settings["EVENTS_JSON_URL"],
            "subscribe_url": self.settings["SUBSCRIBE_URL"],
        }

    def _claim_outputs(self) -> None:
        """Claim the site's own pages before any page is written, so a content page cannot take their place."""
        index = self.settings["EVENTS_INDEX_SAVE_AS"]
        claims.claim(self.output_path, index, describe_source(self.settings, {}, index))
        for page in [*self.events, *self.series]:
            claims.claim(self.output_path, page.save_as, display_path(self.settings, page.source_path))

    def generate_output(self, writer):
        common = {"relative_urls": self.settings["RELATIVE_URLS"]}
        for event in self.events:
            writer.write_file(
                event.save_as,
                self.get_template(event.template),
                self.context,
                event=event,
                page=event,
                url=event.url,
                **common,
            )
        for series in self.series:
            writer.write_file(
                series.save_as,
                self.get_template(series.template),
                self.context,
                series=series,
                page=series,
                url=series.url,
                **common,
            )
        writer.write_file(
            self.settings["EVENTS_INDEX_SAVE_AS"],
            self.get_template(EVENTS_INDEX_TEMPLATE),
            self.context,
            url=self.settings["EVENTS_INDEX_URL"],
            **common,
        )
        self._write_topic_pages(writer, common)

    def _write_topic_pages(self, writer, common: dict) -> None:
        """Each topic's page, and the Subscribe page, which lists every feed."""
        for topic in self.topics:
            writer.write_file(
                topic.save_as, self.get_template(TOPIC_TEMPLATE), self.context, topic=topic, url=topic.url, **common
            )
        writer.write_file(
            self.settings["SUBSCRIBE_SAVE_AS"],
            self.get_template(SUBSCRIBE_TEMPLATE),
            self.context,
            url=self.settings["SUBSCRIBE_URL"],
            **common,
        )


class GoalsGenerator(_ModelGenerator):
    """The group's goals, each linked to the events, stories and pages (such as calls for stories) that serve it."""

    def generate_context(self):
        options = for_build(self.settings)
        self.goals = self._read_folder(options.goals_path, GoalPage)
        self._check_unique_slugs(self.goals, "goal")
        self.goals.sort(key=lambda g: (g.model.order, g.slug))
        self._link_related()
        self.context["goals"] = self.goals
        goals_page = self.settings["GOALS_SAVE_AS"]
        claims.claim(self.output_path, goals_page, describe_source(self.settings, {}, goals_page))
        self.save_cache()
        self.readers.save_cache()

    def _link_related(self) -> None:
        events = {e.slug: e for e in self.context.get("events", [])}
        stories = {a.slug: a for a in self.context.get("articles", [])}
        pages = {p.slug: p for p in self.context.get("pages", [])}
        for goal in self.goals:
            goal.related_events = self._resolve(goal, "events", events)
            goal.related_stories = self._resolve(goal, "stories", stories)
            goal.related_pages = self._resolve(goal, "pages", pages)

    def _resolve(self, goal: GoalPage, field: str, known: dict) -> list:
        found = []
        for index, slug in enumerate(getattr(goal.model, field)):
            if slug in known:
                found.append(known[slug])
                continue
            line = goal.field_lines.line(field, index)
            path = display_path(self.settings, goal.source_path)
            collector.add(
                ContentError(
                    path,
                    f'"{slug}" is not the name of any of the site\'s {field}',
                    _REFERENCE_FIX[field],
                    field=field,
                    line=line,
                )
            )
        return found

    def generate_output(self, writer):
        writer.write_file(
            self.settings["GOALS_SAVE_AS"],
            self.get_template(GOALS_TEMPLATE),
            self.context,
            url=self.settings["GOALS_URL"],
            relative_urls=self.settings["RELATIVE_URLS"],
        )


def calendar_is_empty(events: list, options: Options) -> bool:
    """A calendar of these events that keeps calendar.ics's window (``in_site_calendar``) holds nothing now."""
    return not any(
        in_site_calendar(session.last_day(), options) for e in events for session in calendar_sessions(e.model)
    )


def _event_order(page: EventPage):
    instant = page.model.sort_instant()
    # Undated events sort last; the slug keeps equal dates in a stable order.
    return (instant is None, instant.timestamp() if instant else 0, page.slug)
