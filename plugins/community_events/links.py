"""Links from a body into the site: ``{static}`` to an allowed image, ``{filename}`` to a content file.

Pelican copies whatever file a ``{static}`` or ``{attach}`` link names, from
anywhere (``{attach}../../../../etc/passwd`` once published the build machine's
password file), and ``{attach}`` moves the file next to the page that links it,
so content would choose an output path. Here a ``{static}`` link must name an
image in ``content/images/`` that the inventory allows, a ``{filename}`` link a
Markdown file in a content folder, and every other kind is refused.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from .errors import ContentError
from .inventory import IMAGES_FOLDER, image_problem

# The pattern Pelican's Content._get_intrasite_link_regex builds from INTRASITE_LINK_REGEX: the links
# Pelican rewrites and copies files for, wherever they stand, even inside another attribute's value
# (a title holding src='{static}…'). Checking fewer than Pelican rewrites would leave a gap.
PELICAN_LINK = (
    r"""(?P<markup><[^\>]+(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*)"""
    r"""(?P<quote>["\'])(?P<path>{intrasite}(?P<value>.*?))(?P=quote)"""
)
STATIC_FIX = "put the image in content/images/ and link it as {static}/images/its-name.png"


def _line_of(source: str, needle: str, first_line: int) -> int:
    for offset, text in enumerate(source.split("\n")):
        if needle in text:
            return first_line + offset
    return first_line


@lru_cache(maxsize=4)
def _site_links(intrasite: str) -> re.Pattern:
    return re.compile(PELICAN_LINK.format(intrasite=intrasite), re.X)


def check(
    path: str, source: str, html: str, first_line: int, content_root: str, source_path: str, intrasite: str
) -> None:
    """Raise for the first link into the site that does not lead to an allowed file.

    ``intrasite`` is Pelican's INTRASITE_LINK_REGEX setting.
    """
    if "{" not in html and "|" not in html:
        return
    for match in _site_links(intrasite).finditer(html):
        what, target = match["what"], match["value"]
        problem = _problem(what, target, content_root, source_path)
        if problem:
            raise ContentError(
                path,
                f"the link {{{what}}}{target} {problem[0]}",
                problem[1],
                line=_line_of(source, target or what, first_line),
            )


def _problem(what: str, target: str, content_root: str, source_path: str) -> tuple[str, str] | None:
    if what == "attach":
        return "would move a file to a place the page chooses", "use {static} instead of {attach}"
    if what not in ("static", "filename"):
        return (
            "is not a kind of link the site makes",
            "link to a page with {filename}/pages/its-name.md or to an image with {static}",
        )
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//") or "\\" in target:
        # Pelican keeps a target's scheme and host when it rewrites the path: {filename}javascript:/x.md
        return "names a scheme or another site", "write only the path in the site, like {filename}/pages/about.md"
    relative = _resolve(target, content_root, source_path)
    if relative is None:
        return "leads outside the content folder", STATIC_FIX if what == "static" else "link to a file in content/"
    full = os.path.join(content_root, *relative)
    if not os.path.lexists(full):
        return "leads to a file that does not exist", "check the spelling of the file name"
    if _through_a_link(content_root, relative):
        return "leads through a symbolic link", "link to the file itself"
    if what == "static":
        if relative[0] != IMAGES_FOLDER:
            return "is not an image in content/images/", STATIC_FIX
        problem = image_problem(full, relative[-1])
        return (f"is to a file that cannot be published ({problem[0]})", problem[1]) if problem else None
    if len(relative) != 2 or not relative[1].endswith(".md") or relative[0] == IMAGES_FOLDER:
        return "is not a page of this site", "link to a Markdown file such as {filename}/pages/about.md"
    return None


def _resolve(target: str, content_root: str, source_path: str) -> list[str] | None:
    """The target's path parts inside the content folder, as Pelican resolves it; None if it leaves the folder."""
    path = unquote(urlsplit(target).path)
    root = os.path.abspath(content_root)
    base = root if path.startswith("/") else os.path.dirname(os.path.abspath(source_path))
    full = os.path.normpath(os.path.join(base, path.lstrip("/")))
    if os.path.commonpath([root, full]) != root or full == root:
        return None
    return os.path.relpath(full, root).split(os.sep)


def _through_a_link(content_root: str, parts: list[str]) -> bool:
    current = os.path.abspath(content_root)
    for part in parts:
        current = os.path.join(current, part)
        if os.path.islink(current):
            return True
    return False
