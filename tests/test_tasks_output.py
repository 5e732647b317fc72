"""The tasks and output/: the last good site stays, and nothing is deleted or written through a link.

Each test runs the tasks as people do, in a private copy of the checkout (tasks.py, the settings,
theme and plugins, with its own small content/), so output/ and cache/ here are never the repo's.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import benchmark
import pytest
from community_events import proposal
from conftest import MINIMAL_PAGES, ROOT, write_files

COPIED = ("tasks.py", "tools", "pelicanconf.py", "publishconf.py", "theme", "plugins", "translations")
MARKER = ".made-by-tasks"
EVENT = """\
---
title: Meetup
sessions:
  - start: 2024-05-31 14:00
    timezone: UTC
    duration: 1 hour
    platform: Zoom
    join: https://example.org/join
---
Agenda.
"""
BROKEN_EVENT = (ROOT / "tests/broken-content/hour-25/events/hour-25.md").read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path) -> Path:
    """A private checkout with a small site in content/."""
    copy = tmp_path / "site"
    copy.mkdir()
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, copy / name)
    write_files(copy / "content", {**MINIMAL_PAGES, "events/2024-05-31-meetup.md": EVENT})
    return copy


def command(*args: str) -> list[str]:
    # What `python3 tasks.py TASK` runs once .venv exists (it chdirs to the checkout, then
    # execs .venv's Python with -m invoke); bootstrapping a copy would only repeat the
    # install into the repo's .venv.
    return [sys.executable, "-m", "invoke", *args]


def run(site: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(*args), cwd=site, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=timeout
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def leftovers(site: Path) -> list[str]:
    return sorted(path.name for path in site.glob(".output-*"))


def assert_one_line_refusal(done: subprocess.CompletedProcess, words: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def built(site: Path) -> dict[str, bytes]:
    done = run(site, "build")
    assert done.returncode == 0, done.stdout + done.stderr
    return snapshot(site / "output")


# --- Builds swap in a whole site, or nothing ---------------------------------------------------


def test_build_swaps_in_a_marked_site_and_leaves_no_half_built_folder(site):
    first = built(site)
    assert MARKER in first and "about/index.html" in first and "events/2024-05-31-meetup/index.html" in first
    (site / "content/pages/about.md").write_text("---\ntitle: About\n---\nAbout us, edited.\n", encoding="utf-8")
    second = built(site)
    assert b"About us, edited." in second["about/index.html"] and b"About us, edited." not in first["about/index.html"]
    assert leftovers(site) == []


FAILURES = {
    "content error": ("content/events/hour-25.md", BROKEN_EVENT, "content/events/hour-25.md:4: start"),
    "settings error": (
        "pelicanconf.py",
        'COMMUNITY_EVENTS = {"no_such_option": 1}\n',
        "pelicanconf.py: COMMUNITY_EVENTS has unknown keys",
    ),
    "any exception": (
        "pelicanconf.py",
        'raise RuntimeError("boom")\n',
        "the site could not be built (RuntimeError: boom); please report this",
    ),
}


@pytest.mark.parametrize("task", ["build", "publish"])
@pytest.mark.parametrize("failure", FAILURES)
def test_a_failed_build_keeps_the_previous_output_byte_for_byte(site, task, failure):
    before = built(site)
    relative, text, message = FAILURES[failure]
    with open(site / relative, "a", encoding="utf-8") as file:
        file.write(text)
    done = run(site, task)
    assert done.returncode == 1 and message in done.stderr, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(site / "output") == before
    assert leftovers(site) == []


@pytest.mark.parametrize("task", ["build", "publish", "check"])
def test_debug_shows_the_traceback_of_an_unexpected_error(site, task):
    before = built(site)
    with open(site / "pelicanconf.py", "a", encoding="utf-8") as file:
        file.write('raise RuntimeError("boom")\n')
    plain, debug = run(site, task), run(site, task, "--debug")
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert plain.stderr.strip() == "the site could not be built (RuntimeError: boom); please report this"
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.strip().endswith("RuntimeError: boom") and "please report this" not in debug.stderr
    assert snapshot(site / "output") == before


def test_ctrl_c_in_the_middle_of_a_build_keeps_the_previous_output(site):
    """A site of 1,000 events takes over a second; SIGINT lands while it is being built."""
    before = built(site)
    shutil.rmtree(site / "content")
    benchmark.generate_site(site, 1000)
    output_changed = (site / "output").stat().st_mtime_ns
    entries = set(site.iterdir())
    # Python ignores SIGINT in a child whose parent ignored it (a background job); undo that.
    building = subprocess.Popen(
        command("build"),
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    # Started: a folder appeared beside output/, or output/ itself changed (as it would if it were emptied first).
    while set(site.iterdir()) == entries and (site / "output").stat().st_mtime_ns == output_changed:
        assert time.monotonic() < deadline and building.poll() is None, "the build never started"
        time.sleep(0.01)
    time.sleep(0.3)  # well into reading and writing 1,000 events
    assert building.poll() is None, "the build ended before it could be interrupted; make the site bigger"
    # Again until it stops: a Ctrl-C that lands in a callback from Rust (nh3) is printed and ignored there.
    while building.poll() is None:
        building.send_signal(signal.SIGINT)
        time.sleep(0.05)
    out, err = building.communicate(timeout=60)
    assert building.returncode != 0, out + err
    assert "Stopped: output/ still holds the last good build." in err
    assert err.count("Traceback") == err.count("Exception ignored in"), err
    assert snapshot(site / "output") == before
    assert leftovers(site) == []


# --- Folders these tasks did not make ------------------------------------------------------------


@pytest.mark.parametrize("task", ["build", "publish", "clean", "livereload"])
@pytest.mark.parametrize("name", ["output", "cache"])
def test_a_symlinked_output_or_cache_is_refused_and_nothing_behind_it_is_touched(site, tmp_path, name, task):
    elsewhere = tmp_path / "elsewhere"
    write_files(elsewhere, {"precious.txt": "keep me\n", "folder/more.txt": "and me\n"})
    (site / name).symlink_to(elsewhere, target_is_directory=True)
    done = run(site, task, timeout=60)  # livereload would otherwise run until stopped
    assert snapshot(elsewhere) == {"precious.txt": b"keep me\n", "folder/more.txt": b"and me\n"}
    assert_one_line_refusal(done, f"{name} is a symbolic link (to {elsewhere})")
    assert (site / name).is_symlink()
    assert leftovers(site) == []


@pytest.mark.parametrize("task", ["build", "clean"])
def test_a_folder_these_tasks_did_not_make_is_refused(site, task):
    write_files(site / "output", {"notes.txt": "mine\n"})
    done = run(site, task)
    assert_one_line_refusal(done, f"output is not a folder these tasks made (it has no {MARKER} file)")
    assert snapshot(site / "output") == {"notes.txt": b"mine\n"}


def test_a_file_named_output_is_refused(site):
    (site / "output").write_text("mine\n", encoding="utf-8")
    assert_one_line_refusal(run(site, "build"), "output is not a folder these tasks made")
    assert (site / "output").read_text(encoding="utf-8") == "mine\n"


def test_an_empty_output_folder_is_built_into(site):
    (site / "output").mkdir()
    assert "index.html" in built(site)


def test_clean_removes_what_the_tasks_made(site):
    built(site)
    write_files(site / "cache", {MARKER: "", "x.pickle": ""})
    write_files(site / ".output-0123456789ab", {"index.html": "half-built\n"})  # from a build that was killed
    done = run(site, "clean")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (site / "output").exists() and not (site / "cache").exists() and leftovers(site) == []


# --- new-event and new-story never write through a link ------------------------------------------


NEW_EVENT = ["new-event", "--title", "Meetup two", "--start", "2030-01-01", "--path", "content"]


@pytest.mark.parametrize("link", ["content", "content/events", "content/events/2030-01-01-meetup-two.md"])
def test_new_event_refuses_to_write_through_a_symlink(site, tmp_path, link):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere if link != "content" else elsewhere / "content"
    if link == "content":
        shutil.move(site / "content", target)
    elif link == "content/events":
        shutil.rmtree(site / link)
    (site / link).symlink_to(target if not link.endswith(".md") else elsewhere / "new.md")
    before = snapshot(elsewhere)
    done = run(site, *NEW_EVENT)
    assert_one_line_refusal(
        done, f"Not written: {link} is a symbolic link, and new files are never written through one"
    )
    assert snapshot(elsewhere) == before and not (elsewhere / "new.md").exists()


def test_new_story_refuses_a_symlinked_stories_folder_outside_the_checkout(site, tmp_path):
    content, elsewhere = tmp_path / "content", tmp_path / "elsewhere"
    write_files(content, MINIMAL_PAGES)
    elsewhere.mkdir()
    (content / "stories").symlink_to(elsewhere)
    done = run(
        site, "new-story", "--title", "A story", "--author", "Someone", "--date", "2030-01-01", "--path", str(content)
    )
    assert_one_line_refusal(done, f"Not written: {content / 'stories'} is a symbolic link")
    assert list(elsewhere.iterdir()) == []


def test_new_event_still_writes_into_real_folders_and_never_over_a_file(site):
    first = run(site, *NEW_EVENT)
    assert first.returncode == 0 and "Wrote content/events/2030-01-01-meetup-two.md." in first.stdout, (
        first.stdout + first.stderr
    )
    written = (site / "content/events/2030-01-01-meetup-two.md").read_text(encoding="utf-8")
    assert_one_line_refusal(run(site, *NEW_EVENT), "content/events/2030-01-01-meetup-two.md already exists")
    assert (site / "content/events/2030-01-01-meetup-two.md").read_text(encoding="utf-8") == written


# --- lint, linkcheck and propose-event, as the workflows run them --------------------------------


def test_lint_passes_clean_code_and_fails_on_a_finding(site):
    shutil.copy2(ROOT / "pyproject.toml", site / "pyproject.toml")
    done = run(site, "lint")
    assert done.returncode == 0, done.stdout + done.stderr
    (site / "tools/unused.py").write_text("import os\n", encoding="utf-8")
    done = run(site, "lint")
    assert done.returncode == 1 and "F401" in done.stdout and "tools/unused.py" in done.stdout, done.stdout


def test_linkcheck_checks_output_at_the_published_address_and_annotates_a_broken_link(site):
    (site / "publishconf.py").write_text('from pelicanconf import *\nSITEURL = "https://example.org"\n')
    links = '<a href="https://example.org/about/">about</a> <a href="/events/">events</a>'
    write_files(site / "output", {"index.html": links, "about/index.html": "a", "events/index.html": "e"})
    done = run(site, "linkcheck", "--format", "github")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.endswith("for https://example.org: no problems.\n"), done.stdout
    (site / "output/about/index.html").unlink()
    done = run(site, "linkcheck", "--format", "github")
    assert done.returncode == 1 and done.stdout.startswith("::error file=output/index.html,line=1,"), done.stdout
    assert "leads to about/index.html, which is not in output/" in done.stdout
    assert_one_line_refusal(run(site, "linkcheck", "--format", "json"), 'Unknown --format "json"')


def test_propose_event_writes_the_event_file_the_reply_and_the_outputs(site, tmp_path):
    answers = {"title": "Meetup two", "start": "2030-01-01"}
    body = "\n\n".join(f"### {field.label}\n\n{answers.get(field.id, '_No response_')}" for field in proposal.FIELDS)
    (tmp_path / "body.md").write_text(body, encoding="utf-8")
    files = ["--body-file", str(tmp_path / "body.md"), "--comment-file", str(tmp_path / "answer/comment.md")]
    done = run(site, "propose-event", *files, "--outputs-file", str(tmp_path / "outputs"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "Wrote content/events/2030-01-01-meetup-two.md.\n"
    assert (tmp_path / "outputs").read_text() == "status=made\nfile=2030-01-01-meetup-two.md\n"
    assert "`content/events/2030-01-01-meetup-two.md`" in (tmp_path / "answer/comment.md").read_text()
    assert run(site, "check").returncode == 0
    # The same answers again (the issue was edited): the file is never written over.
    done = run(site, "propose-event", *files)
    assert done.returncode == 0 and done.stdout.startswith("Not written: "), done.stdout + done.stderr
    assert "already exists" in (tmp_path / "answer/comment.md").read_text()


# --- serve and livereload ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(site: Path, tmp_path: Path, *args: str) -> tuple[subprocess.Popen, Path, Path]:
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    process = subprocess.Popen(
        command(*args),
        cwd=site,
        stdout=out.open("w"),
        stderr=err.open("w"),
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    return process, out, err


def wait_for(condition, what: str, process: subprocess.Popen, err: Path, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert process.poll() is None, f"stopped while waiting for {what}: {err.read_text()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}: {err.read_text()}"
        time.sleep(0.05)
    return result


def changing(write, condition, what: str, process: subprocess.Popen, err: Path) -> None:
    """Write, and write again every few seconds until condition holds: livereload does not watch
    while it builds, so a change made just as a build ends can go unnoticed (Pelican's watcher)."""
    deadline = time.monotonic() + 60
    while True:
        write()
        try:
            return wait_for(condition, what, process, err, seconds=min(3, deadline - time.monotonic()))
        except AssertionError:
            if process.poll() is not None or time.monotonic() >= deadline:
                raise


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()


def test_serve_takes_a_port(site, tmp_path):
    port = free_port()
    process, out, err = start(site, tmp_path, "serve", "--port", str(port))
    try:
        wait_for(lambda: f"Serving the site at http://127.0.0.1:{port}/" in out.read_text(), "the server", process, err)
        assert get(f"http://127.0.0.1:{port}/about/")[0] == 200
        assert get(f"http://127.0.0.1:{port}/no-such-page/")[0] == 404
    finally:
        assert stop(process) in (0, 1), err.read_text()
    assert "Traceback" not in err.read_text()


def test_serve_on_a_busy_port_says_so_in_one_line(site):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run(site, "serve", "--port", str(port))
    assert_one_line_refusal(done, f"Cannot serve at 127.0.0.1:{port}")


def test_livereload_serves_the_last_good_build_while_rebuilding_and_after_a_failure(site, tmp_path):
    """300 events, so that each rebuild takes a while; a client asks for a page all along."""
    benchmark.generate_site(site, 300)
    port = free_port()
    url = f"http://127.0.0.1:{port}/about/"
    process, out, err = start(site, tmp_path, "livereload", "--port", str(port))
    answers: list[tuple[int, bool]] = []  # status, and whether a build was under way (a folder beside output/)
    done = threading.Event()

    def keep_asking():
        while not done.is_set() or len(answers) < 400:
            building = bool(leftovers(site))
            answers.append((get(url)[0], building))
            time.sleep(0.002)

    client = threading.Thread(target=keep_asking)
    try:
        wait_for(lambda: get(url)[0] == 200, "the first build", process, err)
        client.start()
        settings = (site / "pelicanconf.py").read_text(encoding="utf-8")

        def break_settings():
            (site / "pelicanconf.py").write_text(settings + 'raise RuntimeError("boom")\n', encoding="utf-8")

        def edit_and_mend():
            (site / "content/pages/about.md").write_text(
                "---\ntitle: About\n---\nAbout us, edited.\n", encoding="utf-8"
            )
            (site / "pelicanconf.py").write_text(settings, encoding="utf-8")

        failed = "the site could not be built (RuntimeError: boom); please report this"
        changing(break_settings, lambda: failed in err.read_text(), "the failed build", process, err)
        assert b"About the group." in get(url)[1]
        changing(edit_and_mend, lambda: b"About us, edited." in get(url)[1], "the rebuild", process, err)
    finally:
        done.set()
        if client.is_alive():
            client.join()
        code = stop(process)
    assert {status for status, _ in answers} == {200}, sorted(set(answers))
    assert sum(building for _, building in answers) >= 10, f"{len(answers)} requests, too few during a build"
    assert code == 0 and "Traceback" not in err.read_text(), err.read_text()
    assert leftovers(site) == []
