"""Settings for local work: `invoke build`, `invoke serve`, `invoke livereload`.

publishconf.py imports everything here and overrides only production values.
"""

from pathlib import Path


def N_(message: str) -> str:
    """Marks a label for translation: `python3 tasks.py translations` extracts it, and the theme translates it."""
    return message


AUTHOR = "Wikimedia and Libraries User Group"
SITENAME = "Wikimedia and Libraries User Group"
SITESUBTITLE = N_("Librarians worldwide working on Wikipedia, Wikidata and Commons")
SITEURL = ""
# Feeds and calendar subscribe links need absolute URLs; locally they point at
# the dev server (`invoke serve`). publishconf.py sets the public address.
FEED_DOMAIN = "http://127.0.0.1:8000"
# The group's wiki page this site grew from; linked where our records stop.
SOURCE_WIKI_PAGE = "https://meta.wikimedia.org/wiki/Wikimedia_and_Libraries_User_Group/Worldwide_activities"
# The site's repository: GitHub Pages publishes wikimedia-libraries.github.io from
# wikimedia-libraries/wikimedia-libraries.github.io. The footer and the join page link it, and
# every page built from a content file links to GitHub's editor for that file, at
# REPOSITORY_URL/edit/REPOSITORY_BRANCH/REPOSITORY_CONTENT_PATH/<its path under PATH>.
REPOSITORY_URL = "https://github.com/wikimedia-libraries/wikimedia-libraries.github.io"
REPOSITORY_BRANCH = "main"

PATH = "content"
# Where PATH is in the repository: Pelican makes PATH absolute, and a build of a copy elsewhere
# (the tests, `invoke check --path`) still edits the repository's own content folder.
REPOSITORY_CONTENT_PATH = PATH
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["community_events"]
COMMUNITY_EVENTS = {
    # Defaults and documentation: plugins/community_events/options.py.
    # English at /, then a translated build of the site per language at /es/, /fr/, /pt/ and /ar/.
    "languages": {"en": "en_GB", "es": "es", "fr": "fr", "pt": "pt", "ar": "ar"},
    "translations_path": str(Path(__file__).resolve().parent / "translations"),
    # "today": "2024-01-01",  # pin the moment that splits upcoming from past (or "2024-01-01T12:00", UTC)
}

# Content folders: stories are Pelican articles, pages are pages; events,
# series and goals are read by the community_events plugin.
ARTICLE_PATHS = ["stories"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]

# Dates come from front matter, where they are checked; Pelican's reading of a
# date in the file name would drop a story with an impossible one without a word.
FILENAME_METADATA = ""

ARTICLE_URL = "stories/{slug}/"
ARTICLE_SAVE_AS = "stories/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_URL = DRAFT_SAVE_AS = DRAFT_PAGE_URL = DRAFT_PAGE_SAVE_AS = ""

# The home page is "index"; stories have their own index; 404 and the sitemap are templates too.
DIRECT_TEMPLATES = ["index", "stories", "404", "sitemap", "robots"]
STORIES_URL = "stories/"
STORIES_SAVE_AS = "stories/index.html"
SITEMAP_SAVE_AS = "sitemap.xml"
ROBOTS_SAVE_AS = "robots.txt"
PAGINATED_TEMPLATES = {"stories": None}

# No per-tag, per-author or date archive pages: the site is small and these would be thin.
for _kind in ("TAG", "TAGS", "CATEGORY", "CATEGORIES", "AUTHOR", "AUTHORS", "ARCHIVES"):
    globals()[f"{_kind}_SAVE_AS"] = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""

# One Atom feed, for stories; no other feeds.
FEED_ALL_ATOM = "stories/feed.atom"
FEED_ALL_RSS = CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = TAG_FEED_ATOM = TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None
FEED_MAX_ITEMS = 20

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        # align="…" rather than style="…": the HTML allowlist keeps no style attributes.
        "markdown.extensions.tables": {"use_align_attribute": True},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# Navigation: label, URL (relative to SITEURL), and the output folder it marks as current.
MENU = [
    (N_("Home"), "", "index.html"),
    (N_("Events"), "events/", "events/"),
    (N_("Stories"), "stories/", "stories/"),
    (N_("Goals"), "goals/", "goals/"),
    (N_("#1Lib1Ref"), "1lib1ref/", "1lib1ref/"),
    (N_("Open tasks"), "open-tasks/", "open-tasks/"),
    (N_("Join"), "join/", "join/"),
    (N_("About"), "about/", "about/"),
    (N_("Search"), "search/", "search/"),
]

RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
CACHE_CONTENT = False
DEFAULT_PAGINATION = False
TYPOGRIFY = False
