"""The built site before it is published: links inside it lead somewhere, and its feeds are well formed.

Run on ``output/`` after ``tasks.py publish``::

    python3 tasks.py linkcheck [--format github]

or as a script: ``python3 plugins/community_events/linkcheck.py output [--format github]``.

Links: every ``href``, ``src`` and ``srcset`` in the HTML pages, the ``<link href>`` of
the Atom feed, the ``<loc>`` of the sitemap and the ``URL`` and ``SOURCE`` of the
calendar feeds that point into the site (starting with SITEURL, its ``webcal://``
twin, ``/`` or a relative path) must name a file in ``output/`` (a folder stands for
its ``index.html``, as GitHub Pages serves it), and a ``#fragment`` into a page must
be an ``id`` on that page. Links to other sites are not fetched.

Feeds: every ``.ics`` file is checked against RFC 5545's structure without a
calendar library (that is a test dependency; this stays standard library only, so
the content-only pull request check installs nothing more): UTF-8, every line ended
by CRLF, no physical line over 75 octets and none folded inside a UTF-8 character,
no control characters but HTAB, every unfolded line ``NAME[;PARAM=…]:value``,
BEGIN/END balanced and nested, one VCALENDAR with VERSION and PRODID, and UID and
DTSTAMP in every VEVENT.

SITEURL is the address the build used: by default what ``publishconf.py`` says
(it reads the ``SITEURL`` environment variable, as ``tasks.py publish`` does);
``--siteurl`` overrides it. This module imports nothing from the plugin, so the
file runs as a script with any Python 3.11.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import runpy
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

PAGE_SUFFIXES = (".html", ".htm")
XML_SUFFIXES = (".xml", ".atom")
MAX_OCTETS = 75
# RFC 5545 CONTROL: %x00-08 / %x0A-1F / %x7F (HTAB is allowed; CR and LF only as line ends).
CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
NAME = r"[A-Za-z0-9-]+"
PARAMETER_VALUE = r'(?:"[^"\x00-\x1f\x7f]*"|[^";:,\x00-\x1f\x7f]*)'
CONTENT_LINE = re.compile(
    rf"(?P<name>{NAME})(?:;{NAME}={PARAMETER_VALUE}(?:,{PARAMETER_VALUE})*)*:(?P<value>.*)", re.DOTALL
)
ICS_LINK_PROPERTIES = ("URL", "SOURCE")
REQUIRED = {"VCALENDAR": ("VERSION", "PRODID"), "VEVENT": ("UID", "DTSTAMP")}
# Shown quoted in a problem; a link is cut at this length.
SHOWN = 120


@dataclass(frozen=True, order=True)
class Problem:
    """One broken link or malformed feed line: a file in output/, its line, and what is wrong."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return _printable(f"{self.path}:{self.line}: {self.message}")

    def github(self) -> str:
        """A GitHub workflow command, so the problem is an annotation on the run."""
        return (
            f"::error file={_escape_property(_printable(self.path))},line={self.line},title=Built site"
            f"::{_escape_data(_printable(self.message))}"
        )


def _printable(text: str) -> str:
    """One line: a character that is not printable (a line break from a broken feed) is shown as an escape."""
    return "".join(
        char if char.isprintable() else f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}"
        for char in text
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _shown(text: str) -> str:
    text = _printable(text)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


class _Page(HTMLParser):
    """The links (with their lines) and the fragment targets of one HTML or XML file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self._in_loc = False

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append((line, value))
            elif name == "srcset":
                self.links += [(line, candidate.split()[0]) for candidate in value.split(",") if candidate.strip()]
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
        self._in_loc = tag == "loc"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._in_loc = False

    def handle_endtag(self, tag):
        self._in_loc = False

    def handle_data(self, data):
        if self._in_loc and data.strip():
            self.links.append((self.getpos()[0], data.strip()))


@dataclass(frozen=True)
class Site:
    """Where the built site is, and the address it was built for."""

    output: Path
    siteurl: str

    @property
    def _base(self) -> tuple[str, str]:
        parts = urlsplit(self.siteurl)
        return f"{parts.scheme}://{parts.netloc}".lower() if parts.netloc else "", parts.path.rstrip("/")

    def target(self, url: str, page: str) -> tuple[str, str] | None:
        """(path inside output/, fragment) that a link on ``page`` points to; ("", "") for one leaving the site;
        None for another site."""
        origin, prefix = self._base
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            scheme = "https" if parts.scheme.lower() == "webcal" else parts.scheme.lower()
            if not origin or f"{scheme}://{parts.netloc}".lower() not in {
                origin,
                origin.replace("https://", "http://", 1),
            }:
                return None
            path = parts.path or "/"
        elif url.startswith("/"):
            path = parts.path
        elif not parts.path:  # "#fragment" or "?query": this page
            return page, unquote(parts.fragment)
        else:
            path = f"{posixpath.dirname(f'{prefix}/{page}')}/{parts.path}"
        segments: list[str] = []
        for segment in unquote(path).split("/"):
            if segment == "..":
                if not segments:
                    return "", ""
                segments.pop()
            elif segment not in ("", "."):
                segments.append(segment)
        base = [segment for segment in prefix.split("/") if segment]
        if segments[: len(base)] != base:
            return "", ""
        inside = "/".join(segments[len(base) :])
        if not inside or path.endswith(("/", "/.", "/..")):
            inside = f"{inside}/index.html".lstrip("/")
        return inside, unquote(parts.fragment)


def _resolve(output: Path, relative: str) -> str | None:
    """The file in output/ a path names (a folder: its index.html), as a relative path; None if there is none."""
    candidate = output / relative
    if candidate.is_dir():
        candidate = candidate / "index.html"
        relative = f"{relative.rstrip('/')}/index.html"
    return relative if candidate.is_file() else None


def _files(output: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(path for path in output.rglob("*") if path.suffix.lower() in suffixes and path.is_file())


def _unfolded(data: bytes) -> list[tuple[int, bytes]]:
    """(first physical line number, content line) for each unfolded line of a CRLF-separated file."""
    lines: list[tuple[int, bytes]] = []
    for number, physical in enumerate(data.split(b"\r\n"), start=1):
        if physical[:1] in (b" ", b"\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + physical[1:])
        elif physical:
            lines.append((number, physical))
    return lines


def lint_ics(path: str, data: bytes) -> list[Problem]:
    """RFC 5545 structure problems in one calendar file, each with its physical line."""
    problems: list[Problem] = []
    if not data.endswith(b"\r\n"):
        problems.append(Problem(path, data.count(b"\n") + 1, "the file does not end with CRLF"))
    physical_lines = data.split(b"\r\n")
    for number, physical in enumerate(physical_lines, start=1):
        if b"\r" in physical or b"\n" in physical:
            problems.append(Problem(path, number, "a line ends with a bare CR or LF instead of CRLF"))
        if len(physical) > MAX_OCTETS:
            problems.append(Problem(path, number, f"the line is {len(physical)} octets long; fold it at {MAX_OCTETS}"))
        control = CONTROL.search(physical.replace(b"\r", b"").replace(b"\n", b""))
        if control:
            problems.append(Problem(path, number, f"the line has the control character \\x{control.group()[0]:02x}"))
        try:
            physical.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(path, number, "the line is not UTF-8 on its own (folded inside a character?)"))
        if not physical and number < len(physical_lines):
            problems.append(Problem(path, number, "the line is empty"))
        if number == 1 and physical[:1] in (b" ", b"\t"):
            problems.append(Problem(path, number, "the file starts with a continuation line"))
    stack: list[tuple[str, int, set[str]]] = []
    calendars = 0
    for number, raw in _unfolded(data):
        line = raw.decode("utf-8", errors="replace")
        match = CONTENT_LINE.fullmatch(line)
        if not match:
            problems.append(Problem(path, number, f'"{_shown(line)}" is not a content line (NAME[;PARAM=value]:value)'))
            continue
        name, value = match["name"].upper(), match["value"].strip()
        if name == "BEGIN":
            if not stack and calendars:
                problems.append(Problem(path, number, f"BEGIN:{_shown(value)} comes after the calendar ended"))
            if not stack and value.upper() != "VCALENDAR":
                problems.append(Problem(path, number, f"BEGIN:{_shown(value)} is outside a VCALENDAR"))
            stack.append((value.upper(), number, set()))
            calendars += value.upper() == "VCALENDAR" and len(stack) == 1
        elif name == "END":
            if not stack:
                problems.append(Problem(path, number, f"END:{_shown(value)} has no BEGIN"))
                continue
            component, started, names = stack.pop()
            if value.upper() != component:
                problems.append(
                    Problem(path, number, f"END:{_shown(value)} closes BEGIN:{_shown(component)} of line {started}")
                )
            missing = [required for required in REQUIRED.get(component, ()) if required not in names]
            if missing:
                problems.append(Problem(path, started, f"{_shown(component)} has no {' or '.join(missing)}"))
        elif not stack:
            problems.append(Problem(path, number, f"{_shown(name)} is outside a VCALENDAR"))
        else:
            stack[-1][2].add(name)
    for component, started, _ in stack:
        problems.append(Problem(path, started, f"BEGIN:{_shown(component)} is never ended"))
    if not calendars:
        problems.append(Problem(path, 1, "the file has no VCALENDAR"))
    return problems


def _ics_links(data: bytes) -> list[tuple[int, str]]:
    links = []
    for number, raw in _unfolded(data):
        match = CONTENT_LINE.fullmatch(raw.decode("utf-8", errors="replace"))
        if match and match["name"].upper() in ICS_LINK_PROPERTIES:
            links.append((number, match["value"]))
    return links


def check_site(output: Path, siteurl: str) -> list[Problem]:
    """Every broken internal link and malformed feed in a built site, sorted by file and line."""
    output = Path(output)
    site = Site(output, siteurl.rstrip("/"))
    problems: list[Problem] = []
    links: list[tuple[str, int, str]] = []
    ids: dict[str, set[str]] = {}
    for path in _files(output, PAGE_SUFFIXES + XML_SUFFIXES):
        relative = path.relative_to(output).as_posix()
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        parser.close()
        ids[relative] = parser.ids
        links += [(relative, line, url) for line, url in parser.links]
    for path in _files(output, (".ics",)):
        relative = path.relative_to(output).as_posix()
        data = path.read_bytes()
        problems += lint_ics(f"{output.name}/{relative}", data)
        links += [(relative, line, url) for line, url in _ics_links(data)]
    internal = 0
    for page, line, url in links:
        found = site.target(url.strip(), page)
        if found is None:
            continue
        internal += bool(urlsplit(url.strip()).netloc)
        relative, fragment = found
        shown = f"{output.name}/{page}"
        if not relative:
            problems.append(Problem(shown, line, f'the link "{_shown(url)}" leads out of the site'))
            continue
        file = _resolve(output, relative)
        if file is None:
            problems.append(
                Problem(shown, line, f'the link "{_shown(url)}" leads to {relative}, which is not in {output.name}/')
            )
        elif fragment and not fragment.startswith(":~:") and file in ids and fragment not in ids[file]:
            problems.append(
                Problem(
                    shown, line, f'the link "{_shown(url)}" leads to #{_shown(fragment)}, which is not an id in {file}'
                )
            )
    if links and site.siteurl and not internal:  # a wrong address would make every link "another site", unchecked
        problems.append(
            Problem(
                output.name,
                0,
                f"no link leads into the site at {siteurl}; is SITEURL the address the site was built for?",
            )
        )
    return sorted(set(problems))


def _siteurl(settings: str) -> str:
    """SITEURL as the settings file computes it (it reads the SITEURL environment variable)."""
    folder = str(Path(settings).resolve().parent)
    sys.path.insert(0, folder)  # publishconf.py imports pelicanconf.py from beside it
    try:
        return str(runpy.run_path(settings).get("SITEURL", ""))
    finally:
        sys.path.remove(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check the links inside a built site and the structure of its calendar feeds."
    )
    parser.add_argument("output", nargs="?", default="output", help="the built site (default: output)")
    parser.add_argument("--siteurl", help="the address the site was built for (default: SITEURL from --settings)")
    parser.add_argument(
        "--settings", default="publishconf.py", help="the settings file that gives SITEURL (default: publishconf.py)"
    )
    parser.add_argument(
        "--format", choices=("text", "github"), default="text", help="github: one workflow command per problem"
    )
    options = parser.parse_args(argv)
    output = Path(options.output)
    if not output.is_dir():
        print(f"{output} is not a folder; build the site first (python3 tasks.py publish)", file=sys.stderr)
        return 2
    siteurl = options.siteurl if options.siteurl is not None else _siteurl(options.settings)
    problems = check_site(output, siteurl)
    for problem in problems:
        print(problem.github() if options.format == "github" else problem)
    pages, feeds = len(_files(output, PAGE_SUFFIXES)), len(_files(output, (".ics",)))
    verdict = f"{len(problems)} problem{'s' * (len(problems) != 1)}" if problems else "no problems"
    print(
        f"Checked the links in {pages} pages and the structure of {feeds} calendar feeds "
        f"for {siteurl or '/'}: {verdict}.",
        flush=True,
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
