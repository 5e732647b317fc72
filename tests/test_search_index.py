"""Static search: the values events are filtered by, the search page, and the Pagefind index the tasks build.

What Pagefind indexed is read back from its own files: each fragment in pagefind/fragment/ is
gzip-compressed "pagefind_dcd" followed by the page's JSON (url, content, meta, filters), as the
pinned version (requirements/runtime.txt) writes them.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from community_events import search_index
from community_events.errors import ContentErrors
from community_events.model import parse_file
from community_events.search import FORMAT_LABELS, Choice, event_facets, search_facets
from community_events.search_index import SearchIndexError, build_index
from conftest import ROOT, assert_clear_sentence, run_pelican, write_files

FRAGMENT_HEADER = b"pagefind_dcd"


def model(sessions: str, extra: str = "", name: str = "2024-05-31-meetup"):
    text = f"---\ntitle: Meetup\n{extra}sessions:\n{sessions}---\n"
    return parse_file(f"content/events/{name}.md", text.encode(), "events").item


ONLINE = "  - start: 2024-05-31 14:00\n    timezone: UTC\n    platform: Zoom\n"
JOIN_ONLY = "  - start: 2024-05-31 14:00\n    timezone: UTC\n    join: https://example.org/j\n"
IN_PERSON = "  - start: 2024-06-02\n    place: Central Library, Lagos\n"
NOWHERE = "  - start: 2024-06-02\n"


# --- The values each filter gets --------------------------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "formats"),
    [
        (ONLINE, ("online",)),
        (JOIN_ONLY, ("online",)),
        (IN_PERSON, ("in-person",)),
        (ONLINE + IN_PERSON, ("online", "in-person")),
        (NOWHERE, ()),
    ],
)
def test_the_format_comes_from_platforms_join_links_and_places(sessions, formats):
    assert event_facets(model(sessions)).get("format", ()) == formats


def test_the_year_is_that_of_the_first_day_and_an_undated_event_has_none():
    later_first = "  - start: 2025-01-10\n  - start: 2024-12-30\n"
    assert event_facets(model(later_first))["year"] == ("2024",)
    assert "year" not in event_facets(model("  - start: unknown\n"))


def test_tags_are_filtered_by_their_topic_and_language_and_country_only_where_given():
    facets = event_facets(model(IN_PERSON, "tags: [Wikidata, Open Data]\nlanguage: [es, pt-br]\ncountry: Nigeria\n"))
    assert facets["tag"] == ("wikidata", "open-data")
    assert facets["language"] == ("es", "pt-BR") and facets["country"] == ("NG",)
    assert set(event_facets(model(ONLINE))) == {"format", "year"}


def test_the_search_page_offers_each_value_once_with_its_label():
    events = [
        model(ONLINE, "tags: [wikidata]\n"),
        model(IN_PERSON, "tags: [Commons]\n"),
        model("  - start: 2019-05-30\n    place: Library\n", "tags: [Wikidata]\n"),
    ]
    labels = {"format": FORMAT_LABELS, "tag": {"commons": "Commons"}}
    facets = {facet.key: facet for facet in search_facets([event_facets(event) for event in events], labels)}
    assert list(facets) == ["tag", "format", "year"]  # no language or country: no event gives one
    assert facets["tag"].choices == (Choice("commons", "Commons"), Choice("wikidata", "wikidata"))
    assert facets["format"].choices == (Choice("in-person", "In person"), Choice("online", "Online"))
    assert [choice.value for choice in facets["year"].choices] == ["2024", "2019"]


# --- The built pages ----------------------------------------------------------------------------

TAGGED_EVENT = """\
---
title: Wikidata in the reading room
tags: [Wikidata, Open Data]
language: es
country: NG
sessions:
  - start: 2024-05-31 14:00
    timezone: Africa/Lagos
    duration: 1 hour
    platform: Zoom
    join: https://example.org/j
  - start: 2024-06-01
    place: Central Library, Lagos
---
Agenda.
"""
STORY = "---\ntitle: A story\nauthor: Someone\ndate: 2024-01-01\nsummary: One.\n---\nText.\n"
SERIES = "---\ntitle: Salons\n---\nAbout.\n"


def filters_on(page: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for span in page.select("[data-pagefind-filter]"):
        found.setdefault(span["data-pagefind-filter"], []).append(span.get_text())
    return found


def test_event_pages_carry_their_filters_hidden_and_skipped_as_text(build_site):
    site = build_site({"events/2024-05-31-reading-room.md": TAGGED_EVENT})
    page = site.html("events/2024-05-31-reading-room/")
    assert filters_on(page) == {
        "tag": ["wikidata", "open-data"],
        "format": ["online", "in-person"],
        "year": ["2024"],
        "language": ["es"],
        "country": ["NG"],
    }
    for span in page.select("[data-pagefind-filter], [data-pagefind-meta=when]"):
        box = span.find_parent("div")
        assert box.has_attr("hidden") and box.has_attr("data-pagefind-ignore")
        assert box.find_parent("article", class_="event") is not None
    main = page.select_one("main")
    assert main.has_attr("data-pagefind-body") and main["data-pagefind-meta"] == "kind:Event"


INDEXED = {
    "event": "events/2024-04-05-wikidata-leveling-up-days/",
    "series": "events/series/ai-salon/",
    "page": "about/",
    "campaign page": "1lib1ref/",
    "open tasks": "open-tasks/",
    "call for stories": "share-your-1lib1ref-story/",
    "goals": "goals/",
}
NOT_INDEXED = {
    "home": "",
    "events index": "events/",
    "stories index": "stories/",
    "404": "404.html",
    "search": "search/",
    "embed": "embed/upcoming/",
}


def test_the_index_covers_events_series_stories_goals_and_pages_and_nothing_else(real_site, build_site):
    for relative in INDEXED.values():
        assert real_site.html(relative).select_one("main").has_attr("data-pagefind-body"), relative
    for relative in NOT_INDEXED.values():
        assert not real_site.html(relative).select("[data-pagefind-body]"), relative
    story = build_site({"stories/2024-01-01-a-story.md": STORY}).html("stories/a-story/")
    assert story.select_one("main").has_attr("data-pagefind-body")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_without_javascript_the_search_page_links_every_topic_every_series_and_the_events(real_site):
    page = real_site.html("search/")
    # No form control: its script builds the form, and without it there is nothing to fill in.
    assert not page.select("form, input, select, textarea, button")
    links = {a["href"] for a in page.select("main a[href]")}
    # Read from the content files here, not from the plugin: every tag and every series.
    tags = {
        tag.lower() for path in (ROOT / "content/events").glob("*.md") for tag in front_matter(path).get("tags", [])
    }
    series = {path.stem for path in (ROOT / "content/series").glob("*.md")}
    assert tags and series
    assert {f"/events/tags/{tag}/" for tag in tags} <= links
    assert {f"/events/series/{name}/" for name in series} <= links
    assert "/events/" in links
    for link in links:
        assert (real_site.output / link.lstrip("/") / "index.html").is_file(), link


def test_the_search_page_offers_exactly_the_values_the_event_pages_carry(real_site):
    carried = set()
    for page in (real_site.output / "events").glob("*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        carried |= {(key, value) for key, values in filters_on(soup).items() for value in values}
    filters = json.loads(real_site.html("search/").select_one("#search")["data-filters"])
    offered = {(group["key"], choice["value"]) for group in filters for choice in group["choices"]}
    assert offered == carried and ("tag", "wikidata") in offered
    assert [group["legend"] for group in filters] == ["Topic", "Format", "Year"]
    assert all(choice["label"] for group in filters for choice in group["choices"])
    assert real_site.html("search/").select_one("#search-status")["role"] == "status"


def test_a_topic_name_reaches_the_page_as_data_never_as_markup(build_site):
    tag = "Open 'Data' & \"</div><b>bold</b>\""
    quoted = tag.replace("'", "''")  # YAML's single-quoted form
    event = f"---\ntitle: X\ntags: ['{quoted}']\nsessions:\n  - start: 2024-05-31\n---\n"
    page = build_site({"events/2024-05-31-x.md": event}).html("search/")
    assert not page.select("main b")
    (group,) = json.loads(page.select_one("#search")["data-filters"])[:1]
    assert group["key"] == "tag" and group["choices"][0]["label"] == tag


def test_only_the_search_page_loads_the_search_script_and_may_compile_webassembly(real_site):
    for path in sorted(real_site.output.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        relative = str(path.relative_to(real_site.output))
        scripts = [script["src"] for script in soup.select("script[src]")]
        policy = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        if relative == "search/index.html":
            assert "/theme/js/search.js" in scripts and "'wasm-unsafe-eval'" in policy
            assert "'unsafe-eval'" not in policy and "'unsafe-inline'" not in policy
        else:
            assert not any("search" in src or "pagefind" in src for src in scripts), relative
            assert "wasm" not in policy and "pagefind" not in str(soup.select("link")), relative
    menu = {a.get_text(strip=True): a["href"] for a in real_site.html("").select("nav[aria-label=Main] a")}
    assert menu["Search"] == "/search/"


@pytest.mark.parametrize(("name", "path"), [("pagefind", "pagefind/index.html"), ("search", "search/index.html")])
def test_no_content_page_can_take_the_search_page_or_the_index_folder(build_site, name, path):
    with pytest.raises(ContentErrors) as raised:
        build_site({f"pages/{name}.md": "---\ntitle: Mine\n---\nText.\n"})
    (error,) = [str(e) for e in raised.value.errors if f"pages/{name}.md" in str(e)]
    assert_clear_sentence(error, f"content/pages/{name}.md", f'would write "{path}"')
    assert "rename the file" in error


# --- Pagefind's run -----------------------------------------------------------------------------


def indexed(output: Path) -> dict[str, dict]:
    pages = {}
    for fragment in (output / search_index.BUNDLE_FOLDER / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(fragment.read_bytes())
        assert raw.startswith(FRAGMENT_HEADER)
        page = json.loads(raw[len(FRAGMENT_HEADER) :])
        pages[page["url"]] = page
    return pages


@pytest.fixture(scope="module")
def indexed_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("indexed")
    write_files(
        base / "content",
        {
            "pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
            "events/2024-05-31-reading-room.md": TAGGED_EVENT,
            "stories/2024-01-01-a-story.md": STORY,
            "series/salons.md": SERIES,
        },
    )
    site = run_pelican(base / "content", base / "output", today="2024-05-01")
    return site.output, build_index(site.output)


def test_pagefind_indexes_the_pages_marked_for_it_with_their_filters(indexed_site):
    output, count = indexed_site
    marked = set()
    for path in output.rglob("*.html"):
        if BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select("[data-pagefind-body]"):
            url = "/" + str(path.relative_to(output).parent) + "/"
            marked.add(url.replace("/./", "/"))
    pages = indexed(output)
    assert set(pages) == marked and count == len(marked)
    assert {
        "/events/2024-05-31-reading-room/",
        "/stories/a-story/",
        "/events/series/salons/",
        "/about/",
        "/goals/",
    } == marked
    event = pages["/events/2024-05-31-reading-room/"]
    assert event["filters"] == {
        "tag": ["wikidata", "open-data"],
        "format": ["online", "in-person"],
        "year": ["2024"],
        "language": ["es"],
        "country": ["NG"],
    }
    assert event["meta"]["title"] == "Wikidata in the reading room" and event["meta"]["kind"] == "Event"
    assert pages["/stories/a-story/"]["meta"]["kind"] == "Story"


def test_the_index_holds_the_pages_text_not_the_sites_links_or_hidden_states(indexed_site):
    output, _ = indexed_site
    page = BeautifulSoup(
        (output / "events/2024-05-31-reading-room/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    # What the page offers that is about the site, or hidden until the reader's clock moves it on.
    site_text = [
        "Suggest a change",
        "Add to your calendar",
        "Add this session to Google Calendar",
        "This event is over",
    ]
    assert all(text in page.get_text() for text in site_text)
    content = indexed(output)["/events/2024-05-31-reading-room/"]["content"]
    assert "Agenda." in content and "Central Library, Lagos" in content
    assert not [text for text in site_text if text in content]


@pytest.mark.parametrize("given_by", ["environment", "config file"])
def test_pagefind_settings_from_the_environment_or_a_config_file_are_not_used(tmp_path, monkeypatch, given_by):
    write_files(tmp_path / "content", {"pages/about.md": "---\ntitle: About\n---\nAbout us.\n"})
    site = run_pelican(tmp_path / "content", tmp_path / "output")
    # Settings the flags leave alone: each would change what is indexed, or the results' addresses.
    settings = {"glob": "nothing/**/*.html", "root_selector": "footer", "keep_index_url": "true"}
    if given_by == "environment":
        for name, value in settings.items():
            monkeypatch.setenv(f"PAGEFIND_{name.upper()}", value)
    else:  # where a run from the current folder would find it
        lines = [
            f'{name}: "{value}"' if name != "keep_index_url" else f"{name}: {value}" for name, value in settings.items()
        ]
        (tmp_path / "pagefind.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert build_index(site.output) == 2  # about and goals
    pages = indexed(site.output)
    assert set(pages) == {"/about/", "/goals/"}
    assert "About us." in pages["/about/"]["content"]


def test_an_existing_index_folder_is_refused(tmp_path):
    (tmp_path / "index.html").write_text("<html><body><main data-pagefind-body>x</main></body></html>")
    (tmp_path / "pagefind").mkdir()
    with pytest.raises(SearchIndexError, match="already has a pagefind/ folder"):
        build_index(tmp_path)


def failing_program(folder: Path) -> Path:
    program = folder / "pagefind"
    program.write_text("#!/bin/sh\necho 'Error: Pagefind was not able to build an index.' >&2\nexit 1\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def test_a_failed_run_is_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "pagefind_program", lambda: failing_program(tmp_path))
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(SearchIndexError) as raised:
        build_index(site)
    assert str(raised.value) == (
        "Pagefind could not index the site (Error: Pagefind was not able to build an index.); please report this"
    )


# --- The tasks run it ---------------------------------------------------------------------------


@pytest.fixture
def tasks(tmp_path, monkeypatch):
    """tasks.py in this process, building the real content into a private output/ and cache/."""
    sys.path.insert(0, str(ROOT))
    import tasks

    monkeypatch.setitem(tasks.CONFIG, "deploy_path", str(tmp_path / "output"))
    monkeypatch.setitem(tasks.CONFIG, "cache_path", str(tmp_path / "cache"))
    return tasks


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_build_indexes_the_fresh_site_and_a_failed_index_keeps_the_last_good_one(tasks, tmp_path, monkeypatch):
    tasks._build(tasks.CONFIG["settings_base"])
    output = tmp_path / "output"
    assert (output / "pagefind" / "pagefind.js").is_file()
    assert "/events/2024-04-05-wikidata-leveling-up-days/" in indexed(output)
    before = snapshot(output)
    monkeypatch.setattr(search_index, "pagefind_program", lambda: failing_program(tmp_path))
    with pytest.raises(tasks.Exit) as raised:
        tasks._build(tasks.CONFIG["settings_base"])
    assert raised.value.message == (
        "The search index could not be built, so output/ still holds the last good build: "
        "Pagefind could not index the site (Error: Pagefind was not able to build an index.); please report this"
    )
    assert snapshot(output) == before
    assert not list(tmp_path.glob(".output-*"))


def test_check_builds_no_index(tasks, tmp_path, monkeypatch):
    runs = []
    monkeypatch.setattr(tasks, "build_index", lambda folder: runs.append(folder))
    tasks._build(tasks.CONFIG["settings_base"], scratch=str(tmp_path / "scratch"))
    assert runs == [] and (tmp_path / "scratch" / "index.html").is_file()
    tasks._build(tasks.CONFIG["settings_base"])
    assert len(runs) == 1


def test_the_build_task_publishes_the_index(tmp_path):
    """As people run it (python3 tasks.py build runs Invoke), in a private copy of the checkout."""
    copy = tmp_path / "site"
    copy.mkdir()
    for name in ("tasks.py", "tools", "pelicanconf.py", "publishconf.py", "theme", "plugins", "translations"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, copy / name)
    write_files(copy / "content", {"pages/about.md": "---\ntitle: About\n---\nAbout us.\n"})
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "build"],
        cwd=copy,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        env={**os.environ, "PAGEFIND_SITE": "/nonexistent"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "/about/" in indexed(copy / "output")
