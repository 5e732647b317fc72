"""The search page, and the values Pagefind's filters file each event under.

``event_facets`` gives an event's values for each filter: its topics (``topics.event_tags``), its
format (online when a session has a platform or a join link, in person when one has a place),
its year (the events page's year: that of its first day) and, where the file gives them, its
language and country. Event pages carry them as hidden Pagefind markup
(partials/search_filters.html); the search page offers the same values (as data, from which its
script builds the checkboxes), so a filter there always matches what the pages say.

``SearchGenerator`` writes the search page and claims, before any page is written, its path and
the folder Pagefind writes into after Pelican (``search_index.BUNDLE_FOLDER``), so no content
page can take either.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from pelican.generators import Generator

from . import locales
from .options import for_build
from .outputs import claims, describe_source
from .search_index import BUNDLE_FOLDER
from .topics import event_tags

logger = logging.getLogger(__name__)

SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
SEARCH_TEMPLATE = "search"
# A content page named like the bundle folder would be written into it.
BUNDLE_PAGE = f"{BUNDLE_FOLDER}/index.html"
BUNDLE_SOURCE = f"the site's search index ({BUNDLE_FOLDER}/)"
# Pagefind's filter names, in the order the search page offers them, with the legend of each.
FACETS = (
    ("tag", "Topic"),
    ("format", "Format"),
    ("year", "Year"),
    ("language", "Language"),
    ("country", "Country"),
)
ONLINE, IN_PERSON = "online", "in-person"
FORMAT_LABELS = {ONLINE: "Online", IN_PERSON: "In person"}


@dataclass(frozen=True, slots=True)
class Choice:
    value: str  # what the event pages carry, and Pagefind filters by
    label: str  # what the search page shows


@dataclass(frozen=True, slots=True)
class Facet:
    key: str
    legend: str
    choices: tuple[Choice, ...]


def _given(value) -> tuple[str, ...]:
    """An optional attribute as a tuple of texts: none, one, or a list."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value)


def event_formats(model) -> tuple[str, ...]:
    """Online, in person, both or neither, from what the sessions say."""
    formats = []
    if any(session.platform or session.join for session in model.sessions):
        formats.append(ONLINE)
    if any(session.place for session in model.sessions):
        formats.append(IN_PERSON)
    return tuple(formats)


def event_facets(event) -> dict[str, tuple[str, ...]]:
    """Each filter's values for an event (a page or its model); a filter with none is left out."""
    model = getattr(event, "model", event)
    found = {
        "tag": tuple(slug for slug, _ in event_tags(model)),
        "format": event_formats(model),
        "year": (str(model.year),) if model.year is not None else (),
        # Optional: every language the event is held in, and its country, where the file gives them.
        "language": _given(getattr(model, "languages", None)),
        "country": _given(getattr(model, "country", None)),
    }
    return {key: values for key, values in found.items() if values}


def search_facets(carried: list[dict[str, tuple[str, ...]]], labels: dict[str, dict[str, str]]) -> list[Facet]:
    """The filters the search page offers: every value some event carries (``event_facets`` of each), with its label
    where one is known."""
    facets = []
    for key, legend in FACETS:
        values = {value for facets_of_one in carried for value in facets_of_one.get(key, ())}
        named = labels.get(key, {})
        choices = [Choice(value, named.get(value, value)) for value in values]
        if key == "year":
            choices.sort(key=lambda choice: choice.value, reverse=True)
        else:
            choices.sort(key=lambda choice: (choice.label.casefold(), choice.value))
        if choices:
            facets.append(Facet(key, legend, tuple(choices)))
    return facets


class SearchGenerator(Generator):
    """Writes the search page; Pagefind's index is built after Pelican, by the tasks (``search_index``)."""

    def generate_context(self):
        claims.claim(self.output_path, SEARCH_SAVE_AS, describe_source(self.settings, {}, SEARCH_SAVE_AS))
        claims.claim(self.output_path, BUNDLE_PAGE, BUNDLE_SOURCE)
        carried = [event_facets(event) for event in self.context["events"]]
        # As data for the page's script, which builds the form: {"key", "legend", "choices": [{"value", "label"}]}.
        self.context["search_filters"] = [asdict(facet) for facet in search_facets(carried, self._labels(carried))]

    def _labels(self, carried: list[dict[str, tuple[str, ...]]]) -> dict[str, dict[str, str]]:
        """What the page shows for each value: a topic's name, a language's or country's in the site's locale."""
        locale = for_build(self.settings).locale
        languages = {tag for facets in carried for tag in facets.get("language", ())}
        countries = {code for facets in carried for code in facets.get("country", ())}
        return {
            "tag": {topic.slug: topic.name for topic in self.context["event_topics"]},
            "format": FORMAT_LABELS,
            "language": {tag: locales.language_name(tag, locale) for tag in languages},
            "country": {code: locales.country_name(code, locale) for code in countries},
        }

    def generate_output(self, writer):
        writer.write_file(
            SEARCH_SAVE_AS,
            self.get_template(SEARCH_TEMPLATE),
            self.context,
            url=SEARCH_URL,
            relative_urls=self.settings["RELATIVE_URLS"],
        )


def make_filters() -> dict:
    """The filter the event pages' search markup uses (partials/search_filters.html)."""
    return {"event_facets": event_facets}
