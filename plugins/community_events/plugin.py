"""Wiring: the plugin's signal handlers, and ``register()``."""

from __future__ import annotations

import logging
import os
import sys

from jinja2 import FileSystemBytecodeCache
from pelican import signals

from . import subscribe
from .calendars import CalendarGenerator
from .display import make_filters
from .errors import ContentError, collector
from .generators import EventsGenerator, GoalsGenerator
from .options import load
from .reader import FrontMatterMarkdownReader

logger = logging.getLogger(__name__)

# URL settings the plugin's pages need; pelicanconf.py may override any of them.
URL_DEFAULTS = {
    "EVENT_URL": "events/{slug}/",
    "EVENT_SAVE_AS": "events/{slug}/index.html",
    "EVENT_LANG_URL": "events/{slug}/{lang}/",
    "EVENT_LANG_SAVE_AS": "events/{slug}/{lang}/index.html",
    "SERIES_URL": "events/series/{slug}/",
    "SERIES_SAVE_AS": "events/series/{slug}/index.html",
    "SERIES_LANG_URL": "events/series/{slug}/{lang}/",
    "SERIES_LANG_SAVE_AS": "events/series/{slug}/{lang}/index.html",
    "GOAL_URL": "goals/#{slug}",
    "GOAL_SAVE_AS": "",
    "GOAL_LANG_URL": "goals/#{slug}",
    "GOAL_LANG_SAVE_AS": "",
    "EVENTS_INDEX_URL": "events/",
    "EVENTS_INDEX_SAVE_AS": "events/index.html",
    "GOALS_URL": "goals/",
    "GOALS_SAVE_AS": "goals/index.html",
    # iCalendar feeds; each is saved at its URL.
    "CALENDAR_URL": "calendar.ics",
    "EVENT_CALENDAR_URL": "events/{slug}.ics",
    "SERIES_CALENDAR_URL": "events/series/{slug}.ics",
}
PELICAN_SKIP_MESSAGE = "Could not process %s"
TEMPLATE_CACHE_FOLDER = "templates"  # inside CACHE_PATH, beside Pelican's content cache


class _ReportedFileFilter(logging.Filter):
    """Turn Pelican's bare "Could not process" line into a content error with a sentence.

    For files our reader has already explained, the line is just dropped. For
    anything else Pelican failed on, the exception being handled is named, and
    the file counts as an error, so it can never silently vanish from the site.
    """

    content_root = "content"

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != PELICAN_SKIP_MESSAGE or not record.args:
            return True
        skipped = str(record.args[0]).replace("\\", "/")
        if not any(error.path.endswith("/" + skipped) for error in collector.errors):
            failure = sys.exc_info()[1]
            reason = f" ({failure.__class__.__name__}: {failure})" if failure else ""
            collector.add(ContentError(f"{self.content_root}/{skipped}", f"could not be read{reason}", "compare it with the templates in CONTRIBUTING.md"))
        return False


def on_initialized(pelican) -> None:
    load(pelican.settings)  # fail at start-up on a bad COMMUNITY_EVENTS
    for key, value in URL_DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def on_readers_init(readers) -> None:
    for extension in FrontMatterMarkdownReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterMarkdownReader


def on_generator_init(generator) -> None:
    _ReportedFileFilter.content_root = os.path.basename(os.path.abspath(generator.settings["PATH"]))
    options = load(generator.settings)
    if generator.settings.get("CACHE_CONTENT") and generator.settings.get("LOAD_CONTENT_CACHE"):
        # Compiling the theme's templates is a large part of a rebuild that changed one file;
        # Jinja's cache checks each template's source, so an edited template is compiled again.
        generator.env.bytecode_cache = FileSystemBytecodeCache(_template_cache(generator.settings["CACHE_PATH"]))
    generator.env.filters.update(make_filters(options))
    generator.env.filters.update(subscribe.make_filters())
    # The browser formats the reader's own time in the same CLDR locale as the server-side times.
    generator.env.globals["events_locale"] = options.locale.replace("_", "-")


def _template_cache(cache_path: str) -> str:
    folder = os.path.join(cache_path, TEMPLATE_CACHE_FOLDER)
    os.makedirs(folder, exist_ok=True)
    return folder


def on_content_generator_finalized(generator) -> None:
    """Give content from Pelican's generator-level cache this build's context.

    Pelican pickles each article and page with the context of the build that
    read it, so a cached story would resolve {filename} links against last
    build's list of pages and miss any added since.
    """
    for name in ("articles", "translations", "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages", "hidden_translations", "draft_translations"):
        for content in getattr(generator, name, []):
            content._context = generator.context


def get_generators(pelican):
    collector.reset()  # get_generators is sent once at the start of every run
    return [EventsGenerator, GoalsGenerator, CalendarGenerator]


def on_all_generators_finalized(generators) -> None:
    options = load(generators[0].settings) if generators else None
    warnings = collector.sorted_warnings()
    if options is None or options.list_warnings:
        for warning in warnings:
            logger.warning("%s", warning)
    elif warnings:
        logger.warning("%s content warning%s (nothing that stops the build); python3 tasks.py check lists them", len(warnings), "" if len(warnings) == 1 else "s")
    if options is None or options.stop_on_error:
        collector.raise_if_any()
        return
    for error in sorted(collector.errors, key=lambda e: (e.path, e.line or 0)):
        logger.error("%s (this file is left out of the preview)", error)


def register() -> None:
    generators_logger = logging.getLogger("pelican.generators")
    if not any(isinstance(f, _ReportedFileFilter) for f in generators_logger.filters):
        generators_logger.addFilter(_ReportedFileFilter())
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.generator_init.connect(on_generator_init)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.article_generator_finalized.connect(on_content_generator_finalized)
    signals.page_generator_finalized.connect(on_content_generator_finalized)
