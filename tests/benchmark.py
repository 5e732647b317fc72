"""Build benchmark for `invoke bench`: synthetic sites, timed with and without the plugin.

Not a test: pytest does not collect it, and nothing here asserts. It writes a
site of N events (realistic bodies, sessions in about ten zones, series,
multi-session and all-day events, a few to be announced) into a temp dir and
builds it in fresh processes, reporting medians of several runs.

"Plugin off" builds the same files with the same theme and Pelican settings,
but with PLUGINS empty: event, series and goal files are read by a plain YAML
front matter reader (what any Pelican site with these files needs) and written
as ordinary pages; the theme's plugin filters are stubbed so its templates
compile. The difference is the plugin's whole work: validation, the model,
time-zone conversion, the event, series and index pages, and every feed.
"""

from __future__ import annotations

import compileall
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20240531
ZONES = [
    "America/Los_Angeles",
    "America/New_York",
    "America/Sao_Paulo",
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
]
PLATFORMS = ["Zoom", "Google Meet", "Jitsi", "BigBlueButton"]
WORDS = (
    "library librarians Wikidata Wikipedia Commons citation reference catalogue archive metadata community "
    "training workshop editathon campaign collection authority record open access discovery volunteers"
).split()

RUN_BUILD = """
import json, resource, sys, time
sys.path.insert(0, {plugins!r})
sys.path.insert(0, {tests!r})
started, wall = time.process_time(), time.perf_counter()
from pelican import Pelican
from pelican.settings import read_settings
import benchmark
settings = benchmark.build_settings({content!r}, {output!r}, plugin={plugin!r}, cache={cache!r})
Pelican(settings).run()
print(json.dumps({{"cpu": time.process_time() - started, "wall": time.perf_counter() - wall,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random) -> str:
    paragraphs = [" ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(2, 4))) for _ in range(2)]
    agenda = "\n".join(f"- {_sentence(rng, rng.randint(3, 7))}" for _ in range(rng.randint(3, 6)))
    link = f"See [the project page](https://meta.wikimedia.org/wiki/Event_{rng.randint(1, 9999)}) for more."
    return f"{paragraphs[0]}\n\n## Agenda\n\n{agenda}\n\n{paragraphs[1]} {link}\n"


def _session(rng: random.Random, year: int, month: int, day: int) -> str:
    kind = rng.random()
    if kind < 0.08:
        return f"  - start: {year}-{month:02d}-{day:02d}\n    end: {year}-{month:02d}-{min(day + 2, 28):02d}\n"
    if kind < 0.12:
        return f"  - start: {year}-{month:02d}-{day:02d}\n    time_tba: true\n"
    hour = rng.randint(7, 20)
    lines = [
        f"  - start: {year}-{month:02d}-{day:02d} {hour:02d}:{rng.choice(['00', '30'])}",
        f"    timezone: {rng.choice(ZONES)}",
        f"    duration: {rng.choice(['1 hour', '90 minutes', '2 hours'])}",
        f"    platform: {rng.choice(PLATFORMS)}",
        f"    join: https://meet.example.org/{rng.randint(100000, 999999)}",
    ]
    return "\n".join(lines) + "\n"


def generate_site(folder: Path, events: int, seed: int = SEED) -> Path:
    """Write a synthetic site of ``events`` events into folder/content and return that path."""
    rng = random.Random(seed)
    content = folder / "content"
    files = {
        "pages/about.md": "---\ntitle: About\n---\nAbout the group.\n",
        "pages/join.md": "---\ntitle: Join\n---\nHow to join.\n",
        "stories/2024-01-01-a-story.md": "---\ntitle: A story\ndate: 2024-01-01\nauthor: Someone\n---\nA story.\n",
    }
    series_count = max(1, events // 50)
    for number in range(series_count):
        files[f"series/series-{number}.md"] = (
            f"---\ntitle: Series {number}\nsummary: {_sentence(rng, 8)}\n---\n{_sentence(rng, 20)}\n"
        )
    for number in range(events):
        year, month, day = rng.randint(2019, 2027), rng.randint(1, 12), rng.randint(1, 25)
        sessions = "".join(
            _session(rng, year, month, min(day + 7 * i, 28))
            for i in range(1 if rng.random() < 0.85 else rng.randint(2, 3))
        )
        series = f"series: series-{number % series_count}\n" if rng.random() < 0.3 else ""
        status = rng.choice(["scheduled"] * 8 + ["tentative", "cancelled"])
        front = (
            f'title: "Event {number}: {_sentence(rng, 5)[:-1]}"\nstatus: {status}\n'
            f"{series}summary: {_sentence(rng, 12)}\ntags: [{rng.choice(WORDS)}]\nsessions:\n{sessions}"
        )
        files[f"events/{year}-{month:02d}-{day:02d}-event-{number}.md"] = f"---\n{front}---\n{_body(rng)}"
    for relative, text in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content


def build_settings(content: str, output: str, plugin: bool, cache: bool = False) -> dict:
    from pelican.settings import read_settings

    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": content,
            "OUTPUT_PATH": output,
            "THEME": str(ROOT / "theme"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "COMMUNITY_EVENTS": {"today": "2024-01-15"},
            "CACHE_PATH": str(Path(output).parent / "cache"),
            "CACHE_CONTENT": cache,
            "LOAD_CONTENT_CACHE": cache,
            "CONTENT_CACHING_LAYER": "generator",
        },
    )
    if not plugin:
        settings.update(_plugin_off_settings(settings))
    return settings


def _plugin_off_settings(settings: dict) -> dict:
    import yaml
    from markdown import Markdown
    from pelican.readers import BaseReader

    class PlainFrontMatterReader(BaseReader):
        """YAML front matter and Markdown, nothing more: the baseline's reader."""

        file_extensions = ["md"]

        def read(self, source_path):
            text = Path(source_path).read_text(encoding="utf-8")
            _, front, body = text.split("---\n", 2)
            fields = yaml.load(front, Loader=yaml.CSafeLoader)  # as fast as PyYAML gets, like the plugin's
            metadata = {"title": str(fields.get("title", "")), "slug": Path(source_path).stem}
            if "date" in fields:
                metadata["date"] = self.process_metadata("date", str(fields["date"]))
                metadata["author"] = self.process_metadata("author", str(fields.get("author", "")))
            return Markdown(**self.settings["MARKDOWN"]).convert(body), metadata

    def blank(*args, **kwargs):
        return ""

    # Every filter the plugin gives the theme (display.make_filters, subscribe.make_filters).
    filters = [
        *("zone_times", "text_lang", "session_when", "event_when", "session_iso", "is_upcoming", "is_over", "state"),
        *("state_attributes", "registration_label", "day", "google_event_url", "repeat_sentence"),
        *("next_meetings", "earlier_meetings", "meeting_when", "meeting_day", "utc_iso"),
    ]

    def gettext(message, **variables):
        return message % variables if variables else message

    def ngettext(singular, plural, number, **variables):
        return gettext(singular if number == 1 else plural, **{"num": number, **variables})

    from community_events.options import describe

    english = describe("en", "en_GB", first=True)
    return {
        "PLUGINS": [],
        "READERS": {"md": PlainFrontMatterReader},
        # The plugin installs gettext and the language globals (plugin.on_generator_init); here, English as written.
        "JINJA_ENVIRONMENT": {**settings["JINJA_ENVIRONMENT"], "extensions": ["jinja2.ext.i18n"]},
        "JINJA_GLOBALS": {
            "_": gettext,
            "gettext": gettext,
            "ngettext": ngettext,
            "site_languages": (english,),
            "page_language": english,
            "ROOT_SITEURL": "",
            "STORIES_FEED": "stories/feed.atom",
            "site_address": "",
        },
        "PAGE_PATHS": ["pages", "events", "series", "goals"],
        "JINJA_FILTERS": {name: blank for name in filters},
        # What the plugin would put in the context; the templates loop over nothing.
        **{
            name: []
            for name in (
                "events",
                "event_series",
                "upcoming_events",
                "past_events_by_year",
                "undated_events",
                "home_events",
                "goals",
            )
        },
        "next_event": None,
        "calendar_feed_links": {"webcal": "", "google": "", "outlook": "", "outlook_work": ""},
    }


def timed_build(content: Path, output: Path, plugin: bool = True, cache: bool = False) -> dict:
    """One build in a fresh process: CPU and wall seconds from importing Pelican to the last
    file written, and the process's peak memory."""
    script = RUN_BUILD.format(
        plugins=str(ROOT / "plugins"),
        tests=str(ROOT / "tests"),
        content=str(content),
        output=str(output),
        plugin=plugin,
        cache=cache,
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def scratch_folder() -> str | None:
    """Memory-backed /dev/shm when there is one: on a disk, creating thousands of files costs
    more kernel time than the build itself, and varies from run to run."""
    return "/dev/shm" if Path("/dev/shm").is_dir() else None


def _edit_one_event(content: Path) -> None:
    """Change one event's title, as a contributor's edit would."""
    events = sorted((content / "events").glob("*.md"))
    event = events[len(events) // 2]
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace('title: "', 'title: "Edited: ', 1), encoding="utf-8")


def compile_plugin() -> None:
    """Bytecode for the plugin's modules, as Python keeps it after a first import (pip compiled
    Pelican's when it installed it). This machine sets PYTHONDONTWRITEBYTECODE, so without
    this every timed build would compile the plugin afresh and count it as the plugin's work."""
    compileall.compile_dir(str(ROOT / "plugins"), quiet=1)


def measure(events: int, runs: int = 3) -> dict:
    """Every figure for one site size, as medians of ``runs`` builds of each kind."""
    median = statistics.median
    compile_plugin()
    with tempfile.TemporaryDirectory(dir=scratch_folder()) as folder:
        base = Path(folder)
        content = generate_site(base, events)
        on, off, filled, rebuilt = [], [], [], []
        for run in range(runs):
            off.append(timed_build(content, base / f"off-{run}" / "output", plugin=False))
            on.append(timed_build(content, base / f"on-{run}" / "output", plugin=True))
            # With Pelican's content cache: a full build that fills it, then one file changes.
            cached = base / f"cached-{run}" / "output"
            filled.append(timed_build(content, cached, cache=True))
            _edit_one_event(content)
            rebuilt.append(timed_build(content, cached, cache=True))
        pages = sum(1 for _ in (base / "on-0" / "output").rglob("*.html"))
    wall = median(r["wall"] for r in on)
    return {
        "events": events,
        "pages": pages,
        "full_build_s": wall,
        "s_per_1000_pages": wall / pages * 1000,
        "plugin_ratio": median(r["cpu"] for r in on) / median(r["cpu"] for r in off),
        "rebuild_ratio": median(r["cpu"] for r in rebuilt) / median(r["cpu"] for r in filled),
        "peak_mib": max(r["peak_mib"] for r in on + filled + rebuilt),
    }


def table(results: list[dict]) -> str:
    """The figures as a Markdown table."""
    rows = [
        "| events | pages | full build (s) | s per 1,000 pages | plugin CPU ratio "
        "| one-file rebuild / full | peak memory (MiB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rows.append(
            f"| {r['events']:,} | {r['pages']:,} | {r['full_build_s']:.2f} | {r['s_per_1000_pages']:.2f} | "
            f"{r['plugin_ratio']:.2f} | {r['rebuild_ratio']:.2f} | {r['peak_mib']:.0f} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(table([measure(int(n)) for n in (sys.argv[1:] or ["1000"])]))
