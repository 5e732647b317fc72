"""A Pelican reader for Markdown files with YAML front matter.

It replaces Pelican's Markdown reader for ``.md`` files. Stories and pages get
Pelican's usual metadata (date, author, tags); events, series and goals carry
their whole front matter as ``front_matter`` for the model to parse. Any
problem becomes a ``ContentError`` that is recorded for the build and raised,
so Pelican skips the file now and the build stops once everything is read.
"""

from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from urllib.parse import urlsplit

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican.readers import BaseReader

from . import model, safety
from .errors import ContentError, ContentWarning, collector
from .frontmatter import Fields, decode, split
from .options import DEFAULTS, SETTINGS_KEY

logger = logging.getLogger(__name__)

DATED_FILENAME = re.compile(r"^\d{4}-\d{2}-\d{2}-")
PELICAN_PUBLISHED, PELICAN_DRAFT = "published", "draft"
MODEL_KINDS = ("events", "series", "goals")


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
    folders = {**DEFAULTS, **(settings.get(SETTINGS_KEY) or {})}
    top = _relative_parts(*_absolute(settings, source_path))[0]
    kinds = {folders["events_path"]: "events", folders["series_path"]: "series", folders["goals_path"]: "goals"}
    if top in kinds:
        return kinds[top]
    if top in settings.get("ARTICLE_PATHS", []):
        return "stories"
    return "pages"


class _MarkExternalLinks(Treeprocessor):
    def run(self, root):
        for link in root.iter("a"):
            if urlsplit(link.get("href", "")).scheme in ("http", "https"):
                link.set("rel", "noopener")


class ExternalLinks(Extension):
    """Links to other sites get rel="noopener", so the page they open cannot reach back into ours."""

    def extendMarkdown(self, md):
        md.treeprocessors.register(_MarkExternalLinks(md), "external_links", 0)


class FrontMatterMarkdownReader(BaseReader):
    enabled = True
    file_extensions = ["md", "markdown"]

    def read(self, source_path):
        shown = display_path(self.settings, source_path)
        try:
            with open(source_path, "rb") as handle:
                document = split(shown, decode(shown, handle.read()))
            kind = content_kind(self.settings, source_path)
            safety.check_fields(shown, document.fields)
            metadata = self._metadata(shown, kind, source_path, document.fields)
            html = self._markdown(document.body)
            safety.check_body(shown, document.body, html, document.body_line)
        except ContentError as error:
            collector.add(error)
            raise
        except Exception as exc:  # a file must never vanish silently, whatever went wrong
            error = ContentError(shown, f"could not be read ({exc.__class__.__name__}: {exc})", "compare it with the template in CONTRIBUTING.md")
            collector.add(error)
            raise error from exc
        return html, metadata

    def _markdown(self, text: str) -> str:
        # One converter per reader, reset between files: setting up Markdown's
        # extensions cost as much as converting a typical event's text.
        converter = self.__dict__.get("_converter")
        if converter is None:
            options = dict(self.settings["MARKDOWN"])
            options["extensions"] = [*options.get("extensions", []), ExternalLinks()]
            converter = self._converter = Markdown(**options)
            if "meta" in converter.preprocessors:  # front matter is ours; never let Markdown eat "Key: value" lines
                converter.preprocessors.deregister("meta")
        return converter.reset().convert(text)

    def _metadata(self, shown: str, kind: str, source_path: str, fields: Fields) -> dict:
        if kind == "stories":
            model.check_story(shown, fields)
            if not fields.get("summary"):
                fix = 'add "summary: …" with a sentence or two; the stories list and search engines show it'
                collector.warn(ContentWarning(shown, "the story has no summary", fix, line=fields.start_line))
        elif kind == "pages":
            model.check_page(shown, fields)
        draft = fields.get("draft") is True
        stem = os.path.splitext(os.path.basename(source_path))[0]
        metadata = {
            "title": str(fields.get("title", "")).strip(),
            "slug": str(fields.get("slug") or self._default_slug(kind, stem)),
            "status": PELICAN_DRAFT if draft else PELICAN_PUBLISHED,
        }
        if kind in MODEL_KINDS:  # parsed by the plugin's generators, which then drop it
            metadata["front_matter"] = fields
        if fields.get("summary") and kind in ("stories", "pages"):
            metadata["summary"] = self._markdown(str(fields["summary"]))
        if kind == "stories":
            metadata["date"] = self.process_metadata("date", str(fields["date"]))
            metadata["author"] = self.process_metadata("author", str(fields["author"]))
            metadata["tags"] = self.process_metadata("tags", ", ".join(model.story_tags(shown, fields)))
            for name in ("featured", "library", "country"):
                if fields.get(name):
                    metadata[name] = str(fields[name]).strip()
        if kind == "pages" and fields.get("template"):
            metadata["template"] = str(fields["template"])
        return metadata

    @staticmethod
    def _default_slug(kind: str, stem: str) -> str:
        # Stories are named YYYY-MM-DD-title.md; the date is already in the story.
        return DATED_FILENAME.sub("", stem) if kind == "stories" else stem
