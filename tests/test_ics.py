"""Content lines: values encoded as icalendar would, and folding at 75 octets without
splitting characters or escapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, vDate, vDatetime, vDuration, vRecur, vText, vUTCOffset
from icalendar.parser import param_value

from community_events.ics import MAX_OCTETS, Lines, _parameters, date_time, date_value, duration, fold, recur, text, utc_offset


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


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1))
def test_parameters_are_quoted_by_icalendar(value):
    assert _parameters((("label", value),)) == f";LABEL={param_value(value)}"


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
        "UNTIL": st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).map(lambda d: d.replace(microsecond=0, tzinfo=UTC)),
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
