"""Unit tests of front matter splitting, the small YAML dialect and its errors."""

import pytest

from community_events.errors import ContentError
from community_events.frontmatter import Fields, Items, decode, split
from conftest import assert_clear_sentence

PATH = "content/events/x.md"


def parse(text: str):
    return split(PATH, decode(PATH, text.encode("utf-8")))


def error_of(text: str | bytes) -> ContentError:
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    with pytest.raises(ContentError) as caught:
        split(PATH, decode(PATH, raw))
    return caught.value


def test_values_stay_text_except_booleans_numbers_and_null():
    doc = parse("---\ntitle: Talk\nstart: 2024-05-31 10:00\nend: 10:30\ncountry: NO\nepisode: 3\ndraft: true\nnotes:\n---\nBody\n")
    assert doc.fields == {"title": "Talk", "start": "2024-05-31 10:00", "end": "10:30", "country": "NO", "episode": 3, "draft": True, "notes": None}
    assert doc.body == "Body\n"


def test_lines_are_remembered_for_keys_and_list_items():
    doc = parse("---\ntitle: Talk\nsessions:\n  - start: 2024-01-01\n  - start: 2024-02-01\n    timezone: UTC\n---\n")
    assert isinstance(doc.fields, Fields) and doc.fields.line("sessions") == 3
    sessions = doc.fields["sessions"]
    assert isinstance(sessions, Items) and sessions.line(1) == 5
    assert sessions[1].line("timezone") == 6


def test_bom_and_windows_line_ends_are_fine():
    doc = split(PATH, decode(PATH, "\ufeff---\r\ntitle: Talk\r\n---\r\nBody\r\n".encode("utf-8")))
    assert doc.fields["title"] == "Talk" and doc.body == "Body\n"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "empty"),
        ("title: Talk\n", 1, "no front matter"),
        ("---\ntitle: Talk\n", 1, "never closed"),
        ("---\ntitle: Talk\nsessions:\n\t- start: 2024-01-01\n---\n", 4, "tab"),
        ('---\ntitle: "Talk\nstatus: scheduled\n---\n', 2, "quote"),
        ("---\ntitle: Talk\nstatus scheduled\nhosts: x\n---\n", 3, "colon"),
        ("---\ntitle: Talk\ntitle: Other\n---\n", 3, "appears twice"),
        ("---\nsummary: Join #1lib1ref now\n---\n", 2, "double quotes"),
        ("---\n- just\n- a list\n---\n", 2, "not a list of fields"),
    ],
)
def test_broken_front_matter_gives_file_line_and_fix(text, line, words):
    assert_clear_sentence(str(error_of(text)), f"{PATH}:{line}", words)


def test_not_utf8_names_the_line():
    assert_clear_sentence(str(error_of("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))), f"{PATH}:2", "UTF-8")
