"""The static search index: Pagefind, run on a freshly built site folder before it is published.

Pagefind (the ``pagefind`` package, with its program from ``pagefind_bin``) reads the built
HTML and writes the index with its browser scripts into ``BUNDLE_FOLDER``. It indexes only what
a page marks with ``data-pagefind-body`` (the templates' ``main_attributes`` block: events,
series, stories, goals and pages), skips what ``EXCLUDED`` selects, and reads nothing from the
network.

Pagefind also takes settings from a ``pagefind.yml`` (``.yaml``, ``.toml``, ``.json``) in the
folder it runs in and from ``PAGEFIND_*`` variables. It runs in the site folder, where the build
writes no such file (content can place only images), with those variables removed, so the flags
here decide alone.

Pelican claims every path it writes (``outputs``); Pagefind writes after it, so the search
generator claims the bundle's folder for the site (no content page can take ``pagefind/``), and
``build_index`` refuses a site where the folder exists already rather than mix with it.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from pathlib import Path

logger = logging.getLogger(__name__)

BUNDLE_FOLDER = "pagefind"
# The script the search page imports; its presence tells a finished index.
ENTRY_SCRIPT = "pagefind.js"
# Inside an indexed page's main content, what is not the page's text: the links about the site ("Suggest a
# change", the calendar links, "Add this session to Google Calendar"), and what is hidden (an event's "Happening
# now" and "This event is over", which its script shows by the reader's clock). Pagefind still reads filters and
# metadata inside what it skips (its indexing docs).
EXCLUDED = ".edit-link, .calendar-links, .session-add, [hidden]"
TIMEOUT_SECONDS = 600
# Pagefind reads a few settings from variables without its prefix too (its config-options docs).
UNPREFIXED_SETTINGS = ("KEEP_INDEX_URL", "WRITE_PLAYGROUND")
INDEXED_PAGES = re.compile(r"Indexed (\d+) pages?")


class SearchIndexError(Exception):
    """The index could not be built; the message is one sentence with the fix."""


def pagefind_program() -> Path:
    """The Pagefind program that the locked ``pagefind_bin`` package ships."""
    try:
        import pagefind_bin
    except ImportError:
        raise SearchIndexError(
            "the search index needs Pagefind (the pagefind[bin] package), which is not installed; "
            "run python3 tasks.py build, which installs the locked packages"
        ) from None
    try:
        return pagefind_bin.get_executable()
    except FileNotFoundError:
        raise SearchIndexError(
            "the pagefind_bin package has no Pagefind program for this machine; "
            "reinstall it with python3 tasks.py build, or report your system"
        ) from None


def _environment() -> dict[str, str]:
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PAGEFIND_") and name not in UNPREFIXED_SETTINGS
    }


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def build_index(site: Path) -> int:
    """Index the built site in ``site``; the number of pages indexed. Raises SearchIndexError."""
    bundle = site / BUNDLE_FOLDER
    if os.path.lexists(bundle):
        raise SearchIndexError(
            f"the built site already has a {BUNDLE_FOLDER}/ folder, where the search index goes; please report this"
        )
    command = [str(pagefind_program()), "--site", str(site.resolve()), "--output-subdir", BUNDLE_FOLDER]
    command += ["--exclude-selectors", EXCLUDED]
    try:
        done = subprocess.run(
            command,
            cwd=site,
            env=_environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise SearchIndexError(
            f"Pagefind did not finish indexing the site in {TIMEOUT_SECONDS} seconds; please report this"
        ) from None
    except OSError as error:
        raise SearchIndexError(f"Pagefind could not be started ({error.strerror}); please report this") from None
    if done.returncode != 0 or not (bundle / ENTRY_SCRIPT).is_file():
        detail = _last_line(done.stderr or done.stdout)
        raise SearchIndexError(f"Pagefind could not index the site ({detail}); please report this")
    found = INDEXED_PAGES.search(done.stdout)
    pages = int(found.group(1)) if found else 0
    logger.info("Indexed %s pages for search in %s/", pages, BUNDLE_FOLDER)
    return pages
