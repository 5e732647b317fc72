"""Content errors: one sentence that names the file, the line, the field and the fix.

Contributors are librarians editing Markdown files, often in a web editor. When
their file cannot be used, they get a ``ContentError`` rendered as
``path:line: field: what is wrong; fix``, never a traceback. Errors found while
reading are collected for the whole build (so a contributor sees every mistake
at once) and the build is stopped after all content has been read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A file name can hold a line break or a terminal escape; a sentence never does.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def close_matches(word: str, possibilities, n: int = 1, cutoff: float = 0.6) -> list[str]:
    """difflib's close matches, to suggest a fix; imported only when there is a mistake to fix."""
    import difflib

    return difflib.get_close_matches(word, possibilities, n=n, cutoff=cutoff)


@dataclass(eq=True)  # not frozen: Python sets __traceback__ on exceptions
class ContentError(Exception):
    """A problem in one content file, described for the person who wrote it."""

    path: str
    problem: str
    fix: str = ""
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        location = self.path if self.line is None else f"{self.path}:{self.line}"
        # The field leads the sentence unless the problem already names it ("title" is missing).
        named = self.field and (self.problem.startswith(self.field) or f'"{self.field}"' in self.problem)
        subject = f"{self.field} " if self.field and not named else ""
        sentence = f"{location}: {subject}{self.problem}"
        sentence = f"{sentence}; {self.fix}" if self.fix else sentence
        return UNPRINTABLE.sub(
            lambda match: (
                f"\\x{ord(match.group()):02x}" if ord(match.group()) < 256 else f"\\u{ord(match.group()):04x}"
            ),
            sentence,
        )


@dataclass(eq=True, frozen=True, slots=True)
class ContentWarning:
    """Something a contributor may want to fix; the site is still built."""

    path: str
    problem: str
    fix: str = ""
    field: str | None = None
    line: int | None = None

    __str__ = ContentError.__str__


class ContentErrors(Exception):
    """Raised once, after reading, when any content file had errors."""

    exitcode = 1

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors, key=lambda e: (e.path, e.line or 0, str(e)))
        super().__init__(self.summary())

    def summary(self) -> str:
        count = len(self.errors)
        noun = "error" if count == 1 else "errors"
        lines = "\n".join(str(error) for error in self.errors)
        return f"the site was not built because of {count} content {noun}:\n{lines}"


class ErrorCollector:
    """The errors of one build, shared by the reader and the generators."""

    def __init__(self) -> None:
        self.errors: list[ContentError] = []
        self._warnings: dict[ContentWarning, None] = {}  # a dict: ordered, and quick to look up
        self._reported = 0

    @property
    def warnings(self) -> list[ContentWarning]:
        return list(self._warnings)

    def reset(self) -> None:
        self.errors.clear()
        self._warnings.clear()
        self._reported = 0

    def unreported(self) -> list[ContentError]:
        """Errors not yet shown by an earlier call, sorted: a preview reports them as they are found."""
        new = self.errors[self._reported :]
        self._reported = len(self.errors)
        return sorted(new, key=lambda e: (e.path, e.line or 0))

    def add(self, error: ContentError) -> None:
        if error not in self.errors:
            self.errors.append(error)

    def warn(self, warning: ContentWarning) -> None:
        self._warnings[warning] = None

    def sorted_warnings(self) -> list[ContentWarning]:
        return sorted(self._warnings, key=lambda w: (w.path, w.line or 0, str(w)))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentErrors(list(self.errors))


# One build runs at a time in a process; the plugin resets this at the start of each run.
collector = ErrorCollector()
