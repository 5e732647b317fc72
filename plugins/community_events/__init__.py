"""Community events: typed events and sessions shown in many time zones, series and goals.

Modules, one job each:

- ``frontmatter``: split a file into YAML front matter (with line numbers) and body.
- ``model``: events, sessions, series and goals, and the checks that make them valid.
- ``zones``: accepted zone names and multi-zone formatting (pure functions).
- ``display``: what templates show, as Jinja filters bound to the site's options.
- ``reader``: the Pelican reader for Markdown with front matter.
- ``generators``: Pelican generators that read, link and write events and goals.
- ``options``: the ``COMMUNITY_EVENTS`` settings dict and its documented defaults.
- ``errors``: one-sentence content errors, collected per build.
"""

from .plugin import register

__all__ = ["register"]
