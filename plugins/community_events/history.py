"""SEQUENCE and LAST-MODIFIED for calendar entries, read from the content's git history.

Calendar apps replace an entry they already have only when its SEQUENCE has
grown, and RFC 5545 wants it to grow whenever the time, place or status
changes, and never fall. Asking contributors to raise a number by hand would
be forgotten; git already keeps every version of every event file. So:

* SEQUENCE of a session = how many times its schedule (start, end, duration,
  zone, place, and the event's status) changed from one committed version of
  the file to the next, plus one if the working copy changes it again (a local
  preview of an uncommitted edit);
* LAST-MODIFIED (and DTSTAMP) = the time of the last commit to the file.

Past versions are read here, leniently, from their raw front matter, never
with the content model: the model's rules change (a field renamed or retired),
and a version it would now refuse must still count, or SEQUENCE would fall.
Only the schedule is compared, as text, so a new field, a renamed speaker list,
quoting, comments or reordering change nothing.

A file renamed with ``git mv`` keeps its history while it keeps its calendar
id (``id:``, else ``slug:``, else the file name), because its UIDs are then
the ones calendars already hold; a rename that changes the id starts afresh,
as its entries are new to every calendar.

Without git (a downloaded archive), every SEQUENCE is 0 and the time is the
fallback the caller gives. A shallow clone would undercount, so it is logged;
the publishing workflow must fetch the full history.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from .frontmatter import DELIMITERS, MAX_FILE_BYTES, parse_yaml

logger = logging.getLogger(__name__)

RECORD_SEPARATOR = "\x1e"
NO_BLOB = "0" * 40
TWO_PATH_STATUSES = ("R", "C")  # git's raw lines for a rename or copy name the old path, then the new
RENAMED = "R"  # a copy (diff.renames=copies) leaves the original where it was: it starts afresh
SCHEDULE_FIELDS = ("start", "end", "duration", "timezone", "place")  # per session; the event's status is added
ID_FIELDS = ("id", "slug")  # what named an event's calendar entries before its file name did
DEFAULT_STATUS = "scheduled"  # the model's default: writing it out is no change
# Only as much of a version is read as a content file may hold (front matter of 64 KiB can take
# more bytes than that, with a BOM and CRLF line ends): a past commit cannot make builds slow.
MAX_VERSION_BYTES = MAX_FILE_BYTES
SCALARS = (str, int)  # what either loader builds for a one-line value (bool is an int)
MAX_RULE_DEPTH = 4  # repeat > changes > a change > its fields
MAX_RULE_NODES = 2_000  # far above a real rule: 100 exceptions and 100 changes of a few fields
NOT_TEXT = "(not text)"  # a list or mapping where text belongs: never published, and never stringified
PAST_VERSION = "(a past version)"  # parse_yaml names a file in its errors; these are never shown
# Every scalar as text, and duplicate fields allowed: for front matter the site's dialect refuses.
_TEXT_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
SHALLOW_WARNING = (
    "The git history is shallow, so calendar SEQUENCE numbers may be too low and "
    "calendar apps may ignore changes; clone with the full history (fetch-depth: 0)."
)

# A version of a file, read as {session number: schedule fingerprint}; None if it could not be read.
Fingerprints = dict[int, Hashable] | None


@dataclass(frozen=True, slots=True)
class Revision:
    sequence: dict[int, int]  # session number -> SEQUENCE
    modified: datetime  # UTC
    # The first committed version under this calendar id: when the event was announced. None where
    # git has no answer; callers then take ``modified``, which is the fallback time there too.
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class _Version:
    committed: datetime
    blob: str
    path: str  # relative to the folder, as the file was named in that commit


# --- Reading one version leniently -----------------------------------------------------------------


def read_front_matter(data: bytes) -> dict | None:
    """One version's front matter as a mapping, whatever today's model thinks of it; None if unreadable.

    Never raises: a past version, however broken, must not stop today's build.
    """
    try:
        block = _front_matter_block(data[:MAX_VERSION_BYTES].decode("utf-8-sig", "replace"))
        fields = None if block is None else _parse_leniently(block)
    except Exception:  # noqa: BLE001 - any failure just means this version cannot be compared
        logger.debug("A past version of an event file could not be read", exc_info=True)
        return None
    return fields if isinstance(fields, dict) else None


def _front_matter_block(text: str) -> str | None:
    """The text between the opening --- and the closing --- (or ...), as frontmatter.split finds it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].strip() != "---":
        return None
    closing = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in DELIMITERS), None)
    return None if closing is None else "\n".join(lines[1:closing])


def _parse_leniently(block: str) -> object:
    # The site's own YAML dialect first, so values read as they did when published; its extra
    # checks (a field given twice, say) are not history's business, so plain YAML gets a second try.
    try:
        return parse_yaml(PAST_VERSION, block)
    except Exception:  # noqa: BLE001 - ContentError or anything else: try plain YAML
        return yaml.load(block, Loader=_TEXT_LOADER)  # noqa: S506 - BaseLoader builds only str, list and dict


def _text(value: object) -> str | None:
    """A value as a contributor means it: YAML's typing, quoting and spacing aside; empty is absent."""
    if value is None:
        return None
    if not isinstance(value, SCALARS):
        return NOT_TEXT  # str() of aliased lists can grow exponentially ("billion laughs")
    return " ".join(str(value).split()) or None


def _rule(value: object) -> Hashable:
    """A repeat block as nested tuples of text, so any change to the rule, its exceptions or its
    changed meetings counts. A past version is read with plain YAML, whose aliases can make a small
    file a huge tree: past the model's nesting or the node budget, the block is "not text"."""
    budget = [MAX_RULE_NODES]

    def walk(item: object, depth: int) -> Hashable:
        budget[0] -= 1
        if budget[0] < 0 or depth > MAX_RULE_DEPTH:
            raise OverflowError
        if isinstance(item, dict):
            return tuple(sorted((str(key), walk(inner, depth + 1)) for key, inner in item.items()))
        if isinstance(item, list):
            return tuple(walk(inner, depth + 1) for inner in item)
        return _text(item)

    try:
        return None if value is None else walk(value, 0)
    except OverflowError:
        return NOT_TEXT


def schedule_fingerprints(fields: dict | None) -> Fingerprints:
    """{session number: what calendar apps must be told about when it changes}; None without sessions."""
    sessions = fields.get("sessions") if fields is not None else None
    if not isinstance(sessions, list):
        return None
    status = (_text(fields.get("status")) or DEFAULT_STATUS).lower()
    return {
        number: (*(_text(session.get(name)) for name in SCHEDULE_FIELDS), _rule(session.get("repeat")), status)
        for number, session in enumerate(sessions, start=1)
        if isinstance(session, dict)
    }


def written_calendar_id(fields: dict | None, path: str) -> str:
    """The calendar id a version gave its entries: id, else slug, else the file name (as Event.calendar_id)."""
    for name in ID_FIELDS:
        value = _text(fields.get(name)) if fields is not None else None
        if value:
            return value
    return os.path.splitext(os.path.basename(path))[0]


def sequence_numbers(versions: list[Fingerprints]) -> dict[int, int]:
    """How often each session's fingerprint changed across versions, oldest first."""
    last_seen: dict[int, Hashable] = {}
    changes: dict[int, int] = {}
    for fingerprints in versions:
        if fingerprints is None:
            continue  # a broken version never reached the published calendar
        for number, value in fingerprints.items():
            if number in last_seen and last_seen[number] != value:
                changes[number] = changes.get(number, 0) + 1
            last_seen[number] = value
    return changes


# --- git -------------------------------------------------------------------------------------------


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout


def _blob_id(data: bytes) -> str:
    """The id git gives these bytes, to tell whether the working copy is committed."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _commits(output: str) -> list[tuple[datetime, list[tuple[str | None, str, str]]]]:
    """`git log -z --raw` output as [(time, [(old path or None, path, blob)])], newest first."""
    tokens = output.split("\0")
    commits: list = []
    position = 0
    while position < len(tokens):
        token = tokens[position].lstrip("\n")
        position += 1
        if token.startswith(RECORD_SEPARATOR):
            commits.append((datetime.fromtimestamp(int(token[1:]), UTC), []))
        elif token.startswith(":") and commits:
            fields = token.split()  # :old-mode new-mode old-blob new-blob status
            if fields[4][0] in TWO_PATH_STATUSES:
                old = tokens[position] if fields[4][0] == RENAMED else None
                change = (old, tokens[position + 1], fields[3])
                position += 2
            else:
                change = (None, tokens[position], fields[3])  # a deletion's new blob is NO_BLOB
                position += 1
            commits[-1][1].append(change)
    return commits


def _lineages(commits: list, relative: Callable[[str], str]) -> dict[str, list[_Version]]:
    """Each file's versions, oldest first, keyed by its latest path; a rename carries them along.

    Versions that were deletions keep NO_BLOB, so a file deleted and added again continues.
    """
    lineages: dict[str, list[_Version]] = {}
    for committed, changes in reversed(commits):
        # Take every renamed file's versions first, so that a -> b with c -> a in one commit cannot mix them.
        carried = {old: lineages.pop(relative(old), []) for old, _, _ in changes if old is not None}
        for old, path, blob in changes:
            lineage = lineages.setdefault(relative(path), [])
            lineage.extend(carried.pop(old, []) if old is not None else ())
            lineage.append(_Version(committed, blob, relative(path)))
    return lineages


def _segments(versions: list[_Version]) -> list[list[_Version]]:
    """Consecutive versions under one path: a file's life between renames."""
    segments: list[list[_Version]] = []
    for version in versions:
        if segments and segments[-1][-1].path == version.path:
            segments[-1].append(version)
        else:
            segments.append([version])
    return segments


class History:
    """Reads, once per build, the versions of every file under one folder, following renames."""

    def __init__(self, folder: str, fallback_time: datetime):
        self.given = os.path.abspath(folder)  # as Pelican names the files: maybe through a symlink
        self.folder = Path(folder).resolve()
        self.fallback_time = fallback_time
        self.top = self._top_level()
        self.versions = self._log() if self.top else {}

    def _top_level(self) -> Path | None:
        if not self.folder.is_dir():
            return None
        output = _git(self.folder, "rev-parse", "--show-toplevel")
        if not output:
            return None
        if _git(self.folder, "rev-parse", "--is-shallow-repository") == b"true\n":
            logger.warning(SHALLOW_WARNING)
        return Path(output.decode().strip()).resolve()

    def _log(self) -> dict[str, list[_Version]]:
        """Versions of each file, keyed by its latest path relative to the folder."""
        # -M whatever the user's diff.renames says; -z so that no file name comes back quoted.
        output = _git(
            self.top,
            "log",
            "-M",
            "-z",
            "--raw",
            "--no-abbrev",
            "--format=" + RECORD_SEPARATOR + "%ct",
            "--",
            str(self.folder.relative_to(self.top)),
        )
        commits = _commits((output or b"").decode("utf-8", "replace"))
        return _lineages(commits, lambda path: os.path.relpath(self.top / path, self.folder))

    def revision(self, source_path: str, calendar_id: str) -> Revision:
        """SEQUENCE per session and LAST-MODIFIED for one file, whose entries use ``calendar_id``."""
        if not self.versions:
            return Revision({}, self.fallback_time)
        relative = os.path.relpath(os.path.abspath(source_path), self.given)
        history = [v for v in self.versions.get(relative, []) if v.blob != NO_BLOB]
        if not history:
            return Revision({}, self.fallback_time)
        history = self._earlier_files_with_the_id(relative, calendar_id) + history
        working = Path(source_path).read_bytes()
        modified = history[-1].committed
        uncommitted = _blob_id(working) != history[-1].blob
        if len({v.blob for v in history}) == 1 and not uncommitted:
            # One version, however often renamed: nothing has changed yet.
            return Revision({}, modified, history[0].committed)
        fields = {blob: read_front_matter(text) for blob, text in self._blobs([v.blob for v in history]).items()}
        kept = self._same_calendar(_segments(history), fields, calendar_id)
        versions = [schedule_fingerprints(fields[v.blob]) for v in kept]
        if uncommitted:
            versions.append(schedule_fingerprints(read_front_matter(working)))
            modified = max(modified, self.fallback_time)
        return Revision(sequence_numbers(versions), modified, kept[0].committed)

    def _earlier_files_with_the_id(self, relative: str, calendar_id: str) -> list[_Version]:
        """Versions of deleted files whose entries had this calendar id: a file replaced, not renamed.

        Git sees a rename only when enough of the file stays the same; a contributor who adds
        "id:" with the old name and rewrites the file is renaming it all the same. Only an event
        whose id is not its own file name can have such a past.
        """
        if calendar_id == os.path.splitext(os.path.basename(relative))[0]:
            return []
        ended = {
            path: [v for v in versions if v.blob != NO_BLOB]
            for path, versions in self.versions.items()
            if path != relative and versions and versions[-1].blob == NO_BLOB
        }
        lasts = {path: versions[-1].blob for path, versions in ended.items() if versions}
        texts = self._blobs(list(lasts.values())) if lasts else {}
        earlier = []
        for path, blob in lasts.items():
            if written_calendar_id(read_front_matter(texts[blob]), path) == calendar_id:
                earlier += ended[path]
        return sorted(earlier, key=lambda version: version.committed)

    @staticmethod
    def _same_calendar(segments: list[list[_Version]], fields: dict, calendar_id: str) -> list[_Version]:
        """The versions whose entries had these UIDs: the file under its current name, and earlier
        names whose calendar id (read from their last readable version) is the same."""
        kept = []
        for segment in segments[:-1]:
            readable = [fields[v.blob] for v in segment if fields[v.blob] is not None]
            if written_calendar_id(readable[-1] if readable else None, segment[-1].path) == calendar_id:
                kept += segment
        return kept + segments[-1]

    def _blobs(self, ids: list[str]) -> dict[str, bytes]:
        unique = list(dict.fromkeys(ids))
        output = _git(self.top, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in unique).encode()) or b""
        found, position = {}, 0
        for blob in unique:
            header_end = output.index(b"\n", position)
            size = int(output[position:header_end].split()[2])
            found[blob] = output[header_end + 1 : header_end + 1 + size]
            position = header_end + 1 + size + 1
        return found
