"""Build tests: the group's real site and small sites, checked on the parsed HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from community_events.errors import ContentErrors
from conftest import ROOT, run_pelican, write_files

EVENT = """\
---
title: {title}
{extra}
sessions:
  - start: {start}
    timezone: UTC
---
Agenda.
"""


STORY = "---\ntitle: A story\nauthor: Someone\ndate: 2024-01-01\nsummary: One.\n---\nText.\n"


def event(title="Talk", start="2024-05-31 10:00", extra="") -> str:
    return EVENT.format(title=title, start=start, extra=extra)


# --- The group's real content ---------------------------------------------------------------


def test_hangout_shows_the_groups_line_and_utc_instant(real_site):
    page = real_site.html("events/2019-05-30-1lib1ref-hangout/")
    zones = [li.get_text(" ", strip=True) for li in page.select(".session .zone-times li")]
    assert zones == ["Thu, 30 May 2019 09:00 Sydney", "29 May 16:00 Pacific", "29 May 23:00 UTC"]
    assert {t["datetime"] for t in page.select(".zone-times time")} == {"2019-05-29T23:00:00Z"}
    assert page.select_one(".local-time")["data-start"] == "2019-05-29T23:00:00Z"
    text = real_site.text("events/2019-05-30-1lib1ref-hangout/")
    assert "Merrilee, Mylee" in text and "Citation hunt (demo)" in text


def test_leveling_up_days_show_both_ranges(real_site):
    sessions = real_site.html("events/2024-04-05-wikidata-leveling-up-days/").select(".session")
    assert [s.select_one("time").get_text() for s in sessions] == ["5–7 Apr 2024", "12–14 Apr 2024"]
    assert [s.select_one("time")["datetime"] for s in sessions] == ["2024-04-05", "2024-04-12"]


def test_office_hours_show_three_sessions_without_invented_times(real_site):
    sessions = real_site.html("events/2020-05-26-1lib1ref-office-hours/").select(".session")
    assert len(sessions) == 3
    for session in sessions:
        assert "Tue, 26 May 2020, time not recorded" in session.get_text()
        assert "Zoom" in session.get_text()
        assert not session.select(".zone-times")


def test_third_ai_salon_is_march_details_to_come(real_site):
    page = real_site.html("events/2024-03-ai-salon-3/")
    when = page.select_one(".session time")
    assert when.get_text() == "March 2024, details to come" and when["datetime"] == "2024-03"


def test_ai_salons_read_est_as_new_york_wall_time(real_site):
    first = real_site.html("events/2023-09-28-ai-salon-1/").select_one(".zone-times time")
    second = real_site.html("events/2023-10-26-ai-salon-2/").select_one(".zone-times time")
    assert first["datetime"] == "2023-09-28T14:00:00Z"
    assert second["datetime"] == "2023-10-26T16:00:00Z"


def test_every_seed_item_is_on_the_site(real_site):
    events = real_site.text("events/")
    for title in [
        "Wikidata Leveling Up Days",
        "#1Lib1Ref 2024",
        "AI Salon with the Women in Religion User Group",
        "AI Salon with Silvia Gutiérrez",
        "AI Salon with Andrew Lih and Richard Knipel",
        "Fostering Connections: Wikimedia and Libraries Global Meetup",
        "Presentation on Structured Data on Wikimedia Commons",
        "#1lib1ref office hours",
        "#1lib1ref Google Hangout",
    ]:
        assert title in events, title
    goals = real_site.text("goals/")
    for words in [
        "historically low participation",
        "business as usual",
        "library conferences",
        "in relation to #1lib1ref",
        "develop ambassadors",
        "interview series",
    ]:
        assert words in goals, words
    assert "Fostering Connections" in real_site.text("events/2021-04-21-global-meetup/")
    assert "UTC" in real_site.html("events/2021-04-21-global-meetup/").select_one(".zone-times").get_text()


def test_events_index_lists_upcoming_then_past_by_year(real_site):
    page = real_site.html("events/")
    upcoming = [a.get_text() for a in page.select("#upcoming ~ .cards h3 a")]
    assert upcoming == ["#1Lib1Ref 2024", "AI Salon with the Women in Religion User Group", "Wikidata Leveling Up Days"]
    years = [h.get_text() for h in page.select("section[aria-labelledby=past] h3")]
    assert years == ["2023", "2021", "2020", "2019", "Date not recorded"]


def test_series_page_numbers_episodes_and_event_pages_link_neighbours(real_site):
    episodes = real_site.html("events/series/ai-salon/").select("ol.episodes li")
    assert [li["value"] for li in episodes] == ["1", "2", "3"]
    second = real_site.html("events/2023-10-26-ai-salon-2/")
    assert second.select_one("a[rel=prev]")["href"].endswith("/events/2023-09-28-ai-salon-1/")
    assert second.select_one("a[rel=next]")["href"].endswith("/events/2024-03-ai-salon-3/")


def test_home_shows_next_events_with_converted_times_stories_goals_and_join(real_site):
    home = real_site.html("")
    assert [a.get_text() for a in home.select("section[aria-labelledby=next-events] h3 a")][:1] == ["#1Lib1Ref 2024"]
    calls = home.select("section[aria-labelledby=latest-stories] .calls a")
    assert [a["href"] for a in calls] == ["/librarian-stories-interview-series/", "/share-your-1lib1ref-story/"]
    assert len(home.select(".goal-list li")) == 4
    assert home.select_one('a[href="/join/"]')


def test_pages_feed_sitemap_and_404_exist(real_site):
    for page in ["stories/", "goals/", "1lib1ref/", "open-tasks/", "join/", "about/", "404.html"]:
        assert real_site.html(page).find("h1"), page
    assert "develop ambassadors" in real_site.text("open-tasks/")
    assert "#1lib1ref Google Hangout" in real_site.text("1lib1ref/")
    feed = (real_site.output / "stories/feed.atom").read_text()
    assert "<feed" in feed and "<entry" not in feed  # the calls for stories are pages, not stories
    sitemap = (real_site.output / "sitemap.xml").read_text()
    assert "/events/2019-05-30-1lib1ref-hangout/" in sitemap and "/share-your-1lib1ref-story/" in sitemap


def built_pages(site) -> list[Path]:
    return sorted(site.output.rglob("*.html"))


def test_every_page_is_accessible_in_structure_and_self_hosted(real_site):
    for path in built_pages(real_site):
        page = real_site.html(str(path.relative_to(real_site.output)))
        assert page.html["lang"] == "en" and page.html["data-locale"] == "en-GB", path
        assert page.select_one("main"), path
        if "embed" not in path.relative_to(real_site.output).parts:  # a list for other sites' iframes: no site chrome
            skip = page.select_one("body > a.skip-link")
            assert skip and skip["href"] == "#main" and page.select_one("main#main"), path
            assert page.select_one("nav[aria-label=Main]"), path
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in page.find_all(tag):
                assert not element.get(attribute, "").startswith(("http:", "https:", "//")), (path, element)
        # The one inline script element a page may have is schema.org data, which browsers never run (jsonld.py).
        assert not page.select('script:not([src]):not([type="application/ld+json"])'), path


def test_navigation_marks_the_current_section(real_site):
    nav = real_site.html("events/2019-05-30-1lib1ref-hangout/").select_one("nav[aria-label=Main]")
    assert nav.select_one("a[aria-current]").get_text() == "Events"
    assert real_site.html("goals/").select_one("a[aria-current=page]").get_text() == "Goals"


# --- Small sites ----------------------------------------------------------------------------


def test_titles_are_escaped(build_site):
    site = build_site({"events/2024-05-31-x.md": event(title='"Tags like <b> & <i> stay text"')})
    page = site.html("events/2024-05-31-x/")
    assert page.find("h1").get_text() == "Tags like <b> & <i> stay text"
    assert not page.select("h1 b, h1 i")


def test_today_setting_splits_upcoming_and_past(build_site):
    files = {"events/a.md": event("Early", "2024-05-01 10:00"), "events/b.md": event("Late", "2024-06-01 10:00")}
    site = build_site(files, today="2024-05-15")
    assert [a.get_text() for a in site.html("events/").select("#upcoming ~ .cards a")] == ["Late"]
    assert "Early" in site.html("events/").select_one("section[aria-labelledby=past]").get_text()
    assert [a.get_text() for a in site.html("").select("section[aria-labelledby=next-events] h3 a")] == ["Late"]


def test_cancelled_event_is_labelled_and_not_the_next_event(build_site):
    files = {
        "events/a.md": event("Off", "2024-05-20 10:00", "status: cancelled"),
        "events/b.md": event("On", "2024-06-01 10:00"),
    }
    site = build_site(files, today="2024-05-15")
    assert "Cancelled" in site.text("events/a/")
    assert [a.get_text() for a in site.html("").select("section[aria-labelledby=next-events] h3 a")] == ["On"]


def test_event_names_its_own_display_zones(build_site):
    extra = "display_zones: [Asia/Kolkata, Pacific/Chatham]"
    site = build_site({"events/x.md": event(extra=extra)})
    labels = [li.get_text(" ", strip=True) for li in site.html("events/x/").select(".zone-times li")]
    assert labels == ["Fri, 31 May 2024 10:00 UTC", "15:30 India", "22:45 Chatham"]


def test_drafts_are_not_published(build_site):
    site = build_site({"events/x.md": event(extra="draft: true")})
    assert not (site.output / "events/x").exists()


def test_a_broken_file_stops_the_build_with_one_sentence(build_site):
    files = {
        "events/good.md": event(),
        "events/bad.md": event().replace("timezone: UTC", "timezone: EST"),
        "stories/2024-01-01-s.md": "---\ntitle: S\ndate: 2024-01-01\nauthr: Me\n---\nText\n",
    }
    with pytest.raises(ContentErrors) as caught:
        build_site(files)
    messages = [str(e) for e in caught.value.errors]
    assert messages == [
        'content/events/bad.md:6: timezone "EST" is not a time zone name; use "America/New_York"',
        'content/stories/2024-01-01-s.md:4: "authr" is not a field of a story; did you mean "author"?',
    ]


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({"events/x.md": event(extra="series: nope")}, '"nope" is not a known series'),
        ({"events/x.md": event(), "events/y.md": event(extra="slug: x")}, '"slug" is not a field of an event'),
        (
            {"stories/2024-01-01-x.md": STORY, "stories/2024-02-01-x.md": STORY},
            'would write "stories/x/index.html", which content/stories/2024-01-01-x.md writes too',
        ),
        ({"goals/g.md": "---\ntitle: G\norder: 1\nevents: [nope]\n---\n"}, '"nope" is not the name of any'),
        ({"pages/p.md": "no front matter here\n"}, "content/pages/p.md:1: the file has no front matter"),
        ({"events/x.md": ""}, "content/events/x.md:1: the file is empty"),
    ],
)
def test_links_between_files_are_checked(build_site, files, words):
    with pytest.raises(ContentErrors) as caught:
        build_site(files)
    assert any(words in str(e) for e in caught.value.errors), caught.value.errors


def test_build_is_repeatable(build_site, tmp_path):
    files = {"events/x.md": event(), "events/y.md": event("Other", "2024-06-01 09:00")}
    first = {p.relative_to(tmp_path / "output"): p.read_bytes() for p in build_site(files).output.rglob("*.html")}
    second = {p.relative_to(tmp_path / "output"): p.read_bytes() for p in build_site(files).output.rglob("*.html")}
    assert first == second


def test_every_page_has_a_strict_content_security_policy_and_nothing_inline(real_site):
    for page in sorted(real_site.output.rglob("*.html")):
        soup = real_site.html(str(page.relative_to(real_site.output)))
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
        assert all(s.get("src") or s.get("type") == "application/ld+json" for s in soup.find_all("script")), page
        assert not soup.find_all("style") and not soup.select("[style]"), page
        assert not [tag for tag in soup.find_all(True) if any(name.startswith("on") for name in tag.attrs)], page


def test_links_to_other_sites_are_noopener(real_site, build_site):
    site = build_site(
        {
            "pages/links.md": (
                "---\ntitle: Links\n---\nSee [Meta](https://meta.wikimedia.org/) and [our events](/events/).\n"
            )
        }
    )
    for soup in (site.html("links/"), real_site.html("events/2021-04-21-global-meetup/")):
        external = [a for a in soup.select("a[href^='http']") if not a["href"].startswith("http://127.0.0.1")]
        assert external and all("noopener" in (a.get("rel") or []) for a in external)
    internal = site.html("links/").select_one("main a[href='/events/']")
    assert internal is not None and not internal.get("rel")


def test_every_internal_link_and_fragment_resolves(real_site):
    from urllib.parse import unquote, urlsplit

    ids: dict[str, set[str]] = {}

    def page_for(path: str):
        target = real_site.output / unquote(path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        return target

    checked = 0
    for page in sorted(real_site.output.rglob("*.html")):
        soup = real_site.html(str(page.relative_to(real_site.output)))
        for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attribute: True}):
                url = urlsplit(element[attribute])
                if url.scheme not in ("", "http", "https") or (url.netloc and url.netloc != "127.0.0.1:8000"):
                    continue  # another site, or webcal:/mailto:
                path = url.path or "/" + str(page.relative_to(real_site.output))
                if not path.startswith("/"):
                    path = "/" + str((page.parent / path).relative_to(real_site.output))
                target = page_for(path)
                assert target.exists(), f"{page.relative_to(real_site.output)}: {element[attribute]}"
                if url.fragment and target.suffix == ".html":
                    if target not in ids:
                        ids[target] = {
                            e["id"] for e in real_site.html(str(target.relative_to(real_site.output))).select("[id]")
                        }
                    assert url.fragment in ids[target], f"{page.relative_to(real_site.output)}: {element[attribute]}"
                checked += 1
    assert checked > 200


def test_a_cached_rebuild_follows_a_changed_series(tmp_path):
    from conftest import MINIMAL_PAGES

    content = tmp_path / "content"
    salon = "---\ntitle: {title}\n{series}sessions:\n  - start: {day}\n---\n"
    write_files(
        content,
        {
            **MINIMAL_PAGES,
            "series/salons.md": "---\ntitle: Salons\n---\n",
            "events/first.md": salon.format(title="First", series="series: salons\n", day="2024-05-01"),
            "events/second.md": salon.format(title="Second", series="series: salons\n", day="2024-06-01"),
        },
    )
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CONTENT_CACHING_LAYER": "generator"}
    first = run_pelican(content, tmp_path / "output", **cache)
    assert "Next: Second" in first.text("events/first/")
    # Only the second file changes; the first comes from the cache and must not keep its old link.
    write_files(content, {"events/second.md": salon.format(title="Second", series="", day="2024-06-01")})
    second = run_pelican(content, tmp_path / "output", **cache)
    assert "Second" not in second.text("events/first/")
    assert [li.get_text(" ", strip=True)[:5] for li in second.html("events/series/salons/").select(".episodes li")] == [
        "First"
    ]


def test_a_cached_rebuild_still_resolves_filename_links(tmp_path, caplog):
    from conftest import MINIMAL_PAGES

    content = tmp_path / "content"
    write_files(
        content,
        {
            **MINIMAL_PAGES,
            "stories/2024-01-01-story.md": (
                "---\ntitle: Story\nauthor: A\ndate: 2024-01-01\nsummary: S.\n---\n"
                "See [join]({filename}/pages/join.md).\n"
            ),
            "events/meetup.md": (
                "---\ntitle: Meetup\nsessions:\n  - start: 2024-05-31\n---\nSee [about]({filename}/pages/about.md).\n"
            ),
        },
    )
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CONTENT_CACHING_LAYER": "generator"}
    run_pelican(content, tmp_path / "output", **cache)
    write_files(content, {"pages/new.md": "---\ntitle: New\n---\nNew page.\n"})  # the story and event stay cached
    caplog.clear()
    site = run_pelican(content, tmp_path / "output", **cache)
    assert not [m for m in caplog.messages if "Unable to find" in m]
    assert site.html("stories/story/").select_one("main a[href$='join/']") is not None
    assert site.html("events/meetup/").select_one("main a[href$='about/']") is not None


def test_a_cached_rebuild_reuses_compiled_templates_but_sees_an_edited_one(tmp_path):
    import shutil

    from conftest import MINIMAL_PAGES, ROOT

    content, theme = tmp_path / "content", tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    write_files(
        content, {**MINIMAL_PAGES, "events/meetup.md": "---\ntitle: Meetup\nsessions:\n  - start: 2024-05-31\n---\n"}
    )
    cache = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": "generator",
        "THEME": str(theme),
    }
    run_pelican(content, tmp_path / "output", **cache)
    compiled = sorted((tmp_path / "cache" / "templates").iterdir())
    assert len(compiled) >= 5  # base, event, events, macros, page, ...
    event_template = theme / "templates" / "event.html"
    event_template.write_text(
        event_template.read_text(encoding="utf-8").replace('{{ _("All events") }}</a>', "Every event</a>"),
        encoding="utf-8",
    )
    site = run_pelican(content, tmp_path / "output", **cache)
    assert "Every event" in site.text("events/meetup/")


def test_builds_without_the_content_cache_compile_templates_afresh(tmp_path):
    from conftest import MINIMAL_PAGES

    content = tmp_path / "content"
    write_files(content, MINIMAL_PAGES)
    run_pelican(content, tmp_path / "output")
    assert not (tmp_path / "cache" / "templates").exists()


def test_markdown_extensions_from_the_settings_are_used(build_site):
    """Tables, footnotes and definition lists come from MARKDOWN's extension_configs, with align, not style."""
    page = "---\ntitle: T\n---\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: The note.\n\nTerm\n: Definition\n"
    prose = build_site({"pages/t.md": page}).html("t/").select_one(".prose")
    assert prose.select_one("th")["align"] == "left" and not prose.select("[style]")
    assert prose.select_one("div.footnote li#fn\\:1") and prose.select_one("dl dd").get_text() == "Definition"


def test_the_repeated_hour_never_reads_as_an_empty_range(build_site):
    """01:30 happens twice in New York on 2 November 2025; each time shows its offset, here and in display zones."""
    files = {
        "events/own.md": EVENT.format(title="Own", start='"2025-11-02 01:30 -04:00"', extra="").replace(
            "timezone: UTC", "timezone: America/New_York\n    duration: 1 hour"
        ),
        "events/shown.md": EVENT.format(title="Shown", start="2025-11-02 05:30", extra="").replace(
            "timezone: UTC", "timezone: UTC\n    end: 06:30"
        ),
    }
    site = build_site(files)
    own = [li.get_text(" ", strip=True) for li in site.html("events/own/").select(".session .zone-times li")]
    assert own[0] == "Sun, 2 Nov 2025 01:30 (UTC-04:00) – 01:30 (UTC-05:00) Eastern"
    shown = [li.get_text(" ", strip=True) for li in site.html("events/shown/").select(".session .zone-times li")]
    assert "01:30 (UTC-04:00)–01:30 (UTC-05:00) Eastern" in shown
    for page in ("events/own/", "events/shown/"):
        assert not re.search(r"01:30\s*–\s*01:30", site.text(page))


def test_a_page_that_fails_to_render_names_its_file_not_a_traceback(build_site, monkeypatch):
    from community_events import display

    def broken(*args, **kwargs):
        raise KeyError("unforeseen")

    monkeypatch.setattr(display, "zone_times", broken)
    with pytest.raises(ContentErrors) as raised:
        build_site({"events/x.md": event()})
    assert "content/events/x.md: could not be built (KeyError: 'unforeseen'); please report this" in [
        str(e) for e in raised.value.errors
    ]


# --- One owner per fact -------------------------------------------------------------------------


def test_options_are_loaded_and_today_read_once_per_build(build_site, monkeypatch):
    from datetime import date

    from community_events import options
    from pelican import signals

    loads, todays, seen = [], [], []
    real_load, real_now = options.load, options._now
    monkeypatch.setattr(options, "load", lambda settings: loads.append(1) or real_load(settings))
    monkeypatch.setattr(options, "_now", lambda value: todays.append(value) or real_now(value))

    def look(generators):
        seen.append((options.for_build(generators[0].settings), [options.for_build(g.context) for g in generators]))

    files = {
        "events/x.md": event(),
        "series/s.md": "---\ntitle: S\n---\n",
        "goals/g.md": "---\ntitle: G\norder: 1\n---\n",
    }
    signals.all_generators_finalized.connect(look)
    try:
        build_site(files)
        assert (len(loads), todays) == (1, ["2024-01-15"])
        build_site(files)  # a second build loads its own
        assert len(loads) == 2
    finally:
        signals.all_generators_finalized.disconnect(look)
    (first, in_context), (second, _) = seen
    assert first.today == date(2024, 1, 15) and all(found is first for found in in_context) and second is not first


def test_templates_read_what_a_file_says_from_its_model(build_site):
    """A page forwards nothing to its model: the campaign, goals and open-tasks pages say event.model.tags,
    goal.model.order."""
    files = {
        "events/2024-01-10-campaign.md": event("Campaign week", "2024-01-10 10:00", "tags: [1Lib1Ref]"),
        "events/2024-02-10-other.md": event("Other", "2024-02-10 10:00", "tags: [wikidata]"),
        "pages/campaign.md": "---\ntitle: Campaign\ntemplate: campaign\n---\nText.\n",
        "pages/tasks.md": "---\ntitle: Tasks\ntemplate: open-tasks\n---\nText.\n",
        "goals/g.md": "---\ntitle: Grow\norder: 7\nstatus: achieved\nactions: [Write a guide]\n---\n",
    }
    site = build_site(files)
    assert [a.get_text() for a in site.html("campaign/").select(".event-card a")] == ["Campaign week"]
    goal = site.html("goals/").select_one("section.goal")
    assert goal.find("h2").get_text() == "7. Grow" and goal.select_one(".badge").get_text() == "Achieved"
    assert [li.get_text() for li in goal.select("h3 + ul li")] == ["Write a guide"]
    assert [li.get_text() for li in site.html("tasks/").select("section li")] == ["Write a guide"]


def test_pages_do_not_forward_unknown_names_to_their_model():
    from community_events.generators import EventPage, GoalPage, SeriesPage

    for page_class in (EventPage, SeriesPage, GoalPage):
        assert not hasattr(page_class, "__getattr__"), page_class


def test_a_file_our_reader_refuses_is_reported_once_not_again_by_pelican(build_site, caplog):
    story = "---\ntitle: S\ndate: 2024-01-01\nauthr: Me\n---\nText\n"
    with pytest.raises(ContentErrors) as caught:
        build_site({"stories/2024-01-01-s.md": story, "pages/p.md": "no front matter\n"})
    assert len(caught.value.errors) == 2
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pelican") and r.levelname == "ERROR"] == []


def test_a_file_pelican_fails_on_after_our_reader_is_an_error_not_a_vanished_page(build_site, caplog):
    from pelican import signals

    def refuse(sender, metadata):
        if metadata.get("title") == "Doomed":
            raise RuntimeError("a plugin failed")

    signals.article_generator_context.connect(refuse)
    try:
        with pytest.raises(ContentErrors) as caught:
            build_site(
                {
                    "stories/2024-01-01-doomed.md": STORY.replace("A story", "Doomed"),
                    "stories/2024-01-02-fine.md": STORY,
                }
            )
    finally:
        signals.article_generator_context.disconnect(refuse)
    assert [str(e) for e in caught.value.errors] == [
        "content/stories/2024-01-01-doomed.md: could not be built (Pelican left it out of the site); please report this"
    ]
    assert any("2024-01-01-doomed.md" in r.getMessage() for r in caplog.records if r.name == "pelican.generators")


def test_markdown_that_runs_away_is_stopped_with_a_sentence(build_site, monkeypatch):
    from community_events import reader

    monkeypatch.setattr(reader, "MARKDOWN_SECONDS", 0.5)
    with pytest.raises(ContentErrors) as raised:
        build_site({"pages/slow.md": "---\ntitle: Slow\n---\n" + "[" * 20_000 + "\n"})
    assert [str(e) for e in raised.value.errors] == [
        "content/pages/slow.md: the text took more than 0.5 seconds to read as Markdown; "
        "simplify it: long runs of [, *, _ or < are the usual cause"
    ]


def test_the_theme_stylesheets_and_scripts_are_published_minified(real_site):
    for relative in ("css/site.css", "js/local-time.js"):
        source = (ROOT / "theme" / "static" / relative).read_text(encoding="utf-8")
        built = (real_site.output / "theme" / relative).read_text(encoding="utf-8")
        assert "/*" in source or "//" in source, relative
        assert len(built) < 0.9 * len(source) and "\n  " not in built, relative


def test_pages_are_published_without_indentation_but_code_keeps_its_own():
    from community_events.minify import without_indentation

    page = (
        "<main>\n  <p>One\n    two</p>\n  <pre><code>if x:\n    y</code></pre>\n"
        "  <TEXTAREA>\n  kept</TEXTAREA>\n</main>"
    )
    assert without_indentation(page) == (
        "<main>\n<p>One\ntwo</p>\n<pre><code>if x:\n    y</code></pre>\n<TEXTAREA>\n  kept</TEXTAREA>\n</main>"
    )


def test_a_built_page_has_no_indented_line(real_site):
    html = (real_site.output / "events" / "index.html").read_text(encoding="utf-8")
    assert "\n  <" not in html and "<main" in html
