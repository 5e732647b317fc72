"""SEQUENCE and LAST-MODIFIED for calendar entries, read from the content's git history.

Calendar apps replace an entry they already have only when its SEQUENCE has
grown, and RFC 5545 wants it to grow whenever the time, place or status
changes, and never fall. Asking contributors to raise a number by hand would
be forgotten; git already keeps every version of every event file. So:

* SEQUENCE of a session = how many times its schedule (start, end, zone,
  place, platform, join link, event status) changed from one committed
  version of the file to the next, plus one if the working copy changes it
  again (a local preview of an uncommitted edit);
* LAST-MODIFIED (and DTSTAMP) = the time of the last commit to the file.

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

logger = logging.getLogger(__name__)

RECORD_SEPARATOR = "\x1e"
NO_BLOB = "0" * 40
SHALLOW_WARNING = (
    "The git history is shallow, so calendar SEQUENCE numbers may be too low and "
    "calendar apps may ignore changes; clone with the full history (fetch-depth: 0)."
)

# A version of a file, read as {session number: schedule fingerprint}; None if it would not parse.
Fingerprints = dict[int, Hashable] | None


@dataclass(frozen=True, slots=True)
class Revision:
    sequence: dict[int, int]  # session number -> SEQUENCE
    modified: datetime  # UTC


@dataclass(frozen=True)
class _Version:
    committed: datetime
    blob: str


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


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout


def _blob_id(data: bytes) -> str:
    """The id git gives these bytes, to tell whether the working copy is committed."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class History:
    """Reads, once per build, the versions of every file under one folder."""

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
        """Versions of each file, keyed by its path relative to the folder."""
        output = _git(
            self.top, "log", "--no-renames", "--raw", "--no-abbrev", "--format=" + RECORD_SEPARATOR + "%ct",
            "--", str(self.folder.relative_to(self.top)),
        )
        versions: dict[str, list[_Version]] = {}
        for record in (output or b"").decode("utf-8", "replace").split(RECORD_SEPARATOR)[1:]:
            lines = record.strip().splitlines()
            committed = datetime.fromtimestamp(int(lines[0]), UTC)
            for line in lines[1:]:
                meta, _, path = line.partition("\t")
                blob = meta.split()[3] if meta.startswith(":") else NO_BLOB
                relative = os.path.relpath(self.top / path, self.folder)
                versions.setdefault(relative, []).append(_Version(committed, blob))
        for history in versions.values():
            history.reverse()  # git log lists the newest first
        return versions

    def revision(self, source_path: str, fingerprint: Callable[[bytes], Fingerprints]) -> Revision:
        """SEQUENCE per session and LAST-MODIFIED for one file."""
        if not self.versions:
            return Revision({}, self.fallback_time)
        relative = os.path.relpath(os.path.abspath(source_path), self.given)
        history = [v for v in self.versions.get(relative, []) if v.blob != NO_BLOB]
        if not history:
            return Revision({}, self.fallback_time)
        working = Path(source_path).read_bytes()
        modified = history[-1].committed
        blobs = list(dict.fromkeys(v.blob for v in history))  # distinct, oldest first
        uncommitted = _blob_id(working) != history[-1].blob
        if len(blobs) == 1 and not uncommitted:
            return Revision({}, modified)  # one version: nothing has changed yet
        texts = self._blobs([v.blob for v in history])
        versions = [fingerprint(texts[v.blob]) for v in history]
        if uncommitted:
            versions.append(fingerprint(working))
            modified = max(modified, self.fallback_time)
        return Revision(sequence_numbers(versions), modified)

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
