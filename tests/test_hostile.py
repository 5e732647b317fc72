"""The hostile-content corpus: content is data from strangers, and nothing in it may harm the site.

Each folder in tests/hostile/ is one case: its content/ is laid over a small valid site
(BASE_SITE), and some cases add files only at run time (symbolic links, huge files, names git
cannot keep well); their folder holds a generated.txt saying what GENERATED adds. Each case is
built in-process as `invoke check` builds, and EXPECTED says what must happen:

* Refused(...): the build raises ContentErrors, and each error is one line that names the file
  (content/...) and, where there is one, the line, never a traceback; or
* Safe(...): the site is built, and then every built site is scanned (scan_output): no on*=
  attributes, no javascript:/data:/vbscript: URLs, no <script> but the theme's own, no file that
  is a copy of a file from outside the content folder, no symbolic links, every file inside
  output/, and nothing written anywhere but output/.

Every build, refused or not, is also checked for writes outside output/, and its output (when a
refusal came after writing began) is scanned as well. A refusal may say more than one sentence
about a file it names (the inventory and the reader can both see a link), never one about any
other file.

Cases that do not behave yet are listed in BUGS and marked xfail(strict=True): fixing the bug turns
the case into an XPASS failure, the cue to delete its entry. A bug that kills the build process
(CRASHES) is built in a child process; one that hangs it (HANGS) gets a short timeout.

Then the check task, as contributors run it: `tasks.py check --path` in a subprocess for a few
representative cases (exit 1, one sentence per error, no traceback), and the whole corpus through
the same code path in one background process, started by the first test so that it runs beside
the in-process builds, whose combined output must never show a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from community_events.errors import ContentErrors
from community_events.minify import MINIFIERS
from conftest import MINIMAL_PAGES, ROOT, run_pelican, write_files

CORPUS = Path(__file__).parent / "hostile"
THEME = ROOT / "theme"
BUILD_TIMEOUT = 60  # seconds for one in-process build; a hang is a bug, not a slow test

BASE_SITE = {
    **MINIMAL_PAGES,
    "series/ai-salon.md": "---\ntitle: AI Salons\n---\n",
    "events/2024-05-31-meetup.md": (
        "---\ntitle: Meetup\nseries: ai-salon\nsessions:\n  - start: 2024-05-31 14:00\n    timezone: Europe/Paris\n"
        "    duration: 1 hour\n    join: https://example.org/join\n---\nAgenda.\n"
    ),
    "stories/2024-02-01-hello.md": (
        "---\ntitle: Hello\nauthor: Ann Author\ndate: 2024-02-01\nsummary: A first story.\n---\nText.\n"
    ),
    "goals/1-first-goal.md": (
        "---\ntitle: First goal\norder: 1\nactions:\n  - Do it\nevents:\n  - 2024-05-31-meetup\n---\n"
    ),
}
VALID_EVENT = (
    "---\ntitle: Hostile event\nsessions:\n  - start: 2024-06-01 14:00\n    timezone: Europe/Paris\n---\nAgenda.\n"
)
IMAGE_PAGE = "---\ntitle: Hostile page\n---\n![x]({static}/images/x.png)\n"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


# ------------------------------------------------------------------ expectations


@dataclass(frozen=True)
class Refused:
    """The build stops with these errors, (location, words the sentence contains), and none about other files."""

    errors: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Safe:
    """The build succeeds; absent: text no output file may contain; present: (output file, text it contains)."""

    absent: tuple[str, ...] = ()
    present: tuple[tuple[str, str], ...] = ()


def refused(*errors: tuple[str, str]) -> Refused:
    return Refused(tuple(errors))


EV = "content/events/2024-06-01-hostile.md"
PG = "content/pages/hostile.md"
ST = "content/stories/2024-03-01-hostile.md"
SLUG = '"slug" is not a field of'
CONTROL = "a value contains an invisible control character"
LINK_SPACE = "is a link with a space, line break or invisible character in it"
ONE_LINE = "should be a single line of text"
NOT_DIRECTLY = "content files go directly in their folder"
TOP = "a file at the top of the content folder is not published"
MARKDOWN_ONLY = "only Markdown files (.md) are read here"
LINK = "link, which a browser would run or open as a page"
ZEBRA = ("Zebra",)  # every draft case names its secrets with "Zebra"

EXPECTED: dict[str, Refused | Safe] = {
    # --- path tricks
    "slug-calendar": refused((f"{PG}:3", SLUG)),
    "slug-output-evil": refused((f"{PG}:3", SLUG)),
    "slug-in-story": refused((f"{ST}:5", SLUG)),
    "slug-in-event": refused((f"{EV}:3", SLUG)),
    "save-as-page": refused((f"{PG}:3", '"save_as" is not a field of a page')),
    "save-as-event": refused((f"{EV}:3", '"save_as" is not a field of an event')),
    "url-in-story": refused((f"{ST}:5", '"url" is not a field of a story')),
    "template-traversal": refused((f"{PG}:3", '"../../etc" is not an allowed value')),
    "template-nonexistent": refused((f"{PG}:3", '"nonexistent" is not an allowed value')),
    "template-in-event": refused((f"{EV}:3", '"template" is not a field of an event')),
    "file-name-space": refused(("content/pages/my page.md:1", "can only have lower-case letters, digits and hyphens")),
    "file-name-uppercase": refused(("content/events/2024-06-01-Meetup.md:1", "can only have lower-case letters")),
    "file-name-unicode": refused(("content/stories/2024-03-01-café-ünïcödé.md:1", "can only have lower-case letters")),
    "file-name-252-chars": refused((f"content/pages/{'a' * 249}.md:1", "in at most 100 characters")),
    "page-named-events": refused(("content/pages/events.md", 'would write "events/index.html"')),
    "page-named-stories": refused(("content/pages/stories.md", 'would write "stories/index.html"')),
    "page-named-goals": refused(("content/pages/goals.md", 'would write "goals/index.html"')),
    "page-named-calendar": Safe(
        present=(("calendar/index.html", "Calendar page"), ("calendar.ics", "BEGIN:VCALENDAR"))
    ),
    "page-named-theme": Safe(present=(("theme/index.html", "Theme page"),)),
    "page-named-about-twice": Safe(
        present=(("stories/about/index.html", "Story named about"), ("about/index.html", "About us."))
    ),
    "event-named-series": Safe(
        present=(("events/series/index.html", "Hostile event"), ("events/series/ai-salon/index.html", "AI Salons"))
    ),
    "event-named-index": Safe(present=(("events/index/index.html", "Hostile event"),)),
    "story-same-name-two-dates": refused(
        (
            "content/stories/2024-04-01-news.md",
            'would write "stories/news/index.html", which content/stories/2024-03-01-news.md writes too',
        )
    ),
    "event-id-clash": refused(
        (f"{EV}:3", '"2024-05-31-meetup" is already the calendar id of content/events/2024-05-31-meetup.md')
    ),
    "event-id-traversal": refused((f"{EV}:3", 'id "../x" has characters that calendar ids cannot use')),
    "event-id-slash": refused((f"{EV}:3", 'id "a/b" has characters that calendar ids cannot use')),
    # --- other readers and files
    "story-html": refused(("content/stories/2024-03-01-hostile.html", MARKDOWN_ONLY)),
    "page-rst": refused(("content/pages/hostile.rst", MARKDOWN_ONLY)),
    "page-htm": refused(("content/pages/hostile.htm", MARKDOWN_ONLY)),
    "page-markdown-extension": refused(("content/pages/hostile.markdown", MARKDOWN_ONLY)),
    "page-upper-md": refused(("content/pages/hostile.MD", 'rename it to end in ".md": hostile.md')),
    "page-txt": refused(("content/pages/hostile.txt", MARKDOWN_ONLY)),
    "misc-md-at-top": refused(("content/misc.md", TOP)),
    "folder-event-singular": refused(
        (
            "content/event/2024-06-01-x.md",
            '"event" is not a content folder, so nothing in it is published; move the file into content/events/',
        )
    ),
    "folder-events-capitalised": refused(
        (
            "content/Events/2024-06-01-x.md",
            '"Events" is not a content folder, so nothing in it is published; move the file into content/events/',
        )
    ),
    "folder-events-nested": refused(("content/events/2024/2024-06-01-x.md", NOT_DIRECTLY)),
    "ds-store": refused(("content/.DS_Store", TOP), ("content/events/.DS_Store", MARKDOWN_ONLY)),
    "hidden-md": refused(
        ("content/events/.2024-06-01-hidden.md:1", 'rename it, for example to "2024-06-01-hidden.md"')
    ),
    "editor-backup": refused(
        ("content/pages/.#about.md:1", "can only have lower-case letters"), ("content/pages/about.md~", MARKDOWN_ONLY)
    ),
    # --- static files and links
    "content-index-html": refused(("content/index.html", TOP)),
    "theme-js-override": refused(
        (f"{PG}:4", "the link {static}/theme/js/local-time.js is not an image in content/images/"),
        ("content/theme/js/local-time.js", '"theme" is not a content folder'),
    ),
    "attach-etc-passwd": refused(
        (f"{PG}:4", "the link {attach}../../../../etc/passwd would move a file to a place the page chooses")
    ),
    "attach-pipe-syntax": refused((f"{PG}:4", "../../../../etc/passwd would move a file to a place the page chooses")),
    "static-dotdot-passwd": refused(
        (f"{PG}:4", "the link {static}/../../../etc/passwd leads outside the content folder")
    ),
    "static-encoded-dotdot": refused((f"{PG}:4", "leads outside the content folder")),
    "static-sibling-file": refused(
        (f"{PG}:4", "the link {static}/../bait-outside-content.txt leads outside the content folder")
    ),
    "attach-proc-environ": refused((f"{PG}:4", "the link {attach}/proc/self/environ would move a file")),
    "filename-tasks-py": refused((f"{PG}:4", "the link {filename}/../../tasks.py leads outside the content folder")),
    "filename-to-image": refused((f"{PG}:4", "the link {filename}/images/x.png is not a page of this site")),
    "static-to-markdown": refused((f"{PG}:4", "the link {static}/pages/about.md is not an image in content/images/")),
    "tag-link": refused((f"{PG}:4", "the link {tag}x is not a kind of link the site makes")),
    "category-link": refused((f"{PG}:4", "the link {category}stories is not a kind of link the site makes")),
    "static-missing": refused((f"{PG}:4", "the link {static}/images/missing.png leads to a file that does not exist")),
    "image-pwn-js": refused(("content/images/pwn.js", "only images can be in images/")),
    "image-svg": refused(("content/images/x.svg", "SVG images are not allowed")),
    "image-html-named-png": refused(
        ("content/images/x.png", 'the file is named ".png" but is not an image'),
        (f"{PG}:4", "the link {static}/images/x.png is to a file that cannot be published"),
    ),
    "image-png-named-html": refused(("content/images/x.html", "only images can be in images/")),
    "image-gif-named-jpg": refused(("content/images/x.jpg", 'the file is named ".jpg" but is a GIF image')),
    # A PNG with HTML after its end is still a PNG: browsers sniff image/png from the name and header.
    "image-png-polyglot-html": Safe(present=(("images/x.png", "PNG"),)),
    "image-name-unicode": refused(("content/images/é.png", "the image's name can only have letters")),
    "image-png-allowed": Safe(present=(("images/x.png", "PNG"), ("hostile/index.html", 'src="/images/x.png"'))),
    "image-nested-folder": Safe(
        present=(("images/sub/x.png", "PNG"), ("hostile/index.html", 'src="/images/sub/x.png"'))
    ),
    # --- sanitiser evasions in bodies
    "xss-img-onerror": refused((f"{EV}:7", '"onerror" attribute on <img>')),
    "xss-svg-animate-onbegin": refused((f"{EV}:7", "raw <svg> tag")),
    "xss-math-mglyph": refused((f"{EV}:7", "raw <math> tag")),
    "xss-comment-script": refused((f"{EV}:7", "HTML comment")),
    "xss-noscript-title": refused((f"{EV}:7", "raw <noscript> tag")),
    # A second round, from a review after the first: links whose target names a scheme or another site,
    # links hidden in another attribute, character references to control characters, slow inputs.
    "filename-javascript-scheme": refused((f"{PG}:4", "names a scheme or another site")),
    "filename-other-host": refused((f"{PG}:4", "names a scheme or another site")),
    "static-other-host": refused((f"{PG}:4", "names a scheme or another site")),
    "static-in-link-title": refused((f"{PG}:4", "leads outside the content folder")),
    "attach-in-link-title": refused((f"{PG}:4", "would move a file")),
    "charref-form-feed-story": refused((f"{ST}:7", "character reference to an invisible control character")),
    "charref-c1-event": refused((f"{EV}:7", "character reference to an invisible control character")),
    "charref-line-separator": refused((f"{EV}:7", "character reference to an invisible control character")),
    "double-escaped-charref": Safe(absent=("\x81", "\x0c")),
    "noncharacter-raw": refused((f"{ST}:7", "invisible control character (U+FFFF)")),
    "duration-60000-digits": refused((f"{EV}:6", "more than the 100 it may have")),
    "hashtag-long-spaces": Safe(),  # YAML reads " #" at the end as an empty comment: quick, and harmless
    "duration-past-2200": refused((f"{EV}:6", "makes the session end after 2200")),
    "xss-entity-javascript": refused((f"{EV}:7", '"javascript:" ' + LINK)),
    "xss-tab-javascript": refused((f"{EV}:7", '"javascript:" ' + LINK)),
    "xss-markdown-entity-javascript": refused((f"{EV}:7", '"javascript:" ' + LINK)),
    "xss-markdown-mixed-case": refused((f"{EV}:7", '"javascript:" ' + LINK)),
    "xss-markdown-angle-link": refused((f"{EV}:7", '"javascript:" ' + LINK)),
    "xss-reference-link": refused((f"{EV}:9", '"javascript:" ' + LINK)),
    "xss-footnote-link": refused((f"{EV}:9", '"javascript:" ' + LINK)),
    "xss-attr-list-onclick": refused((f"{EV}:7", '"onclick" attribute on <h1>')),
    "xss-attr-list-href": refused((f"{EV}:7", '"javascript:" ' + LINK)),
    "xss-attr-list-style": refused((f"{EV}:8", '"style" attribute on <p>')),
    "xss-md-in-html": refused((f"{EV}:7", '"onclick" attribute on <div>')),
    "xss-data-url": refused((f"{EV}:7", '"data:" ' + LINK)),
    "xss-data-image": refused((f"{EV}:7", '"data:" ' + LINK)),
    "xss-vbscript": refused((f"{EV}:7", '"vbscript:" ' + LINK)),
    "xss-style-tag": refused((f"{EV}:7", "raw <style> tag")),
    "xss-style-attr": refused((f"{EV}:7", '"style" attribute on <p>')),
    "xss-base-href": refused((f"{EV}:7", "raw <base> tag")),
    "xss-meta-refresh": refused((f"{EV}:7", "raw <meta> tag")),
    "xss-form": refused((f"{EV}:7", "raw <form> tag")),
    "xss-iframe-srcdoc": refused((f"{EV}:7", "raw <iframe> tag")),
    "xss-object": refused((f"{EV}:7", "raw <object> tag")),
    "xss-details-ontoggle": refused((f"{EV}:7", '"ontoggle" attribute on <details>')),
    "xss-uppercase-script-src": refused((f"{EV}:7", "raw <script> tag")),
    "xss-malformed-img": refused((f"{EV}:7", "raw <script> tag")),
    "xss-body-onload": refused((f"{EV}:7", "raw <body> tag")),
    "xss-img-remote": refused((f"{EV}:7", "an image from another site")),
    "xss-protocol-relative-img": refused((f"{EV}:7", "an image from another site")),
    "xss-svg-use-data": refused((f"{EV}:7", "raw <svg> tag")),
    "xss-template-tag": refused((f"{EV}:7", "raw <template> tag")),
    "xss-textarea-breakout": refused((f"{EV}:7", "raw <textarea> tag")),
    "xss-id-clobber": refused((f"{EV}:7", '"id" attribute on <div>')),
    "xss-abbr-title": Safe(),
    "xss-code-language": Safe(),
    "xss-img-title-quote": Safe(),
    "xss-in-page-body": refused((f"{PG}:4", "raw <script> tag")),
    "xss-in-story-body": refused((f"{ST}:6", '"onerror" attribute on <img>')),
    "xss-in-series-body": refused(("content/series/hostile.md:4", "raw <iframe> tag")),
    "xss-in-goal-body": refused(("content/goals/2-hostile.md:5", '"javascript:" ' + LINK)),
    "summary-javascript-link": refused((f"{ST}:5", '"javascript:" ' + LINK)),
    "summary-attach-passwd": refused((f"{ST}:5", "would move a file")),
    "summary-static-passwd": refused((f"{ST}:5", "leads outside the content folder")),
    "summary-static-markdown": refused((f"{ST}:5", "is not an image in content/images/")),
    "summary-page-attach-git-config": refused((f"{PG}:3", "would move a file")),
    "summary-attach-image": refused((f"{ST}:5", "would move a file")),
    "summary-plaintext": refused((f"{ST}:5", 'summary contains HTML ("<plaintext")')),
    "summary-img-onerror": refused((f"{ST}:5", "summary contains HTML")),
    "summary-markdown-img-remote": refused((f"{ST}:5", "an image from another site")),
    "summary-page-tab-javascript": refused((f"{PG}:3", '"javascript:" ' + LINK)),
    "summary-event-script": refused((f"{EV}:3", "summary contains HTML")),
    "title-anchor-text": Safe(
        present=(
            ("hostile/index.html", "&lt;a href=javascript:alert(1)&gt;Click&lt;/a&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"),
        )
    ),
    # Jinja never renders content again: template syntax in fields and body is printed as text.
    "template-syntax-in-fields": Safe(
        present=(
            ("hostile/index.html", "{{ 7*7 }} {{ config }}"),
            ("hostile/index.html", "<p>{{ SITENAME }} {% include 'base.html' %} {# c #}</p>"),
        )
    ),
    "title-script": refused((f"{PG}:2", "title contains HTML")),
    "author-onerror": refused((f"{ST}:3", "author contains HTML")),
    "host-html-anchor": Safe(
        present=(
            ("events/2024-06-01-hostile/index.html", "&lt;a href=&#39;javascript:alert(1)&#39;&gt;Mallory&lt;/a&gt;"),
        )
    ),
    # --- CR/LF and control characters in every field
    "crlf-join-block": refused((f"{EV}:6", "join " + ONE_LINE)),
    "crlf-join-quoted": refused((f"{EV}:6", CONTROL)),
    "crlf-registration": refused((f"{EV}:3", CONTROL)),
    "crlf-notes": refused((f"{EV}:3", "notes " + ONE_LINE)),
    "crlf-recording": refused((f"{EV}:3", CONTROL)),
    "crlf-id": refused((f"{EV}:3", CONTROL)),
    "crlf-title": refused((f"{EV}:2", CONTROL)),
    "lf-title-block": refused((f"{EV}:2", ONE_LINE)),
    "crlf-label": refused((f"{EV}:6", CONTROL)),
    "crlf-platform": refused((f"{EV}:6", CONTROL)),
    "crlf-place": refused((f"{EV}:6", "place " + ONE_LINE)),
    "crlf-place-folded": refused((f"{EV}:6", "place " + ONE_LINE)),
    "crlf-timezone": refused((f"{EV}:5", CONTROL)),
    "crlf-hosts-item": refused((f"{EV}:4", CONTROL)),
    "lf-hosts-item": refused((f"{EV}:4", "has an item that is more than one line")),
    "crlf-tags-item": refused((f"{EV}:4", CONTROL)),
    "crlf-display-zones": refused((f"{EV}:4", CONTROL)),
    "crlf-story-tags": refused((f"{ST}:5", CONTROL)),
    "lf-summary-ics": Safe(),
    # A lone CR is a line end (old Mac files), so "X-INJECTED:yes" is a line of its own.
    "raw-cr-in-title": refused((f"{EV}:3", "a line is missing the colon after its field name")),
    "raw-x01-story-author": refused((f"{ST}:3", "invisible control character (U+0001)")),
    "raw-nul-title": refused((f"{EV}:2", "invisible control character (U+0000)")),
    "escaped-nul-title": refused((f"{EV}:2", CONTROL)),
    "escaped-esc-title": refused((f"{EV}:2", CONTROL)),
    "raw-u2028-title": refused((f"{EV}:2", "invisible control character (U+2028)")),
    "escaped-u2028-place": refused((f"{EV}:6", CONTROL)),
    "raw-nel-place": refused((f"{EV}:6", "invisible control character (U+0085)")),
    "raw-vertical-tab-body": refused((f"{EV}:7", "invisible control character (U+000B)")),
    "bidi-controls-title": Safe(present=(("events/2024-06-01-hostile/index.html", "Zebra"),)),
    "bidi-controls-link": Safe(),
    "zero-width-id": refused((f"{EV}:3", "has characters that calendar ids cannot use")),
    # --- YAML bombs
    "yaml-nine-levels": refused((f"{EV}:3", "YAML anchors and aliases (&name, *name) are not allowed")),
    "yaml-anchor-alone": refused((f"{EV}:2", "YAML anchors and aliases (&name, *name) are not allowed")),
    "yaml-alias-undefined": refused((f"{EV}:2", "YAML anchors and aliases (&name, *name) are not allowed")),
    "yaml-merge-key": refused((f"{EV}:2", '"<<" is not a field of an event')),
    "yaml-python-tag": refused((f"{EV}:2", "YAML tags (!!int, !!binary…) are not allowed")),
    "yaml-custom-tag": refused((f"{EV}:2", "YAML tags (!!int, !!binary…) are not allowed")),
    "yaml-binary-tag": refused((f"{EV}:2", "")),
    "yaml-int-tag-hex": refused((f"{EV}:4", "")),
    "yaml-timestamp-tag-invalid": refused((f"{EV}:2", "")),
    "yaml-duplicate-key": refused((f"{EV}:3", 'field "title" appears twice')),
    "yaml-nesting-100": refused((f"{EV}:5", "nested too deeply")),
    "yaml-nesting-100-block": refused((f"{EV}:11", "nested too deeply")),  # the first node too deep
    "yaml-many-values": refused((f"{EV}:5", "more than the 100 a list may have")),
    # "..." ends the front matter too: what follows it is body text, not a second set of fields.
    "yaml-document-end-marker": Safe(present=(("events/2024-06-01-hostile/index.html", "title: Second document"),)),
    "yaml-50mb-front-matter": refused(
        ("content/events/2024-06-01-huge.md", "more than the 1024 KiB a content file may have")
    ),
    "yaml-2mb-body": refused(("content/pages/huge.md", "more than the 1024 KiB a content file may have")),
    "yaml-60k-title": refused(("content/pages/long-title.md:2", "more than the 1,000 it may have")),
    "yaml-nesting-1000": refused((f"{EV}:5", "nested too deeply")),
    "yaml-nesting-30000": refused(("content/events/2024-06-01-deep.md:2", "nested too deeply")),
    # --- extreme dates and values
    "year-0001": refused((f"{EV}:4", "is not between the years 1900 and 2200")),
    "year-1899": refused((f"{EV}:4", "is not between the years 1900 and 2200")),
    "year-2201": refused((f"{EV}:4", "is not between the years 1900 and 2200")),
    "year-9999": refused((f"{EV}:4", "is not between the years 1900 and 2200")),
    "year-9999-end": refused((f"{EV}:6", "is not between the years 1900 and 2200")),
    "story-year-9999": refused((f"{ST}:4", "is not between the years 1900 and 2200")),
    "year-month-only-2201": refused((f"{EV}:4", "is not between the years 1900 and 2200")),
    "duration-1e11-days": refused((f"{EV}:6", "is longer than 400 days")),
    "duration-401-days": refused((f"{EV}:6", "is longer than 400 days")),
    "duration-1e400-minutes": refused((f"{EV}:6", "is not a duration")),
    "duration-huge-decimal": refused((f"{EV}:6", "more than the 100 it may have")),
    "duration-tiny": refused((f"{EV}:6", "duration")),
    "duration-many-parts": refused((f"{EV}:6", "more than the 100 it may have")),
    "end-before-start-days": refused((f"{EV}:6", "is before the start")),
    "end-before-start-timed": refused((f"{EV}:6", "is not after the start")),
    "end-401-days": refused((f"{EV}:6", "is more than 400 days after the start")),
    "ambiguous-wall-time": refused((f"{EV}:4", "happens twice in America/New_York")),
    "ambiguous-with-offset": Safe(
        present=(("events/2024-06-01-hostile/index.html", 'datetime="2025-11-02T05:30:00Z"'),)
    ),
    "ambiguous-with-wrong-offset": refused((f"{EV}:4", "is not at UTC offset -03:00")),
    "end-in-skipped-hour": refused((f"{EV}:6", "does not exist in America/New_York")),
    "start-in-skipped-hour": refused((f"{EV}:4", "does not exist in America/New_York")),
    "offset-out-of-range": refused((f"{EV}:4", "has an offset that no place uses")),
    "episode-10-to-30": refused((f"{EV}:4", "a number has more than 9 digits")),
    "episode-5000-digits": refused((f"{EV}:4", "")),
    "goal-order-5000-digits": refused(("content/goals/2-hostile.md:3", "")),
    # Python's \d and int() read any script's digits: "２０２４-０６-０１" is 1 June 2024. Harmless.
    "fullwidth-digits-date": refused((f"{EV}:4", 'start "２０２４-０６-０１" is not a date')),
    # --- drafts: built, and nothing of the draft is published
    "draft-story": Safe(absent=ZEBRA),
    "draft-page": Safe(absent=ZEBRA),
    "draft-event": Safe(absent=ZEBRA),
    "draft-series": Safe(absent=ZEBRA),
    "draft-goal": Safe(absent=ZEBRA),
    "draft-event-linked-from-goal": refused(
        ("content/goals/2-hostile.md:5", '"2024-06-01-hostile" is not the name of any of the site\'s events')
    ),
    "draft-page-linked-from-page": Safe(absent=ZEBRA),
    # --- generated at run time (GENERATED)
    # A link or a pipe anywhere in content/ stops the build before anything is read: Pelican's walk would follow it.
    "symlink-image-git-config": refused(("content/images/x.png", "is a symbolic link")),
    "symlink-image-passwd": refused(("content/images/x.png", "is a symbolic link")),
    "symlink-folder-pages": refused(("content/pages", "is a symbolic link")),
    "symlink-folder-images": refused(("content/images", "is a symbolic link")),
    "symlink-folder-images-root": refused(("content/images", "is a symbolic link")),
    "symlink-folder-events-root": refused(("content/events", "is a symbolic link")),
    "symlink-md-outside": refused(("content/events/2024-06-01-linked.md", "is a symbolic link")),
    "symlink-md-inside": refused(("content/pages/copy.md", "is a symbolic link")),
    "symlink-loop": refused(("content/images/loop", "is a symbolic link")),
    "symlink-dangling": refused(("content/images/x.png", "is a symbolic link")),
    "image-oversized": refused(("content/images/big.png", "more than the 2048 KiB allowed")),
    # A name's line break or escape is shown as \x0a or \x1b: a sentence stays one line and clears no terminal.
    "file-name-newline": refused(("content/events/2024-06-01-x\\x0aEVIL.md:1", "can only have lower-case letters")),
    "file-name-escape": refused(("content/events/2024-06-01-\\x1b[2J.md:1", "can only have lower-case letters")),
    "file-name-invalid-utf8": refused(("content/events/2024-06-01-\udcff.md:1", "can only have lower-case letters")),
    "fifo-in-content": refused(("content/events/2024-06-01-pipe.md", "is not a regular file")),
}

# Cases that do not behave yet: case -> what goes wrong. Each is xfail(strict=True). Where the
# right sentence's words are the fixer's choice, EXPECTED names only its file and line.
BUGS: dict[str, str] = {}
# Bugs that kill the process: built in a child process. Bugs that hang: a short timeout.
# Both are left out of the whole-corpus run of check while they are in BUGS.
CRASHES = {"yaml-nesting-30000"}
HANGS = {"fifo-in-content", "symlink-folder-images-root", "symlink-folder-events-root"}
HANG_TIMEOUT = 2


# ------------------------------------------------------------------ cases made at run time


def _link(link: Path, target: str | Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    os.symlink(target, link)


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def _image_link(target: str | Path):
    def make(content: Path, root: Path) -> None:
        _link(content / "images/x.png", target)
        _write(content / "pages/hostile.md", IMAGE_PAGE)

    return make


def _outside_event(content: Path, root: Path) -> None:
    outside = root / "outside-event.md"
    _write(outside, VALID_EVENT.replace("Hostile event", "Outside Zebra Event"))
    _link(content / "events/2024-06-01-linked.md", outside)


def _oversized_image(content: Path, root: Path) -> None:
    _write(content / "images/big.png", PNG_HEADER + b"\0" * (2 * 1024 * 1024 + 1))


def _huge_front_matter(content: Path, root: Path) -> None:
    line = b"x" * 99 + b"\n"
    with open(content / "events/2024-06-01-huge.md", "wb") as file:
        file.write(b"---\ntitle: Huge\nsessions:\n  - start: 2024-06-01\nsummary: |\n")
        for _ in range(50 * 1024 * 1024 // (100 * 1024)):
            file.write((b"  " + line) * 1024)
        file.write(b"---\n")


def _huge_body(content: Path, root: Path) -> None:
    _write(content / "pages/huge.md", "---\ntitle: Huge\n---\n" + ("Lorem ipsum dolor sit amet. " * 36 + "\n\n") * 2000)


def _long_title(content: Path, root: Path) -> None:
    _write(content / "pages/long-title.md", "---\ntitle: " + "Long " * (60 * 1024 // 5) + "\n---\nText.\n")


def _deep_nesting(content: Path, root: Path) -> None:
    _write(
        content / "events/2024-06-01-deep.md",
        "---\nx: " + "[" * 30000 + "]" * 30000 + "\ntitle: Deep\nsessions:\n  - start: 2024-06-01\n---\n",
    )


def _named(name: str | bytes):
    def make(content: Path, root: Path) -> None:
        folder = os.fsencode(content / "events")
        with open(folder + b"/" + (name if isinstance(name, bytes) else name.encode("utf-8")), "wb") as file:
            file.write(VALID_EVENT.encode("utf-8"))

    return make


def _fifo(content: Path, root: Path) -> None:
    os.mkfifo(content / "events/2024-06-01-pipe.md")


GENERATED = {
    "symlink-image-git-config": _image_link(ROOT / ".git" / "config"),
    "symlink-image-passwd": _image_link("/etc/passwd"),
    "symlink-folder-pages": lambda content, root: _link(content / "pages", "/etc"),
    "symlink-folder-images": lambda content, root: _link(content / "images", "/etc"),
    "symlink-folder-images-root": lambda content, root: _link(content / "images", "/"),
    "symlink-folder-events-root": lambda content, root: _link(content / "events", "/"),
    "symlink-md-outside": _outside_event,
    "symlink-md-inside": lambda content, root: _link(content / "pages/copy.md", "about.md"),
    "symlink-loop": lambda content, root: _link(content / "images/loop", ".."),
    "symlink-dangling": lambda content, root: _link(content / "images/x.png", "does-not-exist.png"),
    "image-oversized": _oversized_image,
    "yaml-50mb-front-matter": _huge_front_matter,
    "yaml-2mb-body": _huge_body,
    "yaml-60k-title": _long_title,
    "yaml-nesting-30000": _deep_nesting,
    "file-name-newline": _named("2024-06-01-x\nEVIL.md"),
    "file-name-escape": _named("2024-06-01-\x1b[2J.md"),
    "file-name-invalid-utf8": _named(b"2024-06-01-\xff.md"),
    "fifo-in-content": _fifo,
}


def prepare(case: str, root: Path) -> Path:
    """The case's content folder in root/content, laid over BASE_SITE, with bait outside it."""
    content = root / "content"
    write_files(content, BASE_SITE)
    if (CORPUS / case / "content").is_dir():
        shutil.copytree(CORPUS / case / "content", content, dirs_exist_ok=True, symlinks=True)
    if case in GENERATED:
        GENERATED[case](content, root)
    _write(root / BAIT_NAME, BAIT)
    return content


# ------------------------------------------------------------------ the scan of a built site

BAIT_NAME = "bait-outside-content.txt"
BAIT = f"bait {secrets.token_hex(16)}: a file beside content/ that no build may publish\n"
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "srcset",
    "ping",
    "manifest",
    "icon",
    "codebase",
    "longdesc",
    "usemap",
    "lowsrc",
    "dynsrc",
    "srcdoc",
    "content",
}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN_TAGS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "svg",
    "math",
    "noscript",
    "plaintext",
    "xmp",
    "template",
    "style",
    "portal",
}
THEME_SCRIPTS = frozenset(
    re.findall(
        r'<script src="\{\{ ROOT_SITEURL \}\}(/[^"]+)"',
        "".join(p.read_text() for p in (THEME / "templates").rglob("*.html")),
    )
)
ICS_URL_PROPERTIES = ("URL", "ATTACH", "SOURCE", "TZURL", "CONFERENCE", "IMAGE")


def _outside_files() -> dict[str, str]:
    """sha256 -> name, for files outside any content folder that a build must never publish."""
    names = [
        Path("/etc/passwd"),
        Path("/etc/hosts"),
        Path("/etc/hostname"),
        ROOT / ".git" / "config",
        ROOT / "tasks.py",
        ROOT / "pelicanconf.py",
    ]
    return {hashlib.sha256(p.read_bytes()).hexdigest(): str(p) for p in names if p.is_file()}


OUTSIDE_FILES = _outside_files()


def _bad_url(value: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", value).lower()
    if cleaned.startswith(BAD_SCHEMES):
        return True
    return "url=" in cleaned and any(f"url={s}" in cleaned or f"url='{s}" in cleaned for s in BAD_SCHEMES)


def _json_ld_block(tag) -> bool:
    """A schema.org data block (jsonld.py): browsers never run it, and its whole text must parse as JSON."""
    if tag.get("type") != "application/ld+json" or tag.get("src") is not None:
        return False
    try:
        json.loads(tag.get_text())
    except ValueError:
        return False
    return True


def _scan_html(soup: BeautifulSoup, where: str, scripts_allowed: bool) -> list[str]:
    problems = []
    for tag in soup.find_all(True):
        if tag.name in FORBIDDEN_TAGS:
            problems.append(f"{where}: <{tag.name}>")
        if tag.name == "meta" and tag.get("http-equiv") and tag["http-equiv"].lower() != "content-security-policy":
            problems.append(f"{where}: <meta http-equiv={tag['http-equiv']}>")
        if tag.name == "script" and not (scripts_allowed and _json_ld_block(tag)):
            if not scripts_allowed or tag.get("src") not in THEME_SCRIPTS or tag.get_text().strip():
                problems.append(f"{where}: {str(tag)[:120]}")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or name.lower() in ("style", "srcdoc"):
                problems.append(f"{where}: {name}= on <{tag.name}>")
            if name.lower() in URL_ATTRIBUTES and _bad_url(value):
                problems.append(f"{where}: {name}={value[:60]!r} on <{tag.name}>")
    return problems


def _ics_lines(data: bytes, where: str, problems: list[str]) -> list[str]:
    text = data.decode("utf-8")
    if not text.endswith("\r\n"):
        problems.append(f"{where}: does not end with CRLF")
    physical = text[:-2].split("\r\n")
    for line in physical:
        if "\r" in line or "\n" in line:
            problems.append(f"{where}: a bare CR or LF in {line[:60]!r}")
    logical: list[str] = []
    for line in physical:
        if line[:1] in (" ", "\t") and logical:
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def _scan_ics(data: bytes, where: str) -> list[str]:
    problems: list[str] = []
    lines = _ics_lines(data, where, problems)
    depth = []
    for line in lines:
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        if name == "BEGIN":
            depth.append(line.split(":", 1)[1])
        elif name == "END":
            if not depth or depth.pop() != line.split(":", 1)[1]:
                problems.append(f"{where}: unbalanced {line!r}")
        if name.startswith("X-INJECTED") or name == "ATTACH" or "X-INJECTED" in name:
            problems.append(f"{where}: injected property {line[:60]!r}")
        if name in ICS_URL_PROPERTIES and ":" in line and _bad_url(line.split(":", 1)[1]):
            problems.append(f"{where}: {line[:80]!r}")
        if "\x1b" in line or re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line):
            problems.append(f"{where}: a control character in {line[:60]!r}")
    if depth:
        problems.append(f"{where}: unclosed {depth}")
    return problems


def _sources(content: Path | None) -> dict[str, str]:
    """sha256 -> name of each content file but the images, which are the only files published as they are."""
    found = {}
    for folder, _, files in os.walk(content or "/nonexistent"):
        for name in files:
            full = Path(folder, name)
            if full.is_file() and not full.is_symlink() and full.relative_to(content).parts[0] != "images":
                found[hashlib.sha256(full.read_bytes()).hexdigest()] = str(full.relative_to(content.parent))
    return found


def scan_output(output: Path, content: Path | None = None) -> list[str]:
    """Everything unsafe in a built site, as short descriptions; [] when it is safe."""
    problems: list[str] = []
    if not output.exists():
        return problems
    copies = {**_sources(content), **OUTSIDE_FILES}
    root = os.path.realpath(output)
    for folder, subfolders, files in os.walk(output):
        for name in subfolders + files:
            full = os.path.join(folder, name)
            where = os.path.relpath(full, output)
            if os.path.islink(full):
                problems.append(f"{where}: a symbolic link (to {os.readlink(full)})")
                continue
            if os.path.commonpath([root, os.path.realpath(full)]) != root:
                problems.append(f"{where}: outside output/")
            if name in subfolders:
                continue
            data = Path(full).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest in copies:
                problems.append(f"{where}: a copy of {copies[digest]}")
            if BAIT.encode() in data or b"root:x:0:0:" in data or b"[core]\n\trepositoryformatversion" in data:
                problems.append(f"{where}: holds the bytes of a file from outside the content folder")
            if name.endswith(".html"):
                problems += _scan_html(BeautifulSoup(data.decode("utf-8"), "html.parser"), where, scripts_allowed=True)
            elif name.endswith((".atom", ".xml", ".rss")):
                with warnings.catch_warnings():  # html.parser reads the feed's escaped HTML as text, as wanted
                    warnings.simplefilter("ignore")
                    feed = BeautifulSoup(data.decode("utf-8"), "html.parser")
                problems += _scan_html(feed, where, scripts_allowed=False)
                for element in feed.find_all(["content", "summary"]):
                    problems += _scan_html(
                        BeautifulSoup(element.get_text(), "html.parser"),
                        f"{where} <{element.name}>",
                        scripts_allowed=False,
                    )
            elif name.endswith(".ics"):
                problems += _scan_ics(data, where)
    for relative in ("theme/js/local-time.js", "theme/css/site.css"):
        built = output / relative
        source = (THEME / "static" / relative.removeprefix("theme/")).read_text(encoding="utf-8")
        published = MINIFIERS[Path(relative).suffix](source)  # the theme's own file, as the build minifies it
        if built.exists() and built.read_text(encoding="utf-8") != published:
            problems.append(f"{relative}: differs from the theme's own file")
    return problems


def _snapshot(root: Path) -> dict[str, tuple]:
    """Every path under root but output/ and cache/, with what it is, without following links."""
    found = {}
    for folder, subfolders, files in os.walk(root):
        if folder == str(root):
            subfolders[:] = [d for d in subfolders if d not in ("output", "cache")]
        for name in subfolders + files:
            full = os.path.join(folder, name)
            info = os.lstat(full)
            link = os.readlink(full) if os.path.islink(full) else None
            found[os.path.relpath(full, root)] = (
                info.st_mode,
                info.st_size if not os.path.isdir(full) else 0,
                info.st_mtime_ns if not os.path.isdir(full) else 0,
                link,
            )
    return found


class BuildHung(Exception):
    """Raised into a build that runs too long; not an OSError, which os.walk would swallow."""


_timer = {"fired": False}


def _alarm(signum, frame):
    _timer["fired"] = True
    raise BuildHung("the build did not finish in time")


@dataclass
class Outcome:
    errors: list[str] | None  # None: the site was built
    problems: list[str]  # from scan_output, and writes outside output/
    output: Path


def build_case(case: str, root: Path, timeout: int = BUILD_TIMEOUT) -> Outcome:
    """Prepare and build one case in root; refusals and safe builds alike are checked for harm."""
    content = prepare(case, root)
    output = root / "output"
    before, siblings = _snapshot(root), sorted(os.listdir(root.parent))
    repo_before = sorted(os.listdir(ROOT))
    previous = signal.signal(signal.SIGALRM, _alarm)
    _timer["fired"] = False
    signal.setitimer(signal.ITIMER_REAL, timeout)  # once: a timer left running would interrupt pytest itself
    errors = None
    try:
        run_pelican(content, output)
    except ContentErrors as raised:
        errors = [str(error) for error in raised.errors]
    except BuildHung:  # kept as a finding, not raised: its traceback can have frames without a line
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    problems = [f"the build hung: stopped after {timeout} s"] if _timer["fired"] else []
    problems += scan_output(output, content)
    after = _snapshot(root)
    if after != before:
        changed = sorted(set(after.items()) ^ set(before.items()))
        problems.append(f"written outside output/: {changed[:5]}")
    if sorted(os.listdir(root.parent)) != siblings:
        problems.append(f"written beside the case's folder: {sorted(set(os.listdir(root.parent)) - set(siblings))}")
    if sorted(os.listdir(ROOT)) != repo_before:
        problems.append(f"written into the repository: {sorted(set(os.listdir(ROOT)) ^ set(repo_before))}")
    return Outcome(errors, problems, output)


# ------------------------------------------------------------------ the tests


def _case_params(cases=EXPECTED) -> list:
    params = []
    for case in sorted(cases):
        marks = [pytest.mark.xfail(strict=True, reason=BUGS[case])] if case in BUGS else []
        params.append(pytest.param(case, marks=marks, id=case))
    return params


def test_every_case_in_the_corpus_is_listed(corpus_check):
    assert sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) == sorted(EXPECTED)
    for case in EXPECTED:
        has_content, has_note = (CORPUS / case / "content").is_dir(), (CORPUS / case / "generated.txt").is_file()
        assert has_content or (case in GENERATED and has_note), case
        assert (case in GENERATED) == has_note, case


def test_the_scan_finds_what_it_looks_for(tmp_path):
    """scan_output itself, on a made-up site with one harm in each file."""
    output = tmp_path / "output"
    write_files(
        output,
        {
            "clean.html": (
                '<p><a href="https://example.org/" rel="noopener">x</a></p>'
                '<script src="/theme/js/local-time.js" defer></script>'
            ),
            "onerror.html": "<p><img src=x onerror=alert(1)></p>",
            "tab-javascript.html": '<a href=" java\tscript:alert(1)">x</a>',
            "data-image.html": '<img src="data:image/svg+xml,x">',
            "inline-script.html": "<script>alert(1)</script>",
            "other-script.html": '<script src="/images/x.js"></script>',
            "refresh.html": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
            "iframe.html": '<iframe src="https://evil.example/"></iframe>',
            "style.html": '<p style="color:red">x</p>',
            "feed.atom": (
                '<feed><entry><content type="html">&lt;img src=x onerror=alert(1)&gt;</content></entry></feed>'
            ),
            "injected.ics": "BEGIN:VCALENDAR\r\nX-INJECTED:yes\r\nEND:VCALENDAR\r\n",
            "bare-lf.ics": "BEGIN:VCALENDAR\r\nSUMMARY:a\nb\r\nEND:VCALENDAR\r\n",
            "bait.txt": BAIT,
        },
    )
    shutil.copyfile("/etc/passwd", output / "passwd-copy.txt")
    os.symlink("/etc/hostname", output / "link.txt")
    write_files(tmp_path / "content", {"pages/source.md": "---\ntitle: Source\n---\nText.\n"})
    shutil.copyfile(tmp_path / "content/pages/source.md", output / "source-copy.md")
    problems = scan_output(output, tmp_path / "content")
    assert "/theme/js/local-time.js" in THEME_SCRIPTS
    for name in (
        "onerror",
        "tab-javascript",
        "data-image",
        "inline-script",
        "other-script",
        "refresh",
        "iframe",
        "style",
        "feed.atom",
        "injected",
        "bare-lf",
        "bait",
        "passwd-copy",
        "link",
        "source-copy",
    ):
        assert any(p.startswith(name) for p in problems), (name, problems)
    assert not any(p.startswith("clean") for p in problems), problems


def _assert_one_line_sentence(error: str) -> None:
    assert error.startswith("content/"), error
    assert "\n" not in error and "\r" not in error and "Traceback" not in error, error
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", error), repr(error)
    assert "; " in error, error
    assert "please report this" not in error, error


CHILD = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    sys.path[:0] = [sys.argv[1]]
    import conftest, test_hostile
    outcome = test_hostile.build_case(sys.argv[2], Path(sys.argv[3]))
    print(json.dumps({"errors": outcome.errors, "problems": outcome.problems}))
""")


def _build_in_child(case: str, root: Path) -> Outcome:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(Path(__file__).parent), case, str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"the build process died (exit {done.returncode}): {done.stderr[-1000:]}"
    result = json.loads(done.stdout.splitlines()[-1])
    return Outcome(result["errors"], result["problems"], root / "output")


def _path_of(location: str) -> str:
    return re.sub(r":\d+$", "", location)


@pytest.mark.parametrize("case", _case_params())
def test_hostile_case(tmp_path, case):
    expected = EXPECTED[case]
    root = tmp_path / "site"
    if case in CRASHES:
        outcome = _build_in_child(case, root)
    else:
        outcome = build_case(case, root, timeout=HANG_TIMEOUT if case in HANGS else BUILD_TIMEOUT)
    assert outcome.problems == [], outcome.problems
    if isinstance(expected, Refused):
        assert outcome.errors is not None, f"{case} was built; expected {expected.errors}"
        for error in outcome.errors:
            _assert_one_line_sentence(error)
        unmatched = list(outcome.errors)
        for location, words in expected.errors:
            match = next((e for e in unmatched if e.startswith(location + ":") and words in e), None)
            assert match, f"no error {location}: ...{words}... in {outcome.errors}"
            unmatched.remove(match)
        # A second sentence about a file already named is tolerated (the inventory and the reader
        # may both see a link); a sentence about any other file is not.
        named = {_path_of(location) for location, _ in expected.errors}
        others = [e for e in unmatched if not any(e.startswith(path + ":") for path in named)]
        assert others == [], f"{len(others)} unexpected errors, such as {others[:3]}"
    else:
        assert outcome.errors is None, outcome.errors
        texts = {p: p.read_bytes().decode("utf-8", "replace") for p in outcome.output.rglob("*") if p.is_file()}
        # Share cards are PNGs the build draws, whose compressed bytes may hold any byte value.
        drawn = {p for p in texts if p.name.startswith("share-") and p.suffix == ".png"}
        for word in expected.absent:
            found = [str(p.relative_to(outcome.output)) for p, text in texts.items() if word in text and p not in drawn]
            assert not found, word
        for relative, words in expected.present:
            assert words in texts[outcome.output / relative], (relative, words)


# ------------------------------------------------------------------ the check task, as contributors run it

REPRESENTATIVE = (
    "xss-noscript-title",
    "symlink-image-passwd",
    "yaml-nine-levels",
    "attach-etc-passwd",
    "crlf-join-quoted",
    "ds-store",
    "file-name-newline",
)
SUMMARY_LINE = re.compile(r"the site was not built because of (\d+) content errors?:")


@pytest.mark.parametrize("case", _case_params(REPRESENTATIVE))
def test_check_task_refuses_in_one_sentence_per_error(tmp_path, case):
    content = prepare(case, tmp_path / "site")
    done = subprocess.run(
        [sys.executable, str(ROOT / "tasks.py"), "check", "--path", str(content)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output and "please report this" not in output, output
    lines = done.stderr.splitlines()
    (start,) = [i for i, line in enumerate(lines) if SUMMARY_LINE.search(line)]
    count = int(SUMMARY_LINE.search(lines[start])[1])
    sentences = [line for line in lines[start + 1 :] if line.strip()]
    assert len(sentences) == count == len(EXPECTED[case].errors), output
    for sentence in sentences:
        _assert_one_line_sentence(sentence)
    for location, words in EXPECTED[case].errors:
        assert any(s.startswith(location + ":") and words in s for s in sentences), (location, words, sentences)


LOOP = textwrap.dedent("""
    import os, sys
    os.chdir(sys.argv[1])
    sys.path.insert(0, sys.argv[1])
    import tasks
    from invoke import Context, Exit
    for path in sys.argv[2:]:
        print("=== case " + path, flush=True)
        try:
            tasks.check(Context(), path=path)
            code = 0
        except Exit as stop:
            print(stop.message, file=sys.stderr, flush=True)
            code = stop.code
        print("=== exit " + str(code), flush=True)
""")


class CorpusCheck:
    """The whole corpus through the check task's code path, in one background process."""

    def __init__(self, base: Path):
        # A case whose bug kills or hangs the process would stop the run for every case after it.
        self.cases = sorted(case for case in EXPECTED if not (case in BUGS and case in CRASHES | HANGS))
        paths = [str(prepare(case, base / case)) for case in self.cases]
        self.log = base / "check.log"
        self.file = open(self.log, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-c", LOOP, str(ROOT), *paths], stdout=self.file, stderr=subprocess.STDOUT, cwd=ROOT
        )

    def result(self) -> str:
        try:
            self.process.wait(timeout=300)
        finally:
            self.stop()
        return self.log.read_text(encoding="utf-8", errors="backslashreplace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.file.close()


@pytest.fixture(scope="module")
def corpus_check(tmp_path_factory):
    """Started by the first test of this file, so that it runs beside the in-process builds (2 cores)."""
    run = CorpusCheck(tmp_path_factory.mktemp("corpus"))
    yield run
    run.stop()


def test_whole_corpus_through_check_never_shows_a_traceback(corpus_check):
    output = corpus_check.result()
    assert corpus_check.process.returncode == 0, output[-3000:]
    at = output.find("Traceback")
    assert at == -1, output[max(0, at - 2000) : at + 3000]
    assert "please report this" not in output or all(
        case in BUGS for case in _cases_saying(output, "please report this")
    ), _cases_saying(output, "please report this")
    codes = {}
    case = None
    for line in output.splitlines():
        if line.startswith("=== case "):
            case = Path(line.removeprefix("=== case ")).parent.name
        elif line.startswith("=== exit ") and case:
            codes[case] = int(line.removeprefix("=== exit "))
    assert sorted(codes) == corpus_check.cases
    wrong = {
        case: code
        for case, code in codes.items()
        if case not in BUGS and code != (0 if isinstance(EXPECTED[case], Safe) else 1)
    }
    assert wrong == {}, wrong


def _cases_saying(output: str, words: str) -> list[str]:
    """The cases of the whole-corpus run whose output has these words."""
    found, case = [], None
    for line in output.splitlines():
        if line.startswith("=== case "):
            case = Path(line.removeprefix("=== case ")).parent.name
        elif words in line and case not in found:
            found.append(case)
    return found
