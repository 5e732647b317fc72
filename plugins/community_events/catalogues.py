"""The interface's translations: gettext catalogues, ``<translations_path>/<code>/LC_MESSAGES/messages.po``.

Builds read the ``.po`` files themselves through Babel: a compiled ``.mo`` committed beside them
would be a second copy of the same fact to keep in step, and compiling one in memory takes a few
milliseconds. ``python3 tasks.py translations`` extracts the messages, updates every catalogue and
checks that each compiles.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DOMAIN = "messages"
CATALOGUE = os.path.join("{code}", "LC_MESSAGES", DOMAIN + ".po")


class MissingCatalogue(Exception):
    """A language of the site has no catalogue."""


def catalogue(folder: str | None, code: str, first: bool) -> NullTranslations:
    """The interface's translations into ``code``, read from its .po file; the site's own language needs none."""
    if first:
        return NullTranslations()
    path = os.path.join(folder or "", CATALOGUE.format(code=code))
    if not folder or not os.path.isfile(path):
        raise MissingCatalogue(path)
    return _compiled(path, code, os.stat(path).st_mtime_ns)


@lru_cache(maxsize=32)
def _compiled(path: str, code: str, modified: int) -> Translations:
    # Keyed on the file's modification time too, so a preview picks up an edited catalogue.
    with open(path, "rb") as handle:
        parsed = read_po(handle, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, parsed, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
