"""The built site in a real browser: Debian's Chromium driven by Playwright.

Every page kind is checked for accessibility (axe-core), requests that leave
the machine, page weight, what is left with JavaScript off, times in the
reader's own zone, and keyboard use. Lighthouse scores the home page and an
event page. The search page is searched through the Pagefind index the tasks
build (search_index), with the site's own Content-Security-Policy; the
embeddable list is loaded in an <iframe>. Without a browser these tests are
skipped with a message; with the CI variable set, a missing browser is a
failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from community_events import embed
from community_events.search_index import build_index
from conftest import ROOT, run_all_languages, write_files
from pelican.settings import read_settings

BROWSER = Path(os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
# Flags that work on a machine with no network and no display.
BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
JS_TOOLS = ROOT / "tests" / "js" / "node_modules"
MAX_PAGE_BYTES = 20 * 1024

TWO_SESSIONS = """\
---
title: One meetup, two regions
summary: The same meetup twice, for Asia-Pacific and for the Americas.
sessions:
  - label: Asia-Pacific session
    start: 2024-06-01 10:00
    timezone: Australia/Sydney
    duration: 1 hour
    platform: Zoom
    join: https://zoom.example.org/j/1
  - label: Americas session
    start: 2024-06-01 14:00
    timezone: America/New_York
    duration: 90 minutes
    platform: Zoom
    join: https://zoom.example.org/j/2
---
An agenda, with [a link to Meta-Wiki](https://meta.wikimedia.org/).
"""

# 01:30 happens twice in New York that night; this hour-long session starts at the first and ends at the second.
REPEATED_HOUR = """\
---
title: Across the repeated hour
sessions:
  - start: 2025-11-02 01:30 -04:00
    timezone: America/New_York
    duration: 1 hour
---
"""

# The real content has calls for stories but no story yet; the story page is checked on this one.
STORY = """\
---
title: How our library added references
date: 2024-01-10
author: A Librarian
summary: "What we did during #1Lib1Ref."
---
We added references.
"""

PAGES = {
    "home": "/",
    "events index": "/events/",
    "event with several sessions": "/events/2024-06-01-two-regions/",
    "event with all-day ranges": "/events/2024-04-05-wikidata-leveling-up-days/",
    "series": "/events/series/ai-salon/",
    "story": "/stories/how-our-library-added-references/",
    "call for stories": "/share-your-1lib1ref-story/",
    "goals": "/goals/",
    "404": "/no-such-page/",
    "search": "/search/",
    "subscribe": "/subscribe/",
    "embed": "/embed/upcoming/",
}
# The page kinds every language has (the embeddable lists and the 404 page exist once, at the root).
TRANSLATED_KINDS = [kind for kind in PAGES if kind not in ("embed", "404")]
OTHER_LANGUAGES = ("es", "fr", "pt", "ar")
# Pages without the site's header, so without its skip link: the embeddable lists.
STANDALONE = {"embed"}


def require(condition: bool, message: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so this is a failure, not a skip)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """The group's content plus one two-session event, built and served on 127.0.0.1."""
    base = tmp_path_factory.mktemp("browser-site")
    shutil.copytree(ROOT / "content", base / "content")
    write_files(
        base / "content",
        {
            "events/2024-06-01-two-regions.md": TWO_SESSIONS,
            "events/2025-11-02-repeated-hour.md": REPEATED_HOUR,
            "stories/2024-01-10-how-our-library-added-references.md": STORY,
        },
    )
    # Every language, as the tasks build it: English at the root, the others under /es/, /fr/, /pt/, /ar/.
    languages = read_settings(str(ROOT / "pelicanconf.py"))["COMMUNITY_EVENTS"]["languages"]
    site = run_all_languages(base / "content", base / "output", languages, ROOT / "translations")["en"]
    build_index(site.output)  # as the tasks do after every build
    sys.path.insert(0, str(ROOT))
    import tasks

    server = tasks.RootedHTTPServer(str(site.output), ("127.0.0.1", 0), tasks.SiteRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", site.output
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright is not installed in .venv; run python3 tasks.py test to install the requirements")
    require(
        BROWSER.exists(),
        f"no browser at {BROWSER}: install Debian's chromium (apt-get install chromium) to run the browser tests",
    )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(BROWSER), args=BROWSER_FLAGS)
        yield launched
        launched.close()


def _open(browser, url: str, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    return context, page


def _axe_violations(browser, url: str, scheme: str) -> list:
    axe = JS_TOOLS / "axe-core" / "axe.min.js"
    require(axe.exists(), "axe-core is not installed; run python3 tasks.py test with npm available")
    # axe is injected as an inline script, which the site's own CSP rightly forbids.
    context, page = _open(browser, url, bypass_csp=True, color_scheme=scheme)
    page.add_script_tag(path=str(axe))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    context.close()
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize("kind", TRANSLATED_KINDS)
def test_no_accessibility_violations_in_every_language(browser, site_url, kind, language):
    scheme = "dark" if language == "ar" else "light"  # right to left in both schemes; English checks both
    assert _axe_violations(browser, f"{site_url[0]}/{language}{PAGES[kind]}", scheme) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGES)
def test_no_accessibility_violations(browser, site_url, kind, scheme):
    axe = JS_TOOLS / "axe-core" / "axe.min.js"
    require(axe.exists(), "axe-core is not installed; run python3 tasks.py test with npm available")
    # axe is injected as an inline script, which the site's own CSP rightly forbids.
    context, page = _open(browser, site_url[0] + PAGES[kind], bypass_csp=True, color_scheme=scheme)
    page.add_script_tag(path=str(axe))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    context.close()
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []


@pytest.mark.parametrize("kind", PAGES)
def test_nothing_leaves_the_machine_and_the_page_is_light(browser, site_url, kind):
    context = browser.new_context()
    page = context.new_page()
    outside, sizes = [], {}

    def route(request_route):
        host = urlsplit(request_route.request.url).hostname
        if host != "127.0.0.1":
            outside.append(request_route.request.url)
            return request_route.abort()
        return request_route.continue_()

    page.route("**/*", route)
    page.on("response", lambda response: sizes.__setitem__(response.url, len(response.body())))
    page.goto(site_url[0] + PAGES[kind], wait_until="networkidle")
    context.close()
    assert outside == []
    assert sum(sizes.values()) <= MAX_PAGE_BYTES, sorted(sizes.items(), key=lambda item: -item[1])


@pytest.mark.parametrize("kind", PAGES)
def test_everything_is_there_without_javascript(browser, site_url, kind):
    from bs4 import BeautifulSoup

    url = site_url[0] + PAGES[kind]
    context, page = _open(browser, url, java_script_enabled=False)
    rendered = BeautifulSoup(page.content(), "html.parser")
    context.close()
    context, page = _open(browser, url)
    scripted = BeautifulSoup(page.content(), "html.parser")
    context.close()
    links = lambda soup: [a["href"] for a in soup.select("main a[href]")]  # noqa: E731
    times = lambda soup: [li.get_text(" ", strip=True) for li in soup.select(".zone-times li, .session-date")]  # noqa: E731
    assert links(rendered) == links(scripted)
    assert times(rendered) == times(scripted)
    if kind == "event with several sessions":
        assert len(rendered.select(".session .zone-times")) == 2


def _local(instant: str, zone: str) -> datetime:
    return datetime.fromisoformat(instant).astimezone(ZoneInfo(zone))


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Sao_Paulo"])
def test_each_session_is_also_shown_in_the_readers_zone(browser, site_url, zone):
    context, page = _open(browser, site_url[0] + PAGES["event with several sessions"], timezone_id=zone, locale="en-GB")
    shown = page.locator(".local-time").all_inner_texts()
    context.close()
    sessions = [
        ("2024-06-01T00:00:00+00:00", "2024-06-01T01:00:00+00:00"),
        ("2024-06-01T18:00:00+00:00", "2024-06-01T19:30:00+00:00"),
    ]
    assert len(shown) == len(sessions)
    for text, (start, end) in zip(shown, sessions, strict=True):
        begin, finish = _local(start, zone), _local(end, zone)
        assert text.startswith(f"In your time zone ({zone.replace('_', ' ')}): ")
        assert f"{begin.day} {begin:%b} {begin.year}" in text, text
        assert f"{begin:%H:%M}–{finish:%H:%M}" in text, text


def test_the_readers_zone_shows_the_repeated_hour_with_its_offsets(browser, site_url):
    context, page = _open(
        browser, site_url[0] + "/events/2025-11-02-repeated-hour/", timezone_id="America/New_York", locale="en-GB"
    )
    (shown,) = page.locator(".local-time").all_inner_texts()
    context.close()
    assert "01:30 (GMT-4)–01:30 (GMT-5)" in shown, shown


@pytest.mark.parametrize(
    ("clock", "state"),
    [
        ("2024-01-20T00:00:00+00:00", "upcoming"),
        ("2024-06-01T00:30:00+00:00", "now"),
        ("2024-07-01T00:00:00+00:00", "past"),
    ],
)
def test_an_event_built_as_upcoming_moves_on_by_the_readers_clock(browser, site_url, clock, state):
    """Built on 15 January 2024, the two-session event (1 June 2024) is upcoming; the reader's clock decides."""
    context = browser.new_context()
    page = context.new_page()
    page.clock.set_fixed_time(datetime.fromisoformat(clock))
    page.goto(site_url[0] + PAGES["event with several sessions"], wait_until="networkidle")
    shown = lambda selector: [e.is_visible() for e in page.locator(selector).all()]  # noqa: E731
    article, while_upcoming = page.locator("article.event"), shown(".while-upcoming")
    found = (article.get_attribute("data-state"), shown(".when-now"), shown(".when-past"))
    subscribe = page.get_by_text("Subscribe in your calendar app").is_visible()
    download = page.get_by_text("Download the .ics file").is_visible()
    context.close()
    assert found == (state, [state == "now"], [state == "past"])
    assert while_upcoming and all(visible == (state != "past") for visible in while_upcoming)
    assert subscribe == (state != "past") and download


@pytest.mark.parametrize("kind", PAGES)
def test_keyboard_reaches_every_control_with_a_visible_focus(browser, site_url, kind):
    context, page = _open(browser, site_url[0] + PAGES[kind])
    standalone = kind in STANDALONE
    if not standalone:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    focusable = page.evaluate(
        "() => [...document.querySelectorAll("
        """'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')]
        .filter(e => e.getClientRects().length).length"""
    )
    reached, invisible = (0 if standalone else 1), []
    for _ in range(focusable + 5):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, text: e.textContent.trim().slice(0, 40), """
            "visible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }"
        )
        if state["tag"] == "BODY":
            break
        reached += 1
        if not state["visible"]:
            invisible.append(state["text"])
    page.keyboard.press("Shift+Tab")
    skipped_to = "main"
    if not standalone:
        page.goto(site_url[0] + PAGES[kind])
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        skipped_to = page.evaluate("document.activeElement.id")
    context.close()
    assert reached >= focusable and invisible == []
    assert skipped_to == "main"


def test_every_built_page_is_valid_html(site_url):
    jar = JS_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
    require(
        jar.exists() and shutil.which("java") is not None,
        "the Nu HTML Checker needs Java and npm's vnu-jar (python3 tasks.py test installs it)",
    )
    pages = sorted(str(p) for p in site_url[1].rglob("*.html"))
    done = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *pages], capture_output=True, text=True
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    assert [(Path(m["url"]).name, m.get("lastLine"), m["message"]) for m in messages] == []
    assert len(pages) >= 20


@pytest.mark.parametrize("kind", ["home", "event with several sessions"])
def test_lighthouse_scores(browser, site_url, kind, tmp_path):
    lighthouse = JS_TOOLS / ".bin" / "lighthouse"
    require(
        lighthouse.exists() and shutil.which("node") is not None,
        "Lighthouse needs Node.js and npm's lighthouse (python3 tasks.py test installs it)",
    )
    report = tmp_path / "report.json"
    command = [
        str(lighthouse),
        site_url[0] + PAGES[kind],
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=" + " ".join(BROWSER_FLAGS + [f"--user-data-dir={tmp_path / 'profile'}"]),
    ]
    subprocess.run(
        command, env={**os.environ, "CHROME_PATH": str(BROWSER)}, check=True, capture_output=True, timeout=240
    )
    categories = json.loads(report.read_text())["categories"]
    scores = {name: round(category["score"] * 100) for name, category in categories.items()}
    assert scores["accessibility"] == 100 and scores["best-practices"] == 100 and scores["seo"] == 100, scores
    assert scores["performance"] >= 95, scores


# --- Search, the embeddable list, and the weight of every other page -----------------------------


@contextlib.contextmanager
def _page(browser, url: str = "", **context_options):
    """A page in a context of its own, closed whatever happens: the test server serves one connection at a time,
    and a context left open would hold it."""
    context = browser.new_context(**context_options)
    try:
        page = context.new_page()
        if url:
            page.goto(url, wait_until="networkidle")
        yield page
    finally:
        context.close()


def _weigh(browser, url: str) -> tuple[dict[str, int], list[str]]:
    """Every response a page loads, by URL, and any request that would leave 127.0.0.1 (refused)."""
    outside, sizes = [], {}

    def route(request_route):
        if urlsplit(request_route.request.url).hostname != "127.0.0.1":
            outside.append(request_route.request.url)
            return request_route.abort()
        return request_route.continue_()

    with _page(browser) as page:
        page.route("**/*", route)
        page.on("response", lambda response: sizes.__setitem__(response.url, len(response.body())))
        page.goto(url, wait_until="networkidle")
    return sizes, outside


def test_every_page_but_search_keeps_the_weight_limit_and_loads_nothing_of_search(browser, site_url):
    base, output = site_url
    pages = sorted(
        "/" + str(path.relative_to(output)).removesuffix("index.html")
        for path in output.rglob("*.html")
        if not any(path.is_relative_to(output / prefix / "search") for prefix in ("", *OTHER_LANGUAGES))
    )
    assert len(pages) >= 20
    heavy, searching = {}, {}
    for relative in pages:
        sizes, outside = _weigh(browser, base + relative)
        assert outside == [], relative
        if sum(sizes.values()) > MAX_PAGE_BYTES:
            heavy[relative] = sum(sizes.values())
        searching[relative] = [url for url in sizes if "/pagefind/" in url or "search." in url]
    assert heavy == {}
    assert {page: urls for page, urls in searching.items() if urls} == {}


@pytest.mark.parametrize("prefix", ["", *(f"/{code}" for code in OTHER_LANGUAGES)])
def test_the_search_page_is_light_until_the_reader_searches(browser, site_url, prefix):
    sizes, outside = _weigh(browser, site_url[0] + prefix + PAGES["search"])
    assert outside == [] and sum(sizes.values()) <= MAX_PAGE_BYTES
    assert not [url for url in sizes if "/pagefind/" in url]


@pytest.mark.parametrize("relative", ["embed/upcoming/", "embed/tags/wikidata/", "embed/tags/1lib1ref/"])
def test_the_embeddable_list_weighs_under_8_kib_in_the_browser(browser, site_url, relative):
    sizes, outside = _weigh(browser, f"{site_url[0]}/{relative}")
    assert outside == [] and sum(sizes.values()) < embed.MAX_BYTES == 8 * 1024, sizes


def _search(page, words: str):
    """Type into the search field as a reader does; wait for the live region to announce the result."""
    from playwright.sync_api import expect  # the browser fixture has checked that Playwright is installed

    status = page.locator("#search-status")
    before = status.inner_text()
    page.get_by_label("Search events, stories, goals and pages").fill(words)
    expect(status).not_to_have_text(before, timeout=15000)
    return status


def _results(page) -> list[str]:
    return page.locator("#search-results > li h2 a").all_inner_texts()


def test_searching_wikidata_lists_the_leveling_up_days_and_the_tag_filter_narrows_the_list(browser, site_url):
    """With JavaScript and the site's own Content-Security-Policy, as a reader sees it."""
    from playwright.sync_api import expect

    errors = []
    with _page(browser, site_url[0] + PAGES["search"]) as page:
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        status = _search(page, "Wikidata")
        everything = _results(page)
        announced = status.inner_text()
        page.get_by_role("group", name="Topic").get_by_label("wikidata").check()
        expect(status).to_contain_text("with the filters chosen")
        narrowed = _results(page)
        hrefs = [link.get_attribute("href") for link in page.locator("#search-results > li h2 a").all()]
    assert "Wikidata Leveling Up Days" in everything
    assert announced == f"{len(everything)} results for “Wikidata”."
    # Pages about Wikidata that are not tagged with it (the about page, other events) are found too.
    assert len(everything) > 1
    assert "Wikidata Leveling Up Days" in narrowed and len(narrowed) < len(everything)
    assert set(narrowed) <= set(everything)
    # Each result left is an event page whose markup files it under the topic.
    for href in hrefs:
        markup = (site_url[1] / href.lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert '<span data-pagefind-filter="tag">wikidata</span>' in markup, href
    assert errors == []


def test_without_pagefinds_worker_the_search_runs_on_the_page_as_its_policy_allows(browser, site_url):
    """Pagefind searches in a worker, which the page's <meta> policy does not reach; when the worker cannot start,
    it compiles its WebAssembly on the page itself: the search page's policy allows that ('wasm-unsafe-eval')."""
    errors = []
    with _page(browser) as page:
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.route("**/pagefind/pagefind-worker.js", lambda route: route.abort())
        page.goto(site_url[0] + PAGES["search"], wait_until="networkidle")
        _search(page, "Wikidata")
        found = _results(page)
    assert "Wikidata Leveling Up Days" in found and errors == []


def test_the_search_page_with_results_is_accessible_and_valid_html(browser, site_url, tmp_path):
    from playwright.sync_api import expect

    axe = JS_TOOLS / "axe-core" / "axe.min.js"
    require(axe.exists(), "axe-core is not installed; run python3 tasks.py test with npm available")
    found = {}
    for scheme in ("light", "dark"):
        # axe is injected as an inline script, which the site's own CSP rightly forbids.
        with _page(browser, site_url[0] + PAGES["search"], bypass_csp=True, color_scheme=scheme) as page:
            _search(page, "Wikidata")
            page.get_by_role("group", name="Year").get_by_label("2024").check()
            expect(page.locator("#search-status")).to_contain_text("with the filters chosen")
            page.add_script_tag(path=str(axe))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            page.locator("script:not([src])").evaluate_all("scripts => scripts.forEach(s => s.remove())")
            searched = page.content()
        found[scheme] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert found == {"light": [], "dark": []}
    assert "<mark>" in searched and "Wikidata Leveling Up Days" in searched
    jar = JS_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
    require(jar.exists() and shutil.which("java") is not None, "the Nu HTML Checker needs Java and npm's vnu-jar")
    (tmp_path / "searched.html").write_text(searched, encoding="utf-8")
    done = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", str(tmp_path / "searched.html")],
        capture_output=True,
        text=True,
    )
    assert json.loads(done.stderr or '{"messages": []}')["messages"] == []


def test_without_javascript_the_search_page_shows_the_topic_and_series_links_instead(browser, site_url):
    url = site_url[0] + PAGES["search"]
    with _page(browser, url, java_script_enabled=False) as page:
        form_shown = page.locator("form.search-form").is_visible()
        note_shown = page.get_by_text("Searching needs JavaScript").is_visible()
        browse = page.locator("section.search-browse")
        links = {name: browse.get_by_role("link", name=name, exact=True).is_visible() for name in BROWSED}
    assert not form_shown and note_shown and all(links.values()), links
    with _page(browser, url) as page:
        form_shown = page.locator("form.search-form").is_visible()
        note_shown = page.get_by_text("Searching needs JavaScript").is_visible()
    assert form_shown and not note_shown


# Topic pages (the tags of the events in content/), the series page, and every event.
BROWSED = ("wikidata", "1lib1ref", "campaign", "AI Salons", "All events")


@contextlib.contextmanager
def _library_site(body: str):
    """Another site, on another port of 127.0.0.1 (another origin), whose one page holds ``body``."""
    page = (
        f'<!doctype html><html lang="en"><head><title>A library</title></head><body><main>{body}</main></body></html>'
    )

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            data = page.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_snippet_from_the_subscribe_page_embeds_the_list_and_its_links_open_the_site(browser, site_url):
    from bs4 import BeautifulSoup
    from pelican.settings import read_settings

    subscribe = BeautifulSoup((site_url[1] / "subscribe/index.html").read_text(encoding="utf-8"), "html.parser")
    snippet = subscribe.select_one(".embed-snippet code").get_text()
    # The snippet names the site's address (FEED_DOMAIN in a local build); here the site is on the test server.
    domain = read_settings(str(ROOT / "pelicanconf.py"))["FEED_DOMAIN"]
    assert f'src="{domain}/embed/upcoming/"' in snippet
    with _library_site(snippet.replace(domain, site_url[0])) as library, _page(browser, library) as page:
        frame = page.frame_locator("iframe")
        heading = frame.locator("h1").inner_text()
        frame.get_by_role("link", name="Wikidata Leveling Up Days").click()
        page.wait_for_url(f"{site_url[0]}/events/2024-04-05-wikidata-leveling-up-days/")
        opened = page.locator("h1").inner_text()
    assert heading == "Upcoming events" and opened == "Wikidata Leveling Up Days"
