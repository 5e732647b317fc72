"""The theme's stylesheets and scripts, minified in the built site, and the pages without indentation.

Every page loads site.css, and event pages local-time.js; the browser tests hold each page under
a weight limit, and comments and indentation were a fifth of those files. The theme keeps its
readable sources; the build minifies the copies Pelican wrote, with rcssmin and rjsmin (the
minifiers webassets and django-compressor use), once the site is written.
"""

from __future__ import annotations

import logging
import os
import re

import rcssmin
import rjsmin

logger = logging.getLogger(__name__)

MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}
# Where a line's leading spaces are part of the text: preformatted code, and a textarea's value.
KEEPS_SPACES = re.compile(r"(<(pre|textarea)[\s>].*?</\2>)", re.DOTALL | re.IGNORECASE)
INDENTATION = re.compile(r"\n[ \t]+")


def minify_theme(output_path: str, theme_folder: str) -> None:
    """Minify every stylesheet and script under the built site's theme folder, in place."""
    root = os.path.join(output_path, theme_folder)
    for folder, _, files in os.walk(root):
        for name in files:
            minify = MINIFIERS.get(os.path.splitext(name)[1])
            if minify is None:
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(minify(text))


def without_indentation(html: str) -> str:
    """The page with no spaces at the start of its lines, outside <pre> and <textarea>.

    The templates are indented to be read; in a page the indentation is a twentieth of its bytes
    and means nothing: a line break stays, and HTML reads it as the same space between words.
    """
    parts = KEEPS_SPACES.split(html)
    # re.split gives the text between matches, then each match's two groups, in turn.
    return "".join(
        INDENTATION.sub("\n", part) if index % 3 == 0 else (part if index % 3 == 1 else "")
        for index, part in enumerate(parts)
    )


def compact_page(path: str, context: dict) -> None:
    """Pelican's content_written signal: rewrite a page just written without its indentation."""
    if not path.endswith(".html"):
        return
    with open(path, encoding="utf-8") as handle:
        html = handle.read()
    compact = without_indentation(html)
    if compact != html:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(compact)
