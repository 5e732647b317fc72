"""`python3 tasks.py translations`: extract the interface's messages, update every catalogue, check each compiles.

Babel does the work (its extractors for Python and, through Jinja's ``babel_extract``, for templates;
its catalogue update and checks). What this module adds is that a run changes a file only when its
messages or translations changed: Babel stamps every file it writes with the time, so on a clean
checkout a run would otherwise rewrite every catalogue and the round trip would never be clean.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from community_events.catalogues import CATALOGUE
from jinja2.ext import babel_extract

PROJECT = "Wikimedia and Libraries User Group site"
TEMPLATE = "messages.pot"
# Where the interface's messages are: the theme's templates, and the plugin's words for readers.
SOURCES = (
    ("theme/templates", [("**.html", babel_extract)], {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "1"}}),
    ("plugins/community_events", [("**.py", "python")], {}),
    (".", [("pelicanconf.py", "python")], {}),  # the menu's labels and the subtitle, marked with N_()
)
# Comments for translators: {# Translators: … #} in templates, # Translators: … in Python.
COMMENT_TAGS = ("Translators:",)
WIDTH = 100


def extract(root: Path) -> Catalog:
    """Every message of the interface, with the files it comes from (no line numbers: they churn)."""
    template = Catalog(project=PROJECT, fuzzy=False)
    for folder, method_map, options in SOURCES:
        found = extract_from_dir(
            str(root / folder), method_map, options_map=options, comment_tags=COMMENT_TAGS, strip_comment_tags=True
        )
        for filename, _line, message, comments, context in found:
            location = (posixpath.normpath(f"{folder}/{filename}"), None)
            template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def _render(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_lineno=False, ignore_obsolete=True, sort_output=False)
    return buffer.getvalue()


def _write_if_changed(path: Path, catalog: Catalog, is_template: bool) -> bool:
    """Write the catalogue unless only its dates would change; a changed one is dated now."""
    old = path.read_bytes() if path.exists() else None
    if old is not None:
        previous = read_po(io.BytesIO(old))
        catalog.revision_date = previous.revision_date
        if is_template:
            catalog.creation_date = previous.creation_date
        if _render(catalog) == old:
            return False
    now = datetime.now().astimezone().replace(microsecond=0)
    catalog.revision_date = now
    if is_template:
        catalog.creation_date = now
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_render(catalog))
    return True


def catalogue_path(folder: Path, code: str) -> Path:
    """Where a language's catalogue is: the path the builds read it from (``catalogues.CATALOGUE``)."""
    return folder / CATALOGUE.format(code=code)


def sync(root: Path, folder: Path, languages: Iterable[str]) -> list[str]:
    """Write the template and update each language's catalogue from it; the names of the files changed."""
    template = extract(root)
    changed = []
    if _write_if_changed(folder / TEMPLATE, template, is_template=True):
        changed.append(TEMPLATE)
    for code in languages:
        path = catalogue_path(folder, code)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=code)
        else:
            catalog = Catalog(locale=code, project=PROJECT, fuzzy=False)
        catalog.update(template, update_header_comment=False)
        if _write_if_changed(path, catalog, is_template=False):
            changed.append(str(path.relative_to(folder)))
    return changed


def problems(path: Path) -> list[str]:
    """What keeps a catalogue from being used as it is: untranslated or fuzzy entries, placeholders that
    differ, and anything Babel's checks or its compiler refuse. Each as "file: msgid: problem"."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id:
            continue
        shown = f"{path}: {message.id if isinstance(message.id, str) else message.id[0]!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"{shown}: is marked fuzzy; check the translation and remove the fuzzy flag")
        if not all(strings):
            found.append(f"{shown}: is not translated")
        for error in message.check(catalog):
            found.append(f"{shown}: {error}")
    try:
        write_mo(io.BytesIO(), catalog, use_fuzzy=False)
    except Exception as error:  # noqa: BLE001 - any refusal is reported as a sentence
        found.append(f"{path}: does not compile ({error})")
    return found
