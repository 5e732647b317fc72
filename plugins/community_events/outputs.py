"""Every file the build writes: a path inside OUTPUT_PATH, written by one source only.

Pelican's writer refuses a second write to a path with a traceback, its static
generator overwrites silently, and its own outside-the-folder check compares
text prefixes, so ``output-evil/`` passed for ``output/``. Here every path is
claimed before it is written, by the page templates (through ``CheckedWriter``),
the calendar feeds, the theme's files and the images: a path outside the output
folder, or one that two sources would write, is a content error naming both,
and the second write never happens. Rendering one page that fails for a reason
nobody foresaw becomes a sentence naming its file, not a traceback.
"""

from __future__ import annotations

import logging
import os
import posixpath

from pelican.writers import Writer

from .errors import ContentError, collector

logger = logging.getLogger(__name__)


class OutputClaims:
    """Which source writes each output path, for one build."""

    def __init__(self) -> None:
        self.owners: dict[str, str] = {}
        self.content_prefix = "content/"
        self._roots: dict[str, str] = {}

    def reset(self, content_root: str = "content") -> None:
        self.owners.clear()
        self._roots.clear()
        self.content_prefix = os.path.basename(os.path.normpath(content_root)) + "/"

    def claim(self, output_path: str, relative: str, source: str) -> str | None:
        """The absolute path to write, or None (with an error collected) when the path may not be written.

        The check is on the path's text: the output folder is new for every build and
        holds no links (the tasks make it; nothing in content can place one), so a
        normalised path that does not start with ".." stays inside it.
        """
        normal = posixpath.normpath(relative.replace("\\", "/"))
        if normal.startswith(("/", "../")) or normal in ("..", ".") or "\0" in normal:
            collector.add(
                ContentError(source, f'would write "{relative}", outside the site\'s folder', "please report this")
            )
            return None
        root = self._roots.get(output_path)
        if root is None:
            root = self._roots[output_path] = os.path.realpath(output_path)
        full = os.path.join(root, normal)
        owner = self.owners.setdefault(normal, source)
        if owner != source:
            # The sentence leads with a content file where there is one: that is what a contributor can rename.
            first, second = sorted((owner, source), key=lambda name: (name.startswith(self.content_prefix), name))
            fix = (
                "rename one of the two files"
                if first.startswith(self.content_prefix)
                else "rename the file: the site uses that address itself"
            )
            collector.add(ContentError(second, f'would write "{normal}", which {first} writes too', fix))
            return None
        return full


# One build runs at a time in a process; the plugin resets this at the start of each run.
claims = OutputClaims()


def describe_source(settings: dict, kwargs: dict, name: str) -> str:
    """The content file a page is built from, as contributors see it, or what else builds it."""
    from .reader import display_path  # the reader owns how paths are shown

    for key in ("article", "page", "event", "series"):
        item = kwargs.get(key)
        source_path = getattr(item, "source_path", None)
        if source_path:
            return display_path(settings, source_path)
    return f"the site's {posixpath.splitext(name)[0].replace('/index', '') or 'home'} page"


class CheckedWriter(Writer):
    """Pelican's writer, writing only paths it has claimed, and turning a failed page into a sentence."""

    def write_file(self, name, template, context, *args, **kwargs):
        if not name:
            return None
        source = describe_source(self.settings, kwargs, name)
        if claims.claim(self.output_path, name, source) is None:
            return None
        try:
            return super().write_file(name, template, context, *args, **kwargs)
        except ContentError as error:
            collector.add(error)
        except Exception as exc:  # one page's bug must not hide every other page's result
            logger.debug("Could not build %s", source, exc_info=True)
            collector.add(
                ContentError(source, f"could not be built ({exc.__class__.__name__}: {exc})", "please report this")
            )
        return None

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        if path and claims.claim(self.output_path, path, f"the feed {path}") is None:
            return None
        return super().write_feed(elements, context, path, *args, **kwargs)
