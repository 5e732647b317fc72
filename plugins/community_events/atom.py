"""Atom (RFC 4287) feeds of events, for feed readers: every event, and one feed per topic and per series.

Each entry is one event (``announcements``): its title ("Cancelled: " first where it is), its
summary, its status and every session's time in the page's zones, with a link to its page.
``published`` is when the event was first announced (its file's first commit) and ``updated``
its last change, the same history as the calendar feeds' LAST-MODIFIED; the newest change comes
first. Written with feedgenerator, the library Pelican writes the stories' feed with; each entry
is serialised once (``atom_entry``) and its text reused by every feed that lists the event, as the
calendar feeds reuse each VEVENT.

Ids are URNs (RFC 4122 name-based UUIDs) made from the event's calendar id and the UID domain,
never from a URL or a date: an entry keeps its id when the site moves, the page is renamed with
``id:``, or a local build is compared with the published one, exactly as its calendar UIDs do.
A feed with no entries is dated by the build's fallback time (``calendars.fallback_time``),
never the clock, so two builds of the same content give the same bytes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from io import StringIO

from feedgenerator import Atom1Feed
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator
from markupsafe import escape

from .announcements import Announcement, as_html

ENCODING = "utf-8"
END_OF_FEED = "</feed>"


@dataclass(frozen=True, slots=True)
class AtomInfo:
    """What describes one Atom feed as a whole."""

    title: str
    subtitle: str
    page_url: str  # the page that lists these events
    feed_url: str  # where this feed is published
    feed_path: str  # relative to the site: names the feed in its id
    author: str
    language: str
    empty_date: datetime  # "updated" of a feed without entries


@dataclass(frozen=True, slots=True)
class AtomEntry:
    """One event's entry, serialised once; every feed that lists the event reuses the text."""

    xml: str
    recency: tuple  # what orders the news: see ``recency``
    updated: datetime


class _DatedAtomFeed(Atom1Feed):
    """A feed dated by its newest entry, or by ``empty_date``: feedgenerator dates one without entries by the
    current time. Its entries are serialised apart (``atom_entry``), so it is dated from them."""

    def __init__(self, *args, updated: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.updated = updated

    def latest_post_date(self):
        return self.updated


def urn(uid_domain: str, name: str) -> str:
    """A stable id for an entry or feed: a version 5 UUID of ``name`` in the UID domain's namespace."""
    return uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_DNS, uid_domain), name).urn


def recency(announcement: Announcement) -> tuple:
    """What orders the news, newest first: last change, then first announcement; the uid keeps equal dates
    in one order."""
    return announcement.updated, announcement.published, announcement.uid


def atom_entry(announcement: Announcement, uid_domain: str) -> AtomEntry:
    """The event's <entry>, as feedgenerator writes an item of an Atom feed."""
    feed = Atom1Feed(title="", link="", description="")
    feed.add_item(
        title=announcement.title,
        link=announcement.page_url,
        # type="html" in Atom: the plain summary is escaped once here, and once more by the XML writer.
        description=str(escape(announcement.about)) if announcement.about else None,
        content=as_html(announcement),
        pubdate=announcement.published,
        updateddate=announcement.updated,
        unique_id=urn(uid_domain, f"event:{announcement.uid}"),
        categories=announcement.tags,
    )
    [item] = feed.items
    text = StringIO()
    handler = SimplerXMLGenerator(text, ENCODING, short_empty_elements=True)
    handler.startElement("entry", feed.item_attributes(item))
    feed.add_item_elements(handler, item)
    handler.endElement("entry")
    return AtomEntry(text.getvalue(), recency(announcement), announcement.updated)


def atom_bytes(info: AtomInfo, entries: list[AtomEntry], uid_domain: str, limit: int | None = None) -> bytes:
    """One feed of the given entries, newest change first, at most ``limit`` of them.

    Feed readers fetch a feed again every few hours and keep what they have seen, so a feed needs
    only the latest news (Pelican's FEED_MAX_ITEMS, as for the stories' feed); events.json and the
    pages list every event.
    """
    newest_first = sorted(entries, key=lambda entry: entry.recency, reverse=True)[:limit]
    feed = _DatedAtomFeed(
        title=info.title,
        link=info.page_url,
        description=info.subtitle,
        language=info.language,
        author_name=info.author,
        feed_url=info.feed_url,
        feed_guid=urn(uid_domain, f"feed:{info.feed_path}"),
        updated=max((entry.updated for entry in newest_first), default=info.empty_date),
    )
    document = feed.writeString(ENCODING)
    # feedgenerator writes the feed's own elements and closes it; the entries go before the closing tag.
    if not document.endswith(END_OF_FEED):
        raise ValueError("feedgenerator's Atom feed does not end with </feed>")
    body = "".join(entry.xml for entry in newest_first)
    return (document[: -len(END_OF_FEED)] + body + END_OF_FEED).encode(ENCODING)
