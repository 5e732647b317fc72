"""Wiring: the plugin's signal handlers, and ``register()``."""

from __future__ import annotations

import logging
import os
import sys

from jinja2 import FileSystemBytecodeCache
from pelican import signals

from . import inventory, search, subscribe
from .calendars import CalendarGenerator, absolute_base
from .display import make_filters
from .embed import EmbedGenerator
from .errors import ContentError, ContentErrors, collector
from .generators import EventsGenerator, GoalsGenerator
from .minify import compact_page, minify_theme
from .options import BUILD_KEY, for_build, start_build
from .outputs import CheckedWriter, claims
from .reader import FrontMatterMarkdownReader, display_path
from .sharing import SharingGenerator

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
    # Topics (events' tags; topics.tag_slug makes the slug): a page, a calendar and an Atom feed each.
    # Not TAG_URL: Pelican keeps that name for stories' tags, which have no pages here.
    "EVENT_TAG_URL": "events/tags/{slug}/",
    "EVENT_TAG_SAVE_AS": "events/tags/{slug}/index.html",
    "EVENT_TAG_CALENDAR_URL": "events/tags/{slug}.ics",
    "EVENT_TAG_ATOM_URL": "events/tags/{slug}.atom",
    # News of events for feed readers (Atom) and the events as data (JSON Feed); each is saved at its URL.
    "EVENTS_ATOM_URL": "events.atom",
    "SERIES_ATOM_URL": "events/series/{slug}.atom",
    "EVENTS_JSON_URL": "events.json",
    # The page that explains every feed.
    "SUBSCRIBE_URL": "subscribe/",
    "SUBSCRIBE_SAVE_AS": "subscribe/index.html",
}
STATIC_READER = "static"  # Pelican's BaseReader, which copies images and reads nothing
TEMPLATE_CACHE_FOLDER = "templates"  # inside CACHE_PATH, beside Pelican's content cache


class _RecordedErrorFilter(logging.Filter):
    """Drop what Pelican's generators log while handling an error our reader has already recorded.

    The reader adds each ContentError to the collector before raising it; Pelican's
    article and page generators then log their own line for the file ("Could not
    process …", without the reason) and skip it. That line only repeats, less
    clearly, a sentence the build reports anyway. Pelican sends no signal for a file
    that failed, so the filter looks at the exception being handled, never at the
    wording of Pelican's message. Anything else Pelican fails on is logged as usual,
    and ``_report_files_left_out`` makes it a content error.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        handled = sys.exc_info()[1]
        return not (isinstance(handled, ContentError) and handled in collector.errors)


def on_initialized(pelican) -> None:
    for key, value in URL_DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    ignored = pelican.settings["IGNORE_FILES"]
    if inventory.TRANSLATION_FILES not in ignored:
        pelican.settings["IGNORE_FILES"] = [*ignored, inventory.TRANSLATION_FILES]


def on_readers_init(readers) -> None:
    """Ours is the only reader: Pelican's HTML and reStructuredText readers would pass content unchecked."""
    for extension in list(readers.reader_classes):
        if extension != STATIC_READER:
            del readers.reader_classes[extension]
    for extension in FrontMatterMarkdownReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterMarkdownReader


def on_generator_init(generator) -> None:
    # The same options in the context the generators share, for code that holds only the context.
    options = generator.context[BUILD_KEY] = for_build(generator.settings)
    if generator.settings.get("CACHE_CONTENT") and generator.settings.get("LOAD_CONTENT_CACHE"):
        # Compiling the theme's templates is a large part of a rebuild that changed one file;
        # Jinja's cache checks each template's source, so an edited template is compiled again.
        generator.env.bytecode_cache = FileSystemBytecodeCache(_template_cache(generator.settings["CACHE_PATH"]))
    # The interface's words in this build's language (languages.py, catalogues.py); templates write _("…").
    generator.env.add_extension("jinja2.ext.i18n")
    generator.env.install_gettext_translations(options.translator, newstyle=True)
    settings = generator.settings
    generator.env.globals.update(
        site_languages=options.languages,
        page_language=options.language,
        # What the site has once, at the root, whatever the page's language: theme files, feeds, sitemap.
        ROOT_SITEURL=settings.get("ROOT_SITEURL", settings["SITEURL"]).rstrip("/"),
        STORIES_FEED=settings.get("ROOT_FEED_ALL_ATOM", settings.get("FEED_ALL_ATOM")),
        site_address=absolute_base(settings),  # the root's absolute address, for hreflang and the sitemap
    )
    generator.env.filters.update(make_filters(options))
    generator.env.filters.update(subscribe.make_filters())
    generator.env.filters.update(search.make_filters())
    # partials/share_meta.html repeats the page's <title> and description blocks as og:title and og:description.
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
    for name in (
        "articles",
        "translations",
        "drafts",
        "drafts_translations",
        "pages",
        "hidden_pages",
        "draft_pages",
        "hidden_translations",
        "draft_translations",
    ):
        for content in getattr(generator, name, []):
            content._context = generator.context


def get_generators(pelican):
    # get_generators is sent once at the start of every run, before anything is read (and
    # before any generator exists): the build's options are loaded here, once, and "today" with them.
    start_build(pelican.settings)
    collector.reset()
    claims.reset(pelican.settings["PATH"])
    errors = inventory.scan(pelican.settings["PATH"], pelican.settings)
    if any(error.problem in inventory.STOPS_THE_BUILD for error in errors):
        # Pelican walks content folders following links (a link to / never ends) and would
        # block on a named pipe: stop here, in previews too.
        raise ContentErrors(errors)
    for error in errors:
        collector.add(error)
    if not for_build(pelican.settings).is_root:
        # The feeds, share cards and embeddable lists exist once, written by the root build.
        return [EventsGenerator, GoalsGenerator, SharingGenerator, search.SearchGenerator]
    return [
        EventsGenerator,
        GoalsGenerator,
        CalendarGenerator,
        SharingGenerator,
        search.SearchGenerator,
        EmbedGenerator,
    ]


def get_writer(pelican):
    return CheckedWriter


def on_static_generator_finalized(generator) -> None:
    """Publish only allowed images, and claim their paths and the theme's before any page is written."""
    content_root = os.path.realpath(generator.path)
    images = os.path.join(content_root, inventory.IMAGES_FOLDER)
    allowed = []
    for static in generator.staticfiles:
        full = os.path.join(generator.path, static.source_path)
        inside = os.path.commonpath([images, os.path.realpath(full)]) == images
        if inside and not os.path.islink(full) and inventory.image_problem(full, os.path.basename(full)) is None:
            allowed.append(static)
        elif not any(error.path == display_path(generator.settings, full) for error in collector.errors):
            collector.add(
                ContentError(
                    display_path(generator.settings, full),
                    "is not an image the site may publish",
                    "keep only PNG, JPEG, WebP, AVIF or GIF images in content/images/",
                )
            )
    generator.staticfiles[:] = allowed
    generator.context["staticfiles"] = allowed
    for static in allowed:
        claims.claim(
            generator.output_path,
            static.save_as,
            display_path(generator.settings, os.path.join(generator.path, static.source_path)),
        )
    _claim_theme_files(generator)


def _claim_theme_files(generator) -> None:
    static_root = os.path.join(generator.theme, "static")
    destination = generator.settings["THEME_STATIC_DIR"]
    for folder in generator.settings["THEME_STATIC_PATHS"]:
        for parent, _, files in os.walk(os.path.join(generator.theme, folder)):
            for name in files:
                relative = os.path.relpath(os.path.join(parent, name), os.path.join(generator.theme, folder))
                claims.claim(
                    generator.output_path,
                    f"{destination}/{relative}",
                    f"the theme file {os.path.relpath(os.path.join(parent, name), os.path.dirname(static_root))}",
                )


def on_finalized(pelican) -> None:
    """Problems found while writing (two sources for one path, a page that failed) stop the build too."""
    minify_theme(pelican.settings["OUTPUT_PATH"], pelican.settings["THEME_STATIC_DIR"])
    if for_build(pelican.settings).stop_on_error:
        collector.raise_if_any()
        return
    for error in collector.unreported():
        logger.error("%s (this file is left out of the preview)", error)


def _report_files_left_out(context: dict, settings: dict) -> None:
    """Every source file a generator failed on must have a sentence, so none vanishes silently.

    Pelican records each file it could not use as ``None`` in ``generated_content``
    (``Generator._add_failed_source_path``), whether reading it raised or the page
    was invalid. Our reader and generators explain theirs; any other is a failure
    nobody foresaw.
    """
    explained = {error.path for error in collector.errors}
    for relative in [path for path, content in context["generated_content"].items() if content is None]:
        shown = display_path(settings, os.path.join(settings["PATH"], relative))
        if shown not in explained:
            collector.add(
                ContentError(shown, "could not be built (Pelican left it out of the site)", "please report this")
            )


def on_all_generators_finalized(generators) -> None:
    options = for_build(generators[0].settings) if generators else None
    if generators:
        _report_files_left_out(generators[0].context, generators[0].settings)
    # A translated build reads the same files as the root build, which has reported their warnings.
    warnings = collector.sorted_warnings() if options is None or options.is_root else []
    if options is None or options.list_warnings:
        for warning in warnings:
            logger.warning("%s", warning)
    elif warnings:
        logger.warning(
            "%s content warning%s (nothing that stops the build); python3 tasks.py check lists them",
            len(warnings),
            "" if len(warnings) == 1 else "s",
        )
    if options is None or options.stop_on_error:
        collector.raise_if_any()
        return
    for error in collector.unreported():
        logger.error("%s (this file is left out of the preview)", error)


def on_feed_generated(context, feed) -> None:
    """An Atom feed with no entries (no stories yet) is dated by the build's "now", never the clock.

    feedgenerator dates a feed by its newest entry, and one without entries by the current time,
    which would make two builds of the same content differ.
    """
    if not feed.items:
        now = context[BUILD_KEY].now
        feed.latest_post_date = lambda: now


def register() -> None:
    generators_logger = logging.getLogger("pelican.generators")
    if not any(isinstance(f, _RecordedErrorFilter) for f in generators_logger.filters):
        generators_logger.addFilter(_RecordedErrorFilter())
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.generator_init.connect(on_generator_init)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
    signals.static_generator_finalized.connect(on_static_generator_finalized)
    signals.finalized.connect(on_finalized)
    signals.content_written.connect(compact_page)
    signals.feed_generated.connect(on_feed_generated)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.article_generator_finalized.connect(on_content_generator_finalized)
    signals.page_generator_finalized.connect(on_content_generator_finalized)
