"""The search page, and the values Pagefind's filters file each event under.

``event_facets`` gives an event's values for each filter: its topics (``topics.event_tags``), its
format (online when a session has a platform or a join link, in person when one has a place),
its year (the events page's year: that of its first day) and, where the file gives them, its
language and country. Event pages carry them as hidden Pagefind markup
(partials/search_filters.html); the search page offers the same values (as data, from which its
script builds the checkboxes), so a filter there always matches what the pages say. The filters'
legends and the formats' labels are translated here; the script's other words come from the search page's
own attributes (search.html), the sentences that count results once for each plural category of the
build's locale (``plural_samples``).

``SearchGenerator`` writes the search page and claims, before any page is written, its path and
the folder Pagefind writes into after Pelican (``search_index.BUNDLE_FOLDER``), so no content
page can take either.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from babel import Locale
from pelican.generators import Generator

from . import locales
from .model import N_
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
    # Translators: the legend of a group of the search page's filters: the events' topics (tags).
    ("tag", N_("Topic")),
    # Translators: the legend of a group of the search page's filters: online, in person.
    ("format", N_("Format")),
    # Translators: the legend of a group of the search page's filters: the years of the events.
    ("year", N_("Year")),
    # Translators: the legend of a group of the search page's filters: the languages events are held in.
    ("language", N_("Language")),
    # Translators: the legend of a group of the search page's filters: the countries of the events.
    ("country", N_("Country")),
)
ONLINE, IN_PERSON = "online", "in-person"
# What the search page shows for each format (the values themselves are what Pagefind filters by).
FORMAT_LABELS = {
    # Translators: a choice among the search page's filters: events held online.
    ONLINE: N_("Online"),
    # Translators: a choice among the search page's filters: events held in a place.
    IN_PERSON: N_("In person"),
}
# Numbers to try for an example of each plural category (French has "many" only for millions and the like).
PLURAL_CANDIDATES = (*range(200), 1000, 1_000_000)


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


def _as_it_is(message: str) -> str:
    return message


def search_facets(
    carried: list[dict[str, tuple[str, ...]]],
    labels: dict[str, dict[str, str]],
    gettext: Callable[[str], str] = _as_it_is,
) -> list[Facet]:
    """The filters the search page offers: every value some event carries (``event_facets`` of each), with its label
    where one is known, under its legend (translated by ``gettext``)."""
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
            facets.append(Facet(key, gettext(legend), tuple(choices)))
    return facets


def plural_samples(locale: str) -> list[tuple[str, int]]:
    """A number of each CLDR plural category of ``locale`` (the categories the browser's Intl.PluralRules gives), 1 or
    the smallest found: the search page's template picks each form of a sentence that counts results with it."""
    rule = Locale.parse(locale).plural_form
    samples: dict[str, int] = {}
    # 1 first: CLDR's "one" holds 0 too in some languages (pt), where gettext's formula gives 0 the plural form.
    for number in (1, *PLURAL_CANDIDATES):
        samples.setdefault(rule(number), number)
    return sorted(samples.items(), key=lambda sample: sample[1])


class SearchGenerator(Generator):
    """Writes the search page; Pagefind's index is built after Pelican, by the tasks (``search_index``)."""

    def generate_context(self):
        claims.claim(self.output_path, SEARCH_SAVE_AS, describe_source(self.settings, {}, SEARCH_SAVE_AS))
        claims.claim(self.output_path, BUNDLE_PAGE, BUNDLE_SOURCE)
        carried = [event_facets(event) for event in self.context["events"]]
        options = for_build(self.settings)
        facets = search_facets(carried, self._labels(carried), options.translator.gettext)
        # As data for the page's script, which builds the form: {"key", "legend", "choices": [{"value", "label"}]}.
        self.context["search_filters"] = [asdict(facet) for facet in facets]
        # For the sentences that count results, one form for each plural category (search.html).
        self.context["search_plural_samples"] = plural_samples(options.locale)

    def _labels(self, carried: list[dict[str, tuple[str, ...]]]) -> dict[str, dict[str, str]]:
        """What the page shows for each value: a topic's name, a language's or country's in the site's locale."""
        options = for_build(self.settings)
        locale = options.locale
        languages = {tag for facets in carried for tag in facets.get("language", ())}
        countries = {code for facets in carried for code in facets.get("country", ())}
        return {
            "tag": {topic.slug: topic.name for topic in self.context["event_topics"]},
            "format": {value: options.translator.gettext(label) for value, label in FORMAT_LABELS.items()},
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
