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
import contextlib  # noqa: E402
import ctypes  # noqa: E402
import errno  # noqa: E402
import secrets  # noqa: E402
import threading  # noqa: E402
import traceback  # noqa: E402
from http.server import HTTPServer  # noqa: E402
from socketserver import ThreadingMixIn  # noqa: E402

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
# Written into output/ and cache/ when these tasks make them: only a folder holding it (or an
# empty one) is ever replaced or deleted. Anything else there, or a symbolic link, stops the task.
MARKER = ".made-by-tasks"
DEBUG_HELP = "show the traceback of an unexpected error instead of one line"
PORT_HELP = f"the port to serve on (default {CONFIG['port']})"


@contextlib.contextmanager
def _no_traceback(debug: bool = False):
    """Any unexpected exception becomes one line and exit 1; --debug shows its traceback instead."""
    try:
        yield
    except Exit:
        raise
    except Exception as error:
        if debug:
            raise
        detail = " ".join(str(error).split())
        what = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
        raise Exit(f"the site could not be built ({what}); please report this", code=1) from None


def _refuse_foreign(folder: Path, refusal: str = "Not building") -> None:
    """Stop unless folder is missing, empty or marked as made by these tasks; never follow a link."""
    if folder.is_symlink():
        raise Exit(f"{refusal}: {folder.name} is a symbolic link (to {os.readlink(folder)}); remove the link itself, not what it points to, and try again", code=1)
    if folder.exists() and not (folder.is_dir() and ((folder / MARKER).is_file() or not any(folder.iterdir()))):
        raise Exit(f"{refusal}: {folder.name} is not a folder these tasks made (it has no {MARKER} file); move it away, or delete it if nothing in it is needed, and try again", code=1)


def _mark(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    (folder / MARKER).write_text("Made by tasks.py, which replaces or deletes this folder; keep nothing else here.\n")


def _rename_exchange():
    """libc's renameat2 (Linux), which swaps two paths in one step; None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


RENAMEAT2, AT_FDCWD, RENAME_EXCHANGE = _rename_exchange(), -100, 2


def _swap_in(fresh: Path, output: Path) -> None:
    """Put fresh where output is, in one step where the OS can; afterwards fresh holds the old site, if any."""
    if not os.path.lexists(output):
        os.rename(fresh, output)
        return
    if RENAMEAT2 is not None:
        if RENAMEAT2(AT_FDCWD, os.fsencode(fresh), AT_FDCWD, os.fsencode(output), RENAME_EXCHANGE) == 0:
            return
        number = ctypes.get_errno()
        if number not in (errno.EINVAL, errno.ENOSYS, errno.EPERM):  # not: a file system, kernel or sandbox without it
            raise OSError(number, os.strerror(number), str(output))
    parked = fresh.with_name(fresh.name + "-old")  # elsewhere: two renames, with a moment without output/
    os.rename(output, parked)
    try:
        os.rename(fresh, output)
    except BaseException:
        os.rename(parked, output)
        raise
    os.rename(parked, fresh)


def _pelican(settings_file: str, output: str, stop_on_error: bool, content: str, cache: bool, list_warnings: bool) -> None:
    """Run Pelican in-process; content and settings errors become plain sentences, not tracebacks."""
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


def _build(settings_file: str, stop_on_error: bool = True, content: str = "", cache: bool = False, list_warnings: bool = False, debug: bool = False, scratch: str = "") -> None:
    """Build into a fresh folder beside output/ and swap it in only when the build succeeded.

    A failed or interrupted build leaves the last good output/ as it was. With scratch, build
    there instead (check). With stop_on_error False (previews), a file with an error is
    reported and left out, and the rest of the site is still built.
    """
    options = dict(stop_on_error=stop_on_error, content=content, cache=cache, list_warnings=list_warnings)
    with _no_traceback(debug):
        if scratch:
            return _pelican(settings_file, scratch, **options)
        output, cache_folder = Path(CONFIG["deploy_path"]), Path(CONFIG["cache_path"])
        for folder in (output, cache_folder):
            _refuse_foreign(folder)
        if cache:
            _mark(cache_folder)
        fresh = output.with_name(f".{output.name}-{secrets.token_hex(6)}")  # same parent: the swap is a rename
        try:
            fresh.mkdir()
            _pelican(settings_file, str(fresh), **options)
            _mark(fresh)
            _swap_in(fresh, output)
        except KeyboardInterrupt:
            print(f"\nStopped: {output.name}/ still holds the last good build.", file=sys.stderr, flush=True)
            raise
        finally:
            _remove(fresh)  # the half-built site, or the old one


def _remove(folder: Path) -> None:
    """Delete a folder these tasks made, finishing even if Ctrl-C comes in the middle."""
    interrupted = False
    while True:
        try:
            shutil.rmtree(folder, ignore_errors=True)
            break
        except KeyboardInterrupt:
            interrupted = True
    if interrupted:
        raise KeyboardInterrupt


class SiteRequestHandler(ComplexHTTPRequestHandler):
    """Pelican's handler, answering a missing page with the site's 404 page and status."""

    # Calendar apps want this exact type for feeds; the machine's mime.types may not know .ics.
    extensions_map = {**ComplexHTTPRequestHandler.extensions_map, ".ics": "text/calendar; charset=utf-8"}

    def __init__(self, request, client_address, server):
        if hasattr(server, "base_path"):  # SiteServer's own folder, not the one Pelican's sets for the class
            self.base_path = server.base_path
        super().__init__(request, client_address, server)

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


class SiteServer(ThreadingMixIn, RootedHTTPServer):
    """Pelican's RootedHTTPServer with a thread per request; the folder belongs to the server."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, base_path: str, address: tuple[str, int], handler=SiteRequestHandler):
        HTTPServer.__init__(self, address, handler)
        self.base_path = base_path


def _server(port: int) -> SiteServer:
    try:
        return SiteServer(CONFIG["deploy_path"], (CONFIG["host"], int(port)))
    except OSError as error:
        raise Exit(f"Cannot serve at {CONFIG['host']}:{port} ({error.strerror}); stop what uses that port or choose another with --port", code=1) from None


def _serve_forever(server: SiteServer) -> None:
    host, port = server.server_address[:2]
    print(f"Serving the site at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        server.server_close()


@task
def clean(c):
    """Remove the built site and Pelican's cache (only folders these tasks made; never through a link)."""
    output = Path(CONFIG["deploy_path"])
    for folder in (output, Path(CONFIG["cache_path"])):
        _refuse_foreign(folder, "Not removed")
        shutil.rmtree(folder, ignore_errors=True)
    for leftover in output.parent.glob(f".{output.name}-*"):  # from a build that was killed
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


@task(help={"debug": DEBUG_HELP})
def build(c, debug=False):
    """Build the site into output/ with the local settings."""
    _build(CONFIG["settings_base"], debug=debug)


@task(help={"port": PORT_HELP, "debug": DEBUG_HELP})
def serve(c, port=CONFIG["port"], debug=False):
    """Build, then serve the site at http://127.0.0.1:8000 (or --port) until Ctrl-C."""
    server = _server(port)
    _build(CONFIG["settings_base"], stop_on_error=False, debug=debug)
    _serve_forever(server)


@task(help={"port": PORT_HELP, "debug": DEBUG_HELP})
def livereload(c, port=CONFIG["port"], debug=False):
    """Serve the site and rebuild it whenever content, theme or settings change."""
    for folder in (Path(CONFIG["deploy_path"]), Path(CONFIG["cache_path"])):
        _refuse_foreign(folder)
    with _no_traceback(debug):
        settings = read_settings(CONFIG["settings_base"])
    server = _server(port)
    threading.Thread(target=_serve_forever, args=(server,), daemon=True).start()
    try:
        while True:
            try:
                _build(CONFIG["settings_base"], stop_on_error=False, cache=True, debug=debug)
            except Exit as problem:  # keep serving the last good build
                print(problem.message, file=sys.stderr, flush=True)
            except Exception:  # only with --debug: the traceback, and keep serving
                traceback.print_exc()
            changed = wait_for_changes(CONFIG["settings_base"], settings)
            print("Changed: " + ", ".join(sorted(str(path) for _, path in changed)), flush=True)
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)


@task(help={"path": "a content folder to check instead of content/", "debug": DEBUG_HELP})
def check(c, path="", debug=False):
    """Check every content file; print each problem as one sentence and fail on any error."""
    with tempfile.TemporaryDirectory() as scratch:
        _build(CONFIG["settings_base"], scratch=scratch, content=os.path.abspath(path) if path else "", list_warnings=True, debug=debug)
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


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _write_new(content: str, kind: str, make) -> None:
    """Write a new file into content/kind/, never through a symbolic link and never over a file."""
    try:
        name, text = make()
    except ContentError as error:
        raise Exit(f"Not written: {error}", code=1) from None
    folder = Path(os.path.abspath(content))
    path = folder / kind / name
    step = ROOT if folder.is_relative_to(ROOT) else folder  # outside the checkout, trust the folder given
    for part in path.relative_to(step).parts:
        step = step / part
        if step.is_symlink():
            fix = "remove it" if step == path else "make it a real folder"
            raise Exit(f"Not written: {_shown(step)} is a symbolic link, and new files are never written through one; {fix}", code=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except FileExistsError:
        raise Exit(f"Not written: {_shown(path)} already exists; choose another title or date", code=1) from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    print(f"Wrote {_shown(path)}. Add the details, then run: python3 tasks.py serve")


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
    _write_new(path, "events", lambda: scaffold.event_file(end=end, status=status, registration=registration, **answers))


@task(help={"title": "Title", "author": "Who wrote it", "date": "YYYY-MM-DD (default today)", "summary": "A sentence or two for the list",
            "library": "The library the story is about", "country": "Its country", "path": "content folder (default content/)"})
def new_story(c, title="", author="", date="", summary="", library="", country="", path="content"):
    """Write a new story file in content/stories/, from flags or by asking."""
    title = _ask(title, "Title", required=True)
    author = _ask(author, "Author", required=True)
    summary = _ask(summary, "Summary, a sentence or two")
    library, country = _ask(library, "Library"), _ask(country, "Country")
    _write_new(path, "stories", lambda: scaffold.story_file(title, author, date, summary=summary, library=library, country=country))


@task(help={"debug": DEBUG_HELP})
def publish(c, debug=False):
    """Build the production site into output/ with publishconf.py."""
    _build(CONFIG["settings_publish"], debug=debug)


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
