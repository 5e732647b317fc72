"""Content lines: values encoded as icalendar would, and folding at 75 octets without
splitting characters or escapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from community_events.ics import (
    MAX_OCTETS,
    Lines,
    _parameters,
    date_time,
    date_value,
    duration,
    fold,
    parameter_value,
    recur,
    text,
    utc_offset,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, vDate, vDatetime, vDuration, vRecur, vText, vUTCOffset
from icalendar.parser import param_value


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


# The writer encodes values itself (building an icalendar object per value cost more than the rest of
# a VEVENT); icalendar is the reference it must agree with.


# What front matter lets through: no control characters but tabs and line breaks.
FIELD_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t"))


@settings(max_examples=300, deadline=None)
@given(FIELD_TEXT)
def test_text_escaping_reads_back_in_icalendar(value):
    lines = Lines()
    lines.raw("BEGIN", "VEVENT")
    lines.add("DESCRIPTION", value)
    lines.raw("END", "VEVENT")
    (event,) = Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + lines.to_bytes() + b"END:VCALENDAR\r\n").walk("VEVENT")
    expected = value.replace("\r\n", "\n").replace("\r", "\n")  # TEXT has one kind of line break
    assert str(event["DESCRIPTION"]) == expected


@settings(max_examples=300, deadline=None)
@given(FIELD_TEXT.filter(lambda value: "\\N" not in value))
def test_text_escaping_matches_icalendar(value):
    # icalendar also turns a literal backslash-N into a line break; the RFC keeps it as typed.
    assert text(value) == vText(value).to_ical().decode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)), st.booleans())
def test_dates_and_times_match_icalendar(moment, in_utc):
    moment = moment.replace(microsecond=0)
    if in_utc:
        moment = moment.replace(tzinfo=UTC)
    assert date_time(moment) == vDatetime(moment).to_ical().decode("ascii")
    assert date_value(moment.date()) == vDate(moment.date()).to_ical().decode("ascii")


def test_a_zoned_time_is_written_as_its_wall_time():
    moment = datetime(2019, 5, 30, 9, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    assert date_time(moment) == "20190530T090000"


@settings(max_examples=200, deadline=None)
@given(st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=400)))
def test_durations_match_icalendar(span):
    span = timedelta(days=span.days, seconds=span.seconds)
    assert duration(span) == vDuration(span).to_ical().decode("ascii")


# What a parameter value may hold: anything but controls and line separators, except the line
# breaks RFC 6868 escapes as ^n.
PARAMETER_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")) | st.sampled_from("\n\r\t"), min_size=1
)


@settings(max_examples=200, deadline=None)
@given(PARAMETER_TEXT)
def test_parameters_are_quoted_by_icalendar(value):
    # Also quoted here, and only here: a backslash, which icalendar would read as an escape.
    expected = param_value(value)
    if "\\" in value and not expected.startswith('"'):
        expected = f'"{expected}"'
    assert _parameters((("label", value),)) == f";LABEL={expected}"


@settings(max_examples=200, deadline=None)
@given(st.integers(-24 * 3600 + 1, 24 * 3600 - 1))
def test_utc_offsets_match_icalendar(seconds):
    offset = timedelta(seconds=seconds)
    assert utc_offset(offset) == vUTCOffset(offset).to_ical()


RULE_PARTS = st.fixed_dictionaries(
    {"FREQ": st.just("YEARLY"), "BYMONTH": st.integers(1, 12)},
    optional={
        "BYDAY": st.sampled_from(["SU", "2SU", "-1SU", "FR", "1MO"]),
        "BYMONTHDAY": st.one_of(st.integers(1, 31), st.lists(st.integers(1, 31), min_size=2, max_size=7)),
        "UNTIL": st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).map(
            lambda d: d.replace(microsecond=0, tzinfo=UTC)
        ),
    },
)


@settings(max_examples=200, deadline=None)
@given(RULE_PARTS)
def test_recurrence_rules_match_icalendar(parts):
    assert recur(parts) == vRecur(parts).to_ical().decode("ascii")


def test_categories_and_parameters_read_back():
    lines = Lines()
    lines.raw("BEGIN", "VEVENT")
    lines.add("CATEGORIES", ["Wikidata", "libraries, archives", "GLAM; museums"])
    lines.raw("CONFERENCE", "https://example.org/j/1", VALUE="URI", FEATURE="AUDIO,VIDEO", LABEL='Zoom "main" room')
    lines.raw("END", "VEVENT")
    data = b"BEGIN:VCALENDAR\r\n" + lines.to_bytes() + b"END:VCALENDAR\r\n"
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert list(event["CATEGORIES"].cats) == ["Wikidata", "libraries, archives", "GLAM; museums"]
    assert event["CONFERENCE"].params["FEATURE"] == "AUDIO,VIDEO"
    assert event["CONFERENCE"].params["LABEL"] == 'Zoom "main" room'


# --- No value carries a raw line break or control character ------------------------------------

# RFC 5545's CONTROL (HTAB is not one, DEL is), refused everywhere but CR and LF in TEXT, which escapes them.
CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F)]
UNESCAPED_CONTROLS = [c for c in CONTROLS if c not in "\r\n"]
# Refused outside TEXT too: C1 controls (NEL among them) and Unicode's line and paragraph separators.
BEYOND_CONTROL = ["\x80", "\x85", "\x9f", "\u2028", "\u2029"]
INJECTION = "https://example.org/j/1\r\nATTACH:https://evil.example/x\r\nBEGIN:VALARM"


def _named(character: str) -> str:
    return f"U+{ord(character):04X}"


def _refused_outside_text(character: str) -> bool:
    return character in CONTROLS or "\x80" <= character <= "\x9f" or character in "\u2028\u2029"


def _vevent_bytes(write) -> bytes:
    lines = Lines()
    lines.raw("BEGIN", "VEVENT")
    write(lines)
    lines.raw("END", "VEVENT")
    return b"BEGIN:VCALENDAR\r\n" + lines.to_bytes() + b"END:VCALENDAR\r\n"


def _unfolded(data: bytes) -> list[bytes]:
    """The content lines, with no CR or LF left in any."""
    lines = data.replace(b"\r\n ", b"").split(b"\r\n")
    assert lines.pop() == b""
    assert not any(b"\r" in line or b"\n" in line for line in lines), data
    return lines


def _one_property_read_back(data: bytes, name: str):
    """The VEVENT's only property besides BEGIN and END, as icalendar reads it; fails on any extra line."""
    assert len(_unfolded(data)) == 5, data  # VCALENDAR, VEVENT, the property, their ENDs
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert list(event) == [name]
    return event[name]


@pytest.mark.parametrize("character", CONTROLS + BEYOND_CONTROL, ids=_named)
def test_a_value_written_as_given_refuses_controls_and_line_ends(character):
    with pytest.raises(ValueError, match="cannot carry"):
        Lines().raw("CONFERENCE", f"https://example.org/j/1{character}x", VALUE="URI")
    with pytest.raises(ValueError, match="cannot carry"):
        Lines().raw("STATUS", character)


def test_the_reported_injection_is_refused():
    with pytest.raises(ValueError):
        Lines().raw("CONFERENCE", INJECTION, VALUE="URI", FEATURE="AUDIO,VIDEO")
    with pytest.raises(ValueError):
        Lines().raw("URL", "https://example.org/\nBEGIN:VEVENT\nUID:evil")


def test_a_value_added_that_is_no_text_is_checked_too():
    class Sneaky:
        def __str__(self):
            return "1\r\nATTACH:https://evil.example/x"

    with pytest.raises(ValueError):
        Lines().add("SEQUENCE", Sneaky())
    lines = Lines()
    lines.add("SEQUENCE", 3)
    assert lines.lines == ["SEQUENCE:3"]


@pytest.mark.parametrize("character", UNESCAPED_CONTROLS + BEYOND_CONTROL, ids=_named)
def test_a_parameter_value_refuses_controls_and_line_ends(character):
    with pytest.raises(ValueError, match="cannot carry"):
        parameter_value(f"Zoom{character}room")
    with pytest.raises(ValueError, match="cannot carry"):
        Lines().raw("CONFERENCE", "https://example.org/j/1", VALUE="URI", LABEL=f"Zoom{character}room")


def test_a_parameter_value_escapes_line_breaks_and_keeps_tabs():
    assert parameter_value("Zoom\r\nmain\rroom\nB") == "Zoom^nmain^nroom^nB"
    assert parameter_value("Zoom\troom") == "Zoom\troom"


def test_a_parameter_ending_in_a_backslash_keeps_its_property_value():
    data = _vevent_bytes(lambda lines: lines.raw("CONFERENCE", "https://example.org/j/1", VALUE="URI", LABEL="Zoom\\"))
    conference = _one_property_read_back(data, "CONFERENCE")
    assert (str(conference), conference.params["LABEL"]) == ("https://example.org/j/1", "Zoom\\")


@pytest.mark.parametrize("character", UNESCAPED_CONTROLS, ids=_named)
def test_text_refuses_the_controls_it_cannot_escape(character):
    with pytest.raises(ValueError, match="cannot carry"):
        text(f"Meetup{character}BEGIN:VEVENT")
    with pytest.raises(ValueError, match="cannot carry"):
        Lines().add("CATEGORIES", ["Wikidata", f"GLAM{character}"])


def test_text_escapes_line_breaks_and_keeps_tabs_and_unicode_separators():
    assert text("a\r\nb\rc\nd\te") == "a\\nb\\nc\\nd\te"
    # Kept: no parser the tests use ends a line at them (and the model refuses them in front matter).
    assert text("a\x85b\u2028c\u2029d") == "a\x85b\u2028c\u2029d"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_value_written_as_given_is_refused_or_stays_one_line(value):
    if any(_refused_outside_text(c) for c in value):
        with pytest.raises(ValueError):
            Lines().raw("URL", value)
        return
    data = _vevent_bytes(lambda lines: lines.raw("URL", value))
    _one_property_read_back(data, "URL")
    assert _unfolded(data)[2] == f"URL:{value}".encode()  # as given: icalendar would read a backslash as an escape


@settings(max_examples=300, deadline=None)
@given(st.text(), PARAMETER_TEXT)
def test_any_text_or_label_is_refused_or_reads_back_on_one_line(value, label):
    if any(c in UNESCAPED_CONTROLS for c in value):
        with pytest.raises(ValueError):
            Lines().add("LOCATION", value, LABEL=label)
        return
    data = _vevent_bytes(lambda lines: lines.add("LOCATION", value, LABEL=label))
    assert not any(c in data.decode("utf-8").replace("\r\n", "") for c in CONTROLS)
    location = _one_property_read_back(data, "LOCATION")
    assert str(location) == value.replace("\r\n", "\n").replace("\r", "\n")
    # icalendar's lenient reading drops whitespace around ";" and "=" in parameters (_strip_ows_around_delimiters),
    # and reads backslash escapes in them (_escape_string), which RFC 5545 parameters do not have.
    if "\\" not in label:
        assert _without_whitespace(location.params["LABEL"]) == _without_whitespace(label.replace("\r", "\n"))


def _without_whitespace(value: str) -> str:
    return "".join(value.split())
