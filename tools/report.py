"""`check --format github`: content errors where the contributor looks.

Every error and warning becomes a GitHub workflow command (an annotation on the file and line in
the pull request), escaped exactly as GitHub's toolkit escapes them (actions/toolkit,
packages/core/src/command.ts), so no file name or text can end a command early or start another.
When $GITHUB_STEP_SUMMARY is set, a Markdown job summary is appended to it: the errors, the
warnings, and each changed event's sessions in the display zones, as its page shows them, with its
calendar links. Contributor text in it is escaped Markdown. Errors and warnings come from the
plugin as objects (ContentError, ContentWarning), never from parsing printed text.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

from community_events.calendars import absolute_base
from community_events.display import session_when, session_zone_times
from community_events.errors import ContentErrors, collector
from community_events.options import for_build
from community_events.reader import display_path
from community_events.subscribe import webcal_url
from invoke import Exit
from pelican import signals

FORMATS = ("text", "github")
MAX_EVENTS = 100  # a job summary holds at most 1 MiB; a push to main lists every event
# Shown as \xNN or \uNNNN: line breaks, terminal escapes and characters that reorder or hide text.
INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
# Backslash-escaped (CommonMark escapes any ASCII punctuation): emphasis, code, links, images,
# HTML and entities, headings, table cells, strikethrough, mentions and maths.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~&@$])")


class ContentStop(Exit):
    """The build stopped on content errors: Exit's one message, with the errors as objects."""

    def __init__(self, errors: ContentErrors):
        super().__init__(f"\n{errors}\n", code=1)
        self.errors = list(errors.errors)


# --- Workflow commands ----------------------------------------------------------------------------


def escape_data(text: str) -> str:
    """A command's message, as the toolkit's escapeData writes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value, as the toolkit's escapeProperty writes it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties) -> str:
    """::command key=value,key=value::message, leaving out empty properties as the toolkit does."""
    shown = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in properties.items() if value not in (None, "")
    )
    return f"::{command}{' ' + shown if shown else ''}::{escape_data(message)}"


def annotation(problem, kind: str = "error") -> str:
    """One ContentError or ContentWarning as an ::error or ::warning on its file and line."""
    title = f"Content {kind}" + (f" ({problem.field})" if problem.field else "")
    return workflow_command(kind, str(problem), file=problem.path, line=problem.line, title=title)


# --- Markdown -------------------------------------------------------------------------------------


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"


def escape_markdown(text: str) -> str:
    """Text that renders as itself on one line: in a paragraph, a list item, a heading or a table cell."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", INVISIBLE.sub(_visible, str(text)))


def _link(url: str) -> str:
    safe_url = quote(url, safe=":/%-._~")
    return f"[{escape_markdown(url)}]({safe_url})"


# --- Which event files a pull request changed -------------------------------------------------------


def default_base(environ=os.environ) -> str:
    """The branch a pull request goes into, as the checkout knows it: origin/<GITHUB_BASE_REF>."""
    branch = environ.get("GITHUB_BASE_REF", "")
    return f"origin/{branch}" if branch else ""


def _git(folder: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def changed_files(folder: Path, base: str) -> set[Path] | None:
    """Files under folder that `git diff --name-only <base>...HEAD` names; None without git or base.

    The paths are under folder as given (absolute), like the source paths of Pelican's pages.
    """
    if not base or not folder.is_dir():
        return None
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None or _git(folder, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}") is None:
        return None
    top_path, real_folder = Path(os.fsdecode(top.rstrip(b"\n"))).resolve(), folder.resolve()
    names = _git(
        top_path, "diff", "--name-only", "-z", f"{base}...HEAD", "--", f":(literal){real_folder.relative_to(top_path)}"
    )
    if names is None:
        return None
    return {
        folder.absolute() / (top_path / os.fsdecode(name)).relative_to(real_folder)
        for name in names.split(b"\0")
        if name
    }


# --- The job summary --------------------------------------------------------------------------------


@contextlib.contextmanager
def build_context():
    """The context Pelican's generators share in a build run inside this block (its events and settings)."""
    shared: dict = {}

    def remember(generator) -> None:
        shared.setdefault("context", generator.context)

    signals.generator_init.connect(remember)
    try:
        yield shared
    finally:
        signals.generator_init.disconnect(remember)


def _problems(problems, noun: str, note: str) -> list[str]:
    if not problems:
        return []
    one = len(problems) == 1
    heading = f"**{len(problems)} content {noun}{'' if one else 's'}** {note.format(s='s' if one else '')}"
    return [heading, "", *(f"- {escape_markdown(problem)}" for problem in problems), ""]


def _sessions(event, options) -> list[str]:
    """Each session as its page shows it: its own zone with the full date, then each display zone."""
    sessions = event.model.sessions
    several = len(sessions) > 1
    rows = ["| Session | When |", "| --- | --- |"]
    for session in sessions:
        label = session.label or (f"Session {session.number}" if several else "When")
        if session.is_timed:
            when = " / ".join(zone_time.text for zone_time in session_zone_times(session, event, options))
        else:
            when = session_when(session, options)
        rows.append(f"| {escape_markdown(label)} | {escape_markdown(when)} |")
    return rows


def _event(event, options, site_url: str, shown_path: str) -> list[str]:
    status = "" if event.model.status == "scheduled" else f" ({event.model.status})"
    lines = [f"#### {escape_markdown(event.title)}{status}", "", f"File: {escape_markdown(shown_path)}", ""]
    if getattr(event, "calendar_url", None):
        feed = f"{site_url}/{event.calendar_url}"
        lines += [f"Calendar: {_link(feed)}; to subscribe: {escape_markdown(webcal_url(feed))}", ""]
    else:
        lines += ["Not in the calendar feeds: no session has a date and time yet.", ""]
    return lines + _sessions(event, options) + [""]


def _not_shown(path: Path, errors, shown: str) -> str:
    if not os.path.lexists(path):
        return "removed"
    return "not shown: see its errors above" if any(error.path == shown for error in errors) else "not an event page"


def summary(errors, warnings, context: dict | None, base: str, site_url: str = "") -> str:
    """The job summary: errors, warnings, and each changed event (every event when git or base is not there)."""
    lines = ["## Content check", ""]
    lines += _problems(errors, "error", "stop{s} the site from being built; each names the file, the line and the fix:")
    if context is None:  # stopped before the content was read
        return "\n".join(lines) + "\n"
    options = for_build(context)  # the options this build loaded, with its "today"

    def shown(path) -> str:  # content/events/x.md
        return display_path(context, str(path))

    events = {Path(event.source_path).resolve(): event for event in context.get("events", [])}
    changed = changed_files(Path(context["PATH"]).absolute() / options.events_path, base)
    if changed is None:
        why = f"could not compare with {base}" if base else "no base branch to compare with"
        heading, listed, notes = f"### Every event ({escape_markdown(why)})", list(events.values()), []
    else:
        by_real = {path.resolve(): path for path in changed}
        names = {shown(path) for path in changed}
        warnings = [warning for warning in warnings if warning.path in names]
        listed = [events[real] for real in by_real if real in events]
        notes = [
            f"- {escape_markdown(shown(path))}: {_not_shown(path, errors, shown(path))}"
            for real, path in sorted(by_real.items())
            if real not in events
        ]
        heading = f"### Events changed since {escape_markdown(base)}"
    lines += _problems(warnings, "warning", "(the site is still built):")
    lines += [] if errors else ["No errors: every content file can be published.", ""]
    lines += [heading, ""] + (notes + [""] if notes else [])
    if not listed and not notes:
        lines += ["No event could be read." if changed is None else "No event file changed.", ""]
    base_url = site_url or absolute_base(context)
    for event in sorted(listed, key=lambda event: shown(event.source_path))[:MAX_EVENTS]:
        lines += _event(event, options, base_url, shown(event.source_path))
    if len(listed) > MAX_EVENTS:
        lines += [f"… and {len(listed) - MAX_EVENTS} more events.", ""]
    return "\n".join(lines) + "\n"


def github_check(build, base: str, site_url: str = "", environ=os.environ) -> None:
    """Run the check's build; print its errors and warnings as workflow commands, append the job summary.

    Whatever stopped the build is raised again afterwards, so the task fails as the text format does.
    """
    with build_context() as shared:
        try:
            build()
            stop = None
        except Exit as stopped:
            stop = stopped
    context = shared.get("context")
    errors = stop.errors if isinstance(stop, ContentStop) else []
    warnings = collector.sorted_warnings() if context is not None else []  # else: another build's
    for problem in errors:
        print(annotation(problem, "error"), flush=True)
    for problem in warnings:
        print(annotation(problem, "warning"), flush=True)
    failure = "" if stop is None or errors else " ".join(str(stop.message or "").split())
    if failure:
        print(workflow_command("error", failure, title="Content check failed"), flush=True)
    summary_file = environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        text = summary(errors, warnings, context if not failure else None, base, site_url)
        if failure:
            text += f"\n**The check failed:** {escape_markdown(failure)}\n"
        with open(summary_file, "a", encoding="utf-8") as file:
            file.write(text)
    if stop is not None:
        raise stop
