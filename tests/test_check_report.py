"""`python3 tasks.py check --format github`: errors and warnings as GitHub workflow commands, and a
Markdown job summary of the changed events, as a pull request's contributor sees them.

The command is run as the workflows run it, in a subprocess, and its output is read back the way
GitHub's runner reads it (ActionCommand.TryParseV2 and its unescaping in actions/runner).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_PAGES, ROOT, write_files
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

sys.path.insert(0, str(ROOT))
from tools import report  # noqa: E402

BROKEN = """\
---
title: Broken meetup
sessions:
  - start: 2024-05-31 14:00
    duration: 1 hour
    timezone: EST
---
Agenda.
"""
SYDNEY = """\
---
title: Hangout
notes: https://example.org/notes
display_zones: [Australia/Sydney, America/Los_Angeles, UTC]
sessions:
  - start: 2019-05-30 09:00
    timezone: Australia/Sydney
---
Agenda.
"""
PARIS = """\
---
title: Office hours
notes: https://example.org/notes
sessions:
  - start: 2024-05-31 14:00
    timezone: Europe/Paris
    duration: 1 hour
---
"""
PAST_WITHOUT_NOTES = "---\ntitle: Older\nsessions:\n  - start: 2023-02-01\n---\n"
SUMMARY_SENTENCE = re.compile(r"the site was not built because of (\d+) content errors?:")


# --- Reading the output as GitHub's runner does ---------------------------------------------------


def unescape(value: str, mappings: tuple[tuple[str, str], ...]) -> str:
    for token, replacement in mappings:  # the runner's order: %25 last
        value = value.replace(replacement, token)
    return value


DATA_ESCAPES = (("\r", "%0D"), ("\n", "%0A"), ("%", "%25"))
PROPERTY_ESCAPES = (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25"))


def commands(text: str) -> list[tuple[str, dict[str, str], str]]:
    """Every workflow command in the output: (name, properties, message), as the runner parses them."""
    found = []
    for line in re.split(r"\r\n|\r|\n", text):  # the runner's line breaks (.NET ReadLine), no others
        line = line.lstrip()
        if not line.startswith("::") or line.find("::", 2) < 0:
            continue
        end = line.find("::", 2)
        name, _, props = line[2:end].partition(" ")
        properties = {}
        for pair in filter(None, props.split(",")):
            key, _, value = pair.partition("=")
            properties[key] = unescape(value, PROPERTY_ESCAPES)
        found.append((name, properties, unescape(line[end + 2 :], DATA_ESCAPES)))
    return found


def check(
    content: Path, summary: Path | None = None, *args: str, cwd: Path = ROOT, **env: str
) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_") and key != "SITEURL"}
    if summary is not None:
        environ["GITHUB_STEP_SUMMARY"] = str(summary)
    environ.update(env)
    command = [sys.executable, str(ROOT / "tasks.py"), "check", "--path", str(content), "--format", "github", *args]
    return subprocess.run(
        command, capture_output=True, text=True, cwd=cwd, env=environ, stdin=subprocess.DEVNULL, timeout=300
    )


def site(tmp_path: Path, events: dict[str, str]) -> Path:
    content = tmp_path / "content"
    write_files(content, {**MINIMAL_PAGES, **{f"events/{name}": text for name, text in events.items()}})
    return content


# --- Annotations ---------------------------------------------------------------------------------


def test_a_content_error_is_an_error_command_on_its_file_and_line(tmp_path):
    content = site(tmp_path, {"2024-05-31-broken.md": BROKEN, "2023-02-01-older.md": PAST_WITHOUT_NOTES})
    done = check(content)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    sentence = 'content/events/2024-05-31-broken.md:6: timezone "EST" is not a time zone name; use "America/New_York"'
    assert (
        f"::error file=content/events/2024-05-31-broken.md,line=6,title=Content error (timezone)::{sentence}"
        in done.stdout.splitlines()
    )
    found = commands(done.stdout + done.stderr)
    assert [(name, props["file"], props.get("line")) for name, props, _ in found] == [
        ("error", "content/events/2024-05-31-broken.md", "6"),
        ("warning", "content/events/2023-02-01-older.md", "2"),
    ]
    assert found[0][2] == sentence
    assert found[1][2].startswith("content/events/2023-02-01-older.md:2: the event is over")
    assert sentence in done.stderr  # and the plain sentences, as the text format prints them, for the log


def test_a_clean_check_prints_only_warnings_and_passes(tmp_path):
    done = check(site(tmp_path, {"2023-02-01-older.md": PAST_WITHOUT_NOTES, "2024-05-31-office-hours.md": PARIS}))
    assert done.returncode == 0, done.stdout + done.stderr
    assert [(name, props["file"]) for name, props, _ in commands(done.stdout)] == [
        ("warning", "content/events/2023-02-01-older.md")
    ]
    assert "No errors: every content file can be published." in done.stdout


FORGING_NAMES = [
    "a,line=99,title=forged.md",
    "b::error file=forged.md::forged.md",
    "c%0A::error file=forged.md::forged.md",
    "d%2Cline=1%3A%3Aerror.md",
    "e\n::error file=forged.md::forged\n.md",
    "f\r\n::warning file=forged.md::forged.md",
    "g\r::notice::forged.md",
]


def test_a_file_name_cannot_forge_a_command(tmp_path):
    content = site(tmp_path, {"2024-05-31-office-hours.md": PARIS})
    for name in FORGING_NAMES:
        (content / "events" / name).write_text(PARIS, encoding="utf-8")
    done = check(content)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stdout + done.stderr
    found = commands(done.stdout + done.stderr)
    # One error per file, each on the file exactly as it is named, and nothing else: no command the names hold.
    assert sorted(props["file"] for _, props, _ in found) == sorted(f"content/events/{name}" for name in FORGING_NAMES)
    assert {name for name, _, _ in found} == {"error"}
    assert all(set(props) <= {"file", "line", "title"} for _, props, _ in found)
    assert len(found) == int(SUMMARY_SENTENCE.search(done.stderr)[1]) == len(FORGING_NAMES)


def test_any_other_failure_is_one_error_command(tmp_path):
    content = site(tmp_path, {})
    (content / "events").symlink_to(tmp_path, target_is_directory=True)  # the inventory stops the build here
    done = check(content)
    assert done.returncode == 1
    found = commands(done.stdout)
    assert found and all(name == "error" for name, _, _ in found), done.stdout + done.stderr


@given(st.text(), st.text(), st.text())
def test_commands_read_back_as_written(message, path, title):
    line = report.workflow_command("error", message, file=path, line=3, title=title)
    assert "\n" not in line and "\r" not in line
    ((name, props, data),) = commands(line)
    assert name == "error" and data == message
    assert props == {key: value for key, value in {"file": path, "line": "3", "title": title}.items() if value}


def test_escaping_is_the_toolkits():
    # actions/toolkit packages/core/src/command.ts: escapeData and escapeProperty
    assert report.escape_data("100% a\r\nb:c,d") == "100%25 a%0D%0Ab:c,d"
    assert report.escape_property("100% a\r\nb:c,d") == "100%25 a%0D%0Ab%3Ac%2Cd"
    assert report.workflow_command("warning", "m", file="", line=None, title="t") == "::warning title=t::m"


# --- The job summary -----------------------------------------------------------------------------


def test_the_summary_shows_each_session_in_the_display_zones_and_the_calendar_links(tmp_path):
    content = site(tmp_path, {"2019-05-30-hangout.md": SYDNEY})
    summary = tmp_path / "summary.md"
    summary.write_text("Earlier step.\n", encoding="utf-8")
    done = check(content, summary, SITEURL="https://example.org/site")
    assert done.returncode == 0, done.stdout + done.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("Earlier step.\n## Content check\n")  # appended, never overwritten
    assert "| When | Thu, 30 May 2019 09:00 Sydney / 29 May 16:00 Pacific / 29 May 23:00 UTC |" in text
    assert "#### Hangout\n" in text
    assert (
        "[https://example.org/site/events/2019-05-30-hangout.ics](https://example.org/site/events/2019-05-30-hangout.ics)"
        in text
    )
    assert "webcal://example.org/site/events/2019-05-30-hangout.ics" in text
    assert "Every event (no base branch to compare with)" in text


def test_the_summary_lists_the_errors(tmp_path):
    content = site(tmp_path, {"2024-05-31-broken.md": BROKEN, "2019-05-30-hangout.md": SYDNEY})
    summary = tmp_path / "summary.md"
    done = check(content, summary)
    assert done.returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert "**1 content error** stops the site from being built" in text
    assert (
        '- content/events/2024-05-31-broken.md:6: timezone "EST" is not a time zone name; use "America/New\\_York"'
        in text
    )
    assert "09:00 Sydney / 29 May 16:00 Pacific" in text  # the valid event is still shown


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        check=True,
        capture_output=True,
    )


def proposal(tmp_path: Path, base: dict[str, str], change) -> Path:
    """A git repository whose main branch holds the base events, and a branch that changes them."""
    repo = tmp_path / "repo"
    content = site(repo, base)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # as actions/checkout leaves it
    git(repo, "switch", "-q", "-c", "proposal")
    change(content / "events")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "proposal")
    return content


def test_with_a_base_the_summary_shows_only_the_changed_events(tmp_path):
    content = proposal(
        tmp_path,
        {"2019-05-30-hangout.md": SYDNEY, "2023-02-01-older.md": PAST_WITHOUT_NOTES},
        lambda events: (events / "2024-05-31-office-hours.md").write_text(PARIS, encoding="utf-8"),
    )
    for args, env, base in [((), {"GITHUB_BASE_REF": "main"}, "origin/main"), (("--base", "main"), {}, "main")]:
        summary = tmp_path / f"summary-{base.replace('/', '-')}.md"
        done = check(content, summary, *args, **env)
        assert done.returncode == 0, done.stdout + done.stderr
        text = summary.read_text(encoding="utf-8")
        assert f"### Events changed since {base}\n" in text
        assert (
            "#### Office hours\n" in text
            and "| When | Fri, 31 May 2024 14:00–15:00 Paris / 05:00–06:00 Pacific" in text
        )
        assert "Hangout" not in text and "Older" not in text
        assert "warning" not in text  # the unchanged file's warning is left to the annotations
    summary = tmp_path / "summary-missing.md"
    assert check(content, summary, "--base", "no-such-branch").returncode == 0
    text = summary.read_text(encoding="utf-8")
    assert (
        "### Every event (could not compare with no-such-branch)" in text
        and "#### Hangout" in text
        and "#### Office hours" in text
    )


def test_changed_files_without_an_event_page_are_named(tmp_path):
    def change(events: Path) -> None:
        (events / "2023-02-01-older.md").unlink()
        (events / "2024-05-31-broken.md").write_text(BROKEN, encoding="utf-8")

    content = proposal(tmp_path, {"2019-05-30-hangout.md": SYDNEY, "2023-02-01-older.md": PAST_WITHOUT_NOTES}, change)
    summary = tmp_path / "summary.md"
    assert check(content, summary, "--base", "main").returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert "- content/events/2023-02-01-older.md: removed\n" in text
    assert "- content/events/2024-05-31-broken.md: not shown: see its errors above\n" in text
    assert "Hangout" not in text


HOSTILE_TITLE = "# 1 < 2 | <b | **x** _y_ `z` [a](https://example.org) @team $x$ &amp; ~~s~~ ![i](x.png) #"


def test_contributor_text_in_the_summary_is_escaped_markdown(tmp_path):
    event = SYDNEY.replace("title: Hangout", "title: " + repr(HOSTILE_TITLE).replace("'", '"')).replace(
        "    timezone: Australia/Sydney", '    timezone: Australia/Sydney\n    label: "| one | two"'
    )
    content = site(
        tmp_path,
        {"2019-05-30-hangout.md": event, "2019-05-31-second.md": SYDNEY.replace("Hangout", '"- [ ] not a task"')},
    )
    summary = tmp_path / "summary.md"
    assert check(content, summary).returncode == 0
    text = summary.read_text(encoding="utf-8")
    assert not any(line.startswith(("# 1", "#1", "- [ ]")) for line in text.splitlines())
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    for tag in ("<strong", "<em", "<code", "<b>", "<b ", "<s>", "<del", "<img", "<input"):
        assert tag not in html, tag
    links = re.findall(r'<a href="([^"]*)"', html)  # only the two calendar feeds
    assert len(links) == 2 and all(
        re.fullmatch(r"https://wikimedia-libraries\.github\.io/events/2019-05-3[01]-[a-z]+\.ics", link)
        for link in links
    ), links
    heading = "<h4>" + HOSTILE_TITLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</h4>"
    assert heading in html
    assert "<h4>- [ ] not a task</h4>" in html
    assert "<td>| one | two</td>" in html
    for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S):
        assert row.count("<td>") + row.count("<th>") == 2, row


@pytest.mark.parametrize(
    "text", ["a|b", "<script>", "*x*", "_x_", "`x`", "[x](y)", "# x", "a\nb", "a\r\nb", "\u202eevil"]
)
def test_escape_markdown_keeps_text_on_one_line_and_literal(text):
    escaped = report.escape_markdown(text)
    assert "\n" not in escaped and "\r" not in escaped and "\u202e" not in escaped
    html = MarkdownIt("commonmark").enable("table").render(f"| {escaped} |\n| --- |\n| {escaped} |\n")
    assert (
        html.count("<th>") == 1
        and html.count("<td>") == 1
        and "<script" not in html
        and "<em>" not in html
        and "<code>" not in html
    )
