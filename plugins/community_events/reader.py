"""The one Pelican reader: Markdown files with YAML front matter, checked by the model.

The plugin turns Pelican's other readers (HTML, reStructuredText) off, so every
content file comes through here: ``model.parse_file`` checks it, Markdown turns
its body into HTML, ``safety`` passes that HTML (and a story's or page's summary)
through the allowlist and ``links`` checks its links into the site. Each page
gets the parsed item as ``model``; its name (slug) comes from the file name,
never from the front matter. Any problem becomes a ``ContentError`` that is
recorded for the build and raised, so Pelican skips the file now and the build
stops once everything is read.
"""

from __future__ import annotations

import logging
import os
import signal
import stat
import threading
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from urllib.parse import urlsplit

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican.readers import BaseReader

from . import links, model, safety
from .errors import ContentError, ContentWarning, collector
from .frontmatter import MAX_FILE_BYTES
from .inventory import NESTED_FIX, NESTED_PROBLEM
from .options import content_folders, for_build

logger = logging.getLogger(__name__)

PELICAN_PUBLISHED, PELICAN_DRAFT = "published", "draft"
# A typical body converts in a millisecond and a 1 MiB one in about two seconds.
MARKDOWN_SECONDS = 10


def _absolute(settings: dict, source_path: str) -> tuple[str, str]:
    """The content folder and the file as absolute paths; Pelican's usually are already."""
    content_root, path = settings["PATH"], source_path
    if os.path.isabs(content_root) and os.path.isabs(path):
        return content_root, path
    return os.path.abspath(content_root), os.path.abspath(path)


def display_path(settings: dict, source_path: str) -> str:
    """The path as a contributor sees it in the repository, e.g. content/events/x.md."""
    return _display_path(*_absolute(settings, source_path))


@lru_cache(maxsize=65536)
def _display_path(content_root: str, source_path: str) -> str:
    # Both paths are absolute, so the answer depends on nothing else; each file's is asked for several times a build.
    return "/".join([os.path.basename(os.path.normpath(content_root)), *_relative_parts(content_root, source_path)])


@lru_cache(maxsize=65536)
def _relative_parts(content_root: str, source_path: str) -> tuple[str, ...]:
    return tuple(os.path.relpath(source_path, content_root).split(os.sep))


def content_kind(settings: dict, source_path: str) -> str:
    """events, series, goals, stories or pages, from the file's folder."""
    parts = _relative_parts(*_absolute(settings, source_path))
    kinds = content_folders(settings)
    if parts[0] in kinds and len(parts) > 2:  # worded as the inventory words it, so the two are one error
        raise ContentError(display_path(settings, source_path), NESTED_PROBLEM, NESTED_FIX.format(folder=parts[0]))
    if len(parts) != 2 or parts[0] not in kinds:
        raise ContentError(
            display_path(settings, source_path),
            "is not directly in a content folder",
            "move it into content/events/, stories/, pages/ or the folder for its kind",
        )
    return kinds[parts[0]]


class _MarkExternalLinks(Treeprocessor):
    def run(self, root):
        for link in root.iter("a"):
            if urlsplit(link.get("href", "")).scheme in ("http", "https"):
                link.set("rel", "noopener")


class ExternalLinks(Extension):
    """Links to other sites get rel="noopener", so the page they open cannot reach back into ours."""

    def extendMarkdown(self, md):
        md.treeprocessors.register(_MarkExternalLinks(md), "external_links", 0)


class _TooSlow(Exception):
    pass


@contextmanager
def _time_limit(seconds: float):
    """Stop one conversion that runs away: some texts (20,000 "[") take Python-Markdown minutes.

    A timer signal can only be handled in the main thread, where Pelican builds; elsewhere
    the conversion runs without a limit.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def markdown_converter(options: dict) -> Markdown:
    """Markdown with every extension named in MARKDOWN's extension_configs, as Pelican's own reader loads them.

    Never Markdown's "meta" extension: the front matter is ours, and it would eat "Key: value" lines.
    """
    extensions = list(options.get("extensions", []))
    extensions += [name for name in options.get("extension_configs", {}) if name not in extensions]
    extensions = [name for name in extensions if name not in ("meta", "markdown.extensions.meta")]
    return Markdown(**{**options, "extensions": [*extensions, ExternalLinks()]})


class FrontMatterMarkdownReader(BaseReader):
    """The only reader: every content file is Markdown with front matter, checked by the model."""

    enabled = True
    file_extensions = ["md"]

    def read(self, source_path):
        shown = display_path(self.settings, source_path)
        try:
            kind = content_kind(self.settings, source_path)
            data = _read_inside(self.settings["PATH"], source_path)
            parsed = model.parse_file(shown, data, kind)
            options = for_build(self.settings)
            translation = self._translation(source_path, kind, parsed, options)
            if translation is None:
                html = self._clean_markdown(shown, parsed.body, parsed.body_line)
                links.check(
                    shown,
                    parsed.body,
                    html,
                    parsed.body_line,
                    self.settings["PATH"],
                    source_path,
                    self.settings["INTRASITE_LINK_REGEX"],
                )
            else:
                parsed, html = translation
            metadata = self._metadata(shown, kind, parsed, source_path)
            # The language the page's words are in: the build's, or the original's where no translation exists yet.
            metadata["text_language"] = options.language if translation is not None else options.languages[0]
        except ContentError as error:
            collector.add(error)
            raise
        except _TooSlow:
            error = ContentError(
                shown,
                f"the text took more than {MARKDOWN_SECONDS:g} seconds to read as Markdown",
                "simplify it: long runs of [, *, _ or < are the usual cause",
            )
            collector.add(error)
            raise error from None
        except Exception as exc:  # a file must never vanish silently, whatever went wrong
            error = ContentError(shown, f"could not be built ({exc.__class__.__name__}: {exc})", "please report this")
            collector.add(error)
            raise error from exc
        return html, metadata

    def read_translation(self, source_path: str, original_path: str, kind: str, parsed: model.ParsedFile):
        """Check the translation at ``source_path`` of the original already parsed; the merged file and its
        body's HTML (the original's when the translation has no text of its own)."""
        shown = display_path(self.settings, source_path)
        data = _read_inside(self.settings["PATH"], source_path)
        translation = model.parse_translation(shown, data, kind, parsed, display_path(self.settings, original_path))
        body, body_line = parsed.body, parsed.body_line
        if translation.body.strip():
            body, body_line = translation.body, translation.body_line
            html = self._clean_markdown(shown, body, body_line)
            links.check(
                shown, body, html, body_line, self.settings["PATH"], source_path, self.settings["INTRASITE_LINK_REGEX"]
            )
        else:
            html = self._clean_markdown(display_path(self.settings, original_path), body, body_line)
        item = replace(parsed.item, **translation.fields)
        return replace(parsed, item=item, body=body, body_line=body_line), html

    def _translation(self, source_path: str, kind: str, parsed: model.ParsedFile, options):
        """The file's translation into the build's language, merged, if there is one.

        The build of the site's own language checks every translation of the file instead, and
        reports what is wrong with each without leaving the original out; a translated build then
        shows the original where its translation was refused.
        """
        if not options.is_root:
            path = translation_path(source_path, options.language.code)
            if not os.path.isfile(path):
                return None
            try:
                return self.read_translation(path, source_path, kind, parsed)
            except ContentError:
                return None  # reported by the root build
        for other in options.languages[1:]:
            path = translation_path(source_path, other.code)
            if os.path.isfile(path):
                try:
                    self.read_translation(path, source_path, kind, parsed)
                except ContentError as error:
                    collector.add(error)
        return None

    def _clean_markdown(self, shown: str, text: str, first_line: int) -> str:
        return safety.clean(shown, text, self._markdown(text), first_line)

    def _markdown(self, text: str) -> str:
        # One converter per reader, reset between files: setting up Markdown's
        # extensions cost as much as converting a typical event's text.
        converter = self.__dict__.get("_converter")
        if converter is None:
            converter = self._converter = markdown_converter(self.settings["MARKDOWN"])
        with _time_limit(MARKDOWN_SECONDS):
            return converter.reset().convert(text)

    def _metadata(self, shown: str, kind: str, parsed: model.ParsedFile, source_path: str) -> dict:
        item = parsed.item
        metadata = {
            "title": item.title,
            "slug": item.slug,
            "status": PELICAN_DRAFT if item.draft else PELICAN_PUBLISHED,
            "model": item,
            "field_lines": parsed.field_lines,
        }
        if kind == "stories":
            if not item.summary:
                fix = 'add "summary: …" with a sentence or two; the stories list and search engines show it'
                collector.warn(
                    ContentWarning(shown, "the story has no summary", fix, line=parsed.field_lines.start_line)
                )
            metadata["date"] = self.process_metadata("date", item.day.isoformat())
            metadata["author"] = self.process_metadata("author", item.author)
            metadata["tags"] = self.process_metadata("tags", ", ".join(item.tags))
            if item.draft:  # Pelican reads a draft's category, though the site has no category pages
                metadata["category"] = self.process_metadata("category", kind)
            for name in ("featured", "library", "country"):
                if getattr(item, name):
                    metadata[name] = getattr(item, name)
        if kind == "pages":
            metadata["template"] = item.template
        if item.summary and kind in ("stories", "pages"):
            line = parsed.field_lines.line("summary")
            metadata["summary"] = self._clean_markdown(shown, item.summary, line)
            links.check(
                shown,
                item.summary,
                metadata["summary"],
                line,
                self.settings["PATH"],
                source_path,
                self.settings["INTRASITE_LINK_REGEX"],
            )
        return metadata


def translation_path(source_path: str, code: str) -> str:
    """Where the translation of a content file into a language is: "about.md" -> "about.es.md"."""
    return f"{source_path.removesuffix('.md')}.{code}.md"


def _read_inside(content_root: str, source_path: str) -> bytes:
    """The file's bytes, refusing a link, a path that leads out of the content folder, or a file that is not a
    plain file."""
    # The inventory has stopped the build for any link or special file under content/;
    # this is the reader's own guard, on the path's text and the file's own type.
    root = os.path.abspath(content_root)
    if os.path.commonpath([root, os.path.abspath(source_path)]) != root:
        raise ContentError(
            display_path({"PATH": content_root}, source_path),
            "lies outside the content folder",
            "move it into content/",
        )
    if not stat.S_ISREG(os.lstat(source_path).st_mode):  # a link, or a named pipe that would block the build forever
        raise ContentError(
            display_path({"PATH": content_root}, source_path),
            "is a symbolic link or not a regular file",
            "replace it with the file itself",
        )
    with open(source_path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)  # decode() refuses anything longer
