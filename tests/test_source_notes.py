"""The group's facts, straight: each reading of an unclear source is visible on its page, and the
site says nothing the source does not (no "adopted" goals, no dated calls for stories)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from community_events.errors import ContentError, ContentErrors
from community_events.frontmatter import decode, split
from community_events.model import parse_event, parse_file, parse_goal
from conftest import ROOT, assert_clear_sentence

EVENTS = ROOT / "content" / "events"
PATH = "content/events/2024-05-31-talk.md"

# What each event's notes must say, at least: the readings the issue lists.
EXPECTED_READINGS = {
    "2023-10-26-ai-salon-2": ["“Thursday, October 27, 2023”", "27 October 2023 was a Friday", "EDT", "17:00 UTC"],
    "2023-09-28-ai-salon-1": ["“10:00 a.m. EST”", "EDT, UTC−4", "15:00 UTC", "“hour-long conversations”"],
    "2019-05-30-1lib1ref-hangout": ["23:00 GMT", "GMT and UTC are the same time", "start only"],
    "2024-04-05-wikidata-leveling-up-days": ["without a year", "We read 2024", "“#1Lib1Ref 2024”", "“Past Events”"],
    "2024-03-ai-salon-3": ["with no year", "March 2024", "“Stay tuned for specific details!”"],
    "2020-05-26-1lib1ref-office-hours": ["three Zoom sessions", "“Past Events”", "during the hour"],
    "2021-04-21-global-meetup": ["“12:00 p.m. UTC”", "no end", "“Past Events”"],
    "undated-structured-data-on-commons": ["“Past Events”", "no date"],
    "2024-1lib1ref": ["only the year", "“Get started with #1Lib1Ref in 2024”"],
}


def notes_in_file(slug: str) -> tuple[str, ...]:
    path = EVENTS / f"{slug}.md"
    return parse_file(f"content/events/{path.name}", path.read_bytes(), "events").item.notes_on_source


def test_every_reading_is_in_its_file():
    for slug, words in EXPECTED_READINGS.items():
        notes = " ".join(notes_in_file(slug))
        for expected in words:
            assert expected in notes, (slug, expected)


@pytest.mark.parametrize("slug", sorted(EXPECTED_READINGS))
def test_each_note_is_visible_right_after_the_sessions(real_site, slug):
    page = real_site.html(f"events/{slug}/")
    section = page.select_one("section[aria-labelledby=source-notes]")
    assert section is not None, slug
    heading = section.find(id="source-notes")
    assert heading.name == "h2" and heading.get_text(strip=True)
    shown = [" ".join(li.get_text(" ", strip=True).split()) for li in section.select("li")]
    assert shown == list(notes_in_file(slug))
    # Right after the date and time, where a reader checks them.
    sessions = page.select_one("section[aria-labelledby=when]")
    assert sessions.find_next_sibling("section") is section


def test_weekdays_and_utc_times_in_the_notes_are_right():
    """Each "D Month YYYY was a Weekday" and each "HH:MM UTC" that a note states is checked."""
    checked = 0
    for path in sorted(EVENTS.glob("*.md")):
        notes = " ".join(notes_in_file(path.stem))
        for day, weekday in re.findall(r"(\d{1,2} \w+ \d{4}) was a (\w+day)", notes):
            assert datetime.strptime(day, "%d %B %Y").strftime("%A") == weekday, (path.name, day)
            checked += 1
    assert checked >= 1
    salon = parse_file("content/events/x.md", (EVENTS / "2023-10-26-ai-salon-2.md").read_bytes(), "events").item
    start = salon.sessions[0].start
    assert start.strftime("%A %d %B %Y %H:%M %Z") == "Thursday 26 October 2023 12:00 EDT"
    assert start.utcoffset().total_seconds() == -4 * 3600


def test_the_three_events_the_source_says_took_place_are_held():
    statuses = {
        path.stem: parse_file(f"content/events/{path.name}", path.read_bytes(), "events").item.status
        for path in EVENTS.glob("*.md")
    }
    held = {slug for slug, status in statuses.items() if status == "held"}
    assert held == {"2023-10-26-ai-salon-2", "2023-09-28-ai-salon-1", "2019-05-30-1lib1ref-hangout"}


def test_third_salon_is_an_announcement_not_a_co_organised_event(real_site):
    page = real_site.html("events/2024-03-ai-salon-3/")
    text = page.find("main").get_text(" ", strip=True)
    assert "held with" not in text
    assert "We will hold our third AI Salon in March with members of the Women in Religion User Group" in text
    assert not [dt for dt in page.select("dl.details dt") if dt.get_text() == "Organisers"]


def test_no_statement_the_source_does_not_make(real_site):
    for relative in ["", "goals/", "stories/", "about/", "1lib1ref/", "open-tasks/"]:
        text = real_site.text(relative)
        assert "dopted" not in text, relative
        assert "held with" not in text, relative
    for path in (ROOT / "content").rglob("*.md"):
        words = path.read_text(encoding="utf-8")
        assert "status: adopted" not in words and "held with" not in words, path
        assert "2026-11-24" not in words, path


def test_goals_say_where_they_come_from_and_label_actions_as_proposed(real_site):
    goals = real_site.html("goals/")
    main = goals.find("main")
    assert (
        "These goals were developed as an outcome of a survey conducted by the User Group Steering Committee in 2018"
        in main.get_text(" ", strip=True)
    )
    sections = main.select("section.goal")
    assert len(sections) == 4
    for section in sections:
        assert not section.select(".badge")
        assert section.find("h3").get_text() == "Proposed action"
    titles = [s.find("h2").get_text() for s in sections]
    assert titles[1].startswith("2. Wikimedia work is business as usual in libraries")
    assert titles[2].endswith(
        "outreach to library professionals; arrange for attendance at library conferences and events"
    )
    calls = {li.a["href"] for li in main.select("section.goal li") if li.get_text().startswith("Call for stories: ")}
    assert calls == {"/librarian-stories-interview-series/", "/share-your-1lib1ref-story/"}


def test_stories_index_lists_the_calls_without_a_date(real_site):
    page = real_site.html("stories/")
    main = page.find("main")
    assert "No stories yet." in main.get_text(" ", strip=True)
    calls = main.select_one("section[aria-labelledby=calls]")
    assert calls.find(id="calls").get_text() == "Calls for stories"
    assert [a["href"] for a in calls.select("li > a")] == [
        "/librarian-stories-interview-series/",
        "/share-your-1lib1ref-story/",
    ]
    assert not calls.select("time")
    call = real_site.html("share-your-1lib1ref-story/").find("main")
    assert not call.select("time") and "2026" not in call.get_text()
    assert not (real_site.output / "stories" / "share-your-1lib1ref-story").exists()


# The model: notes_on_source is a list of short lines of text.


def event_from(front_matter: str):
    doc = split(PATH, decode(PATH, f"---\n{front_matter.strip()}\n---\n".encode()))
    return parse_event(PATH, "talk", doc.fields)


SESSIONS = "sessions:\n  - start: 2024-05-31"


def test_notes_on_source_is_a_list_of_text():
    event = event_from(
        f'title: Talk\nnotes_on_source:\n  - "The page says “EST”: we read New York time."\n'
        f'  - "A note that runs\n    over two lines."\n{SESSIONS}'
    )
    assert event.notes_on_source == ("The page says “EST”: we read New York time.", "A note that runs over two lines.")
    assert event_from(f"title: Talk\n{SESSIONS}").notes_on_source == ()


def test_notes_on_source_that_is_not_a_list_is_refused_with_file_and_line():
    with pytest.raises(ContentError) as caught:
        event_from(f"title: Talk\nnotes_on_source:\n  weekday: it was a Friday\n{SESSIONS}")
    sentence = str(caught.value)
    assert_clear_sentence(sentence, f"{PATH}:3", "notes_on_source should be a list of notes")


def test_a_note_too_long_is_refused_on_its_line():
    with pytest.raises(ContentError) as caught:
        event_from(f"title: Talk\nnotes_on_source:\n  - Short.\n  - {'x' * 1001}\n{SESSIONS}")
    assert_clear_sentence(str(caught.value), f"{PATH}:5", "notes_on_source has an item 1,001 characters long")


def test_goal_status_is_optional_and_goals_may_name_pages():
    path = "content/goals/g.md"
    doc = split(path, decode(path, b"---\ntitle: G\norder: 1\npages: [a-call]\n---\n"))
    goal = parse_goal(path, "g", doc.fields)
    assert goal.status is None and goal.pages == ("a-call",)


def test_a_goal_naming_a_page_that_does_not_exist_is_refused(build_site):
    with pytest.raises(ContentErrors) as caught:
        build_site({"goals/g.md": '---\ntitle: G\norder: 1\npages: ["nope"]\n---\n'})
    assert [str(e) for e in caught.value.errors] == [
        'content/goals/g.md:4: pages "nope" is not the name of any of the site\'s pages; '
        "use the file name of a page in content/pages, without .md"
    ]


def test_a_call_page_is_linked_from_its_goal_and_the_stories_index(build_site):
    site = build_site(
        {
            "pages/tell-us.md": "---\ntitle: Tell us\ntemplate: call\nsummary: Your story.\n---\nAn invitation.\n",
            "goals/g.md": "---\ntitle: Grow\norder: 1\npages: [tell-us]\n---\n",
        }
    )
    assert site.html("goals/").select_one("section.goal li a")["href"] == "/tell-us/"
    assert [a["href"] for a in site.html("stories/").select("section[aria-labelledby=calls] li > a")] == ["/tell-us/"]
    assert "This call serves our goal: Grow" in site.text("tell-us/")
    assert not Path(site.output / "stories" / "tell-us").exists()
