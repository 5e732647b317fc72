"""Build, preview, check, test and publish the site. Run `python3 tasks.py --list` for the tasks.

On a new machine, run this file with Python: `python3 tasks.py serve` creates `.venv/`, installs
the locked packages the task needs (tools/bootstrap.py) and then runs the same Invoke task inside it.
"""

import sys

if __name__ == "__main__":
    from tools import bootstrap  # the standard library only: .venv/ may not exist yet

    bootstrap.main(sys.argv[1:])

# From here on we run inside the virtual environment, under Invoke.
import contextlib  # noqa: E402
import hashlib  # noqa: E402
import os  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402

from invoke import Exit, task  # noqa: E402
from pelican import Pelican  # noqa: E402
from pelican.settings import read_settings  # noqa: E402
from pelican.utils import wait_for_changes  # noqa: E402

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))
from community_events import languages, proposal, scaffold  # noqa: E402
from community_events.calendars import absolute_base  # noqa: E402
from community_events.errors import ContentError, ContentErrors  # noqa: E402
from community_events.linkcheck import main as linkcheck_site  # noqa: E402
from community_events.options import SettingsError, language_codes  # noqa: E402
from community_events.search_index import SearchIndexError, build_index  # noqa: E402

from tools import output, report  # noqa: E402
from tools import translations as catalogues  # noqa: E402
from tools.devserver import RootedHTTPServer, SiteRequestHandler, SiteServer, open_server, serve_forever  # noqa: E402,F401  (tests import these from here)

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
# What `invoke lint` (and `invoke test`, first) runs with the .venv's Ruff.
LINT = ("check", "format --check")
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


def _pelican(
    settings_file: str, output_path: str, stop_on_error: bool, content: str, cache: bool, list_warnings: bool
) -> None:
    """Run Pelican in-process; content and settings errors become plain sentences, not tracebacks."""
    settings = read_settings(
        settings_file, override={"OUTPUT_PATH": output_path, **({"PATH": content} if content else {})}
    )
    settings["COMMUNITY_EVENTS"] = {
        **(settings.get("COMMUNITY_EVENTS") or {}),
        "stop_on_error": stop_on_error,
        "list_warnings": list_warnings,
    }
    if cache:  # reuse what was read from unchanged files (see docs/benchmarks.md)
        settings.update(
            CACHE_CONTENT=True,
            LOAD_CONTENT_CACHE=True,
            CONTENT_CACHING_LAYER="generator",
            CACHE_PATH=CONFIG["cache_path"],
        )
    try:
        for language_settings in languages.site_settings(settings):  # the site's own language first, at the root
            Pelican(language_settings).run()
    except ContentErrors as errors:
        raise report.ContentStop(errors) from None
    except SettingsError as error:
        raise Exit(f"\npelicanconf.py: {error}\n", code=1) from None


def _build(
    settings_file: str,
    stop_on_error: bool = True,
    content: str = "",
    cache: bool = False,
    list_warnings: bool = False,
    debug: bool = False,
    scratch: str = "",
) -> None:
    """Build and index for search into a fresh folder beside output/, and swap it in only if both succeeded (into
    scratch, without an index: check)."""
    options = dict(stop_on_error=stop_on_error, content=content, cache=cache, list_warnings=list_warnings)
    with _no_traceback(debug):
        if scratch:
            return _pelican(settings_file, scratch, **options)
        site, cache_folder = Path(CONFIG["deploy_path"]), Path(CONFIG["cache_path"])
        for folder in (site, cache_folder):
            output.refuse_foreign(folder)
        if cache:
            output.mark(cache_folder)
        fresh = site.with_name(f".{site.name}-{secrets.token_hex(6)}")  # same parent: the swap is a rename
        try:
            fresh.mkdir()
            _pelican(settings_file, str(fresh), **options)
            _index(fresh, site)
            output.mark(fresh)
            output.swap_in(fresh, site)
        except KeyboardInterrupt:
            print(f"\nStopped: {site.name}/ still holds the last good build.", file=sys.stderr, flush=True)
            raise
        finally:
            output.remove(fresh)  # the half-built site, or the old one


def _index(fresh: Path, site: Path) -> None:
    """The search index (Pagefind), written into the fresh site before it is swapped in; never for check."""
    try:
        build_index(fresh)
    except SearchIndexError as error:
        raise Exit(
            f"The search index could not be built, so {site.name}/ still holds the last good build: {error}", code=1
        ) from None


def _server(port: int) -> SiteServer:
    return open_server(CONFIG["deploy_path"], CONFIG["host"], port)


@task
def clean(c):
    """Remove the built site and Pelican's cache (only folders these tasks made; never through a link)."""
    site = Path(CONFIG["deploy_path"])
    for folder in (site, Path(CONFIG["cache_path"])):
        output.refuse_foreign(folder, "Not removed")
        shutil.rmtree(folder, ignore_errors=True)
    for leftover in site.parent.glob(f".{site.name}-*"):  # from a build that was killed
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
    serve_forever(server)


@task(help={"port": PORT_HELP, "debug": DEBUG_HELP})
def livereload(c, port=CONFIG["port"], debug=False):
    """Serve the site and rebuild it whenever content, theme or settings change."""
    for folder in (Path(CONFIG["deploy_path"]), Path(CONFIG["cache_path"])):
        output.refuse_foreign(folder)
    with _no_traceback(debug):
        settings = read_settings(CONFIG["settings_base"])
    server = _server(port)
    threading.Thread(target=serve_forever, args=(server,), daemon=True).start()
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


def _site_url() -> str:
    """The published site's address (publishconf.py), for the links in check's job summary."""
    with contextlib.suppress(Exception):
        return absolute_base(read_settings(CONFIG["settings_publish"]))
    return ""


@task(
    help={
        "path": "a content folder to check instead of content/",
        "format": "text (the default), or github: each problem also as a GitHub annotation, "
        "and a job summary into $GITHUB_STEP_SUMMARY",
        "base": "with --format github: the git revision whose changes the summary shows "
        "(default origin/$GITHUB_BASE_REF)",
        "debug": DEBUG_HELP,
    }
)
def check(c, path="", format="text", base="", debug=False):
    """Check every content file; print each problem as one sentence and fail on any error."""
    if format not in report.FORMATS:
        raise Exit(f'Unknown --format "{format}"; use {" or ".join(report.FORMATS)}', code=1)
    with tempfile.TemporaryDirectory() as scratch:

        def run():
            _build(
                CONFIG["settings_base"],
                scratch=scratch,
                content=os.path.abspath(path) if path else "",
                list_warnings=True,
                debug=debug,
            )

        if format == "github":
            report.github_check(run, base or report.default_base(), _site_url())
        else:
            run()
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
            raise Exit(
                f"Not written: {_shown(step)} is a symbolic link, and new files are never written through one; {fix}",
                code=1,
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except FileExistsError:
        raise Exit(f"Not written: {_shown(path)} already exists; choose another title or date", code=1) from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    print(f"Wrote {_shown(path)}. Add the details, then run: python3 tasks.py serve")


EVENT_QUESTIONS = {
    "title": "Title",
    "start": "Start, as YYYY-MM-DD HH:MM (or just YYYY-MM-DD)",
    "timezone": "Time zone, e.g. America/New_York",
    "duration": "How long, e.g. 1 hour",
    "platform": "Online platform, e.g. Zoom",
    "join": "Link to join",
    "place": "Place, for an event in person",
    "country": "Country of the place, e.g. NG or Nigeria",
    "language": "Language it is held in, e.g. es or pt-BR (several: es, en)",
    "series": "Series (a file name in content/series)",
    "summary": "One-sentence summary",
}


@task(
    help={
        **{name: question for name, question in EVENT_QUESTIONS.items()},
        "end": "End time, HH:MM (instead of --duration)",
        "status": "scheduled, tentative, cancelled, postponed, or held once it took place",
        "registration": "Sign-up link",
        "path": "content folder (default content/)",
    }
)
def new_event(
    c,
    title="",
    start="",
    timezone="",
    duration="",
    end="",
    platform="",
    join="",
    place="",
    country="",
    language="",
    series="",
    summary="",
    status="scheduled",
    registration="",
    path="content",
):
    """Write a new event file in content/events/, from flags or by asking."""
    answers = {
        name: _ask(value, EVENT_QUESTIONS[name], required=name in ("title", "start"))
        for name, value in dict(title=title, start=start).items()
    }
    timed = ":" in answers["start"]
    answers["timezone"] = _ask(timezone, EVENT_QUESTIONS["timezone"], required=timed) if timed else timezone
    for name, value in dict(
        duration=duration,
        platform=platform,
        join=join,
        place=place,
        country=country,
        language=language,
        series=series,
        summary=summary,
    ).items():
        answers[name] = value if (name == "duration" and (end or not timed)) else _ask(value, EVENT_QUESTIONS[name])
    if answers["series"] and not (Path(path) / "series" / f"{answers['series']}.md").exists():
        raise Exit(f'Not written: there is no series "{answers["series"]}" in {path}/series/', code=1)
    _write_new(
        path, "events", lambda: scaffold.event_file(end=end, status=status, registration=registration, **answers)
    )


@task(
    help={
        "title": "Title",
        "author": "Who wrote it",
        "date": "YYYY-MM-DD (default today)",
        "summary": "A sentence or two for the list",
        "library": "The library the story is about",
        "country": "Its country",
        "path": "content folder (default content/)",
    }
)
def new_story(c, title="", author="", date="", summary="", library="", country="", path="content"):
    """Write a new story file in content/stories/, from flags or by asking."""
    title = _ask(title, "Title", required=True)
    author = _ask(author, "Author", required=True)
    summary = _ask(summary, "Summary, a sentence or two")
    library, country = _ask(library, "Library"), _ask(country, "Country")
    _write_new(
        path,
        "stories",
        lambda: scaffold.story_file(title, author, date, summary=summary, library=library, country=country),
    )


@task(help={"debug": DEBUG_HELP})
def publish(c, debug=False):
    """Build the production site into output/ with publishconf.py."""
    _build(CONFIG["settings_publish"], debug=debug)


@task(help={"format": "text (the default), or github: each problem as a GitHub annotation"})
def linkcheck(c, format="text"):
    """Check the links and calendar feeds of the site in output/ (build it with publish first)."""
    if format not in ("text", "github"):
        raise Exit(f'Unknown --format "{format}"; use text or github', code=1)
    code = linkcheck_site([CONFIG["deploy_path"], "--settings", CONFIG["settings_publish"], "--format", format])
    if code:
        raise Exit(code=code)


@task(
    help={
        "body_file": "the issue's text, as GitHub stores it",
        "comment_file": "where to write the reply for the issue (Markdown)",
        "outputs_file": 'append "status=made|refused" and "file=NAME" here (a step\'s $GITHUB_OUTPUT)',
        "out_dir": "where to write the event file (default content/events)",
    }
)
def propose_event(c, body_file, comment_file, outputs_file="", out_dir="content/events"):
    """Turn a "Propose an event" issue into an event file, or a reply saying what to correct."""
    options = ["--body-file", body_file, "--out-dir", out_dir, "--comment-file", comment_file]
    options += ["--outputs-file", outputs_file] if outputs_file else []
    code = proposal.main([*options, "--settings", CONFIG["settings_base"]])
    if code:
        raise Exit(code=code)


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


def _ruff(c) -> bool:
    """Ruff's checks and its format check on the project (settings in pyproject.toml); whether both passed."""
    runs = [c.run(f'"{sys.executable}" -m ruff {command} "{ROOT}"', warn=True, pty=False) for command in LINT]
    return not any(run.exited for run in runs)


@task
def lint(c):
    """Check the Python code with Ruff: style, formatting, imports, pyupgrade and bugbear."""
    if not _ruff(c):
        raise Exit(code=1)


@task
def translations(c):
    """Extract the interface's messages, update every language's catalogue and check that each compiles."""
    settings = read_settings(CONFIG["settings_base"])
    folder = Path(settings["COMMUNITY_EVENTS"]["translations_path"])  # where the builds read the catalogues
    codes = language_codes(settings)[1:]  # the first language is the original
    for changed in catalogues.sync(ROOT, folder, codes) or ["nothing: every catalogue is up to date"]:
        print(f"Updated {changed}")
    problems = [problem for code in codes for problem in catalogues.problems(catalogues.catalogue_path(folder, code))]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise Exit(
            f"{len(problems)} message(s) to translate or fix; edit the .po files above and run this again", code=1
        )


@task(help={"args": 'extra arguments for pytest, e.g. "-k zones -x"'})
def test(c, args=""):
    """Lint, then run the whole test suite (a lint failure fails it too)."""
    linted = _ruff(c)
    _ensure_node_packages(c)
    # A separate process, so pytest's plugins load before Pelican's imports do.
    result = c.run(f'"{sys.executable}" -m pytest "{CONFIG["tests"]}" {args}', warn=True, pty=False)
    if result.exited:
        raise Exit(code=result.exited)
    if not linted:
        raise Exit("The tests passed, but lint did not (above; python3 tasks.py lint runs it alone).", code=1)


@task(
    help={
        "sizes": "comma-separated numbers of synthetic events",
        "runs": "builds of each kind per size; medians are reported",
    }
)
def bench(c, sizes="100,1000,5000", runs=5):
    """Benchmark builds of synthetic sites: time, the plugin's CPU share, one-file rebuilds, memory."""
    sys.path.insert(0, CONFIG["tests"])
    import benchmark

    results = []
    for events in (int(size) for size in sizes.split(",")):
        print(f"Building {events:,} events, {runs} times each way...", flush=True)
        results.append(benchmark.measure(events, runs=int(runs)))
    print(benchmark.table(results))
