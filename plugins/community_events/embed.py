"""The embeddable lists: a tiny page of upcoming events, for an <iframe> on another site.

``embed/upcoming/`` lists the events happening now and the upcoming ones (the events
generator's views, in its order); ``embed/tags/<slug>/`` does the same for each topic. Each
event shows its state and its next session (or the next meeting of a repeating one) in its own
zone and the display zones. The page has no navigation and no script, and it must stay under
``MAX_BYTES`` with its stylesheet whatever the content files say, so what it shows is bounded
here: ``LISTED`` events, ``ZONES_SHOWN`` zones, ``TITLE_SHOWN`` characters of a title.

``embed_urls`` gives the addresses the copy-paste snippet (partials/embed_snippet.html) offers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pelican.generators import Generator

from . import states
from .calendars import absolute_base
from .display import next_meetings, session_zone_times
from .errors import ContentError, collector
from .options import Options, for_build
from .outputs import claims, describe_source
from .reader import display_path
from .recurrence import Occurrence
from .zones import ZoneTime

logger = logging.getLogger(__name__)

UPCOMING_URL = "embed/upcoming/"
UPCOMING_HEADING = "Upcoming events"
TOPIC_URL = "embed/tags/{slug}/"
TEMPLATE = "embed"
# What one embedded list may weigh: its HTML, its stylesheet and any script, together (tests/test_embed.py).
MAX_BYTES = 8 * 1024
# The most events a list shows; a link says how many more there are.
LISTED = 4
# The session's own zone and the site's seven display zones; an event that names more shows them on its page.
ZONES_SHOWN = 8
# Longer titles end in "…" here; the event's page has the whole title.
TITLE_SHOWN = 80
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Listed:
    """One event in a list: its page, the title shown, the session shown with its times, and how many more."""

    event: object
    title: str
    session: object | None  # a Session, an Occurrence of a repeating one, or None when nothing is to come
    times: tuple[ZoneTime, ...]  # a timed session's zones, its own first; empty for a date without a time
    later: int  # sessions (or repeating sessions) still to come after this one


@dataclass(frozen=True, slots=True)
class EmbeddedList:
    save_as: str
    url: str
    heading: str
    topic: object | None  # the topic of a per-tag list
    more_url: str  # where every event of the list is: the events page, or the topic's
    listed: tuple[Listed, ...]
    unlisted: int  # events left out (past LISTED)


def coming_sessions(event, options: Options) -> list:
    """The sessions not over at the build's now, in time order; a repeating session as its next meeting held."""
    coming = []
    for session in event.model.sessions:
        if session.is_repeating:
            meetings = [meeting for meeting in next_meetings(session, options) if not meeting.cancelled]
            coming.extend(meetings[:1])
        elif not states.session_is_over(session, options.now):
            coming.append(session)
    return sorted(coming, key=_order)


def _order(session) -> tuple[bool, float]:
    """Sessions with no date last, as on the events page; a meeting by its own start."""
    instant = session.start if isinstance(session, Occurrence) else session.sort_instant()
    return instant is None, instant.timestamp() if instant is not None else 0.0


def shown_title(title: str) -> str:
    return title if len(title) <= TITLE_SHOWN else title[: TITLE_SHOWN - 1].rstrip() + ELLIPSIS


def listed_event(event, options: Options) -> Listed:
    """One event as a list shows it."""
    coming = coming_sessions(event, options)
    session = coming[0] if coming else None
    times = session_zone_times(session, event, options)[:ZONES_SHOWN] if session is not None else ()
    return Listed(event, shown_title(event.title), session, times, max(0, len(coming) - 1))


def embed_urls(base: str, topics: list) -> dict:
    """The addresses another site embeds: the upcoming list's and each topic's (name, address), absolute.

    Without an absolute base (neither SITEURL nor FEED_DOMAIN is one) there is no address to give: None, and none.
    """
    return {
        "upcoming_url": UPCOMING_URL,
        "upcoming": f"{base}/{UPCOMING_URL}" if base else None,
        "topics": [(topic.name, f"{base}/{TOPIC_URL.format(slug=topic.slug)}") for topic in topics] if base else [],
    }


class EmbedGenerator(Generator):
    """Writes embed/upcoming/ and embed/tags/<slug>/ from the events generator's views and topics."""

    def generate_context(self):
        options = for_build(self.settings)
        self._entries: dict[int, Listed | None] = {}  # by id(event): each event is worked out once
        coming = [*self.context["happening_events"], *self.context["upcoming_events"]]
        topics = list(self.context["event_topics"])
        self.lists = [self._list(UPCOMING_URL, None, coming, options)]
        for topic in topics:
            members = {id(event) for event in topic.events}
            self.lists.append(
                self._list(TOPIC_URL.format(slug=topic.slug), topic, [e for e in coming if id(e) in members], options)
            )
        # Claimed before any page is written, so no content file can take these addresses.
        for embedded in self.lists:
            claims.claim(self.output_path, embedded.save_as, describe_source(self.settings, {}, embedded.save_as))
        self.context["embed_urls"] = embed_urls(absolute_base(self.settings), topics)

    def _entry(self, event, options: Options) -> Listed | None:
        """One event as the lists show it; a failure nobody foresaw names the event's file, not a traceback."""
        if id(event) not in self._entries:
            try:
                self._entries[id(event)] = listed_event(event, options)
            except Exception as exc:
                logger.debug("Could not list %s", event.source_path, exc_info=True)
                source = display_path(self.settings, event.source_path)
                collector.add(
                    ContentError(source, f"could not be built ({exc.__class__.__name__}: {exc})", "please report this")
                )
                self._entries[id(event)] = None
        return self._entries[id(event)]

    def _list(self, url: str, topic, events: list, options: Options) -> EmbeddedList:
        """The first LISTED events that can be shown, and how many more there are."""
        entries, looked_at = [], 0
        for event in events:
            if len(entries) == LISTED:
                break
            looked_at += 1
            entry = self._entry(event, options)
            if entry is not None:
                entries.append(entry)
        unlisted = len(events) - looked_at
        heading = f"{UPCOMING_HEADING}: {shown_title(topic.name)}" if topic else UPCOMING_HEADING
        more_url = topic.url if topic else self.settings["EVENTS_INDEX_URL"]
        return EmbeddedList(f"{url}index.html", url, heading, topic, more_url, tuple(entries), unlisted)

    def generate_output(self, writer):
        template = self.get_template(TEMPLATE)
        for embedded in self.lists:
            writer.write_file(
                embedded.save_as,
                template,
                self.context,
                url=embedded.url,
                embedded=embedded,
                relative_urls=self.settings["RELATIVE_URLS"],
            )
