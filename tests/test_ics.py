"""Content lines: folding at 75 octets without splitting characters or escapes."""

from __future__ import annotations

from icalendar import Calendar

from community_events.ics import MAX_OCTETS, Lines, fold


def _physical_lines(folded: str) -> list[bytes]:
    return folded.encode("utf-8").split(b"\r\n")


def _unfold(folded: str) -> str:
    return folded.replace("\r\n ", "")


def test_short_lines_are_left_alone():
    assert fold("SUMMARY:Meetup") == "SUMMARY:Meetup"
    assert fold("X" * MAX_OCTETS) == "X" * MAX_OCTETS


def test_long_ascii_line_folds_within_75_octets_and_unfolds_back():
    line = "DESCRIPTION:" + "word " * 60
    folded = fold(line)
    assert all(len(part) <= MAX_OCTETS for part in _physical_lines(folded))
    assert all(part.startswith(b" ") for part in _physical_lines(folded)[1:])
    assert _unfold(folded) == line


def test_multibyte_characters_are_never_split():
    line = "SUMMARY:" + "Gutiérrez, Ñandú, 東京 " * 8
    folded = fold(line)
    for part in _physical_lines(folded):
        assert len(part) <= MAX_OCTETS
        part.decode("utf-8")  # raises if a character was cut
    assert _unfold(folded) == line


def test_a_backslash_escape_stays_on_one_line():
    for prefix in range(60, 80):
        line = "DESCRIPTION:" + "a" * prefix + "\\n" + "b" * 100
        for part in _physical_lines(fold(line)):
            assert not part.endswith(b"\\"), prefix


def test_text_is_escaped_and_reads_back():
    lines = Lines()
    lines.raw("BEGIN", "VEVENT")
    lines.add("SUMMARY", "Wikidata, libraries; and you\\ " + "long " * 30)
    lines.add("DESCRIPTION", "Line one\nLine two, with é")
    lines.raw("END", "VEVENT")
    data = b"BEGIN:VCALENDAR\r\n" + lines.to_bytes() + b"END:VCALENDAR\r\n"
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Wikidata, libraries; and you\\ " + "long " * 30
    assert str(event["DESCRIPTION"]) == "Line one\nLine two, with é"
