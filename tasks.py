"""Build, preview, test and publish the site. Run `invoke --list` for the tasks.

On a new machine, run this file with Python instead: `python3 tasks.py serve`
creates `.venv/`, installs the pinned requirements into it (only when
requirements.txt changed) and then runs the same Invoke task inside it.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
REQUIREMENTS = ROOT / "requirements.txt"
PIP_METADATA_URL = "https://pypi.org/pypi/pip/json"


def _ensure_venv() -> None:
    """Create .venv with pip, even where Debian's python3-venv is missing."""
    if VENV_PYTHON.exists():
        return
    print(f"Setting up {VENV.name}/ (first run only)...", flush=True)
    if subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode == 0:
        return
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(VENV)], check=True)
    release = json.load(urllib.request.urlopen(PIP_METADATA_URL, timeout=60))
    wheel_url = next(f["url"] for f in release["urls"] if f["filename"].endswith(".whl"))
    with tempfile.TemporaryDirectory() as folder:
        wheel = Path(folder) / wheel_url.rsplit("/", 1)[-1]
        urllib.request.urlretrieve(wheel_url, wheel)
        subprocess.run([str(VENV_PYTHON), f"{wheel}/pip", "install", "-q", str(wheel)], check=True)


def _ensure_requirements() -> None:
    stamp = VENV / ".requirements.sha256"
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("Installing the pinned requirements...", flush=True)
    pip = [str(VENV_PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(digest)


if __name__ == "__main__":
    _ensure_venv()
    _ensure_requirements()
    os.chdir(ROOT)
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), "-m", "invoke", *sys.argv[1:]])

# From here on we run inside the virtual environment, under Invoke.
import threading  # noqa: E402

from invoke import Exit, task  # noqa: E402
from pelican import Pelican  # noqa: E402
from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer  # noqa: E402
from pelican.settings import read_settings  # noqa: E402
from pelican.utils import wait_for_changes  # noqa: E402

sys.path.insert(0, str(ROOT / "plugins"))
from community_events import scaffold  # noqa: E402
from community_events.errors import ContentError, ContentErrors  # noqa: E402
from community_events.options import SettingsError  # noqa: E402

CONFIG = {
    "settings_base": str(ROOT / "pelicanconf.py"),
    "settings_publish": str(ROOT / "publishconf.py"),
    "deploy_path": str(ROOT / "output"),
    "cache_path": str(ROOT / "cache"),
    "host": "127.0.0.1",
    "port": 8000,
    "tests": str(ROOT / "tests"),
    "js_tools": str(ROOT / "tests" / "js"),  # npm packages the tests run under Node (ical.js)
}


def _build(settings_file: str, output: str = CONFIG["deploy_path"], stop_on_error: bool = True, content: str = "", cache: bool = False, list_warnings: bool = False) -> None:
    """Run Pelican in-process; content errors become plain sentences, not tracebacks.

    With stop_on_error False (previews), a file with an error is reported and left
    out, and the rest of the site is still built.
    """
    settings = read_settings(settings_file, override={"OUTPUT_PATH": output, **({"PATH": content} if content else {})})
    settings["COMMUNITY_EVENTS"] = {**(settings.get("COMMUNITY_EVENTS") or {}), "stop_on_error": stop_on_error, "list_warnings": list_warnings}
    if cache:  # reuse what was read from unchanged files (see docs/benchmarks.md)
        settings.update(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CONTENT_CACHING_LAYER="generator", CACHE_PATH=CONFIG["cache_path"])
    try:
        Pelican(settings).run()
    except ContentErrors as errors:
        raise Exit(f"\n{errors}\n", code=1) from None
    except SettingsError as error:
        raise Exit(f"\npelicanconf.py: {error}\n", code=1) from None


class SiteRequestHandler(ComplexHTTPRequestHandler):
    """Pelican's handler, answering a missing page with the site's 404 page and status."""

    # Calendar apps want this exact type for feeds; the machine's mime.types may not know .ics.
    extensions_map = {**ComplexHTTPRequestHandler.extensions_map, ".ics": "text/calendar; charset=utf-8"}

    def do_GET(self):
        if self.get_path_that_exists(self.path.split("?", 1)[0]) is not None:
            return super().do_GET()
        page = Path(self.base_path, "404.html")
        body = page.read_bytes() if page.exists() else b"Not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve_forever() -> None:
    RootedHTTPServer.allow_reuse_address = True
    server = RootedHTTPServer(CONFIG["deploy_path"], (CONFIG["host"], CONFIG["port"]), SiteRequestHandler)
    print(f"Serving the site at http://{CONFIG['host']}:{CONFIG['port']}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        server.server_close()


@task
def clean(c):
    """Remove the built site and Pelican's cache."""
    for path in (CONFIG["deploy_path"], CONFIG["cache_path"]):
        shutil.rmtree(path, ignore_errors=True)


@task
def build(c):
    """Build the site into output/ with the local settings."""
    _build(CONFIG["settings_base"])


@task
def serve(c):
    """Build, then serve the site at http://127.0.0.1:8000 until Ctrl-C."""
    _build(CONFIG["settings_base"], stop_on_error=False)
    _serve_forever()


@task
def livereload(c):
    """Serve the site and rebuild it whenever content, theme or settings change."""
    settings = read_settings(CONFIG["settings_base"])
    threading.Thread(target=_serve_forever, daemon=True).start()
    while True:
        try:
            _build(CONFIG["settings_base"], stop_on_error=False, cache=True)
        except Exit as problem:  # a settings mistake: keep serving the last good build
            print(problem.message, file=sys.stderr, flush=True)
        changed = wait_for_changes(CONFIG["settings_base"], settings)
        print("Changed: " + ", ".join(sorted(str(path) for _, path in changed)), flush=True)


@task(help={"path": "a content folder to check instead of content/"})
def check(c, path=""):
    """Check every content file; print each problem as one sentence and fail on any error."""
    with tempfile.TemporaryDirectory() as scratch:
        _build(CONFIG["settings_base"], output=scratch, content=os.path.abspath(path) if path else "", list_warnings=True)
    print("No errors: every content file can be published.", flush=True)


def _ask(value: str, question: str, required: bool = False) -> str:
    """A flag's value, or the answer to a question when someone is at the keyboard."""
    if value or not sys.stdin.isatty():
        if required and not value:
            raise Exit(f"Missing: {question} (give it as a flag; see --help)", code=1)
        return value
    while True:
        answer = input(f"{question}{'' if required else ' (optional, Enter to skip)'}: ").strip()
        if answer or not required:
            return answer


def _write_new(folder: str, make) -> None:
    try:
        name, text = make()
    except ContentError as error:
        raise Exit(f"Not written: {error}", code=1) from None
    path = Path(folder) / name
    if path.exists():
        raise Exit(f"Not written: {path} already exists; choose another title or date", code=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}. Add the details, then run: python3 tasks.py serve")


EVENT_QUESTIONS = {
    "title": "Title", "start": "Start, as YYYY-MM-DD HH:MM (or just YYYY-MM-DD)", "timezone": "Time zone, e.g. America/New_York",
    "duration": "How long, e.g. 1 hour", "platform": "Online platform, e.g. Zoom", "join": "Link to join",
    "place": "Place, for an event in person", "series": "Series (a file name in content/series)", "summary": "One-sentence summary",
}


@task(help={**{name: question for name, question in EVENT_QUESTIONS.items()}, "end": "End time, HH:MM (instead of --duration)",
            "status": "scheduled, tentative, cancelled or postponed", "registration": "Sign-up link", "path": "content folder (default content/)"})
def new_event(c, title="", start="", timezone="", duration="", end="", platform="", join="", place="", series="", summary="", status="scheduled", registration="", path="content"):
    """Write a new event file in content/events/, from flags or by asking."""
    answers = {name: _ask(value, EVENT_QUESTIONS[name], required=name in ("title", "start")) for name, value in
               dict(title=title, start=start).items()}
    timed = ":" in answers["start"]
    answers["timezone"] = _ask(timezone, EVENT_QUESTIONS["timezone"], required=timed) if timed else timezone
    for name, value in dict(duration=duration, platform=platform, join=join, place=place, series=series, summary=summary).items():
        answers[name] = value if (name == "duration" and (end or not timed)) else _ask(value, EVENT_QUESTIONS[name])
    if answers["series"] and not (Path(path) / "series" / f"{answers['series']}.md").exists():
        raise Exit(f'Not written: there is no series "{answers["series"]}" in {path}/series/', code=1)
    _write_new(f"{path}/events", lambda: scaffold.event_file(end=end, status=status, registration=registration, **answers))


@task(help={"title": "Title", "author": "Who wrote it", "date": "YYYY-MM-DD (default today)", "summary": "A sentence or two for the list",
            "library": "The library the story is about", "country": "Its country", "path": "content folder (default content/)"})
def new_story(c, title="", author="", date="", summary="", library="", country="", path="content"):
    """Write a new story file in content/stories/, from flags or by asking."""
    title = _ask(title, "Title", required=True)
    author = _ask(author, "Author", required=True)
    summary = _ask(summary, "Summary, a sentence or two")
    library, country = _ask(library, "Library"), _ask(country, "Country")
    _write_new(f"{path}/stories", lambda: scaffold.story_file(title, author, date, summary=summary, library=library, country=country))


@task
def publish(c):
    """Build the production site into output/ with publishconf.py."""
    _build(CONFIG["settings_publish"])


def _ensure_node_packages(c) -> None:
    """Install the pinned npm packages the tests use, when Node is here and the lock file changed."""
    folder = Path(CONFIG["js_tools"])
    if shutil.which("npm") is None:
        print("npm not found: tests that need Node.js will be skipped (CI installs it).", flush=True)
        return
    stamp = folder / "node_modules" / ".package-lock.sha256"
    digest = hashlib.sha256((folder / "package-lock.json").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    c.run(f'npm ci --prefix "{folder}" --no-audit --no-fund --loglevel=error', pty=False)
    stamp.write_text(digest)


@task(help={"args": "extra arguments for pytest, e.g. \"-k zones -x\""})
def test(c, args=""):
    """Run the whole test suite."""
    _ensure_node_packages(c)
    # A separate process, so pytest's plugins load before Pelican's imports do.
    result = c.run(f'"{sys.executable}" -m pytest "{CONFIG["tests"]}" {args}', warn=True, pty=False)
    if result.exited:
        raise Exit(code=result.exited)


@task(help={"sizes": "comma-separated numbers of synthetic events", "runs": "builds of each kind per size; medians are reported"})
def bench(c, sizes="100,1000,5000", runs=5):
    """Benchmark builds of synthetic sites: time, the plugin's CPU share, one-file rebuilds, memory."""
    sys.path.insert(0, CONFIG["tests"])
    import benchmark

    results = []
    for events in (int(size) for size in sizes.split(",")):
        print(f"Building {events:,} events, {runs} times each way...", flush=True)
        results.append(benchmark.measure(events, runs=int(runs)))
    print(benchmark.table(results))
