"""Unit tests of front matter splitting, the small YAML dialect and its errors."""

import time

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
    doc = parse(
        "---\ntitle: Talk\nstart: 2024-05-31 10:00\nend: 10:30\n"
        "country: NO\nepisode: 3\ndraft: true\nnotes:\n---\nBody\n"
    )
    assert doc.fields == {
        "title": "Talk",
        "start": "2024-05-31 10:00",
        "end": "10:30",
        "country": "NO",
        "episode": 3,
        "draft": True,
        "notes": None,
    }
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


# --- Limits: what one file may hold -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\na: &x [1, 2]\nb: *x\n---\n", 2, "YAML anchors and aliases (&name, *name) are not allowed"),
        ("---\ntitle: &a Talk\n---\n", 2, "YAML anchors and aliases"),
        ("---\ntitle: *nowhere\n---\n", 2, "YAML anchors and aliases"),
        ("---\na: " + "[" * 40 + "]" * 40 + "\n---\n", 2, "nested too deeply"),
        ("---\ntitle: a\x01b\n---\n", 2, "invisible control character (U+0001)"),
        ("---\ntitle: ok\n---\nBody\n\x1b[31mred\n", 5, "invisible control character (U+001B)"),
        ("---\ntitle: ok\n---\nOne\u2028two\n", 4, "invisible control character (U+2028)"),
        ('---\ntitle: "a\\r\\nATTACH:x"\n---\n', 2, "a value contains an invisible control character"),
        ('---\ntitle: "a\\u0000"\n---\n', 2, "a value contains an invisible control character"),
        ('---\ntitle: "' + "a" * 70_000 + '"\n---\n', 1, "longer than 64 KiB"),
    ],
)
def test_limits_are_refused_with_a_sentence(text, line, words):
    assert_clear_sentence(str(error_of(text)), f"{PATH}:{line}", words)


def test_a_file_over_one_mebibyte_is_refused_before_it_is_read_as_text():
    assert "more than the 1024 KiB a content file may have" in str(
        error_of(b"---\ntitle: x\n---\n" + b"a" * (1024 * 1024))
    )


def test_nine_levels_of_aliases_are_refused_without_building_them():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    assert "YAML anchors and aliases" in str(error_of("---\n" + "\n".join(lines) + "\n---\n"))


def test_tabs_and_line_breaks_inside_values_and_quoted_text_stay_text():
    document = parse('---\ntitle: "Tom & Jerry *live*"\nsummary: |\n  Two\n  lines\n---\nA\ttabbed body.\n')
    assert document.fields["title"] == "Tom & Jerry *live*" and document.fields["summary"] == "Two\nlines"


def test_a_long_line_is_checked_for_hashtags_in_linear_time():
    started = time.perf_counter()
    assert "has a # inside a value" in str(error_of("---\ntitle: a" + " " * 60_000 + "#tag\n---\n"))
    parse("---\ntitle: a" + " " * 60_000 + "# \n---\n")
    assert time.perf_counter() - started < 1
