"""The site in several languages: one Pelican build per language, and the catalogues they read.

The first language in the ``languages`` option is the site's own: its build writes to the output
folder's root, and it alone writes what exists once (the calendar feeds, the stories feed, the
sitemap). Every other language gets a build of the same content under ``/<code>/`` with the
interface translated: ``site_settings`` works out each build's settings from the root's, and
``tasks.py`` and the tests run them one after the other. This is the shape of Pelican's
``i18n_subsites`` plugin (a full build per language), done here so that every build shares one
"now" and our checks of content run once, in the root build.

The interface's translations are read by ``catalogues``.
"""

from __future__ import annotations

import copy
import os

from .options import SETTINGS_KEY, language_codes, now_setting

# Written once, by the root build; the other languages' builds link to the root's.
ROOT_ONLY_TEMPLATES = ("sitemap", "robots")


def site_settings(settings: dict) -> list[dict]:
    """The settings of every language's build, the site's own language first.

    "Now" is read once here and given to every build, so a page cannot be upcoming in one
    language and past in another.
    """
    given = dict(settings.get(SETTINGS_KEY) or {})
    given["today"] = now_setting(given.get("today"))
    root = {**settings, SETTINGS_KEY: given}
    return [root, *(_language_settings(root, code) for code in language_codes(root)[1:])]


def _language_settings(root: dict, code: str) -> dict:
    settings = copy.deepcopy(root)
    settings["DEFAULT_LANG"] = code
    settings["OUTPUT_PATH"] = os.path.join(root["OUTPUT_PATH"], code)
    settings["SITEURL"] = f"{root['SITEURL'].rstrip('/')}/{code}"
    settings["ROOT_SITEURL"] = root["SITEURL"].rstrip("/")
    # The theme's files, the stories feed and the sitemap are the root's; images are copied, as
    # Markdown bodies link them under each language's own address.
    settings["THEME_STATIC_PATHS"] = []
    settings["ROOT_FEED_ALL_ATOM"], settings["FEED_ALL_ATOM"] = root.get("FEED_ALL_ATOM"), None
    settings["DIRECT_TEMPLATES"] = [name for name in root["DIRECT_TEMPLATES"] if name not in ROOT_ONLY_TEMPLATES]
    settings["DELETE_OUTPUT_DIRECTORY"] = False  # the folder is inside the root build's output
    # Pelican's content cache knows a page's own file, not its translation: read every file afresh.
    settings["CACHE_CONTENT"] = settings["LOAD_CONTENT_CACHE"] = False
    return settings
