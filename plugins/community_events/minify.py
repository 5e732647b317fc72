"""The theme's stylesheets and scripts, minified in the built site.

Every page loads site.css, and event pages local-time.js; the browser tests hold each page under
a weight limit, and comments and indentation were a fifth of those files. The theme keeps its
readable sources; the build minifies the copies Pelican wrote, with rcssmin and rjsmin (the
minifiers webassets and django-compressor use), once the site is written.
"""

from __future__ import annotations

import logging
import os

import rcssmin
import rjsmin

logger = logging.getLogger(__name__)

MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


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
