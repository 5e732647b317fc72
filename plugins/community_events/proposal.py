"""An issue made with the "Propose an event" form, turned into an event file (or into the reasons it cannot be).

GitHub writes a form's answers into the issue body as Markdown: each field is a
heading ``### <its label>``, a blank line, the answer (``_No response_`` when it
was left empty) and a blank line, in the form's order. Anyone can open such an
issue, and edit its body to anything, so the body is read as data only:

- only lines that are exactly ``### <a label of this form>`` are headings; the text
  between two of them is the first one's answer, and nothing in it is run,
  evaluated or looked up;
- a form heading that appears twice (``### Title`` typed into an answer), text before
  the first heading, a one-line answer with a line break in it, an answer longer
  than its limit, a control character or a body longer than GitHub allows are each
  refused with one sentence;
- the answers go to ``scaffold.event_file`` as ``tasks.py new-event`` passes its
  flags (title and start required, a time zone when the start has a time, a series
  that exists), so the file is named by convention, every value is quoted, and the
  file is read back by ``model.parse_file``, the build's own reading path;
- the agenda (a Markdown answer) becomes the file's body only if Markdown and the
  site's HTML allowlist (``safety``) keep it as written, as the build requires.

``convert`` is pure: no network, no git, no files. The command line reads the
body from a file, writes the event file (never over a file, never through a
symbolic link) and a comment for the issue::

    PYTHONPATH=plugins python -m community_events.proposal --body-file body.md \\
        --out-dir content/events --comment-file comment.md [--outputs-file "$GITHUB_OUTPUT"]

(the workflow runs it as ``python3 tasks.py propose-event``, with the same options).

It prints nothing from the issue. Exit status 0 means the issue was handled
(a file was written, or the comment says what to correct); anything else means
it could not run.
"""

from __future__ import annotations

import argparse
import os
import re
import runpy
import sys
from dataclasses import dataclass
from pathlib import Path

from . import model, safety, scaffold
from .errors import ContentError

NO_RESPONSE = "_No response_"
# GitHub refuses an issue body over 65,536 characters; anything longer did not come from the form.
MAX_BODY_CHARS = 65_536
MAX_ERRORS = 20
MAX_SENTENCE = 400
FILE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,98}\.md")
# Control characters (C0 but tab, DEL, C1, the Unicode line and paragraph separators); a tab only in the agenda.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
ONE_LINE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Characters that reorder or hide the text around them; shown as escapes in a sentence, so an answer cannot
# disguise one.
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SITE_LINK = re.compile(r"[{|](?:static|filename|attach|tag|category|author|index)[}|]", re.IGNORECASE)


@dataclass(frozen=True)
class Field:
    """One question of the form: its id in propose-an-event.yml, its label (the heading), and limits."""

    id: str
    label: str
    required: bool = False
    multiline: bool = False
    limit: int = 200


# In the form's order, with its labels: tests/test_proposal.py checks them against the form itself.
FIELDS = (
    Field("title", "Title", required=True),
    Field("start", "Start", required=True, limit=40),
    Field("timezone", "Time zone", limit=60),
    Field("duration", "How long", limit=40),
    Field("end", "End", limit=40),
    Field("platform", "Online platform"),
    Field("join", "Link to join", limit=2000),
    Field("place", "Place"),
    Field("country", "Country", limit=100),
    Field("language", "Language", limit=100),
    Field("registration", "Sign-up link", limit=2000),
    Field("series", "Series", limit=100),
    Field("summary", "Summary", limit=500),
    Field("hosts", "Hosts", limit=1000),
    Field("details", "Agenda and details", multiline=True, limit=20_000),
)
BY_ID = {field.id: field for field in FIELDS}
HEADINGS = {f"### {field.label}": field for field in FIELDS}
# The fields of an event file that come from a question of the same id.
MODEL_FIELDS = frozenset(field.id for field in FIELDS if field.id != "details")
# When an answer is refused, the next try uses this instead (or nothing), to find the other answers' mistakes too.
STAND_INS = {"title": "Untitled", "timezone": "UTC"}


def _sentence(label: str | None, problem: str, fix: str = "") -> str:
    """One line for the comment: "Time zone": … ; fix. Unprintable characters are shown as escapes."""
    error = ContentError(f'"{label}"' if label else "The form", problem, fix)
    text = BIDI.sub(
        lambda match: f"\\u{ord(match.group()):04x}", str(error)
    )  # ContentError writes control characters as \xNN
    return text if len(text) <= MAX_SENTENCE else text[: MAX_SENTENCE - 1] + "…"


def parse_body(body: str) -> tuple[dict[str, str], list[str]]:
    """The answers by field id ("" when empty), and one sentence per problem with the body's shape."""
    if len(body) > MAX_BODY_CHARS:
        return {}, [
            _sentence(
                None,
                f"the issue text is longer than GitHub allows an issue ({MAX_BODY_CHARS:,} characters)",
                "open a new issue with the form and keep the agenda short",
            )
        ]
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    sections: dict[str, list[str]] = {}
    preamble: list[str] = []
    current: list[str] = preamble
    problems: list[str] = []
    for line in lines:
        field = HEADINGS.get(line.rstrip(" \t"))
        if field is None:
            current.append(line)
        elif field.id in sections:
            return {}, [
                _sentence(
                    field.label,
                    f'the heading "### {field.label}" appears more than once in the issue',
                    "it is the form's own heading: edit the issue and take it out of your answers",
                )
            ]
        else:
            current = sections[field.id] = []
    if not sections:
        return {}, [
            _sentence(
                None, "the issue has none of the form's questions", 'open a new issue with the "Propose an event" form'
            )
        ]
    if any(line.strip() for line in preamble):
        problems.append(
            _sentence(
                None,
                "the issue has text before the first question",
                'edit the issue so that it starts with "### Title", as the form wrote it, '
                "or open a new issue with the form",
            )
        )
    answers = {}
    for field in FIELDS:
        text = "\n".join(sections.get(field.id, [])).strip("\n").rstrip()
        if not field.multiline:
            text = text.strip()
        if text == NO_RESPONSE:
            text = ""
        answers[field.id] = text
        problem = _answer_problem(field, text, field.id in sections)
        if problem:
            problems.append(_sentence(field.label, *problem))
    return answers, problems


def _answer_problem(field: Field, text: str, present: bool) -> tuple[str, str] | None:
    if field.required and not present:
        return (
            "the question is missing from the issue",
            f'edit the issue and add the line "### {field.label}" with your answer below it, '
            "or open a new issue with the form",
        )
    if field.required and not text:
        return "is required", "edit the issue and fill it in"
    if len(text) > field.limit:
        return f"is {len(text):,} characters long, more than the {field.limit:,} it may have", "shorten it"
    if not field.multiline and "\n" in text:
        return "must be one line", "edit the issue and put the answer on one line, with nothing else under the question"
    control = (CONTROL if field.multiline else ONE_LINE_CONTROL).search(text)
    if control:
        return (
            f"contains an invisible control character (U+{ord(control.group()):04X})",
            "type the answer again instead of pasting it",
        )
    return None


def _field_of(error: ContentError) -> str | None:
    """The form field an error from the model is about."""
    if error.field:
        parts = [
            part for part in re.split(r"[\s.\[\]]+", error.field) if part and not part.isdigit()
        ]  # "sessions join", "sessions[0].join"
        return parts[-1] if parts and parts[-1] in MODEL_FIELDS else None
    if "file name" in error.problem:  # the name is made from the date and the title's words
        return "title"
    return None


def _model_sentence(field: str | None, error: ContentError) -> str:
    if field == "title" and "file name" in error.problem:
        return _sentence(BY_ID["title"].label, "makes a file name that is too long", "use fewer or shorter words")
    label = BY_ID[field].label if field else None
    problem = error.problem
    if error.field and field and problem.startswith(f'the required field "{error.field}"'):
        problem = "is required"
    return _sentence(label, problem, error.fix)


def _check_details(text: str, markdown_options: dict) -> str | None:
    """Why the agenda cannot be the page's text, or None: Markdown and the HTML allowlist, as the build reads it."""
    from .reader import markdown_converter  # the build's own Markdown set-up; imports Pelican

    label = BY_ID["details"].label
    if SITE_LINK.search(text):
        return _sentence(
            label,
            "has a link into the site ({static}, {filename}…)",
            "link to the full https:// address; images can be added in the pull request",
        )
    html = markdown_converter(markdown_options).convert(text)
    try:
        safety.clean(label, text, html, 1)
    except ContentError as error:
        where = f" (line {error.line} of the answer)" if error.line else ""
        return _sentence(label, f"{error.problem}{where}", error.fix)
    return None


def _form_order(sentence: str) -> int:
    """Sentences in the order of the questions they are about; the others first."""
    return next((index for index, field in enumerate(FIELDS, start=1) if sentence.startswith(f'"{field.label}"')), 0)


def _split_hosts(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in re.split(r"[,;]", text) if name.strip())


def convert(
    body: str, *, series: frozenset[str] | set[str] = frozenset(), markdown_options: dict | None = None
) -> tuple[str, str] | list[str]:
    """(file name, text) of the event an issue body proposes, or one sentence per mistake in it.

    ``series``: the series that exist (file names in content/series/ without .md).
    ``markdown_options``: the site's MARKDOWN setting, to read the agenda as the build will (None: Markdown's defaults).
    """
    answers, problems = parse_body(body)
    if problems:
        return problems[:MAX_ERRORS]
    arguments = {
        name: answers[name]
        for name in (
            "title",
            "start",
            "timezone",
            "duration",
            "end",
            "platform",
            "join",
            "place",
            "country",
            "language",
            "series",
            "summary",
            "registration",
        )
    }
    arguments["hosts"] = _split_hosts(answers["hosts"])
    blamed: set[str] = set()
    if ":" in answers["start"] and not answers["timezone"]:  # new-event asks for a zone only when the start has a time
        problems.append(
            _sentence(
                BY_ID["timezone"].label,
                "is needed because the start has a time",
                "give the organisers' time zone as a place-based name such as "
                '"America/New_York", or leave the time out',
            )
        )
        blamed.add("timezone")
    if answers["series"] and answers["series"] not in series:  # as new-event checks
        problems.append(
            _sentence(
                BY_ID["series"].label,
                f'there is no series "{answers["series"]}" in content/series/',
                "give the file name of an existing series, without .md, or leave it empty",
            )
        )
        blamed.add("series")
    made = None
    for _ in range(len(arguments) + 1):  # each failed try blames one more field, so this ends
        for name in blamed:
            arguments[name] = () if name == "hosts" else STAND_INS.get(name, "")
        try:
            made = scaffold.event_file(status="scheduled", **arguments)
            break
        except ContentError as error:
            field = _field_of(error)
            if field in blamed:
                break  # what a stand-in led to; that field has its sentence already
            problems.append(_model_sentence(field, error))
            if field is None or field == "start":
                break  # nothing else can be checked without it
            blamed.add(field)
    problem = _check_details(answers["details"], markdown_options or {}) if answers["details"] else None
    if problem:
        problems.append(problem)
    if problems or made is None:
        return sorted(problems, key=_form_order)[:MAX_ERRORS] or [
            _sentence(None, "could not be turned into an event file", "please report this")
        ]
    name, text = made
    text = _with_body(text, answers["details"])
    try:
        model.parse_file(
            f"content/events/{name}", text.encode("utf-8"), "events"
        )  # what is written is what was checked
    except ContentError as error:
        return [_model_sentence(_field_of(error), error)]
    return name, text


def _with_body(text: str, details: str) -> str:
    """The scaffolded file with the agenda (or nothing) in place of its placeholder text."""
    lines = text.split("\n")
    end = lines.index("---", 1)  # every value is one quoted line, so the next "---" closes the front matter
    return "\n".join([*lines[: end + 1], *([details.rstrip()] if details.strip() else [])]) + "\n"


def comment(result: tuple[str, str] | list[str], out_dir: str = "content/events") -> str:
    """The reply for the issue, in Markdown; anything from the issue is inside a code block, where nothing is
    rendered."""
    if isinstance(result, tuple):
        return (
            f"Thank you! Your answers make a valid event file, `{out_dir}/{result[0]}`. "
            "A pull request that adds it to the calendar follows; someone from the group will review and merge it, "
            "and the event is on the site a few minutes later.\n\n"
            "To change something, edit this issue (**…** → **Edit**): "
            "the pull request is made again from your new answers.\n"
        )
    listing = "\n".join(result)
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", listing)), default=0))
    count = "One answer needs" if len(result) == 1 else "Some answers need"
    return (
        f"Thank you! {count} a change before the event can be added to the calendar:\n\n"
        f"{fence}text\n{listing}\n{fence}\n\n"
        "Edit this issue (**…** → **Edit**) to correct the answers; they are checked again when you save. "
        "See CONTRIBUTING.md for how to write dates, times and time zones.\n"
    )


def _write_new(folder: Path, name: str, text: str) -> None:
    """Write folder/name, never over a file and never through a symbolic link (raises FileExistsError, ValueError)."""
    if not FILE_NAME.fullmatch(name):
        raise ValueError(f"unexpected file name {name!r}")
    step = Path(".")
    for part in folder.parts:
        step = step / part
        if step.is_symlink():
            raise ValueError(f"{step} is a symbolic link; new files are never written through one")
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as file:
        file.write(text)


def _read_body(path: Path) -> str | list[str]:
    with open(path, "rb") as file:
        data = file.read(MAX_BODY_CHARS * 4 + 1)  # at most 4 bytes a character in UTF-8
    if len(data) > MAX_BODY_CHARS * 4:
        return parse_body("x" * (MAX_BODY_CHARS + 1))[1]  # the sentence for a body that is too long
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return [_sentence(None, "the issue text is not UTF-8", "open a new issue with the form")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m community_events.proposal",
        description="Turn a 'Propose an event' issue body into an event file, or a comment saying what to correct.",
    )
    parser.add_argument("--body-file", required=True, type=Path, help="the issue body, as GitHub stores it")
    parser.add_argument(
        "--out-dir", required=True, type=Path, help="where to write the event file, e.g. content/events"
    )
    parser.add_argument(
        "--comment-file", required=True, type=Path, help="where to write the reply for the issue (Markdown)"
    )
    parser.add_argument(
        "--outputs-file",
        type=Path,
        help='append "status=made|refused" and "file=NAME" here (a GitHub Actions step\'s $GITHUB_OUTPUT)',
    )
    parser.add_argument("--series-dir", type=Path, help="the series folder (default: series/ beside --out-dir)")
    parser.add_argument(
        "--settings",
        type=Path,
        default=Path("pelicanconf.py"),
        help="the site settings, for MARKDOWN (default: pelicanconf.py)",
    )
    options = parser.parse_args(argv)

    series_dir = options.series_dir or options.out_dir.parent / "series"
    series = frozenset(path.stem for path in series_dir.glob("*.md")) if series_dir.is_dir() else frozenset()
    markdown_options = runpy.run_path(str(options.settings)).get("MARKDOWN", {})
    body = _read_body(options.body_file)
    result = body if isinstance(body, list) else convert(body, series=series, markdown_options=markdown_options)
    if isinstance(result, tuple):
        try:
            _write_new(options.out_dir, *result)
        except FileExistsError:
            result = [
                _sentence(
                    BY_ID["title"].label,
                    f"and the start make the file name {result[0]}, "
                    f"and {options.out_dir.as_posix()}/{result[0]} already exists",
                    "if it is the same event, ask for the change in this issue; if not, give it a more specific title",
                )
            ]
    options.comment_file.parent.mkdir(parents=True, exist_ok=True)
    options.comment_file.write_text(comment(result, options.out_dir.as_posix()), encoding="utf-8")
    made = isinstance(result, tuple)
    if options.outputs_file:
        with open(options.outputs_file, "a", encoding="utf-8") as outputs:
            outputs.write(f"status={'made' if made else 'refused'}\nfile={result[0] if made else ''}\n")
    if made:
        print(f"Wrote {options.out_dir.as_posix()}/{result[0]}.")
    else:
        print(
            f"Not written: the form has {len(result)} answer{'s' * (len(result) != 1)} to correct; "
            f"the reply is in {options.comment_file}."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
