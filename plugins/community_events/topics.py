"""Tags as topics: each tag an event gives is a topic, with its own page and feeds.

A tag is a stranger's text ("Wikidata", "#1Lib1Ref", "Вікіпедія"); only its slug, worked out
here, ever goes into a path or URL (``events/tags/<slug>/``, ``events/tags/<slug>.ics``). Tags
whose slugs are equal are one topic, so "Wikidata", "wikidata" and "WikiData" merge: the slug
ignores case, accents on Latin letters, spaces and punctuation.

``tag_slug`` is the one place a slug is made: the model refuses a tag with no usable slug
(``tag_problem``), and the events generator, the embed pages and the search page ask it too.
``build_topics`` groups the events by topic; the events generator puts the list in the shared
context as ``event_topics`` and gives each topic and event the URLs of its pages and feeds.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

# Longest slug a topic may have: far above a real tag of a few words, and short enough for any
# file system and for a link someone copies into an e-mail.
MAX_SLUG_LENGTH = 80
# Latin letters that Unicode does not decompose into a base letter and an accent.
LATIN_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe", "þ": "th"}
)
# Slugs of tags in other scripts: "xn--" and the tag's words in Punycode (RFC 3492, as in
# internationalised domain names), which is ASCII, keeps every tag distinct, and can be read back.
# A Latin slug never holds "--", so the two kinds cannot meet.
PUNYCODE_PREFIX = "xn--"
ASCII_WORD = re.compile(r"[a-z0-9]+", re.ASCII)


def _words(text: str) -> list[str]:
    """Runs of letters, marks and digits: what is left of a tag without its spaces and punctuation.

    Marks stay inside words: in Devanagari or Thai a vowel sign is a mark, not a separator.
    """
    words, current = [], []
    for character in text:
        if unicodedata.category(character)[0] in "LMN":
            current.append(character)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _latin(word: str) -> str:
    """The word without accents ("café" -> "cafe", "łódź" -> "lodz"); other scripts stay as they are."""
    decomposed = unicodedata.normalize("NFKD", word).translate(LATIN_LETTERS)
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def tag_slug(tag: str) -> str:
    """The topic's name in URLs and paths: lowercase ASCII letters, digits and hyphens; "" if the tag has no
    letter or digit.

    "Wikidata" and "wikidata" give "wikidata"; "#1Lib1Ref" gives "1lib1ref"; "Open Data" and "open-data"
    give "open-data"; "Вікіпедія" gives "xn--" and its Punycode.
    """
    # Dotless ı has no capital of its own: "ı".upper() is "I", so it folds to "i" like any other letter here.
    words = _words(unicodedata.normalize("NFKC", tag).casefold().translate(LATIN_LETTERS))
    latin = [_latin(word) for word in words]
    if all(ASCII_WORD.fullmatch(word) for word in latin):
        return "-".join(latin)
    # Some word is in another script: its letters have no ASCII spelling here, so such words are kept as they
    # are (their marks too: in Devanagari a vowel sign is a mark) and the whole encoded; Latin words are
    # spelt as above. Only ASCII letters, digits and hyphens come out of Punycode.
    kept = [
        plain if ASCII_WORD.fullmatch(plain) else unicodedata.normalize("NFC", word)
        for word, plain in zip(words, latin, strict=True)
    ]
    return PUNYCODE_PREFIX + "-".join(kept).encode("punycode").decode("ascii")


def tag_problem(tag: str) -> tuple[str, str] | None:
    """Why a tag cannot name a topic page ("has no letter or digit"), and the fix; None when it can."""
    slug = tag_slug(tag)
    if not slug:
        return "has no letter or digit, so it cannot name a topic page", 'write the topic in words, such as "Wikidata"'
    if len(slug) > MAX_SLUG_LENGTH:
        return "is too long to name a topic page", "shorten the tag to a few words"
    return None


@dataclass(eq=False)
class Topic:
    """One tag as a topic: its slug, the name it is shown with, and its events in the site's order.

    The events generator sets the URLs (relative to SITEURL) and the subscribe links.
    """

    slug: str
    name: str
    events: list = field(default_factory=list)
    spellings: tuple[str, ...] = ()  # every way the events write it, most used first
    url: str = ""
    save_as: str = ""
    calendar_url: str = ""
    atom_url: str = ""
    feed_links: object = None  # subscribe.FeedLinks
    upcoming_events: list = field(default_factory=list)
    past_events: list = field(default_factory=list)  # newest first
    undated_events: list = field(default_factory=list)  # no date recorded: neither upcoming nor past
    calendar_empty: bool = False  # its calendar holds nothing right now (calendar.ics's window)


def topic_source(topic: Topic) -> str:
    """Who writes a topic's feeds, for a message about a path two sources would write."""
    return f'the site\'s pages of the topic "{topic.slug}"'


def event_tags(event) -> list[tuple[str, str]]:
    """An event's (or its page's) tags as (slug, tag), in its own order, one per slug."""
    model = getattr(event, "model", event)
    found: dict[str, str] = {}
    for tag in model.tags:
        slug = tag_slug(tag)
        if slug:
            found.setdefault(slug, tag)
    return list(found.items())


def build_topics(events: list) -> list[Topic]:
    """Every topic the events name, sorted by name; each topic's events in the order given.

    A topic is shown with the spelling most of its events use; on a tie, the first in code-point
    order, which puts capitals first ("Wikidata" before "wikidata").
    """
    events_by_slug: dict[str, list] = {}
    spellings: dict[str, Counter] = {}
    for event in events:
        for slug, tag in event_tags(event):
            events_by_slug.setdefault(slug, []).append(event)
            spellings.setdefault(slug, Counter())[tag] += 1
    topics = []
    for slug, tagged in events_by_slug.items():
        ranked = tuple(sorted(spellings[slug], key=lambda tag: (-spellings[slug][tag], tag)))
        topics.append(Topic(slug=slug, name=ranked[0], events=tagged, spellings=ranked))
    return sorted(topics, key=lambda topic: (topic.name.casefold(), topic.slug))
