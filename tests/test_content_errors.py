"""The broken-file corpus: each file in tests/broken-content/ gives one clear sentence, never a traceback.

Each case folder is laid over a small valid site, built as `invoke check` builds,
and must fail with exactly one error that names the file, the line, the field
(where there is one) and the fix.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from community_events.errors import ContentErrors
from conftest import MINIMAL_PAGES, ROOT, assert_clear_sentence, run_pelican, write_files

CORPUS = Path(__file__).parent / "broken-content"
BASE_SITE = {**MINIMAL_PAGES, "series/ai-salon.md": "---\ntitle: AI Salons\n---\n"}

# case: (file, line, field or None, words the sentence must contain)
EXPECTED = {
    "tab-indent": ("events/tab-indent.md", 4, None, "a tab is used for indentation; indent with spaces"),
    "unclosed-quote": ("events/unclosed-quote.md", 2, None, "a quote is opened but never closed"),
    "missing-colon": ("events/missing-colon.md", 2, None, "missing the colon after its field name"),
    "no-front-matter": ("events/no-front-matter.md", 1, None, "has no front matter"),
    "empty": ("events/empty.md", 1, None, "the file is empty"),
    "not-utf8": ("events/not-utf8.md", 2, None, "not saved as UTF-8 text"),
    "missing-title": ("events/missing-title.md", 2, "title", 'required field "title" is missing'),
    "unknown-field": ("events/unknown-field.md", 5, "timezon", 'did you mean "timezone"?'),
    "month-13": ("events/month-13.md", 4, "start", "month must be in 1..12"),
    "day-first-date": ("events/day-first-date.md", 4, "start", '"31/05/2024" is not a date; write dates as YYYY-MM-DD'),
    "hour-25": ("events/hour-25.md", 4, "start", "hour must be in 0..23"),
    "end-before-start": ("events/end-before-start.md", 6, "end", "is not after the start"),
    "zero-duration": ("events/zero-duration.md", 6, "duration", "is zero"),
    "negative-duration": ("events/negative-duration.md", 6, "duration", "is negative"),
    "zone-est": ("events/zone-est.md", 5, "timezone", '"EST" is not a time zone name; use "America/New_York"'),
    "zone-pst": ("events/zone-pst.md", 5, "timezone", 'use "America/Los_Angeles"'),
    "zone-cet": ("events/zone-cet.md", 5, "timezone", 'use "Europe/Paris"'),
    "zone-pacific": ("events/zone-pacific.md", 5, "timezone", 'use "America/Los_Angeles"'),
    "zone-gmt-plus-10": ("events/zone-gmt-plus-10.md", 5, "timezone", 'use "Australia/Brisbane" or "Australia/Sydney"'),
    "zone-sydney": ("events/zone-sydney.md", 5, "timezone", 'use "Australia/Sydney"'),
    "bad-status": ("events/bad-status.md", 3, "status", "use one of: scheduled, tentative, cancelled, postponed, held"),
    "unknown-series": (
        "events/unknown-series.md",
        3,
        "series",
        '"ai-salons" is not a known series; use one of: ai-salon',
    ),
    "slug-field": ("events/meetup-b.md", 3, "slug", '"slug" is not a field of an event'),
    "same-id": (
        "events/2024-06-01-meetup.md",
        3,
        "id",
        "is already the calendar id of content/events/2024-05-31-meetup.md",
    ),
    "javascript-link": ("events/javascript-link.md", 3, "registration", "is not a web link"),
    "data-link": ("events/data-link.md", 6, "join", "is not a web link"),
    "script-in-body": ("events/script-in-body.md", 9, None, "raw <script> tag"),
    "iframe-in-body": ("events/iframe-in-body.md", 9, None, "raw <iframe> tag"),
    "style-in-body": ("events/style-in-body.md", 9, None, "raw <style> tag"),
    "onclick-in-body": ("events/onclick-in-body.md", 9, None, '"onclick" attribute'),
    "javascript-markdown-link": ("events/javascript-markdown-link.md", 9, None, '"javascript:" link'),
    "script-in-field": ("events/script-in-field.md", 3, "summary", "contains HTML"),
    "story-no-such-day": ("stories/2024-02-30-no-such-day.md", 4, "date", "day is out of range for month"),
    "unknown-event": ("goals/unknown-event.md", 5, "events", "is not the name of any of the site's events"),
    "unknown-page-field": ("pages/unknown-field.md", 3, "templte", 'did you mean "template"?'),
}


def test_every_case_in_the_corpus_is_listed():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


def _build_case(tmp_path: Path, case: str) -> None:
    content = tmp_path / "content"
    write_files(content, BASE_SITE)
    shutil.copytree(CORPUS / case, content, dirs_exist_ok=True)
    run_pelican(content, tmp_path / "output")


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_file_gives_one_clear_sentence(tmp_path, case):
    path, line, field, words = EXPECTED[case]
    with pytest.raises(ContentErrors) as raised:
        _build_case(tmp_path, case)
    (error,) = raised.value.errors
    assert_clear_sentence(str(error), f"content/{path}:{line}", words)
    if field:
        assert field in str(error)


def test_bom_and_windows_line_ends_build(build_site, tmp_path):
    text = (
        "\ufeff---\r\ntitle: Meetup\r\nsessions:\r\n"
        "  - start: 2024-05-31 14:00\r\n    timezone: Europe/Paris\r\n---\r\nAgenda.\r\n"
    )
    content = tmp_path / "bom" / "content"
    write_files(content, MINIMAL_PAGES)
    (content / "events").mkdir()
    (content / "events" / "meetup.md").write_bytes(text.encode("utf-8"))
    site = run_pelican(content, tmp_path / "bom" / "output")
    assert site.html("events/meetup/").find("h1").get_text() == "Meetup"


def test_check_task_exits_non_zero_with_sentences_and_no_traceback(tmp_path):
    content = tmp_path / "content"
    write_files(content, BASE_SITE)
    for case in ("zone-est", "script-in-body", "tab-indent"):
        shutil.copytree(CORPUS / case, content, dirs_exist_ok=True)
    done = subprocess.run(
        [sys.executable, str(ROOT / "tasks.py"), "check", "--path", str(content)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert "Traceback" not in output
    assert 'content/events/zone-est.md:5: timezone "EST" is not a time zone name; use "America/New_York"' in output
    assert "content/events/script-in-body.md:9: the text has a raw <script> tag" in output
    assert "content/events/tab-indent.md:4: a tab is used for indentation" in output


def test_check_task_passes_on_the_groups_content_and_lists_warnings():
    done = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "check"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No errors" in done.stdout
    assert (
        "content/events/2019-05-30-1lib1ref-hangout.md:2: the event is over and links to neither notes nor a recording"
        in done.stdout + done.stderr
    )


def test_preview_keeps_building_the_rest_of_the_site(tmp_path, caplog):
    content = tmp_path / "content"
    write_files(
        content, {**BASE_SITE, "events/2024-05-31-fine.md": "---\ntitle: Fine\nsessions:\n  - start: 2024-05-31\n---\n"}
    )
    shutil.copytree(CORPUS / "zone-est", content, dirs_exist_ok=True)
    site = run_pelican(content, tmp_path / "output", COMMUNITY_EVENTS={"today": "2024-01-15", "stop_on_error": False})
    assert site.html("events/2024-05-31-fine/").find("h1").get_text() == "Fine"
    for page in ("", "events/", "about/", "join/", "goals/"):
        assert (site.output / page / "index.html").exists(), page
    assert not (site.output / "events/zone-est").exists()
    assert any('zone-est.md:5: timezone "EST"' in message for message in caplog.messages)


def test_warnings_are_shown_and_do_not_stop_the_build(build_site, caplog):
    files = {
        "events/2023-01-01-was-tentative.md": (
            "---\ntitle: Old\nstatus: tentative\nnotes: https://example.org/notes\n"
            "sessions:\n  - start: 2023-01-01\n---\n"
        ),
        "events/2023-02-01-no-links.md": "---\ntitle: Older\nsessions:\n  - start: 2023-02-01\n---\n",
        "stories/2023-03-01-no-summary.md": "---\ntitle: A story\nauthor: Someone\ndate: 2023-03-01\n---\nText.\n",
    }
    build_site(files)
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "3 content warnings (nothing that stops the build); python3 tasks.py check lists them"
    ]
    caplog.clear()
    build_site(files, COMMUNITY_EVENTS={"today": "2024-01-15", "list_warnings": True})  # as invoke check builds
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert (
        'content/events/2023-01-01-was-tentative.md:3: status is still "tentative", but the event is over; '
        'set "status: held" if it took place, or "cancelled" if it did not' in warnings
    )
    assert any("2023-02-01-no-links.md:2:" in w and "neither notes nor a recording" in w for w in warnings)
    assert any("2023-03-01-no-summary.md:2:" in w and "has no summary" in w for w in warnings)
    assert not any("was-tentative" in w and "neither notes" in w for w in warnings)
