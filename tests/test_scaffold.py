"""`invoke new-event` and `invoke new-story`: files named by convention that pass `invoke check`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from community_events.errors import ContentError
from community_events.scaffold import event_file, slugify, story_file
from conftest import MINIMAL_PAGES, ROOT, write_files


def test_slugs_are_short_ascii_words():
    assert slugify("AI Salon: Wikidata & Libraries — part 2!") == "ai-salon-wikidata-libraries-part-2"
    assert slugify("Édition Wikipédia à Montréal") == "edition-wikipedia-a-montreal"
    assert slugify("!!!") == "untitled"


def test_event_file_is_named_by_date_and_title_and_quotes_everything():
    name, text = event_file(
        "Wikidata: office hours #2",
        "2025-03-04 15:00",
        timezone="Europe/Paris",
        duration="1 hour",
        summary='Say "hi": #all',
    )
    assert name == "2025-03-04-wikidata-office-hours-2.md"
    assert 'title: "Wikidata: office hours #2"' in text and 'summary: "Say \\"hi\\": #all"' in text


def test_bad_answers_are_refused_before_anything_is_written():
    with pytest.raises(ContentError, match='timezone "EST" is not a time zone name'):
        event_file("Meetup", "2025-03-04 15:00", timezone="EST")
    with pytest.raises(ContentError, match="is not a date"):
        event_file("Meetup", "04/03/2025")


def test_scaffolded_files_build(build_site):
    files = {"series/ai-salon.md": "---\ntitle: AI Salons\n---\n"}
    for args in [
        dict(
            title="Salon",
            start="2025-03-04 15:00",
            timezone="America/New_York",
            duration="1 hour",
            platform="Google Meet",
            join="https://meet.example.org/x",
            series="ai-salon",
        ),
        dict(title="Leveling up days", start="2025-04-05", end="2025-04-07"),
        dict(title="Campaign", start="2025-01", status="tentative"),
        dict(title="Office hours", start="2025-05-26", time_tba=True, platform="Zoom"),
    ]:
        name, text = event_file(**args)
        files[f"events/{name}"] = text
    name, text = story_file(
        "A library's story", "A. Librarian", "2025-03-10", summary="What happened.", country="Kenya"
    )
    files[f"stories/{name}"] = text
    site = build_site(files)
    assert site.html("events/2025-03-04-salon/").find("h1").get_text() == "Salon"
    assert site.html("stories/a-library-s-story/").find("h1").get_text() == "A library's story"


def test_new_event_and_new_story_tasks_write_files_that_pass_check(tmp_path):
    content = tmp_path / "content"
    write_files(content, MINIMAL_PAGES)
    run = [sys.executable, str(ROOT / "tasks.py")]
    event = run + [
        "new-event",
        "--title",
        "Global meetup",
        "--start",
        "2025-06-01 12:00",
        "--timezone",
        "UTC",
        "--duration",
        "90 minutes",
        "--platform",
        "Zoom",
        "--path",
        str(content),
    ]
    story = run + [
        "new-story",
        "--title",
        "Our first edit-a-thon",
        "--author",
        "A. Librarian",
        "--date",
        "2025-06-02",
        "--summary",
        "It went well.",
        "--path",
        str(content),
    ]
    for command in (event, story):
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (content / "events/2025-06-01-global-meetup.md").exists()
    assert (content / "stories/2025-06-02-our-first-edit-a-thon.md").exists()
    checked = subprocess.run(run + ["check", "--path", str(content)], capture_output=True, text=True, cwd=ROOT)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_new_event_without_required_answers_says_what_is_missing(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "tasks.py"), "new-event", "--path", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1 and "Missing: Title" in done.stderr and "Traceback" not in done.stderr
