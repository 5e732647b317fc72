"""Community events: typed events and sessions shown in many time zones, series and goals.

Modules, one job each:

- ``frontmatter``: split a file into YAML front matter (with line numbers) and body, within limits.
- ``model``: events, sessions, series, goals, stories and pages, and the checks that make them
  valid; ``parse_file`` is the one reading path.
- ``inventory``: which files may be under content/ (Markdown in its folders, images by their bytes).
- ``safety``: the HTML allowlist (nh3) for bodies and summaries.
- ``links``: links into the site ({static} to allowed images, {filename} to content files).
- ``outputs``: every output path claimed once, inside OUTPUT_PATH; the checked writer.
- ``zones``: accepted zone names and multi-zone formatting (pure functions).
- ``display``: what templates show, as Jinja filters bound to the site's options.
- ``reader``: the only Pelican reader: Markdown with front matter.
- ``generators``: Pelican generators that read, link and write events and goals.
- ``options``: the ``COMMUNITY_EVENTS`` settings dict and its documented defaults.
- ``errors``: one-sentence content errors, collected per build.
"""

from .plugin import register

__all__ = ["register"]
