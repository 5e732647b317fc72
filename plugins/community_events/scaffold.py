"""New content files from a contributor's answers (`invoke new-event`, `invoke new-story`).

The file name follows the group's convention (``YYYY-MM-DD-a-few-words.md``);
every text value is written in double quotes, so a colon, a # or a leading
quote in an answer can never change the YAML. The result is read by
``model.parse_file``, the build's own reading path, before it is written, so
a scaffolded file always passes `invoke check`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date

from . import model

SLUG_WORDS = 6
# Several languages in one answer ("es, en"), as new-event and the proposal form take them.
ANSWER_SEPARATORS = re.compile(r"\s*[,;]\s*")


def slugify(title: str) -> str:
    """A few lower-case ASCII words from a title: "AI Salon: Wikidata!" -> "ai-salon-wikidata"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    return "-".join(words[:SLUG_WORDS]) or "untitled"


def _quoted(value: str) -> str:
    # A JSON string is a valid YAML double-quoted string.
    return json.dumps(value.strip(), ensure_ascii=False)


def _lines(fields: list[tuple[str, object]], indent: str = "") -> list[str]:
    lines = []
    for name, value in fields:
        if value in (None, "", (), []) or value is False:
            continue
        if isinstance(value, bool):
            lines.append(f"{indent}{name}: {'true' if value else 'false'}")
        elif isinstance(value, (list, tuple)):
            lines.append(f"{indent}{name}:")
            lines += [f"{indent}  - {_quoted(str(item))}" for item in value]
        else:
            lines.append(f"{indent}{name}: {_quoted(str(value))}")
    return lines


def _checked(kind: str, name: str, text: str) -> tuple[str, str]:
    """The file as the build will read it, through the same checks; raises ContentError."""
    model.parse_file(f"content/{kind}/{name}", text.encode("utf-8"), kind)
    return name, text


def event_file(
    title: str,
    start: str,
    timezone: str = "",
    end: str = "",
    duration: str = "",
    platform: str = "",
    place: str = "",
    join: str = "",
    series: str = "",
    status: str = "scheduled",
    summary: str = "",
    registration: str = "",
    hosts: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    time_tba: bool = False,
    language: str = "",
    country: str = "",
) -> tuple[str, str]:
    """(file name, text) of a one-session event; raises ContentError if the answers do not check.

    ``language``: one code, or several separated by commas ("es, en"), written as a list.
    """
    languages = [part for part in ANSWER_SEPARATORS.split(language.strip()) if part]
    stem = f"{start.strip()[:10]}-{slugify(title)}" if re.match(r"^\d{4}-\d{2}", start.strip()) else slugify(title)
    head = _lines(
        [
            ("title", title),
            ("series", series),
            ("status", status),
            ("summary", summary),
            ("hosts", list(hosts)),
            ("registration", registration),
            ("tags", list(tags)),
            ("language", languages if len(languages) > 1 else "".join(languages)),
            ("country", country),
        ]
    )
    session = _lines(
        [
            ("start", start),
            ("timezone", timezone),
            ("end", end),
            ("duration", duration),
            ("time_tba", time_tba),
            ("platform", platform),
            ("place", place),
            ("join", join),
        ],
        indent="    ",
    )
    session[0] = "  - " + session[0].lstrip()
    body = "Describe the event here: what it is about, who it is for, and the agenda.\n"
    text = "\n".join(["---", *head, "sessions:", *session, "---", body])
    return _checked("events", f"{stem}.md", text)


def story_file(
    title: str,
    author: str,
    day: str = "",
    summary: str = "",
    library: str = "",
    country: str = "",
    featured: str = "",
    tags: tuple[str, ...] = (),
) -> tuple[str, str]:
    """(file name, text) of a story dated ``day`` (today if empty); raises ContentError if it does not check."""
    day = day.strip() or date.today().isoformat()
    head = _lines(
        [
            ("title", title),
            ("date", day),
            ("author", author),
            ("summary", summary),
            ("featured", featured),
            ("library", library),
            ("country", country),
            ("tags", list(tags)),
        ]
    )
    body = "Tell the story here. Who did what, with which library collection, and what came of it?\n"
    text = "\n".join(["---", *head, "---", body])
    return _checked("stories", f"{day}-{slugify(title)}.md", text)
